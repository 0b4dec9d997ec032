"""A fair screener must be possible in the world: innocents look alike whatever their group.

Referrals are capped per consular post, and posts serve mostly one nationality, so a post whose
applicants carry many more concerns spends its interviews on them and refers fewer innocent
people. Base rates may differ by nationality, but only so far that a good screener can keep every
group's false-positive rate within the promotion gate's bounds.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import orjson
import pytest

from mizugiwa.training.synth import generate_world
from mizugiwa.training.synth.applications import _MIX
from mizugiwa.training.synth.population import AGE_RANGE, NATIONALITIES
from mizugiwa.training.synth.schemes import MODEL

Files = dict[str, list[dict[str, Any]]]
# Interviews per post (share of its applications) and the promotion gate's FPR-ratio bounds.
CAPACITY = 0.03
BOUNDS = (0.8, 1.25)


def _expected_prevalence(period: int) -> np.ndarray:
    """Expected share of applications with a concern, per nationality, in a period."""
    carries = MODEL.concern_of.sum(axis=1) > 0
    prior = np.exp(MODEL.log_prior[:, period])  # [category, nationality, scheme]
    prevalence: np.ndarray = np.einsum("nc,cns->n", _MIX, prior * carries)
    return prevalence


@pytest.mark.parametrize("period", [0, 1])
def test_base_rates_differ_by_nationality_but_stay_within_what_capacity_absorbs(
    period: int,
) -> None:
    prevalence = _expected_prevalence(period)
    by_code = dict(zip((n.code for n in NATIONALITIES), prevalence, strict=True))
    # The published figures put the Philippines and Thailand above China...
    assert by_code["PHL"] > by_code["CHN"] and by_code["THA"] > by_code["CHN"]
    # ...but a post with far more concerns than another would fill its interviews with them.
    assert prevalence.max() / prevalence.min() < 2.5, by_code
    assert prevalence.max() < CAPACITY * 0.8, by_code


def test_every_long_stay_category_reaches_middle_age() -> None:
    # Categories that draw scrutiny also occur among people over 35, so no age band is made
    # only of tourists.
    for category in ("spouse_of_japanese", "technical_intern", "skilled_worker", "entertainer"):
        assert AGE_RANGE[category][1] >= 40, category
    assert AGE_RANGE["spouse_of_japanese"][1] >= 55
    assert AGE_RANGE["skilled_worker"][1] >= 55


def test_innocent_visitors_carry_look_alikes_at_rates_that_ignore_nationality(
    files: Files,
) -> None:
    truth = {t["case_id"]: t for t in files["truth"]}
    visitors = [
        a
        for a in files["applications"]
        if a["visa_category"] == "temporary_visitor"
        and truth[a["application_id"]]["concern"] is None
    ]

    def fresh_passport(a: dict[str, Any]) -> bool:
        issued = date.fromisoformat(a["passport"]["issue_date"])
        return (date.fromisoformat(a["submitted_at"][:10]) - issued).days < 180

    indicators = {
        "fresh passport": fresh_passport,
        "ticket paid by others": lambda a: a["travel"]["ticket_paid_by"] != "self",
        "no return ticket": lambda a: not a["travel"]["return_ticket"],
        "accompanying minors": lambda a: a["travel"]["accompanying_minors"] > 0,
    }
    chinese = np.array([a["applicant"]["nationality"] == "CHN" for a in visitors])
    assert chinese.sum() > 500 and (~chinese).sum() > 500
    for name, test in indicators.items():
        has = np.array([test(a) for a in visitors])
        p1, p2 = has[chinese].mean(), has[~chinese].mean()
        pooled = has.mean()
        se = np.sqrt(pooled * (1 - pooled) * (1 / chinese.sum() + 1 / (~chinese).sum()))
        assert p1 > 0 and p2 > 0, name
        assert abs(p1 - p2) < 4 * se, (name, p1, p2)


def _read(path: Path, fields: Any) -> list[Any]:
    with path.open("rb") as handle:
        return [fields(orjson.loads(line)) for line in handle]


@pytest.mark.slow
def test_the_oracle_at_post_capacity_keeps_large_groups_within_the_gate(
    tmp_path: Path,
) -> None:
    from mizugiwa.training.evaluation import refer_at_capacity, thresholds_for_capacity
    from mizugiwa.training.fairness import age_band, age_in_years
    from mizugiwa.training.split import time_split

    generate_world(5, 100_000, 1000, tmp_path, workers=2)
    apps = _read(
        tmp_path / "applications.jsonl",
        lambda a: (
            a["application_id"],
            a["post_code"],
            a["submitted_at"][:19],
            a["applicant"]["nationality"],
            a["applicant"]["sex"],
            a["applicant"]["date_of_birth"],
        ),
    )
    truth = {
        t[0]: t[1:]
        for t in _read(
            tmp_path / "truth.jsonl",
            lambda t: (t["case_id"], t["concern"] is not None, max(t["oracle"].values())),
        )
    }
    ids, post, when, nationality, sex, birth = (np.array(c) for c in zip(*apps, strict=True))
    when = when.astype("datetime64[s]")
    concern = np.array([truth[i][0] for i in ids])
    oracle = np.array([truth[i][1] for i in ids])
    test = time_split(when).test
    refer = refer_at_capacity(
        oracle[test], post[test], thresholds_for_capacity(oracle[test], post[test], CAPACITY)
    )
    innocent = ~concern[test]
    overall = refer[innocent].mean()
    bands = age_band(age_in_years(birth.astype("datetime64[D]"), when.astype("datetime64[D]")))
    for attribute, groups in (("nationality", nationality), ("sex", sex), ("age", bands)):
        for group in np.unique(groups[test]):
            members = innocent & (groups[test] == group)
            # Large groups only: a few hundred innocents at a 2% rate is mostly sampling noise.
            if members.sum() < 1000:
                continue
            ratio = refer[members].mean() / overall
            assert BOUNDS[0] <= ratio <= BOUNDS[1], (attribute, group, round(ratio, 2))
