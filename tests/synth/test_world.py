"""Key properties of the synthetic world: schema, schemes, look-alikes, labels, database."""

from __future__ import annotations

import hashlib
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import orjson
import pytest
from sklearn.metrics import roc_auc_score

from mizugiwa.features.mrz_check import parse_mrz
from mizugiwa.features.records import BorderEntry, Outcome, VisaApplication
from mizugiwa.training.legacy_rules import legacy_entry_scores, legacy_refer, legacy_scores
from mizugiwa.training.synth.population import CATEGORIES, NATIONALITIES
from mizugiwa.training.synth.schemes import CONCERNS, MODEL, SCHEME_NAMES
from mizugiwa.training.synth.world import AUDIT_SHARE, CAPACITY

Files = dict[str, list[dict[str, Any]]]


def test_every_record_validates_against_the_schema(files: Files) -> None:
    for record in files["applications"]:
        VisaApplication.model_validate(record)
    for record in files["entries"]:
        BorderEntry.model_validate(record)
    for record in files["outcomes"]:
        Outcome.model_validate(record)


def test_every_mrz_is_td3_and_forgeries_fail_their_check_digits(files: Files) -> None:
    truth = {t["case_id"]: t for t in files["truth"]}
    mrz = [e["mrz"] for e in files["entries"]]
    assert all([len(line) for line in m.split("\n")] == [44, 44] for m in mrz)
    failed = parse_mrz(mrz).failed_checks > 0
    forged = np.array(
        [truth[e["entry_id"]]["scheme"] == "forged_document" for e in files["entries"]]
    )
    innocent = np.array([truth[e["entry_id"]]["concern"] is None for e in files["entries"]])
    assert failed[innocent].mean() < 0.01
    assert failed[forged].mean() > 0.3


def test_schemes_appear_in_the_proportions_the_generator_sets(files: Files) -> None:
    # Expected count of each scheme: its prior summed over the applications' strata.
    apps, truth = files["applications"], files["truth"]
    nat = {n.code: i for i, n in enumerate(NATIONALITIES)}
    cat = np.array([CATEGORIES.index(a["visa_category"]) for a in apps])
    period = np.array([a["submitted_at"] >= "2022-01-01" for a in apps], dtype=int)
    nation = np.array([nat[a["applicant"]["nationality"]] for a in apps])
    expected = np.exp(MODEL.log_prior[cat, period, nation]).sum(axis=0)
    observed = Counter(t["scheme"] for t in truth if t["kind"] == "application")
    for s, name in enumerate(SCHEME_NAMES):
        tolerance = 4 * np.sqrt(expected[s]) + 3
        assert abs(observed[name] - expected[s]) <= tolerance, (name, observed[name], expected[s])
    for concern_scheme in ("sham_marriage_ring", "hostess_exploitation", "intern_labour",
                           "impersonation_lookalike", "forged_document"):  # fmt: skip
        assert observed[concern_scheme] > 0, concern_scheme
    rate = np.mean([t["concern"] is not None for t in truth if t["kind"] == "application"])
    assert 0.005 < rate < 0.03


def test_innocent_look_alikes_carry_the_indicators_too(files: Files) -> None:
    truth = {t["case_id"]: t for t in files["truth"]}
    innocent = [a for a in files["applications"] if truth[a["application_id"]]["concern"] is None]

    def gap(a: dict[str, Any]) -> float:
        sponsor = date.fromisoformat(a["sponsor"]["date_of_birth"])
        return (date.fromisoformat(a["applicant"]["date_of_birth"]) - sponsor).days / 365.25

    spouses = [a for a in innocent if a.get("marriage")]
    assert any(gap(a) >= 20 and a["marriage"]["met_via"] == "agency" for a in spouses)
    assert any(not a["marriage"]["common_languages"] for a in spouses)
    assert any(a.get("biometrics", {}).get("face_match_score", 1) < 0.5 for a in innocent)
    assert any(a["travel"]["ticket_paid_by"] == "third_party" for a in innocent)
    assert any(
        (a.get("employment") or {}).get("establishment_type") == "adult_entertainment"
        for a in innocent
    )
    assert Counter(truth[a["application_id"]]["scheme"] for a in innocent)["genuine_spouse_age_gap"]
    # Every sizeable nationality has innocent people with a freshly issued passport.
    by_nat: dict[str, list[bool]] = {}
    for a in innocent:
        fresh = (date.fromisoformat(a["submitted_at"][:10]) - date.fromisoformat(
            a["passport"]["issue_date"])).days < 30  # fmt: skip
        by_nat.setdefault(a["applicant"]["nationality"], []).append(fresh)
    for code, flags in by_nat.items():
        if len(flags) >= 100:
            assert any(flags), code


