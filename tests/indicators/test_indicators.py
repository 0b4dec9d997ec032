"""Hand-made cases: each indicator, rule and guidance on records whose answer is known."""

from __future__ import annotations

import math

import numpy as np
import pytest

from mizugiwa.features.indicators import (
    ENTRY_FEATURES,
    FEATURES,
    RULES,
    ApplicationBatch,
    BatchError,
    EntryBatch,
    FeatureContext,
    compute_entry_features,
    compute_features,
    compute_rules,
    explain,
    protection_guidance,
    rule_hits,
)
from mizugiwa.features.network import NetworkHistory
from mizugiwa.features.records import Concern
from mizugiwa.features.tipdb.snapshot import Snapshot

from .conftest import SPECIMEN_MRZ, TIPDB, spouse_application, worker_application


def _row(batch: ApplicationBatch, ctx: FeatureContext, i: int = 0) -> dict[str, float]:
    return compute_features(batch, ctx).row(i)


def test_sham_marriage_indicators(ctx: FeatureContext) -> None:
    row = _row(ApplicationBatch.from_records([spouse_application()]), ctx)
    assert row["age_gap_years"] == pytest.approx(40.5, abs=0.05)
    assert row["courtship_days"] == 31
    assert row["met_via_agency"] == 1 and row["no_common_language"] == 1
    assert row["sponsor_prior_spouses"] == 2  # S-30 and S-31, both before 2024-06-10
    assert row["declared_prior_spouses"] == 0 and row["undeclared_prior_spouses"] == 2
    assert row["sponsor_tip_links"] == 1  # address A-4 links to O-3, raided


def test_sham_marriage_indicators_without_a_marriage_are_missing(ctx: FeatureContext) -> None:
    row = _row(ApplicationBatch.from_records([worker_application()]), ctx)
    for name in ("age_gap_years", "courtship_days", "met_via_agency", "sponsor_prior_spouses"):
        assert math.isnan(row[name]), name


def test_document_indicators(ctx: FeatureContext) -> None:
    stolen = spouse_application(**{"passport.number": "L898902C3", "passport.issuing_state": "UTO"})
    forged_mrz = spouse_application(**{"application_id": "A-9", "passport.mrz": SPECIMEN_MRZ})
    batch = ApplicationBatch.from_records([spouse_application(), stolen, forged_mrz])
    fm = compute_features(batch, ctx)
    assert fm.column("passport_age_days").tolist() == [11, 11, 11]
    assert fm.column("document_reported").tolist() == [0, 1, 0]
    assert fm.column("mrz_failed_check_digits").tolist() == [0, 0, 0]
    # the specimen MRZ is valid but names someone else with another passport
    assert fm.column("mrz_field_mismatches").tolist() == [0, 0, 5]
    assert fm.details["mrz_field_mismatches"][2]["mismatched_fields"] == [
        "name",
        "birth_date",
        "nationality",
        "document_number",
        "expiry_date",
    ]
    assert fm.column("face_match_score")[0] == pytest.approx(0.42)


def test_a_failing_check_digit_fires_the_rule(ctx: FeatureContext) -> None:
    app = spouse_application()
    lines = app["passport"]["mrz"].split("\n")
    digit = lines[1][9]
    lines[1] = lines[1][:9] + ("0" if digit != "0" else "1") + lines[1][10:]
    app["passport"]["mrz"] = "\n".join(lines)
    batch = ApplicationBatch.from_records([app])
    fm, rm = compute_features(batch, ctx), compute_rules(batch, ctx)
    assert fm.row(0)["mrz_failed_check_digits"] == 2
    hits = {hit.code: hit for hit in rule_hits(rm, 0)}
    assert hits["RULE-MRZ-CHECK"].evidence == {
        "failed_check_digits": ["document_number", "composite"]
    }


def test_exploitation_indicators(ctx: FeatureContext) -> None:
    row = _row(ApplicationBatch.from_records([worker_application()]), ctx)
    assert row["recruitment_fee_months"] == 4
    assert row["employer_findings"] == 1  # Club Paradise Roppongi = O-3, raided R-5
    assert row["high_risk_establishment"] == 1
    assert row["ticket_paid_by_others"] == 1
    assert row["no_return_ticket"] == 1
    assert row["accompanying_minors"] == 1
    assert row["recruitment_agency_involved"] == 1


