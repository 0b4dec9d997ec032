"""Passenger lists in the service: store a list once, screen every person, find them again.

A list is keyed by its sender and reference: a list sent again replaces the one before (its
persons are deleted and written anew, in the same transaction), so a flight never has two
copies. Every person becomes a :class:`~service.tables.PreArrivalCase` with its flight, leg and
port of arrival, screened by :func:`~features.paxlst.screening.screen_list` with what storage
knows beyond the list (visa applications naming the document, the same document on other lists).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, cast

from sqlalchemy import Table, delete, select
from sqlalchemy.orm import Session

from mizugiwa.features.indicators.context import FeatureContext
from mizugiwa.features.normalise import document_key, sponsor_key
from mizugiwa.features.paxlst import PassengerList
from mizugiwa.features.paxlst.batch import PassengerBatch
from mizugiwa.features.paxlst.indicators import ListLinks, ScreeningContext
from mizugiwa.features.paxlst.screening import ListScreen, screen_list
from mizugiwa.service.tables import PassengerListRecord, PreArrivalCase, StoredCase

# How far apart two lists may arrive for a crew member on one and a passenger on the other to
# be linked.
CREW_WINDOW = timedelta(days=30)


def list_id_of(sender: str, reference: str) -> str:
    """A list's stable id: the same for every copy of it that the sender sends."""
    digest = hashlib.sha256(f"{sender}\x1f{reference}".encode()).hexdigest()[:16]
    return f"PL-{digest.upper()}"


def case_id_of(list_id: str, seq: int) -> str:
    """A person's pre-arrival case id: the list's id and the position on the list."""
    return f"{list_id}-{seq:04d}"


@dataclass(frozen=True)
class StoredList:
    """What was stored: the list's id, whether it replaced an earlier copy, and per person
    the case id, role, referral and codes (no names)."""

    list_id: str
    list_kind: str
    flight: str
    arrival_port: str | None
    arrives_at: datetime | None
    replaced: bool
    warnings: list[str]
    degraded: list[str]
    cases: list[dict[str, Any]] = field(default_factory=list)

    @property
    def referred(self) -> int:
        return sum(1 for case in self.cases if case["refer"])

    def to_json(self, *, screening: bool = True) -> dict[str, Any]:
        """The answer; without ``screening`` (an airline's gateway) only the receipt."""
        out: dict[str, Any] = {
            "list_id": self.list_id,
            "list_kind": self.list_kind,
            "flight": self.flight,
            "arrival_port": self.arrival_port,
            "arrives_at": self.arrives_at.isoformat() if self.arrives_at else None,
            "persons": len(self.cases),
            "replaced": self.replaced,
            "warnings": self.warnings,
        }
        if screening:
            out.update(referred=self.referred, degraded=self.degraded, cases=self.cases)
        return out


def _application_links(session: Session, keys: set[str]) -> dict[str, list[dict[str, Any]]]:
    """Stored visa applications naming these documents (by number, then checked with the
    issuing state), with the applicant's identity key and their referral."""
    numbers = sorted({key.split("|", 1)[0] for key in keys})
    if not numbers:
        return {}
    number = StoredCase.record["passport"]["number"].as_string()
    rows = session.execute(
        select(StoredCase.record, StoredCase.refer, StoredCase.reason_codes, StoredCase.rule_codes)
        .where(StoredCase.kind == "application")
        .where(number.in_(numbers))
    )
    out: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for record, refer, reasons, rules in rows:
        passport, applicant = record["passport"], record["applicant"]
        key = document_key(passport["number"], passport["issuing_state"])
        if key not in keys:
            continue
        out[key].append(
            {
                "application_id": record["application_id"],
                "identity": sponsor_key(
                    [applicant["family_name"], applicant.get("given_names") or ""],
                    applicant["date_of_birth"],
                ),
                "refer": bool(refer),
                "reason_codes": [*(rules or []), *(reasons or [])],
            }
        )
    return dict(out)


def _other_list_links(
    session: Session, keys: set[str], list_id: str, arrives_at: datetime | None
) -> dict[str, list[dict[str, Any]]]:
    """The same documents on other stored lists arriving within :data:`CREW_WINDOW`."""
    if not keys:
        return {}
    query = (
        select(
            PreArrivalCase.document_key,
            PassengerListRecord.list_id,
            PreArrivalCase.flight,
            PreArrivalCase.role,
            PreArrivalCase.arrives_at,
        )
        .join(PassengerListRecord, PassengerListRecord.pk == PreArrivalCase.list_pk)
        .where(PreArrivalCase.document_key.in_(sorted(keys)))
        .where(PassengerListRecord.list_id != list_id)
    )
    if arrives_at is not None:
        query = query.where(
            PreArrivalCase.arrives_at.between(arrives_at - CREW_WINDOW, arrives_at + CREW_WINDOW)
        )
    out: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for key, other_id, flight, role, when in session.execute(query):
        if key is None:
            continue
        out[key].append(
            {
                "list_id": other_id,
                "flight": flight,
                "role": role,
                "arrives": when.isoformat() if when else None,
            }
        )
    return dict(out)


def links_for(session: Session, pax: PassengerList, keys: Iterable[str | None]) -> ListLinks:
    """What storage knows beyond the list about its documents."""
    wanted = {key for key in keys if key}
    list_id = list_id_of(pax.sender, pax.reference)
    return ListLinks(
        applications=_application_links(session, wanted),
        other_lists=_other_list_links(session, wanted, list_id, pax.arrival_leg.arrives),
    )


def _aware(value: datetime | None) -> datetime | None:
    return value.astimezone(UTC) if value is not None else None


