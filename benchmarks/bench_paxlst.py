"""Benchmark: airline passenger lists (PAXLST) parsed, stored and screened.

Targets: one 500-passenger list parsed, stored and every passenger screened with reasons in
300 ms or less; 100,000 passengers (a day at Japan's airports) from files in 60 s or less.
The trafficking database holds a watchlist and reported documents (with the watchlist index
for cross-script names), and the stored lists grow as files load, as in service.

Run: ``.venv/bin/python benchmarks/bench_paxlst.py [--passengers 100000] [--per-list 300]
[--seed 7]``; prints one JSON summary. On a shared 2-core machine use ``--passengers 20000``;
wall-clock times there depend on what else runs, so the CPU times of this process are printed
beside them.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np

from mizugiwa.db.engine import make_engine, session_scope
from mizugiwa.db.migrate import upgrade
from mizugiwa.features.indicators.context import FeatureContext
from mizugiwa.features.matching import WatchlistIndex
from mizugiwa.features.paxlst import (
    Document,
    Leg,
    PassengerList,
    Person,
    parse_paxlst,
    write_paxlst,
)
from mizugiwa.features.tipdb.snapshot import Snapshot
from mizugiwa.service.passenger_lists import message_digest, store_and_screen

LIST_TARGET_MS = 300.0
DAY_TARGET_S = 60.0
FAMILIES = ["SANTOS", "REYES", "CRUZ", "NGUYEN", "TRAN", "WANG", "LI", "SATO", "KIM", "PATEL"]
GIVEN = ["MARIA", "ANA", "JOSE", "LINH", "MINH", "WEI", "JING", "KENJI", "MIN", "RAJ"]


SYLLABLES = [
    "ba",
    "ko",
    "ri",
    "na",
    "se",
    "tu",
    "mi",
    "da",
    "lo",
    "he",
    "ga",
    "pu",
    "zo",
    "ki",
    "ne",
    "ra",
    "so",
    "vi",
    "ha",
    "de",
]


def _made_up_name(rng: np.random.Generator) -> str:
    def word() -> str:
        return "".join(rng.choice(SYLLABLES, int(rng.integers(2, 4)))).upper()

    return f"{word()} {word()}"


def tipdb(rng: np.random.Generator, n: int) -> list[dict[str, Any]]:
    """``n`` watchlisted persons (made-up names, a few sharing a passenger's surname) and ``n``
    reported documents."""
    lines: list[dict[str, Any]] = []
    for i in range(n):
        name = _made_up_name(rng)
        if i % 50 == 0:
            name = f"{FAMILIES[i % 10]} {name.split()[0]}"
        lines.append(
            {
                "entity_type": "person",
                "id": f"P-{i}",
                "names": [name],
                "date_of_birth": f"19{60 + i % 30}-0{1 + i % 9}-1{i % 9}",
                "role": "broker",
                "source": "police",
                "recorded_at": "2020-01-01",
            }
        )
        lines.append(
            {
                "entity_type": "travel_document",
                "id": f"D-{i}",
                "number": f"X{i:08d}",
                "issuing_state": "PHL",
                "status": "stolen",
                "source": "interpol_sltd",
                "recorded_at": "2020-01-01",
            }
        )
    return lines


def make_list(rng: np.random.Generator, k: int, size: int, day: date) -> PassengerList:
    """A flight of ``size`` passengers, some in groups, a few with reported documents."""
    arrives = datetime(day.year, day.month, day.day, 6, tzinfo=UTC) + timedelta(
        minutes=int(rng.integers(0, 960))
    )
    departs = arrives - timedelta(hours=4)
    persons = []
    booking = ""
    for i in range(size):
        if i == 0 or rng.random() > 0.3:
            booking = f"B{k:05d}{i:04d}"
        number = (
            f"X{int(rng.integers(0, 20000)):08d}" if rng.random() < 0.01 else f"P{k:05d}{i:04d}"
        )
        persons.append(
            Person(
                role="passenger",
                family_name=FAMILIES[int(rng.integers(0, 10))],
                given_names=GIVEN[int(rng.integers(0, 10))],
                sex="F" if rng.random() < 0.5 else "M",
                date_of_birth=date(1950, 1, 1) + timedelta(days=int(rng.integers(0, 25000))),
                nationality="PHL",
                documents=(
                    Document(
                        "P",
                        number,
                        expiry=day + timedelta(days=int(rng.integers(-30, 3000))),
                        issuing_state="PHL",
                    ),
                ),
                booking_reference=booking,
                embarks_at="MNL",
                debarks_at="NRT",
            )
        )
    return PassengerList(
        list_kind="passengers",
        sender="PRAPI",
        recipient="JPNAPIS",
        reference=f"L{k:06d}",
        prepared_at=departs - timedelta(hours=1),
        legs=(Leg(f"PR{400 + k % 500}", "PR", "MNL", "NRT", departs, arrives),),
        persons=tuple(persons),
    )


def load(engine: Any, features: FeatureContext, text: str) -> int:
    pax = parse_paxlst(text)
    with session_scope(engine) as session:
        stored = store_and_screen(
            session, pax, features, message_sha256=message_digest(text), received_by=None
        )
    return len(stored.cases)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--passengers", type=int, default=100_000)
    parser.add_argument("--per-list", type=int, default=300)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        url = f"sqlite:///{root / 'bench.sqlite3'}"
        upgrade(url)
        engine = make_engine(url)
        lines = tipdb(rng, 20_000)
        features = FeatureContext(
            snapshot=Snapshot.from_entities(lines), index=WatchlistIndex.build(lines)
        )
        day = date(2025, 4, 1)
        # the day's files, written first (what an airline's gateway leaves in a folder)
        files = []
        n_lists = -(-args.passengers // args.per_list)
        for k in range(n_lists):
            size = min(args.per_list, args.passengers - k * args.per_list)
            path = root / f"list-{k:05d}.edi"
            path.write_text(write_paxlst(make_list(rng, k, size, day), control_reference=str(k)))
            files.append(path)
        started, cpu = time.perf_counter(), time.process_time()
        loaded = sum(load(engine, features, path.read_text()) for path in files)
        day_s = time.perf_counter() - started
        day_cpu = time.process_time() - cpu
        # then 500-passenger lists, one at a time, into the database the day filled
        timings, cpu_timings = [], []
        for k in range(7):
            text = write_paxlst(make_list(rng, 90_000 + k, 500, day), control_reference="9")
            started, cpu = time.perf_counter(), time.process_time()
            load(engine, features, text)
            timings.append((time.perf_counter() - started) * 1000)
            cpu_timings.append((time.process_time() - cpu) * 1000)
        engine.dispose()
    summary = {
        "passengers": loaded,
        "lists": len(files),
        "day_seconds": round(day_s, 2),
        "day_cpu_seconds": round(day_cpu, 2),
        "passengers_per_second": round(loaded / day_s),
        "day_target_seconds_for_100k": DAY_TARGET_S,
        "projected_100k_seconds": round(day_s * 100_000 / max(loaded, 1), 1),
        "list_500_ms_median": round(statistics.median(timings), 1),
        "list_500_ms_max": round(max(timings), 1),
        "list_500_cpu_ms_median": round(statistics.median(cpu_timings), 1),
        "list_500_target_ms": LIST_TARGET_MS,
    }
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