def test_rules_fire_on_watchlist_and_documents(ctx: FeatureContext) -> None:
    broker_sponsor = spouse_application(
        **{
            "sponsor.family_name": "SATO",
            "sponsor.given_names": "KENICHI",
            "sponsor.date_of_birth": "1961-04-02",
            "applicant.phone": "+63 2 8888 0000",
        }
    )
    stolen = worker_application(**{"passport": {**spouse_application()["passport"]}})
    stolen["passport"] = {**stolen["passport"], "number": "L898902C3", "issuing_state": "UTO"}
    stolen["passport"].pop("mrz")
    batch = ApplicationBatch.from_records([spouse_application(), broker_sponsor, stolen])
    rm = compute_rules(batch, ctx)
    fired = {code: rm.fired[:, k].tolist() for k, code in enumerate(rm.codes)}
    assert fired["RULE-WATCHLIST-PHONE"] == [True, False, False]  # +63 917 123 4567 -> P-17
    assert fired["RULE-WATCHLIST-PERSON"] == [False, True, False]
    assert fired["RULE-DOC-REPORTED"] == [False, False, True]
    # the sponsor's address is linked to a raided club, not to a person: no watchlist rule
    assert fired["RULE-WATCHLIST-ADDRESS"] == [False, False, False]
    assert rm.evidence["RULE-WATCHLIST-PERSON"][1]["watchlist_person"] == ["P-17"]


def test_a_name_alone_is_model_evidence_but_never_a_rule(snapshot: Snapshot) -> None:
    from mizugiwa.features.matching import WatchlistIndex

    indexed = FeatureContext(snapshot=snapshot, index=WatchlistIndex.build(TIPDB))
    confirmed = spouse_application(
        **{
            "sponsor.family_name": "Satou",
            "sponsor.given_names": "Ken'ichi",
            "sponsor.date_of_birth": "1961-04-02",
        }
    )
    name_only = spouse_application(
        **{"sponsor.family_name": "Sato", "sponsor.given_names": "Kenichi"}
    )
    name_only["sponsor"].pop("date_of_birth", None)
    other_born = spouse_application(
        **{
            "sponsor.family_name": "Sato",
            "sponsor.given_names": "Kenichi",
            "sponsor.date_of_birth": "1975-09-09",
        }
    )
    batch = ApplicationBatch.from_records([confirmed, name_only, other_born])
    rm = compute_rules(batch, indexed)
    rule = rm.fired[:, rm.codes.index("RULE-WATCHLIST-PERSON")].tolist()
    feature = compute_features(batch, indexed).column("sponsor_name_watchlisted").tolist()
    assert rule == [True, False, False]
    assert feature == [2, 1, 0]


def test_network_counts_other_posts_strictly_before() -> None:
    snapshot = Snapshot.from_entities([])
    first = spouse_application(**{"application_id": "N-1", "post_code": "MNL"})
    second = spouse_application(
        **{
            "application_id": "N-2",
            "post_code": "CEB",
            "submitted_at": "2024-08-01T00:00:00Z",
            "applicant.family_name": "REYES",
        }
    )
    same_post = spouse_application(
        **{"application_id": "N-3", "post_code": "CEB", "submitted_at": "2024-09-01T00:00:00Z"}
    )
    batch = ApplicationBatch.from_records([first, second, same_post])
    ctx = FeatureContext(snapshot=snapshot, history=NetworkHistory.from_batch(batch))
    fm = compute_features(batch, ctx)
    # N-1 sees nothing; N-2 (CEB) sees N-1 (MNL); N-3 (CEB) sees only N-1 (N-2 is same post)
    assert fm.column("sponsor_other_posts").tolist() == [0, 1, 1]
    assert fm.column("phone_other_posts").tolist() == [0, 2, 2]  # applicant + sponsor phone
    # the same passport number came back under another name with N-2
    assert fm.column("passport_other_identity").tolist() == [0, 1, 1]


def test_broker_phone_sharers(snapshot: Snapshot) -> None:
    apps = [
        spouse_application(
            **{"application_id": f"B-{k}", "submitted_at": f"2024-06-1{k}T00:00:00Z"}
        )
        for k in range(3)
    ]
    batch = ApplicationBatch.from_records(apps)
    ctx = FeatureContext(snapshot=snapshot, history=NetworkHistory.from_batch(batch))
    assert compute_features(batch, ctx).column("broker_phone_sharers").tolist() == [0, 1, 2]


def test_explain_gives_reasons_with_evidence_and_weights(ctx: FeatureContext) -> None:
    batch = ApplicationBatch.from_records([spouse_application()])
    fm = compute_features(batch, ctx)
    reasons = explain(
        batch, fm, 0, concerns={Concern.SHAM_MARRIAGE}, weights={"courtship_days": 0.4}
    )
    assert reasons[0].code == "SM-COURTSHIP" and reasons[0].weight == 0.4
    assert reasons[0].evidence == {"courtship_days": 31}
    assert {r.concern for r in reasons} == {Concern.SHAM_MARRIAGE}
    codes = [r.code for r in reasons]
    assert "SM-AGE-GAP" in codes and "SM-PRIOR-SPOUSES" in codes
    assert all(r.text_ja and r.text_en for r in reasons)


