"""An ``employer_id`` as agencies send it (Japan's corporate number, 法人番号) finds the
organisation in the trafficking database, whose identifiers are stored and checked by scheme."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from pydantic import ValidationError

from mizugiwa.features.indicators import ApplicationBatch, FeatureContext, compute_features
from mizugiwa.features.tipdb.entities import parse_entity, to_line
from mizugiwa.features.tipdb.identifiers import jp_corporate_check_digit, lookup_keys
from mizugiwa.features.tipdb.snapshot import Snapshot

from .conftest import TIPDB, worker_application

NTA = "7000012050002"  # the National Tax Agency's own corporate number


def _with_identifiers(identifiers: list[dict[str, str]]) -> list[dict[str, Any]]:
    lines = copy.deepcopy(TIPDB)
    club = next(line for line in lines if line["id"] == "O-3")
    club["identifiers"] = identifiers
    return lines


def test_a_corporate_number_is_checked_and_kept_canonical() -> None:
    assert jp_corporate_check_digit(NTA[1:]) == int(NTA[0])
    lines = _with_identifiers([{"scheme": "jp_corporate_number", "value": "7000-01-2050002"}])
    club = parse_entity(next(line for line in lines if line["id"] == "O-3"))
    assert club.extra["identifiers"] == [{"scheme": "jp_corporate_number", "value": NTA}]
    assert to_line(club)["identifiers"][0]["value"] == NTA
    wrong = _with_identifiers([{"scheme": "jp_corporate_number", "value": "8000012050002"}])
    with pytest.raises(ValidationError, match="check digit"):
        parse_entity(next(line for line in wrong if line["id"] == "O-3"))


@pytest.mark.parametrize("sent", [NTA, "7000-01-2050002", f"jp_corporate_number:{NTA}"])
def test_an_employer_id_sent_as_a_corporate_number_finds_the_raided_employer(sent: str) -> None:
    ctx = FeatureContext(
        snapshot=Snapshot.from_entities(
            _with_identifiers([{"scheme": "jp_corporate_number", "value": NTA}])
        )
    )
    app = worker_application()
    app["employment"] = {
        **app["employment"],
        "employer_name": "Kabushiki Kaisha Unrelated Name",  # the name alone would not find it
        "employer_id": sent,
    }
    fm = compute_features(ApplicationBatch.from_records([app]), ctx)
    assert fm.column("employer_findings")[0] == 1  # raid R-5 on O-3
    assert fm.details["employer_findings"][0]["organisations_with_findings"][0]["id"] == "O-3"


def test_the_database_id_and_other_schemes_still_work() -> None:
    assert lookup_keys("O-3") == ["*:O3"]  # blanks and dashes are not part of a number
    assert lookup_keys("lei:5493001KJTIIGC8Y1R12") == ["lei:5493001KJTIIGC8Y1R12"]
    assert lookup_keys("lei:5493001KJTIIGC8Y1R13") == []  # a bad check digit finds nothing
    ctx = FeatureContext(snapshot=Snapshot.from_entities(TIPDB))
    app = worker_application()
    app["employment"] = {**app["employment"], "employer_name": "Other", "employer_id": "O-3"}
    fm = compute_features(ApplicationBatch.from_records([app]), ctx)
    assert fm.column("employer_findings")[0] == 1
