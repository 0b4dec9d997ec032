"""Records as real agency exports write them: accepted, read the same with or without pydantic,
and scored without inventing what the export does not say."""

from __future__ import annotations

import math
from datetime import date
from typing import Any

import numpy as np
import pytest
from pydantic import ValidationError

from mizugiwa.features.indicators import (
    ApplicationBatch,
    EntryBatch,
    FeatureContext,
    compute_entry_features,
    compute_features,
    compute_rules,
    explain,
)
from mizugiwa.features.matching.scoring import dob_evidence
from mizugiwa.features.records import BorderEntry, VisaApplication
from mizugiwa.features.tipdb.entities import Person, Raid, parse_entity, to_line
from mizugiwa.features.tipdb.snapshot import Snapshot

from .conftest import SPECIMEN_MRZ, TIPDB, spouse_application


def _entry(**changes: Any) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "entry_id": "E-9",
        "port_code": "NRT",
        "arrived_at": "2024-07-01T09:00:00+09:00",
        "flight_number": "PR428",
        "mrz": SPECIMEN_MRZ,
        "declared_purpose": "tourism",
        "declared_stay_days": 10,
    }
    for key, value in changes.items():
        if value is None:
            entry.pop(key, None)
        else:
            entry[key] = value
    return entry


def _both_ways(app: dict[str, Any]) -> tuple[ApplicationBatch, ApplicationBatch]:
    """The batch from the validated record and from the raw JSON form: they must agree."""
    return ApplicationBatch.from_records([app]), ApplicationBatch.from_dicts([app])


# ----------------------------------------------------------------------------- languages
def test_languages_without_an_iso_639_1_code_are_accepted() -> None:
    app = spouse_application(**{"applicant.languages": ["fil", "CEB", "eng"]})
    record = VisaApplication.model_validate(app)
    assert record.applicant.languages == ["fil", "ceb", "en"]  # a two-letter form where one exists
    for batch in _both_ways(app):
        assert batch.languages[0] == ("fil", "ceb", "en")
    with pytest.raises(ValidationError, match="ISO 639"):
        VisaApplication.model_validate(spouse_application(**{"applicant.languages": ["zzz"]}))


# ----------------------------------------------------------------------------- dates of birth
@pytest.mark.parametrize(
    ("given", "kept"),
    [("1985-00-00", "1985-XX-XX"), ("1985-XX-XX", "1985-XX-XX"), ("1985-06-XX", "1985-06-XX")],
)
def test_a_partial_date_of_birth_is_kept_partial(
    given: str, kept: str, ctx: FeatureContext
) -> None:
    app = spouse_application(**{"applicant.date_of_birth": given, "passport.mrz": SPECIMEN_MRZ})
    record = VisaApplication.model_validate(app)
    assert record.applicant.date_of_birth == kept
    for batch in _both_ways(app):
        assert math.isnan(batch.birth_day[0])  # no day invented
        fm = compute_features(batch, ctx)
        assert math.isnan(fm.column("age_gap_years")[0])
        assert np.isnan(batch.protected["age"][0])


def test_a_partial_date_of_birth_still_agrees_with_other_dates() -> None:
    with pytest.raises(ValidationError, match="future"):
        VisaApplication.model_validate(
            spouse_application(
                **{"applicant.date_of_birth": "2999-XX-XX", "passport.mrz": SPECIMEN_MRZ}
            )
        )
    with pytest.raises(ValidationError, match="month 13"):
        VisaApplication.model_validate(
            spouse_application(
                **{"applicant.date_of_birth": "1985-13-XX", "passport.mrz": SPECIMEN_MRZ}
            )
        )


# ----------------------------------------------------------------------------- categories
@pytest.mark.parametrize(
    "category", ["long_term_resident", "designated_activities", "specified_skilled_worker"]
)
def test_statuses_of_residence_an_officer_expects(category: str, ctx: FeatureContext) -> None:
    app = spouse_application(visa_category=category)
    assert VisaApplication.model_validate(app).visa_category == category
    fm = compute_features(ApplicationBatch.from_records([app]), ctx)
    assert not math.isnan(fm.column("visa_category_code")[0])


# ----------------------------------------------------------------------------- face match
def test_a_vendor_face_match_scale_is_explicit_and_held_on_zero_to_one() -> None:
    app = spouse_application(biometrics={"face_match_score": 87, "face_match_scale": "percent"})
    record = VisaApplication.model_validate(app)
    assert record.biometrics is not None
    assert record.biometrics.face_match_score == pytest.approx(0.87)
    for batch in _both_ways(app):
        assert batch.face_match_score[0] == pytest.approx(0.87)
    with pytest.raises(ValidationError, match="less than or equal to 1"):
        VisaApplication.model_validate(spouse_application(biometrics={"face_match_score": 87}))
    with pytest.raises(ValidationError, match="outside the percent scale"):
        VisaApplication.model_validate(
            spouse_application(biometrics={"face_match_score": 870, "face_match_scale": "percent"})
        )
    entry = _entry(face_match_score=55, face_match_scale="percent")
    assert BorderEntry.model_validate(entry).face_match_score == pytest.approx(0.55)
    assert EntryBatch.from_dicts([entry]).face_match_score[0] == pytest.approx(0.55)


