"""PAXLST (UN/EDIFACT D02B and D05B) interchange text to a :class:`PassengerList`.

The reader walks the numbered segments once, in the order the implementation guides lay them
out::

    UNA? UNB [UNG] UNH BGM [RFF+TN] [NAD+MS [COM]]
      (TDT [LOC 125|87|92 [DTM 189|232]]...)...           flight legs
      (NAD FL|FM|DDT|DDU [ATT] [DTM+329] [MEA GEI FTX] [LOC 22|178|179|174|180]...
         [NAT] [RFF AVF|ABO|SEA]... (DOC [DTM 36|182] [LOC+91])...)...   persons
      [CNT 41|42] UNT [UNE] UNZ

Segments the guides allow but screening does not use (``COM``, ``MEA``, ``GEI``, ``FTX``,
``EMP``, ``QTY`` ...) are skipped. Several messages in one interchange are the parts of one
list (a long list is sent in parts): their persons are joined, and their legs must agree.
A disagreeing ``CNT`` is a warning kept with the list; anything that makes the message unusable
raises :class:`PaxlstError` with the segment's number.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from mizugiwa.features.paxlst import dates
from mizugiwa.features.paxlst.errors import PaxlstError
from mizugiwa.features.paxlst.model import (
    PERSON_ROLES,
    Document,
    Leg,
    ListKind,
    PassengerList,
    Person,
)
from mizugiwa.features.paxlst.segments import Seg, read_segments

LIST_KINDS: dict[str, ListKind] = {"745": "passengers", "250": "crew"}
# CNT qualifiers: 42 passengers, 41 crew members.
COUNT_QUALIFIERS = {"41": "crew", "42": "passengers"}
PERSON_LOCATIONS = {
    "22": "clearance_at",
    "178": "embarks_at",
    "179": "debarks_at",
    "174": "residence",
    "180": "birth_country",
}
PERSON_REFERENCES = {"AVF": "booking_reference", "ABO": "passenger_reference", "SEA": "seat"}


@dataclass
class _LegDraft:
    flight: str
    carrier: str | None
    from_port: str | None = None
    to_port: str | None = None
    departs: datetime | None = None
    arrives: datetime | None = None
    last_loc: str | None = None

    def done(self) -> Leg:
        return Leg(
            self.flight, self.carrier, self.from_port, self.to_port, self.departs, self.arrives
        )


@dataclass
class _PersonDraft:
    role: str
    family_name: str
    given_names: str
    values: dict[str, Any] = field(default_factory=dict)
    documents: list[Document] = field(default_factory=list)

    def done(self) -> Person:
        return Person(
            role=self.role,
            family_name=self.family_name,
            given_names=self.given_names,
            documents=tuple(self.documents),
            **self.values,
        )


def _code(seg: Seg, k: int, what: str) -> str:
    value = seg.component(k).strip().upper()
    if not value:
        raise seg.fail(f"{what} is missing")
    return value


def _date(seg: Seg, read: Any, *args: Any) -> Any:
    try:
        return read(seg.component(0, 1), seg.component(0, 2) or None, *args)
    except dates.DateError as exc:
        raise seg.fail(f"qualifier {seg.component(0)}: {exc}") from None


class _Reader:
    """One pass over an interchange's segments (see the module doc)."""

    def __init__(self) -> None:
        self.prepared_at: datetime | None = None
        self.sender = ""
        self.recipient = ""
        self.control_ref = ""
        self.kind: ListKind | None = None
        self.reference: str | None = None
        self.message_refs: list[str] = []
        self.legs: list[Leg] = []
        self.message_legs: list[Leg] = []
        self.leg: _LegDraft | None = None
        self.persons: list[Person] = []
        self.person: _PersonDraft | None = None
        self.declared: int | None = None
        self.warnings: list[str] = []
        self.in_message = False
        self.persons_in_message = False
        self.message_start = 0
        self.messages = 0
        self.finished = False
        self.last: Seg | None = None

    # -- envelope ---------------------------------------------------------------------------
    def unb(self, seg: Seg) -> None:
        if self.prepared_at is not None:
            raise seg.fail("a second UNB: one interchange per file or request")
        self.sender = seg.component(1).strip()
        self.recipient = seg.component(2).strip()
        self.control_ref = seg.component(4).strip()
        if not self.sender or not self.control_ref:
            raise seg.fail("sender and interchange control reference are required")
        try:
            self.prepared_at = dates.interchange_datetime(seg.component(3), seg.component(3, 1))
        except dates.DateError as exc:
            raise seg.fail(str(exc)) from None

    def unh(self, seg: Seg) -> None:
        if self.in_message:
            raise seg.fail("UNH inside a message: the UNT of the message before is missing")
        message_type = seg.component(1, 0).upper()
        if message_type != "PAXLST":
            raise seg.fail(f"message type is {message_type or 'missing'}, not PAXLST")
        version = f"{seg.component(1, 1)}{seg.component(1, 2)}".upper()
        if version not in ("D02B", "D05B"):
            self.warnings.append(
                f"segment {seg.number}: directory {version or 'missing'} is not D02B or D05B; "
                "read as D05B"
            )
        self.in_message = True
        self.message_start = seg.number
        self.message_refs.append(seg.component(0).strip())
        self.message_legs = []
        self.persons_in_message = False

    def unt(self, seg: Seg) -> None:
        if not self.in_message:
            raise seg.fail("UNT without a UNH")
        self.close_person()
        self.close_leg()
        if self.legs and self.message_legs and self.message_legs != self.legs:
            raise seg.fail("the parts of one list name different flight legs")
        if not self.legs:
            self.legs = self.message_legs
        counted = seg.number - self.message_start + 1
        said = seg.component(0)
        if not said.isdigit() or int(said) != counted:
            raise seg.fail(f"UNT counts {said or 'no'} segments; the message has {counted}")
        if seg.component(1).strip() != self.message_refs[-1]:
            raise seg.fail(
                f"UNT reference {seg.component(1)!r} is not the UNH's {self.message_refs[-1]!r}"
            )
        self.in_message = False
        self.messages += 1

    def unz(self, seg: Seg) -> None:
        if self.in_message:
            raise seg.fail("truncated: UNZ before the UNT that ends the message")
        if seg.component(1).strip() != self.control_ref:
            raise seg.fail(
                f"UNZ reference {seg.component(1)!r} is not the UNB's {self.control_ref!r}"
            )
        self.finished = True

    # -- message body -----------------------------------------------------------------------
    def bgm(self, seg: Seg) -> None:
        code = seg.component(0).strip()
        kind = LIST_KINDS.get(code)
        if kind is None:
            raise seg.fail(f"document code {code or 'missing'}: 745 (passengers) or 250 (crew)")
        if self.kind is not None and kind != self.kind:
            raise seg.fail("the parts of one list are of different kinds")
        self.kind = kind

    def rff(self, seg: Seg) -> None:
        qualifier = seg.component(0, 0).upper()
        value = seg.component(0, 1).strip()
        if self.person is not None:
            name = PERSON_REFERENCES.get(qualifier)
            if name and value:
                self.person.values[name] = value
        elif qualifier == "TN" and value:
            self.reference = value

    def tdt(self, seg: Seg) -> None:
        if self.persons_in_message:
            raise seg.fail("a flight leg (TDT) after the persons")
        self.close_leg()
        flight = seg.component(1).strip().upper().replace(" ", "")
        if not flight:
            raise seg.fail("the flight (conveyance reference) is missing")
        self.leg = _LegDraft(flight, seg.component(4).strip().upper() or None)

    def loc(self, seg: Seg) -> None:
        qualifier = seg.component(0)
        place = seg.component(1).strip().upper() or None
        if self.person is not None:
            if qualifier == "91":
                if not self.person.documents:
                    raise seg.fail("LOC+91 (issuing state) before any DOC")
                self.person.documents[-1] = replace(self.person.documents[-1], issuing_state=place)
            elif qualifier in PERSON_LOCATIONS:
                self.person.values[PERSON_LOCATIONS[qualifier]] = place
            return
        if self.leg is None:
            raise seg.fail(f"LOC+{qualifier} outside a flight leg or a person")
        if qualifier == "125":
            self.leg.from_port = place
        elif qualifier == "87":
            self.leg.to_port = place
        elif qualifier == "92":  # a port on the route: the first fills "from", the next "to"
            if self.leg.from_port is None:
                self.leg.from_port = place
            else:
                self.leg.to_port = place
        self.leg.last_loc = qualifier

    def dtm(self, seg: Seg) -> None:
        qualifier = seg.component(0)
        assert self.prepared_at is not None
        if self.person is not None:
            person = self.person
            if qualifier == "329":
                person.values["date_of_birth"] = _date(seg, dates.past_date, self.prepared_at)
            elif qualifier in ("36", "182"):
                if not person.documents:
                    raise seg.fail(f"DTM+{qualifier} (document date) before any DOC")
                doc = person.documents[-1]
                if qualifier == "182":
                    issued: date = _date(seg, dates.issue_date, self.prepared_at)
                    person.documents[-1] = replace(doc, issued=issued)
                else:
                    expiry = _date(seg, dates.expiry_date, self.prepared_at, doc.issued)
                    person.documents[-1] = replace(doc, expiry=expiry)
            return
        if self.leg is not None and qualifier in ("189", "232"):
            when = _date(seg, dates.near_datetime, self.prepared_at)
            if qualifier == "189":
                self.leg.departs = when
            else:
                self.leg.arrives = when

    def nad(self, seg: Seg) -> None:
        qualifier = seg.component(0).strip().upper()
        role = PERSON_ROLES.get(qualifier)
        if role is None:  # the reporting party (MS) or another party: not a person on board
            after_legs = bool(self.legs or self.message_legs) or self.leg is not None
            if after_legs and qualifier != "MS":
                raise seg.fail(f"party qualifier {qualifier!r}: FL, FM, DDT or DDU expected")
            return
        if self.kind is None:
            raise seg.fail("a person before the BGM that says what the list is")
        self.close_leg()
        self.close_person()
        name = seg.components(3)
        family = name[0].strip().upper() if name else ""
        if not family:
            raise seg.fail("the person's family name (NAD element 4, first component) is missing")
        given = " ".join(part.strip().upper() for part in name[1:] if part.strip())
        self.person = _PersonDraft(role, family, given)
        self.persons_in_message = True

    def att(self, seg: Seg) -> None:
        if self.person is not None and seg.component(0) == "2":
            sex = seg.component(2).strip().upper()
            if sex not in ("M", "F", "U", "X", ""):
                raise seg.fail(f"sex {sex!r}: M, F, U or X expected")
            self.person.values["sex"] = sex or None

    def nat(self, seg: Seg) -> None:
        if self.person is not None:
            self.person.values["nationality"] = seg.component(1).strip().upper() or None

    def doc(self, seg: Seg) -> None:
        if self.person is None:
            raise seg.fail("DOC outside a person")
        doc_type = _code(seg, 0, "the document type (DOC element 1)")
        number = seg.component(1).strip().upper()
        if not number:
            raise seg.fail("the document number (DOC element 2) is missing")
        self.person.documents.append(Document(doc_type, number))

    def cnt(self, seg: Seg) -> None:
        self.close_person()
        qualifier = seg.component(0, 0)
        value = seg.component(0, 1)
        if qualifier in COUNT_QUALIFIERS:
            if not value.isdigit():
                raise seg.fail(f"count {value!r} is not a number")
            self.declared = (self.declared or 0) + int(value)

    # -- groups -----------------------------------------------------------------------------
    def close_leg(self) -> None:
        if self.leg is not None:
            self.message_legs.append(self.leg.done())
            self.leg = None

    def close_person(self) -> None:
        if self.person is not None:
            self.persons.append(self.person.done())
            self.person = None

    def result(self, last: int) -> PassengerList:
        if self.in_message:
            raise PaxlstError("truncated: the message has no UNT", last + 1)
        if not self.finished:
            raise PaxlstError("truncated: the interchange has no UNZ", last + 1)
        if self.messages == 0:
            raise PaxlstError("the interchange carries no PAXLST message", last)
        if not self.legs:
            raise PaxlstError("the list names no flight leg (TDT)", last)
        assert self.kind is not None and self.prepared_at is not None
        if self.declared is not None and self.declared != len(self.persons):
            self.warnings.append(
                f"CNT declares {self.declared} persons; the list has {len(self.persons)}"
            )
        return PassengerList(
            list_kind=self.kind,
            sender=self.sender,
            recipient=self.recipient,
            reference=self.reference or self.message_refs[0],
            prepared_at=self.prepared_at,
            legs=tuple(self.legs),
            persons=tuple(self.persons),
            declared_count=self.declared,
            warnings=tuple(self.warnings),
        )


