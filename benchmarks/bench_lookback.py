"""Benchmark: the look-back over stored applications and entries.

Targets (issue: 1M applications + 1M entries): one new fact looked back in <= 1 s, and a bulk
load of 10,000 facts looked back in <= 60 s. The look-back is index lookups on
``service_lookback_keys`` (kind, key, case date), so its cost grows with the number of hits,
not with the number of stored cases; this script measures it at the size it is given.

Run: ``.venv/bin/python benchmarks/bench_lookback.py [--cases 100000] [--facts 10000]
[--database-url URL] [--seed 7]`` (``--cases`` applications and as many entries; SQLite in a
temporary folder unless a URL is given). Prints one JSON summary.
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
import orjson

from mizugiwa.db.engine import make_engine, session_scope
from mizugiwa.db.migrate import upgrade
from mizugiwa.features.mrz_check import make_td3
from mizugiwa.features.records import BorderEntry, VisaApplication
from mizugiwa.features.tipdb.loader import load_file
from mizugiwa.service.cases import store_many
from mizugiwa.service.lookback import runner
from mizugiwa.service.lookback.engine import horizon_days, look_back
from mizugiwa.service.lookback.facts import facts_by_id
from mizugiwa.settings import Settings

ONE_FACT_TARGET_S = 1.0
BULK_TARGET_S = 60.0
START = date(2020, 1, 1)
DAYS = 4 * 365


def _phone(k: int) -> str:
    return f"+81 90 {k // 10000 % 10000:04d} {k % 10000:04d}"


def _address(k: int) -> str:
    return f"{k % 9 + 1}-{k // 9 % 39 + 1}-{k // 351 % 29 + 1} Block{k // 10179}, Minato-ku, Tokyo"


def applications(n: int, rng: np.random.Generator) -> list[VisaApplication]:
    """``n`` applications whose phones, addresses and employers recur (pools of n/3, n/4, n/10)."""
    phones = rng.integers(0, max(n // 3, 1), n)
    addresses = rng.integers(0, max(n // 4, 1), n)
    employers = rng.integers(0, max(n // 10, 1), n)
    days = rng.integers(0, DAYS, n)
    out = []
    for i in range(n):
        day = START + timedelta(days=int(days[i]))
        record: dict[str, Any] = {
            "application_id": f"BA-{i:08d}",
            "post_code": "MNL",
            "submitted_at": f"{day.isoformat()}T09:00:00+08:00",
            "visa_category": "entertainer" if i % 3 else "spouse_of_japanese",
            "applicant": {
                "family_name": "SANTOS",
                "given_names": "ANA",
                "sex": "F",
                "date_of_birth": "1995-01-01",
                "nationality": "PHL",
                "phone": f"+63 917 {i % 1000:03d} {i // 1000 % 10000:04d}",
            },
            "passport": {
                "number": f"P{i:08d}",
                "issuing_state": "PHL",
                "issue_date": "2019-01-01",
                "expiry_date": "2029-01-01",
            },
            "sponsor": {
                "role": "employer",
                "organisation_name": f"Club Benchmark {int(employers[i])}",
                "phone": _phone(int(phones[i])),
                "address": _address(int(addresses[i])),
            },
            "employment": {
                "employer_name": f"Club Benchmark {int(employers[i])}",
                "employer_id": f"{1000000000000 + int(employers[i])}",
                "establishment_type": "adult_entertainment",
            },
            "travel": {
                "ticket_paid_by": "employer",
                "return_ticket": True,
                "intended_stay_days": 90,
            },
        }
        out.append(VisaApplication.model_validate(record))
    return out


def entries(n: int, rng: np.random.Generator) -> list[BorderEntry]:
    """``n`` entries on their own passports, a quarter declaring a recurring address."""
    days = rng.integers(0, DAYS, n)
    addresses = rng.integers(0, max(n // 4, 1), n)
    out = []
    for i in range(n):
        day = START + timedelta(days=int(days[i]))
        mrz = make_td3(
            family_name="SANTOS",
            given_names="ANA",
            number=f"E{i:08d}",
            issuing_state="PHL",
            nationality="PHL",
            birth_date=date(1995, 1, 1),
            sex="F",
            expiry_date=date(2030, 1, 1),
        )
        record: dict[str, Any] = {
            "entry_id": f"BE-{i:08d}",
            "port_code": "NRT",
            "arrived_at": f"{day.isoformat()}T14:00:00+09:00",
            "flight_number": "PR428",
            "mrz": mrz,
            "declared_purpose": "tourism",
            "declared_stay_days": 10,
        }
        if i % 4 == 0:
            record["declared_address"] = _address(int(addresses[i]))
        out.append(BorderEntry.model_validate(record))
    return out


def fact_lines(n: int, cases: int, rng: np.random.Generator) -> list[dict[str, Any]]:
    """``n`` new facts of four kinds (with the organisations and persons they name)."""
    lines: list[dict[str, Any]] = []
    recorded = (START + timedelta(days=DAYS)).isoformat()
    common = {"source": "police", "recorded_at": recorded}
    for k in range(n):
        kind = k % 4
        if kind == 0:  # a raid on an employer
            org = int(rng.integers(0, max(cases // 10, 1)))
            oid = f"BO-{k}"
            lines.append(
                {
                    "entity_type": "organisation",
                    "id": oid,
                    "names": [f"Club Benchmark {org}"],
                    "org_type": "establishment",
                    "establishment_type": "adult_entertainment",
                    "corporate_number": f"{1000000000000 + org}",
                    **common,
                }
            )
            lines.append(
                {
                    "entity_type": "raid",
                    "id": f"BR-{k}",
                    "organisation_id": oid,
                    "date": recorded,
                    "authority": "police",
                    "finding": "illegal_employment",
                    **common,
                }
            )
        elif kind == 1:  # a broker with a phone and an address
            pid = f"BP-{k}"
            lines.append(
                {"entity_type": "person", "id": pid, "names": [f"BROKER {k}"], "role": "broker"}
                | common
            )
            lines.append(
                {
                    "entity_type": "phone",
                    "id": f"BT-{k}",
                    "number": _phone(int(rng.integers(0, max(cases // 3, 1)))),
                    "linked_to": [pid],
                    **common,
                }
            )
            lines.append(
                {
                    "entity_type": "address",
                    "id": f"BA-{k}",
                    "address": _address(int(rng.integers(0, max(cases // 4, 1)))),
                    "linked_to": [pid],
                    **common,
                }
            )
        else:  # a stolen passport (application or entry)
            number = int(rng.integers(0, cases))
            lines.append(
                {
                    "entity_type": "travel_document",
                    "id": f"BD-{k}",
                    "number": f"{'P' if kind == 2 else 'E'}{number:08d}",
                    "issuing_state": "PHL",
                    "status": "stolen",
                    "source": "interpol_sltd",
                    "recorded_at": recorded,
                }
            )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--facts", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    with tempfile.TemporaryDirectory(prefix="bench-lookback-") as tmp:
        url = args.database_url or f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        upgrade(url)
        engine = make_engine(url)
        settings = Settings(environment="test", database_url=url)
        started = time.perf_counter()
        with session_scope(engine) as session:
            now = datetime.now(UTC)
            store_many(
                session, kind="application", records=applications(args.cases, rng), scored_at=now
            )
            store_many(session, kind="entry", records=entries(args.cases, rng), scored_at=now)
        store_s = time.perf_counter() - started

        # One fact at a time (each a broker with a phone and an address, or a raid).
        lines = fact_lines(args.facts, args.cases, rng)
        single = [line for line in lines[:400]]
        path = Path(tmp) / "single.jsonl"
        path.write_bytes(b"".join(orjson.dumps(line) + b"\n" for line in single))
        load_file(engine, path)
        targets = [("raid", line["id"]) for line in single if line["entity_type"] == "raid"][:20]
        targets += [("person", line["id"]) for line in single if line["entity_type"] == "person"][
            :20
        ]
        targets += [
            ("travel_document", line["id"])
            for line in single
            if line["entity_type"] == "travel_document"
        ][:20]
        one: list[float] = []
        hits: list[int] = []
        for fact_type, fact_id in targets:
            begun = time.perf_counter()
            with session_scope(engine) as session:
                facts = facts_by_id(session, {fact_type: [fact_id]})
                report = look_back(
                    session, facts, horizon_days=horizon_days(settings.lookback_horizon_years)
                )
            one.append(time.perf_counter() - begun)
            hits.append(report.hits)

        # A bulk load of the remaining facts, looked back as `mizugiwa db load` does.
        bulk = lines[400:]
        path = Path(tmp) / "bulk.jsonl"
        path.write_bytes(b"".join(orjson.dumps(line) + b"\n" for line in bulk))
        begun = time.perf_counter()
        loaded = load_file(engine, path)
        load_s = time.perf_counter() - begun
        begun = time.perf_counter()
        bulk_report = runner.after_import(engine, settings, loaded.sha256)
        bulk_s = time.perf_counter() - begun
        engine.dispose()
    facts_in_bulk = bulk_report.facts
    summary = {
        "database": url.split(":", 1)[0],
        "stored_applications": args.cases,
        "stored_entries": args.cases,
        "store_seconds": round(store_s, 1),
        "one_fact_seconds": {
            "median": round(statistics.median(one), 4),
            "max": round(max(one), 4),
            "facts": len(one),
            "median_hits": statistics.median(hits),
        },
        "one_fact_target_s": ONE_FACT_TARGET_S,
        "bulk": {
            "facts": facts_in_bulk,
            "lines": len(bulk),
            "load_seconds": round(load_s, 2),
            "lookback_seconds": round(bulk_s, 2),
            "follow_ups": bulk_report.created,
        },
        "bulk_target_s": BULK_TARGET_S,
        "ok": max(one) <= ONE_FACT_TARGET_S and load_s + bulk_s <= BULK_TARGET_S,
    }
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
