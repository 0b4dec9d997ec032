"""The properties indicators must keep: point in time, one implementation for batch and
online, and no protected attribute among the features."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import numpy as np
import orjson

from mizugiwa.features.indicators import (
    FEATURES,
    ApplicationBatch,
    FeatureContext,
    compute_features,
    compute_rules,
)
from mizugiwa.features.network import NetworkHistory
from mizugiwa.features.tipdb.snapshot import Snapshot

from .conftest import TIPDB, mrz_for, spouse_application, worker_application

LATER = "2024-06-11"  # the day after the applications below are submitted
EARLIER = "2024-06-01"


def _later_records(recorded_at: str) -> list[dict[str, Any]]:
    """Records that would change every database-backed indicator of the spouse case."""
    return [
        {
            "entity_type": "sponsorship",
            "id": "S-99",
            "sponsor_names": ["ICHIRO TANAKA"],
            "sponsor_date_of_birth": "1958-07-30",
            "relation": "spouse",
            "sponsored_name": "X Y",
            "date": recorded_at,
        },
        {
            "entity_type": "person",
            "id": "P-99",
            "names": ["TANAKA ICHIRO"],
            "date_of_birth": "1958-07-30",
            "role": "broker",
            "source": "police",
            "recorded_at": recorded_at,
        },
        {
            "entity_type": "phone",
            "id": "T-99",
            "number": "+81 90 1111 2222",
            "linked_to": ["P-17"],
            "source": "police",
            "recorded_at": recorded_at,
        },
        {
            "entity_type": "travel_document",
            "id": "D-99",
            "number": "P1234567A",
            "issuing_state": "PHL",
            "status": "forged",
            "source": "police",
            "recorded_at": recorded_at,
        },
        {
            "entity_type": "raid",
            "id": "R-99",
            "organisation_id": "O-3",
            "date": recorded_at,
            "authority": "labour_bureau",
            "finding": "unpaid_wages",
        },
    ]


def _cases() -> list[dict[str, Any]]:
    return [spouse_application(), worker_application()]


def test_records_recorded_later_cannot_change_a_feature() -> None:
    batch = ApplicationBatch.from_records(_cases())
    before = Snapshot.from_entities(TIPDB)
    after = Snapshot.from_entities([*TIPDB, *_later_records(LATER)])
    earlier = Snapshot.from_entities([*TIPDB, *_later_records(EARLIER)])
    base = compute_features(batch, FeatureContext(snapshot=before))
    late = compute_features(ApplicationBatch.from_records(_cases()), FeatureContext(snapshot=after))
    np.testing.assert_array_equal(base.values, late.values)
    rules_base = compute_rules(batch, FeatureContext(snapshot=before)).fired
    rules_late = compute_rules(
        ApplicationBatch.from_records(_cases()), FeatureContext(snapshot=after)
    ).fired
    np.testing.assert_array_equal(rules_base, rules_late)
    # the same records known in time do change them: the test above is not vacuous
    known = compute_features(
        ApplicationBatch.from_records(_cases()), FeatureContext(snapshot=earlier)
    )
    changed = {
        name
        for k, name in enumerate(base.names)
        if not np.array_equal(base.values[:, k], known.values[:, k], equal_nan=True)
    }
    assert {
        "sponsor_prior_spouses",
        "document_reported",
        "employer_findings",
        "sponsor_tip_links",
    } <= changed


def _varied_applications(seed: int, n: int = 40) -> list[dict[str, Any]]:
    """Applications sharing sponsors, phones and employers across posts, in random order."""
    rng = random.Random(seed)
    apps = []
    for k in range(n):
        make = rng.choice([spouse_application, worker_application])
        day = 1 + rng.randrange(27)
        app = make(
            **{
                "application_id": f"R-{k}",
                "post_code": rng.choice(["MNL", "CEB", "BKK"]),
                "submitted_at": f"2024-0{rng.choice([6, 7, 8])}-{day:02d}T0{rng.randrange(9)}:00Z",
                "applicant.phone": rng.choice(
                    ["+63 917 123 4567", "+63 917 000 0001", f"+6391700{k:05d}"]
                ),
                "applicant.family_name": rng.choice(["DELA CRUZ", "REYES", "SANTOS"]),
            }
        )
        app["passport"]["mrz"] = mrz_for(app)
        apps.append(app)
    return apps


def test_online_one_at_a_time_equals_batch() -> None:
    snapshot = Snapshot.from_entities(TIPDB)
    apps = _varied_applications(seed=11)
    batch = ApplicationBatch.from_records(apps)
    batch_ctx = FeatureContext(snapshot=snapshot, history=NetworkHistory.from_batch(batch))
    batch_values = compute_features(batch, batch_ctx).values
    batch_rules = compute_rules(batch, batch_ctx).fired

    # online: in submission order, score each alone, then append it to the history
    online_ctx = FeatureContext(snapshot=snapshot, history=NetworkHistory())
    order = np.argsort(batch.submitted_s, kind="stable")
    online = np.empty_like(batch_values)
    online_rules = np.empty_like(batch_rules)
    for i in order:
        one = ApplicationBatch.from_records([apps[i]])
        online[i] = compute_features(one, online_ctx).values[0]
        online_rules[i] = compute_rules(one, online_ctx).fired[0]
        online_ctx.history.add(one)
    np.testing.assert_array_equal(online, batch_values)
    np.testing.assert_array_equal(online_rules, batch_rules)
    assert np.nansum(batch_values[:, [n.endswith("_other_posts") for n in FEATURES_NAMES]]) > 0


FEATURES_NAMES = [ind.name for ind in FEATURES]


def test_jsonl_fast_path_gives_the_same_columns(tmp_path: Path) -> None:
    apps = _varied_applications(seed=3, n=10)
    path = tmp_path / "applications.jsonl"
    path.write_bytes(b"\n".join(orjson.dumps(app) for app in apps) + b"\n")
    fast = ApplicationBatch.from_jsonl(path)
    checked = ApplicationBatch.from_records(apps)
    validated = ApplicationBatch.from_jsonl(path, validate=True)
    for name, column in vars(checked).items():
        if name.startswith("_"):
            continue
        for other in (fast, validated):
            if column.dtype == object:
                assert column.tolist() == getattr(other, name).tolist(), name
            else:
                np.testing.assert_array_equal(column, getattr(other, name), err_msg=name)


def test_protected_attributes_are_not_features() -> None:
    forbidden = {"nationality", "sex", "gender", "religion", "ethnicity", "age", "dob", "birth"}
    relationship_or_document = {"age_gap_years", "passport_age_days"}
    for ind in FEATURES:
        if ind.name not in relationship_or_document:
            assert not forbidden & set(ind.name.split("_")), ind.name
    snapshot = Snapshot.from_entities(TIPDB)
    base_apps = _varied_applications(seed=5, n=12)
    perturbed = []
    rng = random.Random(1)
    # one perturbation per person, so that "the same person" stays the same person
    people: dict[tuple[str, str], tuple[str, str, int]] = {}
    for app in base_apps:
        app = orjson.loads(orjson.dumps(app))
        applicant = app["applicant"]
        person = (applicant["family_name"], applicant["date_of_birth"])
        nationality, sex, shift = people.setdefault(
            person,
            (rng.choice(["VNM", "THA", "IDN", "NPL"]), rng.choice("FMX"), rng.randint(-5, 5)),
        )
        applicant["nationality"], applicant["sex"] = nationality, sex
        year = int(applicant["date_of_birth"][:4]) + shift
        applicant["date_of_birth"] = f"{year}{applicant['date_of_birth'][4:]}"
        app["passport"]["mrz"] = mrz_for(app)  # the document agrees with the person
        perturbed.append(app)

    def features(apps: list[dict[str, Any]]) -> tuple[np.ndarray, list[str]]:
        batch = ApplicationBatch.from_records(apps)
        ctx = FeatureContext(snapshot=snapshot, history=NetworkHistory.from_batch(batch))
        fm = compute_features(batch, ctx)
        return fm.values, fm.names

    a, names = features(base_apps)
    b, _ = features(perturbed)
    for k, name in enumerate(names):
        if name == "age_gap_years":  # a relationship feature: it may move with the birth date
            continue
        np.testing.assert_array_equal(a[:, k], b[:, k], err_msg=name)
    batch = ApplicationBatch.from_records(perturbed)
    assert set(batch.protected) == {"nationality", "sex", "age"}
    assert batch.protected["nationality"].tolist() == [
        app["applicant"]["nationality"] for app in perturbed
    ]