_ENVELOPE = ("UNA", "UNB", "UNG", "UNE", "UNZ")


def parse_paxlst(text: str) -> PassengerList:
    """Read one PAXLST interchange. Raises :class:`PaxlstError` (segment number and reason)
    for a message that is not PAXLST, is truncated or breaks the syntax."""
    reader = _Reader()
    handlers = {
        "UNB": reader.unb,
        "UNH": reader.unh,
        "UNT": reader.unt,
        "UNZ": reader.unz,
        "BGM": reader.bgm,
        "RFF": reader.rff,
        "TDT": reader.tdt,
        "LOC": reader.loc,
        "DTM": reader.dtm,
        "NAD": reader.nad,
        "ATT": reader.att,
        "NAT": reader.nat,
        "DOC": reader.doc,
        "CNT": reader.cnt,
    }
    number = 0
    for seg in read_segments(text):
        number = seg.number
        if reader.finished:
            raise seg.fail("a segment after UNZ")
        if seg.tag == "UNA":
            continue
        if reader.prepared_at is None and seg.tag != "UNB":
            raise seg.fail("an interchange starts with UNB (after an optional UNA)")
        if not reader.in_message and seg.tag not in _ENVELOPE and seg.tag != "UNH":
            raise seg.fail(f"{seg.tag} outside a message (between UNH and UNT)")
        if reader.in_message and reader.kind is None and seg.tag not in ("BGM",):
            raise seg.fail("BGM must follow UNH")
        handler = handlers.get(seg.tag)
        if handler is not None:
            handler(seg)
    if number == 0:
        raise PaxlstError("the message is empty")
    return reader.result(number)