def test_outcomes_exist_only_for_interviewed_cases(files: Files) -> None:
    apps, entries, outcomes = files["applications"], files["entries"], files["outcomes"]
    ids = [a["application_id"] for a in apps]
    eids = [e["entry_id"] for e in entries]
    referred = set(np.array(ids)[legacy_refer(legacy_scores(apps), CAPACITY, ids)])
    referred |= set(np.array(eids)[legacy_refer(legacy_entry_scores(entries), CAPACITY, eids)])
    seen = Counter(o["case_id"] for o in outcomes)
    assert max(seen.values()) == 1
    assert set(seen) <= set(ids) | set(eids)
    rule = {o["case_id"] for o in outcomes if o["referral_source"] == "rule"}
    audit = {o["case_id"] for o in outcomes if o["referral_source"] == "random_audit"}
    assert rule == referred
    assert audit and not audit & referred
    share = len(audit) / (len(ids) + len(eids) - len(referred))
    assert 0.3 * AUDIT_SHARE < share < 3 * AUDIT_SHARE
    submitted = {a["application_id"]: a["submitted_at"][:10] for a in apps}
    for o in outcomes:
        if o["case_id"] in submitted:
            assert o["interviewed_at"][:10] >= submitted[o["case_id"]]


def test_interviews_miss_some_true_cases(files: Files) -> None:
    truth = {t["case_id"]: t for t in files["truth"]}
    interviewed_true = [o for o in files["outcomes"] if truth[o["case_id"]]["concern"]]
    missed = [o for o in interviewed_true if o["outcome"] == "no_concern"]
    assert interviewed_true
    assert 0 < len(missed) < 0.5 * len(interviewed_true)
    support = [o for o in files["outcomes"] if o["outcome"] == "trafficking_victim"]
    assert all(o["victim_support_offered"] for o in support)


def test_oracle_is_a_calibrated_probability_better_than_chance(files: Files) -> None:
    truth = files["truth"]
    oracle = np.array([[t["oracle"][c] for c in CONCERNS] for t in truth])
    assert oracle.min() >= 0 and oracle.max() <= 1
    assert np.all(oracle.sum(axis=1) <= 1 + 1e-6)
    for k, concern in enumerate(CONCERNS):
        y = np.array([t["concern"] == concern for t in truth])
        assert roc_auc_score(y, oracle[:, k]) > 0.85, concern
        # The posterior's total mass matches the number of cases within sampling error.
        assert abs(oracle[:, k].sum() - y.sum()) < 4 * np.sqrt(y.sum()) + 3, concern


def test_legacy_rules_find_clearly_fewer_cases_than_the_oracle(files: Files) -> None:
    apps = files["applications"]
    truth = {t["case_id"]: t for t in files["truth"]}
    y = np.array([truth[a["application_id"]]["concern"] is not None for a in apps])
    oracle = np.array([sum(truth[a["application_id"]]["oracle"].values()) for a in apps])
    k = int(CAPACITY * len(apps))
    oracle_recall = y[np.argsort(-oracle)[:k]].sum() / y.sum()
    ids = [a["application_id"] for a in apps]
    legacy_recall = y[legacy_refer(legacy_scores(apps), CAPACITY, ids)].sum() / y.sum()
    assert oracle_recall > 0.5
    assert legacy_recall < 2 / 3 * oracle_recall


def test_database_is_recorded_before_the_applications_that_rely_on_it(files: Files) -> None:
    from mizugiwa.features.normalise import phone_key

    apps = {a["application_id"]: a for a in files["applications"]}
    sponsorships = [e for e in files["tipdb"] if e["entity_type"] == "sponsorship"]
    assert sponsorships
    for s in sponsorships:
        app = apps[s["id"].split("-", 1)[1].rsplit("-", 1)[0]]
        assert s["recorded_at"] <= app["submitted_at"][:10]
        assert s["sponsor_date_of_birth"] == app["sponsor"]["date_of_birth"]
    phones = {
        phone_key(e["number"], "JPN"): e["recorded_at"]
        for e in files["tipdb"]
        if e["entity_type"] == "phone"
    }
    linked = [
        a for a in apps.values()
        if (a.get("sponsor") or {}).get("phone")
        and phones.get(phone_key(a["sponsor"]["phone"], "JPN"), "9999") <= a["submitted_at"][:10]
    ]  # fmt: skip
    assert linked, "some sponsors share a phone with a broker already on file"
    victims = [e for e in files["tipdb"] if e.get("role") == "victim"]
    cases = [e for e in files["tipdb"] if e["entity_type"] == "case"]
    assert cases and victims


def test_database_file_loads_with_the_loader(world: Path, tmp_path: Path) -> None:
    loader = pytest.importorskip("mizugiwa.features.tipdb.loader")
    from mizugiwa.db.engine import make_engine
    from mizugiwa.db.migrate import upgrade

    url = f"sqlite:///{tmp_path / 'tipdb.sqlite3'}"
    upgrade(url)
    engine = make_engine(url)
    report = loader.load_file(engine, world / "tipdb.jsonl")
    assert report.inserted == report.lines > 0
    engine.dispose()


def test_manifest_hashes_the_files(world: Path) -> None:
    manifest = orjson.loads((world / "manifest.json").read_bytes())
    for name, info in manifest["files"].items():
        data = (world / name).read_bytes()
        assert hashlib.sha256(data).hexdigest() == info["sha256"]
        assert data.count(b"\n") == info["lines"]
    assert manifest["counts"]["truth"] == manifest["counts"]["applications"] + manifest[
        "counts"]["entries"]  # fmt: skip
