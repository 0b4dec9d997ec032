"""Airline passenger lists for the synthetic world: one PAXLST file per flight.

The border entries already say who landed on which flight (``flight_number``, ``port_code``,
``arrived_at``) with which passport (the MRZ); this writes, for every flight and arrival day,
the list the airline would have sent before landing, so that the pre-arrival path (parse,
store, screen, link at the booth) runs end to end on the same world. Travellers who declare
companions on the same flight share a booking reference. Seeded: the same entries and seed give
the same files.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import orjson

from mizugiwa.features.mrz_check import parse_mrz
from mizugiwa.features.paxlst import Document, Leg, PassengerList, Person, write_paxlst
from mizugiwa.features.paxlst.dates import DateError, expiry_date, past_date

# Where each airline's flights to Japan come from (Japanese carriers: one of several hubs).
ORIGINS: dict[str, tuple[str, ...]] = {
    "PR": ("MNL", "CEB"),
    "VN": ("SGN", "HAN"),
    "CA": ("PEK",),
    "MU": ("PVG",),
    "TG": ("BKK",),
    "GA": ("CGK", "DPS"),
    "KE": ("ICN",),
    "CI": ("TPE",),
    "MM": ("TPE", "MNL"),
    "JL": ("MNL", "BKK", "HAN", "CGK", "SIN", "KTM"),
    "NH": ("MNL", "BKK", "SGN", "PEK", "SIN", "CMB"),
}
_BOOKING_LETTERS = np.array(list("ABCDEFGHJKLMNPQRSTUVWXYZ23456789"))


def _booking(rng: np.random.Generator) -> str:
    return "".join(rng.choice(_BOOKING_LETTERS, 6).tolist())


def _flight_key(entry: dict[str, Any]) -> tuple[str, str, str]:
    arrived = datetime.fromisoformat(entry["arrived_at"]).astimezone(UTC)
    return entry["flight_number"], entry["port_code"], arrived.date().isoformat()


def _person(entry: dict[str, Any], mrz: Any, i: int, prepared: datetime) -> Person | None:
    if not mrz.present[i]:
        return None
    try:
        born = past_date(str(mrz.birth_date[i]), "101", prepared)
        expires = expiry_date(str(mrz.expiry_date[i]), "101", prepared, None)
    except DateError:
        return None
    state = str(mrz.issuing_state[i]) or None
    return Person(
        role="passenger",
        family_name=str(mrz.surname[i]),
        given_names=str(mrz.given_names[i]),
        sex=str(mrz.sex[i]) or None,
        date_of_birth=born,
        nationality=str(mrz.nationality[i]) or None,
        documents=(Document("P", str(mrz.number[i]), expiry=expires, issuing_state=state),),
        debarks_at=entry["port_code"],
    )


def passenger_lists(entries: list[dict[str, Any]], seed: int) -> list[PassengerList]:
    """One list per (flight, port, arrival day) of ``entries``, in a stable order."""
    rng = np.random.default_rng([seed, 15])
    flights: dict[tuple[str, str, str], list[int]] = defaultdict(list)
    for i, entry in enumerate(entries):
        flights[_flight_key(entry)].append(i)
    mrz = parse_mrz([entry.get("mrz") for entry in entries])
    lists = []
    for (flight, port, _day), rows in sorted(flights.items()):
        arrives = max(datetime.fromisoformat(entries[i]["arrived_at"]) for i in rows)
        arrives = arrives.astimezone(UTC).replace(second=0)
        departs = arrives - timedelta(minutes=int(rng.integers(150, 600)))
        prepared = departs - timedelta(minutes=30)
        carrier = flight[:2]
        origins = ORIGINS.get(carrier, ("MNL",))
        origin = origins[int(rng.integers(0, len(origins)))]
        ids = {entries[i]["entry_id"]: i for i in rows}
        booking: dict[int, str] = {}
        for i in rows:
            companions = [ids[c] for c in entries[i].get("travelling_with", ()) if c in ids]
            if companions:
                ref = next((booking[j] for j in companions if j in booking), None)
                ref = ref or _booking(rng)
                for j in (i, *companions):
                    booking[j] = ref
        persons = []
        for i in rows:
            person = _person(entries[i], mrz, i, prepared)
            if person is None:
                continue
            ref = booking.get(i) or _booking(rng)
            persons.append(
                Person(**{**person.__dict__, "booking_reference": ref, "embarks_at": origin})
            )
        if not persons:
            continue
        lists.append(
            PassengerList(
                list_kind="passengers",
                sender=f"{carrier}API",
                recipient="JPNAPIS",
                reference=f"{flight}-{arrives:%Y%m%d}-{port}",
                prepared_at=prepared,
                legs=(Leg(flight, carrier, origin, port, departs, arrives),),
                persons=tuple(persons),
            )
        )
    return lists


def write_passenger_lists(entries_path: Path, out: Path, seed: int) -> list[Path]:
    """Write ``out/<arrival day>/<flight>-<port>.edi`` for the entries in ``entries_path``."""
    entries = [orjson.loads(line) for line in entries_path.read_bytes().splitlines() if line]
    written = []
    for n, pax in enumerate(passenger_lists(entries, seed), 1):
        leg = pax.arrival_leg
        assert leg.arrives is not None
        folder = out / leg.arrives.date().isoformat()
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{leg.flight}-{leg.to_port}.edi"
        path.write_text(write_paxlst(pax, control_reference=str(n)), encoding="ascii")
        written.append(path)
    return written