@dataclass(frozen=True)
class Screened:
    """A list screened against storage, ready to store."""

    batch: PassengerBatch
    screen: ListScreen

    @property
    def codes(self) -> list[str]:
        """Every code that fired on the list, once, sorted."""
        return sorted({r.code for p in self.screen.persons for r in p.reasons})

    @property
    def rule_codes(self) -> list[str]:
        return sorted({code for p in self.screen.persons for code in p.rule_codes})

    @property
    def referred(self) -> bool:
        return any(p.refer for p in self.screen.persons)


def screen_against_storage(
    session: Session, pax: PassengerList, features: FeatureContext | None
) -> Screened:
    """Screen ``pax`` with the trafficking database and what storage links to it."""
    batch = PassengerBatch.from_list(pax)
    links = links_for(session, pax, batch.document_key.tolist())
    return Screened(batch, screen_list(pax, ScreeningContext(features, links)))


def store_and_screen(
    session: Session,
    pax: PassengerList,
    features: FeatureContext | None,
    *,
    message_sha256: str,
    received_by: int | None,
    now: datetime | None = None,
    screened: Screened | None = None,
) -> StoredList:
    """Store ``pax`` with its persons and their screening in ``session`` (the caller
    commits), replacing an earlier copy with the same sender and reference; screened here
    unless ``screened`` is given."""
    now = now or datetime.now(UTC)
    if screened is None:
        screened = screen_against_storage(session, pax, features)
    batch, screen = screened.batch, screened.screen
    keys = batch.document_key.tolist()
    list_id = list_id_of(pax.sender, pax.reference)
    final = pax.arrival_leg
    row = session.scalar(
        select(PassengerListRecord).where(
            PassengerListRecord.sender == pax.sender,
            PassengerListRecord.reference == pax.reference,
        )
    )
    replaced = row is not None
    if row is None:
        row = PassengerListRecord(list_id=list_id, sender=pax.sender, reference=pax.reference)
        session.add(row)
    else:
        session.execute(delete(PreArrivalCase).where(PreArrivalCase.list_pk == row.pk))
    row.list_kind = pax.list_kind
    row.flight = final.flight
    row.arrival_port = final.to_port
    row.arrives_at = _aware(final.arrives)
    row.legs = [leg.to_json() for leg in pax.legs]
    row.warnings = list(pax.warnings)
    row.persons_count = len(pax.persons)
    row.referred_count = sum(1 for p in screen.persons if p.refer)
    row.degraded = list(screen.degraded)
    row.message_sha256 = message_sha256
    row.received_at = now
    row.received_by = received_by
    session.flush()
    cases = []
    values = []
    for seq, (person, person_screen) in enumerate(zip(pax.persons, screen.persons, strict=True), 1):
        leg_index = int(batch.leg[seq - 1])
        leg = pax.legs[leg_index]
        case_id = case_id_of(list_id, seq)
        values.append(
            {
                "case_id": case_id,
                "list_pk": row.pk,
                "seq": seq,
                "role": person.role,
                "flight": leg.flight,
                "leg": leg_index,
                "port_code": leg.to_port,
                "arrives_at": _aware(leg.arrives),
                "document_key": keys[seq - 1],
                "booking_reference": person.booking_reference,
                "record": person.to_json(),
                "refer": person_screen.refer,
                "rule_codes": person_screen.rule_codes,
                "reasons": person_screen.to_json()["reasons"],
                "scored_at": now,
            }
        )
        cases.append(
            {
                "case_id": case_id,
                "role": person.role,
                "leg": leg_index,
                "port_code": leg.to_port,
                "refer": person_screen.refer,
                "rule_codes": person_screen.rule_codes,
                "reason_codes": [reason.code for reason in person_screen.reasons],
            }
        )
    if values:
        # Core insert: one executemany, without the ORM's per-row bookkeeping
        session.execute(cast(Table, PreArrivalCase.__table__).insert(), values)
    return StoredList(
        list_id=list_id,
        list_kind=pax.list_kind,
        flight=final.flight,
        arrival_port=final.to_port,
        arrives_at=_aware(final.arrives),
        replaced=replaced,
        warnings=list(pax.warnings),
        degraded=list(screen.degraded),
        cases=cases,
    )


def message_digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def decode_message(body: bytes) -> str:
    """The message text: UTF-8 (syntax UNOY) or, failing that, Latin-1 (UNOA to UNOC)."""
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        return body.decode("latin-1")


def referral_events(
    session: Session, *, port: str | None, after: int, limit: int
) -> tuple[list[dict[str, Any]], int]:
    """Pre-arrival referrals stored after event ``after`` (oldest first), at ``port`` when
    given, and the cursor to ask from next. A list sent again yields its referrals anew (its
    screening may have changed). Codes only, never names."""
    query = (
        select(PreArrivalCase, PassengerListRecord.list_id, PassengerListRecord.received_at)
        .join(PassengerListRecord, PassengerListRecord.pk == PreArrivalCase.list_pk)
        .where(PreArrivalCase.refer.is_(True), PreArrivalCase.pk > after)
        .order_by(PreArrivalCase.pk)
        .limit(limit)
    )
    if port:
        query = query.where(PreArrivalCase.port_code == port)
    events = []
    cursor = after
    for case, list_id, received_at in session.execute(query):
        cursor = case.pk
        events.append(
            {
                "event": case.pk,
                "case_id": case.case_id,
                "list_id": list_id,
                "role": case.role,
                "flight": case.flight,
                "port_code": case.port_code,
                "arrives_at": case.arrives_at,
                "received_at": received_at,
                "rule_codes": list(case.rule_codes or ()),
                "reason_codes": [reason["code"] for reason in case.reasons or ()],
                "entry_case_id": case.entry_case_id,
            }
        )
    return events, cursor
