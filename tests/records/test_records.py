"""Record schemas: what a border officer expects to be accepted and refused."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from pydantic import ValidationError
from typer.testing import CliRunner

from mizugiwa.features.records import BorderEntry, Outcome, VisaApplication

SPECIMEN_MRZ = (
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10"
)

APPLICATION: dict[str, Any] = {
    "application_id": "MNL-2024-000001",
    "post_code": "MNL",
    "submitted_at": "2024-05-01T10:00:00+08:00",
    "visa_category": "spouse_of_japanese",
    "applicant": {
        "family_name": "DELA CRUZ",
        "given_names": "MARIA",
        "sex": "F",
        "date_of_birth": "1998-02-03",
        "nationality": "PHL",
        "languages": ["tl", "en"],
    },
    "passport": {
        "number": "P1234567A",
        "issuing_state": "PHL",
        "issue_date": "2024-01-01",
        "expiry_date": "2034-01-01",
    },
    "sponsor": {"role": "spouse", "family_name": "TANAKA", "given_names": "ICHIRO"},
    "marriage": {
        "marriage_date": "2024-02-01",
        "first_met_date": "2024-01-10",
        "met_via": "agency",
        "common_languages": [],
    },
    "travel": {
        "ticket_paid_by": "sponsor",
        "return_ticket": False,
        "intended_stay_days": 365,
        "accompanying_minors": 0,
    },
}

ENTRY: dict[str, Any] = {
    "entry_id": "NRT-2024-000001",
    "port_code": "NRT",
    "arrived_at": "2024-06-01T08:30:00+09:00",
    "flight_number": "PR428",
    "mrz": SPECIMEN_MRZ,
    "declared_purpose": "family",
    "declared_stay_days": 90,
}


def with_change(record: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    changed = copy.deepcopy(record)
    *parents, leaf = path.split(".")
    target = changed
    for key in parents:
        target = target[key]
    target[leaf] = value
    return changed


def error_locations(exc: ValidationError) -> set[str]:
    return {".".join(str(part) for part in error["loc"]) for error in exc.errors()}


def test_a_valid_application_is_accepted_and_normalised() -> None:
    record = VisaApplication.model_validate(with_change(APPLICATION, "post_code", " mnl "))
    assert record.post_code == "MNL"
    assert record.applicant.languages == ["tl", "en"]
    assert record.submitted_at.tzinfo is not None


@pytest.mark.parametrize(
    ("path", "value", "location", "words"),
    [
        ("applicant.nationality", "XYZ", "applicant.nationality", "ISO 3166-1"),
        ("applicant.languages", ["tl", "zz"], "applicant.languages.1", "ISO 639-1"),
        ("passport.expiry_date", "2023-12-31", "passport", "not after issue_date"),
        ("marriage.marriage_date", "2023-01-01", "marriage", "before first_met_date"),
        ("applicant.date_of_birth", "2999-01-01", "applicant", "future"),
        ("visa_category", "tourist", "visa_category", "temporary_visitor"),
        ("travel.ticket_paid_by", "uncle", "travel.ticket_paid_by", "third_party"),
        ("passport.mrz", "P<UTO\nL8989", "passport.mrz", "ICAO 9303"),
        ("biometrics", {"face_match_score": 1.5}, "biometrics.face_match_score", "less than"),
    ],
)
def test_bad_fields_are_named_with_what_is_wrong(
    path: str, value: Any, location: str, words: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        VisaApplication.model_validate(with_change(APPLICATION, path, value))
    assert location in error_locations(caught.value)
    assert words in str(caught.value)


def test_the_icao_specimen_state_is_accepted() -> None:
    record = VisaApplication.model_validate(
        with_change(APPLICATION, "passport.issuing_state", "UTO")
    )
    assert record.passport.issuing_state == "UTO"


def test_unknown_fields_are_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        VisaApplication.model_validate({**APPLICATION, "religion": "any"})
    assert "religion" in error_locations(caught.value)


def test_mrz_accepts_lines_as_a_list_but_not_bad_characters() -> None:
    entry = BorderEntry.model_validate({**ENTRY, "mrz": SPECIMEN_MRZ.lower().split("\n")})
    assert entry.mrz == SPECIMEN_MRZ
    bad = SPECIMEN_MRZ.replace("ERIKSSON", "ERIK$SON")
    with pytest.raises(ValidationError, match=r"MRZ line 1 has characters outside"):
        BorderEntry.model_validate({**ENTRY, "mrz": bad})


def test_a_failing_check_digit_is_not_a_schema_error() -> None:
    # Forged documents must reach the scorer, where a rule refers them.
    forged = SPECIMEN_MRZ.replace("L898902C36", "L898902C37")
    assert BorderEntry.model_validate({**ENTRY, "mrz": forged}).mrz == forged


def test_outcome_maps_to_its_concern() -> None:
    outcome = Outcome.model_validate(
        {
            "case_id": "MNL-2024-000001",
            "interviewed_at": "2024-05-10T09:00:00+08:00",
            "outcome": "forged_document",
            "referral_source": "model",
            "victim_support_offered": False,
        }
    )
    assert outcome.concern == "impersonation"


def test_schema_command_exports_every_record(tmp_path: Any) -> None:
    from mizugiwa.cli import app

    result = CliRunner().invoke(app, ["schema", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    exported = json.loads((tmp_path / "visa-application.schema.json").read_text())
    assert "applicant" in exported["properties"]
    assert {p.name for p in tmp_path.iterdir()} == {
        "visa-application.schema.json",
        "border-entry.schema.json",
        "outcome.schema.json",
    }
