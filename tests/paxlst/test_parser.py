"""The PAXLST reader: every syntax variant it must accept and every rejection, each with the
segment number and the reason."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from paxlst_messages import D02B_CREW_CUSTOM, D05B_PASSENGERS

from mizugiwa.features.paxlst import PaxlstError, parse_paxlst, write_paxlst


def test_default_characters_one_segment_per_line() -> None:
    pax = parse_paxlst(D05B_PASSENGERS)
    assert pax.list_kind == "passengers"
    assert (pax.sender, pax.reference) == ("PRAPI", "PR428250401A")
    assert [(leg.from_port, leg.to_port) for leg in pax.legs] == [("MNL", "OKA"), ("OKA", "NRT")]
    assert pax.legs[1].arrives == datetime(2025, 4, 1, 14, 30, tzinfo=UTC)
    maria, james, ana = pax.persons
    assert (maria.family_name, maria.given_names, maria.sex) == ("DELA CRUZ", "MARIA LUZ", "F")
    assert maria.date_of_birth == date(1998, 5, 4)
    assert maria.nationality == "PHL"
    doc = maria.document
    assert doc is not None
    assert (doc.document_type, doc.number, doc.issuing_state) == ("P", "P1234567A", "PHL")
    assert (doc.issued, doc.expiry) == (date(2020, 1, 10), date(2030, 1, 9))
    assert (maria.booking_reference, maria.passenger_reference, maria.seat) == (
        "QX7K2M",
        "1234567890123",
        "23C",
    )
    assert (maria.embarks_at, maria.debarks_at, maria.clearance_at) == ("MNL", "NRT", "NRT")
    assert (maria.residence, maria.birth_country) == ("PHL", "PHL")
    assert james.family_name == "O'NEIL"  # released apostrophe
    assert ana.role == "transit_passenger"
    assert pax.leg_of(ana) == 0 and pax.leg_of(maria) == 1
    assert pax.warnings == ()


def test_una_with_custom_separators_and_release_character_on_one_line() -> None:
    pax = parse_paxlst(D02B_CREW_CUSTOM)
    assert pax.list_kind == "crew"
    assert [p.role for p in pax.persons] == ["crew", "crew"]
    assert pax.persons[0].given_names == "ANNE:MARIE"  # released component separator
    assert pax.persons[1].given_names == "TARO*JIRO"  # released data separator
    [leg] = pax.legs
    assert (leg.flight, leg.from_port, leg.to_port) == ("JL44", "CDG", "HND")  # LOC+92 routing
    assert leg.departs == datetime(2025, 4, 1, 23, 30, tzinfo=UTC)  # format 203
    assert pax.persons[0].date_of_birth == date(1985, 3, 17)  # format 102


def test_all_segments_on_one_line_and_leading_white_space() -> None:
    one_line = D05B_PASSENGERS.replace("\n", "")
    indented = "\n\n   " + "\n".join("    " + line for line in D05B_PASSENGERS.splitlines())
    crlf = D05B_PASSENGERS.replace("\n", "\r\n")
    tabs = "\t" + D05B_PASSENGERS.replace("\n", "\n\t")
    expected = parse_paxlst(D05B_PASSENGERS)
    for text in (one_line, indented, crlf, tabs):
        assert parse_paxlst(text) == expected


def test_una_with_default_characters_is_the_same_as_none() -> None:
    expected = parse_paxlst(D05B_PASSENGERS)
    assert parse_paxlst("UNA:+.? '\n" + D05B_PASSENGERS) == expected
    assert parse_paxlst("  UNA:+.? '  \n  " + D05B_PASSENGERS) == expected


def test_two_digit_years() -> None:
    pax = parse_paxlst(D05B_PASSENGERS)
    # born '61 and '02 with a message of 2025: both in the past
    assert pax.persons[1].date_of_birth == date(1961, 4, 2)
    assert pax.persons[2].date_of_birth == date(2002, 9, 11)
    text = (
        D05B_PASSENGERS.replace("DTM+329:610402", "DTM+329:250301")  # an infant: this year
        .replace("DTM+36:300109", "DTM+36:650109")  # issued 2020: expires 2065, not 1965
        .replace("DTM+36:290815", "DTM+36:990815")  # no issue date: nearest the message, 1999
    )
    changed = parse_paxlst(text)
    assert changed.persons[1].date_of_birth == date(2025, 3, 1)
    assert changed.persons[0].documents[0].expiry == date(2065, 1, 9)
    assert changed.persons[1].documents[0].expiry == date(1999, 8, 15)


def test_a_count_that_disagrees_is_a_warning() -> None:
    pax = parse_paxlst(D05B_PASSENGERS.replace("CNT+42:3", "CNT+42:5"))
    assert len(pax.persons) == 3
    assert pax.declared_count == 5
    assert pax.warnings == ("CNT declares 5 persons; the list has 3",)


def test_a_list_in_two_parts_is_one_list() -> None:
    pax = parse_paxlst(D05B_PASSENGERS)
    first = write_paxlst(pax, control_reference="9")
    lines = first.splitlines()
    unh = next(i for i, line in enumerate(lines) if line.startswith("UNH"))
    unt = next(i for i, line in enumerate(lines) if line.startswith("UNT"))
    message = lines[unh : unt + 1]
    second = [line.replace("PAX9", "PAX10") for line in message]
    text = "\n".join([*lines[: unt + 1], *second, "UNZ+2+9'"])
    joined = parse_paxlst(text)
    assert len(joined.persons) == 6
    assert joined.legs == pax.legs


def test_writer_round_trip() -> None:
    pax = parse_paxlst(D05B_PASSENGERS)
    again = parse_paxlst(write_paxlst(pax, one_per_line=False))
    assert again.persons == pax.persons
    assert again.legs == pax.legs


def _rejects(text: str) -> PaxlstError:
    with pytest.raises(PaxlstError) as caught:
        parse_paxlst(text)
    return caught.value


def test_rejects_a_message_that_is_not_paxlst() -> None:
    error = _rejects(D05B_PASSENGERS.replace("PAXLST:D:05B:UN:IATA", "CUSCAR:D:95B:UN"))
    assert (error.segment, error.tag) == (3, "UNH")
    assert "CUSCAR, not PAXLST" in error.reason


def test_rejects_a_message_cut_inside_a_segment() -> None:
    cut = D05B_PASSENGERS[: D05B_PASSENGERS.index("DTM+36:300109") + 8]
    error = _rejects(cut)
    assert error.segment == 34
    assert error.reason.startswith("truncated")


def test_rejects_a_message_cut_between_segments() -> None:
    lines = D05B_PASSENGERS.splitlines()
    error = _rejects("\n".join(lines[:40]))
    assert error.segment == 41
    assert "truncated: the message has no UNT" in error.reason
    error = _rejects("\n".join(lines[:-1]))
    assert "truncated: the interchange has no UNZ" in error.reason


def test_rejects_a_wrong_segment_count() -> None:
    error = _rejects(D05B_PASSENGERS.replace("UNT+57+PAX101", "UNT+56+PAX101"))
    assert (error.segment, error.tag) == (59, "UNT")
    assert "counts 56 segments; the message has 57" in error.reason


def test_rejects_a_broken_tag_and_a_dangling_release_character() -> None:
    error = _rejects(D05B_PASSENGERS.replace("NAT+2+IRL'", "N@T+2+IRL'"))
    assert error.segment == 42
    assert "alphanumeric" in error.reason
    error = _rejects(D05B_PASSENGERS.replace("UNZ+1+000000101'\n", "UNZ+1+000000101?"))
    assert error.segment == 61


def test_rejects_an_unknown_list_kind_a_bad_date_and_a_nameless_person() -> None:
    error = _rejects(D05B_PASSENGERS.replace("BGM+745'", "BGM+266'"))
    assert (error.segment, error.tag) == (4, "BGM")
    error = _rejects(D05B_PASSENGERS.replace("DTM+329:980504", "DTM+329:981340"))
    assert (error.segment, error.tag) == (20, "DTM")
    assert "qualifier 329" in error.reason
    error = _rejects(D05B_PASSENGERS.replace("NAD+DDT+++SANTOS:ANA", "NAD+DDT++++"))
    assert (error.segment, error.tag) == (48, "NAD")
    assert "family name" in error.reason


def test_rejects_what_comes_before_the_interchange_header() -> None:
    error = _rejects("BGM+745'\n" + D05B_PASSENGERS)
    assert (error.segment, error.tag) == (1, "BGM")
    assert _rejects("   \n").segment is None
