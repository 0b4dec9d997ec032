"""A :class:`PassengerList` as PAXLST D05B text, written with ``pydifact``'s serializer.

Used by the synthetic world (a list per flight), the benchmarks and the tests; an airline's
own software writes the real ones. The layout follows the segment order :mod:`reader` reads.
"""

from __future__ import annotations

from datetime import date, datetime

from pydifact.control import Characters
from pydifact.segments import Segment
from pydifact.serializer import Serializer

from mizugiwa.features.paxlst.model import PassengerList, Person

_ROLE_QUALIFIERS = {
    "passenger": "FL",
    "crew": "FM",
    "transit_passenger": "DDT",
    "transit_crew": "DDU",
}


def _yymmdd(value: date) -> str:
    return value.strftime("%y%m%d")


def _stamp(value: datetime) -> str:
    return value.strftime("%y%m%d%H%M")


def _person(person: Person) -> list[Segment]:
    given = person.given_names.split() if person.given_names else []
    segments = [
        Segment("NAD", _ROLE_QUALIFIERS[person.role], "", "", [person.family_name, *given]),
    ]
    if person.sex:
        segments.append(Segment("ATT", "2", "", person.sex))
    if person.date_of_birth:
        segments.append(Segment("DTM", ["329", _yymmdd(person.date_of_birth)]))
    for qualifier, value in (
        ("22", person.clearance_at),
        ("178", person.embarks_at),
        ("179", person.debarks_at),
        ("174", person.residence),
        ("180", person.birth_country),
    ):
        if value:
            segments.append(Segment("LOC", qualifier, value))
    if person.nationality:
        segments.append(Segment("NAT", "2", person.nationality))
    for qualifier, value in (
        ("AVF", person.booking_reference),
        ("ABO", person.passenger_reference),
        ("SEA", person.seat),
    ):
        if value:
            segments.append(Segment("RFF", [qualifier, value]))
    for doc in person.documents:
        segments.append(Segment("DOC", [doc.document_type, "110", "111"], doc.number))
        if doc.issued:
            segments.append(Segment("DTM", ["182", _yymmdd(doc.issued)]))
        if doc.expiry:
            segments.append(Segment("DTM", ["36", _yymmdd(doc.expiry)]))
        if doc.issuing_state:
            segments.append(Segment("LOC", "91", doc.issuing_state))
    return segments


def write_paxlst(
    pax: PassengerList,
    *,
    characters: Characters | None = None,
    one_per_line: bool = True,
    control_reference: str = "1",
) -> str:
    """The interchange text of ``pax`` (``UNA`` written out, D05B, one message)."""
    message_ref = "PAX" + control_reference
    body = [
        Segment("UNH", message_ref, ["PAXLST", "D", "05B", "UN", "IATA"], pax.reference),
        Segment("BGM", "745" if pax.list_kind == "passengers" else "250"),
        Segment("RFF", ["TN", pax.reference]),
        Segment("NAD", "MS", "", "", "API DESK"),
    ]
    for leg in pax.legs:
        body.append(Segment("TDT", "20", leg.flight, "", "", leg.carrier or ""))
        if leg.from_port:
            body.append(Segment("LOC", "125", leg.from_port))
        if leg.departs:
            body.append(Segment("DTM", ["189", _stamp(leg.departs), "201"]))
        if leg.to_port:
            body.append(Segment("LOC", "87", leg.to_port))
        if leg.arrives:
            body.append(Segment("DTM", ["232", _stamp(leg.arrives), "201"]))
    for person in pax.persons:
        body.extend(_person(person))
    count = pax.declared_count if pax.declared_count is not None else len(pax.persons)
    body.append(Segment("CNT", ["42" if pax.list_kind == "passengers" else "41", str(count)]))
    body.append(Segment("UNT", str(len(body) + 1), message_ref))
    envelope = [
        Segment(
            "UNB",
            ["UNOA", "4"],
            [pax.sender, "ZZ"],
            [pax.recipient, "ZZ"],
            [pax.prepared_at.strftime("%y%m%d"), pax.prepared_at.strftime("%H%M")],
            control_reference,
        ),
        *body,
        Segment("UNZ", "1", control_reference),
    ]
    return Serializer(characters).serialize(envelope, break_lines=one_per_line)