# ----------------------------------------------------------------------------- arrivals
def test_a_flight_number_with_a_space_is_normalised() -> None:
    entry = _entry(flight_number="pr 428")
    assert BorderEntry.model_validate(entry).flight_number == "PR428"
    assert EntryBatch.from_dicts([entry]).flight_number[0] == "PR428"


def test_a_seaport_arrival_names_its_vessel() -> None:
    entry = BorderEntry.model_validate(
        _entry(flight_number=None, vessel_name="MV Ocean Pearl", imo_number="IMO 9074729")
    )
    assert entry.flight_number is None and entry.imo_number == "9074729"
    with pytest.raises(ValidationError, match="IMO check digit"):
        BorderEntry.model_validate(_entry(flight_number=None, imo_number="9074720"))
    with pytest.raises(ValidationError, match=r"flight_number \(airport\) or vessel_name"):
        BorderEntry.model_validate(_entry(flight_number=None))


def test_an_entry_without_an_mrz_is_scored_and_says_why(ctx: FeatureContext) -> None:
    app = spouse_application()
    entry = _entry(mrz=None, mrz_missing_reason="damaged", visa_reference="A-1")
    assert BorderEntry.model_validate(entry).mrz is None
    with pytest.raises(ValidationError, match="mrz_missing_reason is given"):
        BorderEntry.model_validate(_entry(mrz_missing_reason="damaged"))
    batch = EntryBatch.from_records([entry], {"A-1": app})
    fm = compute_entry_features(batch, ctx)
    assert fm.column("entry_mrz_unread")[0] == 1
    assert math.isnan(fm.column("entry_mrz_failed_check_digits")[0])
    assert not compute_rules(batch, ctx).any()[0]  # no rule refers for a missing MRZ alone
    reasons = explain(batch, fm, 0)
    unread = [r for r in reasons if r.code == "ID-MRZ-UNREAD"]
    assert unread and unread[0].evidence["mrz_missing_reason"] == "damaged"


# ----------------------------------------------------------------------------- database exports
def _person(**fields: Any) -> dict[str, Any]:
    return {
        "entity_type": "person",
        "id": "P-61",
        "names": ["ONO HIROSHI"],
        "role": "broker",
        "source": "police",
        "recorded_at": "2024-03-01",
        **fields,
    }


@pytest.mark.parametrize("given", ["about 1961", "c. 1961", "1961", "1961-00-00", "1961-XX-XX"])
def test_a_person_born_about_a_year_keeps_the_year_only(given: str) -> None:
    person = parse_entity(_person(date_of_birth=given))
    assert isinstance(person, Person)
    assert person.date_of_birth is None
    assert person.extra == {"birth_year": 1961, "date_of_birth_as_given": given}
    line = to_line(person)
    assert parse_entity(line).extra["birth_year"] == 1961  # the export reads back the same
    same_year = dob_evidence("1961-04-02", line)
    assert same_year is not None and same_year[0] == "dob_year_match"
    other_year = dob_evidence("1975-04-02", line)
    assert other_year is not None and other_year[0] == "dob_year_differs"


def test_recorded_at_as_a_date_time_is_its_utc_day() -> None:
    person = parse_entity(_person(recorded_at="2024-03-01T08:00:00+09:00"))
    assert person.recorded_at == date(2024, 2, 29)
    assert parse_entity(_person(recorded_at="2024-03-01T10:00:00Z")).recorded_at == date(2024, 3, 1)
    with pytest.raises(ValidationError, match="recorded_at"):
        parse_entity(_person(recorded_at="2024-03-01T99:00"))


def test_a_raid_finding_outside_the_list_is_kept_not_refused() -> None:
    raid = parse_entity(
        {
            "entity_type": "raid",
            "id": "R-9",
            "organisation_id": "O-3",
            "date": "2023-11-20",
            "authority": "labour_standards_office",
            "finding": "withheld_residence_cards",
        }
    )
    assert isinstance(raid, Raid)
    assert raid.finding == "other"
    assert raid.extra == {"finding_as_given": "withheld_residence_cards"}
    snapshot = Snapshot.from_entities([*TIPDB, to_line(raid)])
    assert snapshot is not None


def test_the_legacy_checklist_reads_a_partial_date_of_birth() -> None:
    from mizugiwa.training.legacy_rules import legacy_scores

    app = spouse_application(
        **{"applicant.date_of_birth": "1985-XX-XX", "passport.mrz": SPECIMEN_MRZ}
    )
    record = VisaApplication.model_validate(app).model_dump(mode="json")
    assert len(legacy_scores([record])) == 1
