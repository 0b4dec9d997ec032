"""Validation of import lines: codes, dates, enumerations, provenance, victims."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from pydantic import ValidationError

from mizugiwa.features.tipdb.entities import Person, Raid, parse_entity, to_line


def _person(**fields: Any) -> dict[str, Any]:
    line = {
        "entity_type": "person",
        "id": "P-1",
        "names": ["SATO KENICHI"],
        "role": "broker",
        "source": "police",
        "recorded_at": "2024-03-01",
    }
    line.update(fields)
    return line


def _fields_in_error(exc: ValidationError) -> set[str]:
    return {".".join(str(p) for p in error["loc"][1:]) for error in exc.errors()}


def test_specimen_and_short_icao_codes_are_states() -> None:
    document = parse_entity(
        {
            "entity_type": "travel_document",
            "id": "D-1",
            "number": "C01X00T47",
            "issuing_state": "d",
            "status": "forged",
            "source": "x",
            "recorded_at": "2024-01-01",
        }
    )
    assert document.issuing_state == "D"
    person = parse_entity(_person(nationality="UTO"))
    assert isinstance(person, Person) and person.nationality == "UTO"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"nationality": "XYZ"}, "nationality"),
        ({"recorded_at": 20240301}, "recorded_at"),
        ({"recorded_at": "01/03/2024"}, "recorded_at"),
        ({"role": "boss"}, "role"),
        ({"confidence": 1.5}, "confidence"),
        ({"names": []}, "names"),
        ({"valid_until": "2024-02-01"}, "valid_until"),
        ({"date_of_birth": "2025-01-01"}, "date_of_birth"),
        ({"id": "has space"}, "id"),
    ],
)
def test_bad_fields_are_named(change: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_entity(_person(**change))
    assert field in _fields_in_error(caught.value)


def test_victim_is_protected_and_extras_are_kept() -> None:
    victim = parse_entity(_person(role="victim", support="shelter"))
    assert isinstance(victim, Person)
    assert victim.protected
    assert victim.extra == {"support": "shelter"}
    assert to_line(victim)["support"] == "shelter"


def test_events_are_recorded_on_their_date_unless_told() -> None:
    raid = parse_entity(
        {
            "entity_type": "raid",
            "id": "R-1",
            "organisation_id": "O-1",
            "date": "2023-11-20",
            "authority": "police",
            "finding": "illegal_employment",
        }
    )
    assert isinstance(raid, Raid)
    assert raid.recorded_at == date(2023, 11, 20)
    assert raid.source == "police"
    with pytest.raises(ValidationError) as caught:
        parse_entity({**to_line(raid), "recorded_at": "2023-11-19"})
    assert "date" in _fields_in_error(caught.value)


def test_unknown_entity_type_is_refused() -> None:
    with pytest.raises(ValidationError, match="entity_type"):
        parse_entity({"entity_type": "vehicle", "id": "V-1"})
