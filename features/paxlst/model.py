"""What a passenger list says, once read: the flight's legs and the people on board.

These are plain frozen records with a JSON form (:meth:`PassengerList.to_json`) that
``mizugiwa paxlst show --json`` prints and storage keeps; nothing here knows EDIFACT.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any, Literal

ListKind = Literal["passengers", "crew"]
# NAD qualifiers of a person: passenger, crew member, passenger in transit, crew in transit.
PERSON_ROLES: dict[str, str] = {
    "FL": "passenger",
    "FM": "crew",
    "DDT": "transit_passenger",
    "DDU": "transit_crew",
}
CREW_ROLES = frozenset({"crew", "transit_crew"})


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


@dataclass(frozen=True)
class Leg:
    """One flight leg (``TDT`` with its ``LOC`` and ``DTM``): from where, to where, when."""

    flight: str
    carrier: str | None
    from_port: str | None
    to_port: str | None
    departs: datetime | None
    arrives: datetime | None

    def to_json(self) -> dict[str, Any]:
        return {
            "flight": self.flight,
            "carrier": self.carrier,
            "from": self.from_port,
            "to": self.to_port,
            "departs": _iso(self.departs),
            "arrives": _iso(self.arrives),
        }


@dataclass(frozen=True)
class Document:
    """A travel document of a person (``DOC`` with ``DTM`` 36/182 and ``LOC+91``)."""

    document_type: str
    number: str
    expiry: date | None = None
    issued: date | None = None
    issuing_state: str | None = None


@dataclass(frozen=True)
class Person:
    """One passenger or crew member, as the airline reported them."""

    role: str
    family_name: str
    given_names: str
    sex: str | None = None
    date_of_birth: date | None = None
    nationality: str | None = None
    documents: tuple[Document, ...] = ()
    booking_reference: str | None = None
    passenger_reference: str | None = None
    seat: str | None = None
    embarks_at: str | None = None
    debarks_at: str | None = None
    clearance_at: str | None = None
    residence: str | None = None
    birth_country: str | None = None

    @property
    def document(self) -> Document | None:
        """The travel document to screen: the first passport, else the first document."""
        for doc in self.documents:
            if doc.document_type == "P":
                return doc
        return self.documents[0] if self.documents else None

    @property
    def is_crew(self) -> bool:
        return self.role in CREW_ROLES

    def to_json(self) -> dict[str, Any]:
        doc = self.document
        return {
            "role": self.role,
            "family_name": self.family_name,
            "given_names": self.given_names,
            "sex": self.sex,
            "date_of_birth": _iso(self.date_of_birth),
            "nationality": self.nationality,
            "document_type": doc.document_type if doc else None,
            "document_number": doc.number if doc else None,
            "document_expiry": _iso(doc.expiry) if doc else None,
            "document_issued": _iso(doc.issued) if doc else None,
            "issuing_state": doc.issuing_state if doc else None,
            "booking_reference": self.booking_reference,
            "passenger_reference": self.passenger_reference,
            "seat": self.seat,
            "embarks_at": self.embarks_at,
            "debarks_at": self.debarks_at,
            "clearance_at": self.clearance_at,
            "residence": self.residence,
            "birth_country": self.birth_country,
            "other_documents": [
                {k: _iso(v) if isinstance(v, date) else v for k, v in asdict(d).items()}
                for d in self.documents
                if d is not doc
            ],
        }


@dataclass(frozen=True)
class PassengerList:
    """One PAXLST list: who sent it, its reference, the legs, the people and the warnings.

    ``reference`` identifies the list for its sender (``RFF+TN`` when given, else the message
    reference of ``UNH``): a list re-sent with the same sender and reference replaces the one
    stored before.
    """

    list_kind: ListKind
    sender: str
    recipient: str
    reference: str
    prepared_at: datetime
    legs: tuple[Leg, ...]
    persons: tuple[Person, ...]
    declared_count: int | None = None
    warnings: tuple[str, ...] = field(default=())

    @property
    def arrival_leg(self) -> Leg:
        """The leg that lands last (where the list is screened)."""
        return self.legs[-1]

    def leg_of(self, person: Person) -> int:
        """Index of the leg a person leaves the aircraft from: the one that ends at their port of
        debarkation, else the last."""
        if person.debarks_at:
            for k, leg in enumerate(self.legs):
                if leg.to_port == person.debarks_at:
                    return k
        return len(self.legs) - 1

    def to_json(self) -> dict[str, Any]:
        return {
            "list_kind": self.list_kind,
            "sender": self.sender,
            "recipient": self.recipient,
            "reference": self.reference,
            "prepared_at": self.prepared_at.isoformat(),
            "legs": [leg.to_json() for leg in self.legs],
            "persons": [person.to_json() for person in self.persons],
            "declared_count": self.declared_count,
            "warnings": list(self.warnings),
        }