def test_guidance_for_a_woman_who_speaks_neither_japanese_nor_english(
    ctx: FeatureContext,
) -> None:
    batch = ApplicationBatch.from_records([spouse_application(), worker_application()])
    fm = compute_features(batch, ctx)
    first = protection_guidance(batch, fm, 0)
    assert first.languages == ["tl"] and first.interpreter_needed
    assert first.interviewer_sex == "F"
    second = protection_guidance(batch, fm, 1)
    assert not second.interpreter_needed and second.protection_referral  # fee, raided club


def test_a_known_victim_only_raises_protection(snapshot: Snapshot) -> None:
    victim = spouse_application(
        **{
            "applicant.family_name": "SANTOS",
            "applicant.given_names": "ROSA",
            "applicant.date_of_birth": "2001-05-05",
            "applicant.sex": "M",
            "applicant.languages": ["en"],
            "sponsor": None,
            "marriage": None,
            "applicant.phone": "+63 2 8888 0000",
            "travel.return_ticket": True,
        }
    )
    ctx = FeatureContext(snapshot=snapshot)
    batch = ApplicationBatch.from_records([victim])
    fm, rm = compute_features(batch, ctx), compute_rules(batch, ctx)
    assert fm.victim_match.tolist() == [True]
    assert not rm.fired.any()
    assert "known_victim" not in " ".join(fm.names)
    guidance = protection_guidance(batch, fm, 0)
    assert guidance.protection_referral and guidance.interviewer_sex == "any"


def test_entry_features_and_rules(ctx: FeatureContext) -> None:
    app = spouse_application()
    entries = [
        {
            "entry_id": "E-1",
            "port_code": "NRT",
            "arrived_at": "2024-07-01T09:00:00+09:00",
            "flight_number": "PR428",
            "mrz": app["passport"]["mrz"],
            "visa_reference": "A-1",
            "face_match_score": 0.9,
            "declared_purpose": "tourism",
            "declared_stay_days": 400,
            "declared_address": "3-1-2 Roppongi, Minato-ku, Tokyo",
            "return_ticket": False,
        },
        {
            "entry_id": "E-2",
            "port_code": "KIX",
            "arrived_at": "2024-07-02T09:00:00Z",
            "flight_number": "PR412",
            "mrz": SPECIMEN_MRZ,
            "declared_purpose": "tourism",
            "declared_stay_days": 10,
        },
    ]
    batch = EntryBatch.from_records(entries, {"A-1": app})
    fm = compute_entry_features(batch, ctx)
    assert fm.column("entry_mrz_visa_mismatches")[0] == 0
    assert math.isnan(fm.column("entry_mrz_visa_mismatches")[1])
    assert fm.column("entry_document_reported").tolist() == [0, 1]  # specimen is stolen (D-2)
    assert fm.column("entry_stay_excess_days")[0] == 35
    assert fm.column("entry_purpose_mismatch")[0] == 1  # spouse visa, declared tourism
    assert fm.column("entry_address_linked")[0] == 1
    rm = compute_rules(batch, ctx)
    assert [hit.code for hit in rule_hits(rm, 1)] == ["RULE-DOC-REPORTED"]
    assert protection_guidance(batch, fm, 0).languages == ["tl"]


def test_bad_input_names_the_record_and_field() -> None:
    broken = spouse_application()
    del broken["passport"]["issue_date"]
    with pytest.raises(BatchError, match=r"A-1.*issue_date"):
        ApplicationBatch.from_dicts([broken])


def test_every_indicator_is_documented_with_both_languages() -> None:
    for ind in [*FEATURES, *ENTRY_FEATURES]:
        assert ind.doc and ind.text_en and ind.text_ja, ind.name
        assert any("\u3040" <= ch <= "\u30ff" or "\u4e00" <= ch <= "\u9fff" for ch in ind.text_ja)
    assert len({ind.name for ind in FEATURES}) == len(FEATURES)
    assert {rule.code for rule in RULES} >= {
        "RULE-WATCHLIST-PERSON",
        "RULE-DOC-REPORTED",
        "RULE-MRZ-CHECK",
    }
    assert np.all([ind.code == ind.code.upper() for ind in FEATURES])


def test_unused_snapshot_records_change_nothing() -> None:
    bare = FeatureContext(snapshot=Snapshot.from_entities([]))
    full = FeatureContext(snapshot=Snapshot.from_entities(TIPDB))
    batch = ApplicationBatch.from_records([worker_application(**{"employment": None})])
    a = compute_features(batch, bare).values
    b = compute_features(
        ApplicationBatch.from_records([worker_application(**{"employment": None})]), full
    ).values
    np.testing.assert_array_equal(a, b)
