"""Phones by exact E.164, addresses by normal form, documents by number and state."""

from __future__ import annotations

import pytest
from conftest import matched_ids

from mizugiwa.features.matching import WatchlistIndex
from mizugiwa.features.normalise import address_key, e164


@pytest.mark.parametrize(
    ("text", "region", "expected"),
    [
        ("+63 917 123 4567", None, "+639171234567"),
        ("0063-917-123-4567", None, "+639171234567"),
        ("090-1234-5678", "JP", "+819012345678"),
        ("+81 (0)90 1234 5678", None, "+819012345678"),
        ("090-1234-5678", None, None),  # national form without a region
        ("not a number", None, None),
    ],
)
def test_e164(text: str, region: str | None, expected: str | None) -> None:
    assert e164(text, region) == expected


def test_phone_exact_match_and_one_digit_off(index: WatchlistIndex) -> None:
    assert matched_ids(index, "phone", "0063 917 123 4567") == ["T-1"]
    near = index.match_phone("+63 917 123 4568")
    assert [c.id for c in near] == ["T-1"] and not near[0].match
    assert near[0].explanation[0][0] == "phone_one_digit_off"


def test_unreadable_phone_is_refused_naming_the_argument(index: WatchlistIndex) -> None:
    with pytest.raises(ValueError, match=r"^query:"):
        index.match_phone("12345")


def test_numbers_no_plan_knows_are_compared_digit_for_digit() -> None:
    entity = {"entity_type": "phone", "id": "T-RAW", "number": "12-3456-789"}
    index = WatchlistIndex.build([entity])
    found = index.match_phone("123456789")
    assert [c.id for c in found] == ["T-RAW"] and found[0].match
    assert found[0].explanation[0][0] == "phone_digits"


def test_address_forms_agree() -> None:
    latin = address_key("3-1-2 Roppongi, Minato-ku, Tokyo")
    assert address_key("Tokyo, Minato-ku, Roppongi 3-chome 1-2") == latin
    assert address_key("東京都港区六本木3丁目1-2") == latin


def test_address_match_and_other_house_number(index: WatchlistIndex) -> None:
    assert index.match_address("Roppongi 3-1-2, Minato-ku, Tokyo")[0].match
    assert not any(c.match for c in index.match_address("3-1-5 Roppongi, Minato-ku, Tokyo"))


def test_document_needs_number_and_state(index: WatchlistIndex) -> None:
    found = index.match_document("l8989 02c3", "uto")
    assert [c.id for c in found] == ["D-1"] and found[0].match
    assert "stolen" in found[0].explanation[0][2]
    other_state = index.match_document("L898902C3", "PHL")
    assert other_state and not other_state[0].match
    with pytest.raises(ValueError, match="issuing_state"):
        index.search("travel_document", "L898902C3")
