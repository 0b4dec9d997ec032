"""The MLflow model reads the kind of each record from its input or recognises it by the one
registered kind whose id field the record carries; it never guesses."""

from __future__ import annotations

import json
from typing import Any

import pytest

from mizugiwa.models.pyfunc import SPECIMEN_APPLICATION, RecordError, parse_records

ENTRY: dict[str, Any] = {
    "entry_id": "E-1",
    "port_code": "NRT",
    "arrived_at": "2025-04-01T14:30:00+09:00",
    "flight_number": "PR428",
    "mrz": [
        "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
        "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
    ],
    "declared_purpose": "family",
    "declared_stay_days": 30,
}


def test_kinds_explicit_or_recognised() -> None:
    texts = [
        json.dumps(SPECIMEN_APPLICATION),
        json.dumps(ENTRY),
        json.dumps({**ENTRY, "entry_id": "E-2", "kind": "entry"}),
    ]
    by_kind, order = parse_records(texts)
    assert order == [("application", 0), ("entry", 0), ("entry", 1)]
    assert [e.entry_id for e in by_kind["entry"]] == ["E-1", "E-2"]
    by_kind, order = parse_records(texts[:2], ["application", "entry"])
    assert order == [("application", 0), ("entry", 0)]


def test_a_record_of_no_kind_or_a_wrong_kind_is_refused() -> None:
    with pytest.raises(RecordError, match="record 0: kind: cannot tell the kind of case"):
        parse_records([json.dumps({"case": 1})])
    with pytest.raises(RecordError, match="record 0: kind: unknown kind of case 'passenger'"):
        parse_records([json.dumps(ENTRY)], ["passenger"])
    with pytest.raises(RecordError, match="record 0: application_id"):
        parse_records([json.dumps(ENTRY)], ["application"])
