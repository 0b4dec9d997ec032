"""Benchmark: load 100k import lines into SQLite, build a snapshot, time its lookups.

Targets: the load well under a minute (30 s); one online lookup p99 under 50 µs (the whole
request has 2 ms for every feature); a batch of a million sponsorship lookups under 2 s.
Run: ``.venv/bin/python benchmarks/bench_db_load.py [--lines 100000] [--seed 7]``.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np

from mizugiwa.db.engine import make_engine
from mizugiwa.db.migrate import upgrade
from mizugiwa.features.normalise import sponsor_key
from mizugiwa.features.tipdb.loader import load_file
from mizugiwa.features.tipdb.snapshot import Snapshot

LOAD_TARGET_S = 30.0
LOOKUP_P99_TARGET_US = 50.0
BATCH_TARGET_S = 2.0
START = date(2018, 1, 1)


def synthetic_lines(n: int, seed: int) -> list[dict[str, Any]]:
    """``n`` import lines of every entity type, with references that resolve."""
    rng = np.random.default_rng(seed)
    share = {
        "person": 0.2,
        "organisation": 0.05,
        "phone": 0.2,
        "address": 0.15,
        "travel_document": 0.1,
        "raid": 0.05,
        "case": 0.05,
        "sponsorship": 0.2,
    }
    count = {kind: int(n * part) for kind, part in share.items()}
    count["sponsorship"] += n - sum(count.values())

    def day() -> str:
        return (START + timedelta(days=int(rng.integers(0, 2400)))).isoformat()

    roles = ["broker", "trafficker", "recruiter", "facilitator", "other", "victim"]
    lines: list[dict[str, Any]] = []
    for i in range(count["person"]):
        lines.append(
            {
                "entity_type": "person",
                "id": f"P-{i}",
                "names": [f"PERSON{i} NAME{i % 97}"],
                "role": roles[i % len(roles)],
                "source": "police",
                "recorded_at": day(),
            }
        )
    for i in range(count["organisation"]):
        lines.append(
            {
                "entity_type": "organisation",
                "id": f"O-{i}",
                "names": [f"Company {i}"],
                "org_type": "establishment",
                "source": "police",
                "recorded_at": day(),
            }
        )
    persons, orgs = count["person"], count["organisation"]
    for i in range(count["phone"]):
        lines.append(
            {
                "entity_type": "phone",
                "id": f"T-{i}",
                "number": f"+6391{i:08d}",
                "linked_to": [f"P-{rng.integers(persons)}"],
                "source": "mofa_post",
                "recorded_at": day(),
            }
        )
    for i in range(count["address"]):
        lines.append(
            {
                "entity_type": "address",
                "id": f"A-{i}",
                "address": f"{i}-1-2 Roppongi, Minato-ku, Tokyo",
                "linked_to": [f"O-{rng.integers(orgs)}"],
                "source": "police",
                "recorded_at": day(),
            }
        )
    for i in range(count["travel_document"]):
        lines.append(
            {
                "entity_type": "travel_document",
                "id": f"D-{i}",
                "number": f"X{i:08d}",
                "issuing_state": "PHL",
                "status": "stolen",
                "source": "interpol_sltd",
                "recorded_at": day(),
            }
        )
    for i in range(count["raid"]):
        lines.append(
            {
                "entity_type": "raid",
                "id": f"R-{i}",
                "organisation_id": f"O-{rng.integers(orgs)}",
                "date": day(),
                "authority": "police",
                "finding": "illegal_employment",
            }
        )
    for i in range(count["case"]):
        lines.append(
            {
                "entity_type": "case",
                "id": f"C-{i}",
                "case_type": "trafficking",
                "date": day(),
                "persons": [f"P-{rng.integers(persons)}"],
                "organisations": [f"O-{rng.integers(orgs)}"],
            }
        )
    for i in range(count["sponsorship"]):
        lines.append(
            {
                "entity_type": "sponsorship",
                "id": f"S-{i}",
                "sponsor_names": [f"SPONSOR{i % 5000} TARO"],
                "sponsor_date_of_birth": "1960-01-01",
                "relation": "spouse",
                "sponsored_name": f"SPOUSE {i}",
                "date": day(),
            }
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lines", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    results: dict[str, Any] = {"lines": args.lines, "seed": args.seed}
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "entities.jsonl"
        with path.open("w", encoding="utf-8") as handle:
            for line in synthetic_lines(args.lines, args.seed):
                handle.write(json.dumps(line) + "\n")
        url = f"sqlite:///{folder}/bench.sqlite3"
        upgrade(url)
        engine = make_engine(url)
        started = time.perf_counter()
        report = load_file(engine, path)
        results["load_s"] = round(time.perf_counter() - started, 2)
        results["inserted"] = report.inserted
        started = time.perf_counter()
        snapshot = Snapshot.from_database(engine)
        results["snapshot_from_database_s"] = round(time.perf_counter() - started, 2)
        engine.dispose()

    rng = np.random.default_rng(args.seed)
    keys = [sponsor_key(f"SPONSOR{i} TARO", "1960-01-01") for i in rng.integers(0, 6000, 2000)]
    days = [START + timedelta(days=int(d)) for d in rng.integers(0, 2400, 2000)]
    timings = []
    for key, day in zip(keys, days, strict=True):
        started = time.perf_counter()
        snapshot.sponsorship_count(key, day)
        snapshot.raid_count("O-17", day)
        snapshot.document_status("X00000017|PHL", day)
        timings.append((time.perf_counter() - started) / 3)
    results["lookup_p99_us"] = round(float(np.percentile(timings, 99)) * 1e6, 1)

    batch_keys = [keys[i] for i in rng.integers(0, len(keys), 1_000_000)]
    batch_days = np.datetime64("2018-01-01") + rng.integers(0, 2400, 1_000_000).astype(
        "timedelta64[D]"
    )
    started = time.perf_counter()
    counts = snapshot.sponsorship_counts(batch_keys, batch_days)
    results["batch_1m_sponsorship_counts_s"] = round(time.perf_counter() - started, 2)
    results["batch_mean_count"] = round(float(counts.mean()), 3)

    results["targets"] = {
        "load": "met" if results["load_s"] < LOAD_TARGET_S else "MISSED",
        "lookup_p99": "met" if results["lookup_p99_us"] < LOOKUP_P99_TARGET_US else "MISSED",
        "batch": "met" if results["batch_1m_sponsorship_counts_s"] < BATCH_TARGET_S else "MISSED",
    }
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
