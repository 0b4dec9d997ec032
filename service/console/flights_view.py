"""What the inspector's flights page shows: lists arriving at a port, referred people first.

Flights arriving from a little before now are shown soonest first; when none is due (a world
whose flights all landed long ago, a quiet night) the latest lists received are shown instead,
newest first, and the page says so.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from mizugiwa.service.console.flight_graph import Traveller, links_svg
from mizugiwa.service.tables import PassengerListRecord, PreArrivalCase

LOOK_BACK = timedelta(hours=2)


@dataclass(frozen=True)
class FlightsView:
    flights: list[dict[str, Any]]
    upcoming: bool  # False: none due, the latest lists are shown


def _flight(row: PassengerListRecord, cases: list[PreArrivalCase]) -> dict[str, Any]:
    referred = [case for case in cases if case.refer]
    referred.sort(key=lambda case: (-len(case.rule_codes or ()), case.seq))
    bookings: dict[str, list[int]] = defaultdict(list)
    for case in cases:
        if case.booking_reference:
            bookings[case.booking_reference].append(case.seq)
    drawing = links_svg(
        (
            Traveller(case.seq, case.refer, case.booking_reference, case.document_key)
            for case in cases
        ),
        f"{row.flight}: links between travellers",
    )
    return {
        "list_id": row.list_id,
        "links_svg": drawing,
        "flight": row.flight,
        "list_kind": row.list_kind,
        "from": (row.legs or [{}])[-1].get("from"),
        "arrival_port": row.arrival_port,
        "arrives_at": row.arrives_at,
        "persons": row.persons_count,
        "referred_count": row.referred_count,
        "warnings": row.warnings or [],
        "degraded": row.degraded or [],
        "referred": [
            {
                "case_id": case.case_id,
                "seq": case.seq,
                "role": case.role,
                "name": " ".join(
                    filter(None, (case.record.get("family_name"), case.record.get("given_names")))
                ),
                "document": case.record.get("document_number"),
                "booking_reference": case.booking_reference,
                "booking_size": len(bookings.get(case.booking_reference or "", ())),
                "entry_case_id": case.entry_case_id,
                "rule_codes": case.rule_codes or [],
                "reasons": case.reasons or [],
            }
            for case in referred
        ],
    }


def arriving_flights(
    session: Session, port: str | None, now: datetime, limit: int = 20
) -> FlightsView:
    """Lists arriving at ``port`` (every port when None) from :data:`LOOK_BACK` before ``now``."""
    query = select(PassengerListRecord)
    if port:
        query = query.where(PassengerListRecord.arrival_port == port)
    upcoming = session.scalars(
        query.where(PassengerListRecord.arrives_at >= now - LOOK_BACK)
        .order_by(PassengerListRecord.arrives_at)
        .limit(limit)
    ).all()
    rows = list(upcoming)
    if not rows:
        rows = list(
            session.scalars(query.order_by(PassengerListRecord.arrives_at.desc()).limit(limit))
        )
    by_list: dict[int, list[PreArrivalCase]] = defaultdict(list)
    if rows:
        cases = session.scalars(
            select(PreArrivalCase)
            .where(PreArrivalCase.list_pk.in_([row.pk for row in rows]))
            .order_by(PreArrivalCase.seq)
        )
        for case in cases:
            by_list[case.list_pk].append(case)
    flights = [_flight(row, by_list[row.pk]) for row in rows]
    # referred flights first, each group in arrival order
    flights.sort(key=lambda flight: flight["referred_count"] == 0)
    return FlightsView(flights=flights, upcoming=bool(upcoming))
