"""Replay the synthetic world's most recent traffic through the running service's API, so that
after ``make run`` the worklists, the decision log, the referral chart and the drift table have
something to show.

It takes the world's last day of visa applications and border entries, going back a day at a
time until it has at least ``--min-applications`` (the synthetic world spreads its applications
over years; one calendar day holds only a few per post). Each application is scored by a
consular officer of its post (``replay_<POST>`` accounts, created here), each entry by a border
inspector, exactly as clients would. The last line of output is a JSON summary.

    .venv/bin/python scripts/replay_day.py --world var/world-20091222-60000 --url http://127.0.0.1:8000
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from datetime import date, datetime
from pathlib import Path
from typing import Any

import httpx
import orjson
from sqlalchemy import select

from mizugiwa.db.engine import make_engine, session_scope
from mizugiwa.service.auth import add_user, issue_token
from mizugiwa.service.tables import User
from mizugiwa.settings import Settings


def _day(text: str) -> date:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).date()


def recent(path: Path, key: str, minimum: int) -> list[dict[str, Any]]:
    """The records of the most recent days in ``path`` (at least ``minimum`` of them)."""
    records = [orjson.loads(line) for line in path.open("rb") if line.strip()]
    records.sort(key=lambda r: r[key])
    if not records:
        return []
    days = sorted({_day(r[key]) for r in records}, reverse=True)
    chosen: set[date] = set()
    count = 0
    by_day = Counter(_day(r[key]) for r in records)
    for day in days:
        chosen.add(day)
        count += by_day[day]
        if count >= minimum:
            break
    return [r for r in records if _day(r[key]) in chosen]


def token_for(engine: Any, name: str, role: str, post: str | None) -> str:
    with session_scope(engine) as session:
        exists = session.scalar(select(User.pk).where(User.name == name)) is not None
    if not exists:
        add_user(engine, name, role, post)
    return issue_token(engine, name)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--world", type=Path, required=True)
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--min-applications", type=int, default=1500)
    parser.add_argument("--min-entries", type=int, default=500)
    args = parser.parse_args(argv)
    engine = make_engine(Settings().database_url)
    applications = recent(args.world / "applications.jsonl", "submitted_at", args.min_applications)
    entries = recent(args.world / "entries.jsonl", "arrived_at", args.min_entries)
    tokens: dict[str, str] = {}
    summary: Counter[str] = Counter()
    with httpx.Client(base_url=args.url, timeout=30) as client:
        for record in applications:
            post = record["post_code"]
            if post not in tokens:
                tokens[post] = token_for(engine, f"replay_{post.lower()}", "consular_officer", post)
            answer = client.post(
                "/v1/visa-applications/score",
                json=record,
                headers={"Authorization": f"Bearer {tokens[post]}"},
            )
            summary[f"applications_{answer.status_code}"] += 1
            summary["applications_referred"] += bool(answer.is_success and answer.json()["refer"])
        inspector = token_for(engine, "replay_inspector", "border_inspector", None)
        for record in entries:
            answer = client.post(
                "/v1/border-entries/score",
                json=record,
                headers={"Authorization": f"Bearer {inspector}"},
            )
            summary[f"entries_{answer.status_code}"] += 1
            summary["entries_referred"] += bool(answer.is_success and answer.json()["refer"])
    engine.dispose()
    first = min((r["submitted_at"] for r in applications), default=None)
    last = max((r["submitted_at"] for r in applications), default=None)
    print(json.dumps({"from": first, "until": last, **summary}, sort_keys=True))
    return 0 if summary.get("applications_200", 0) else 1


if __name__ == "__main__":
    sys.exit(main())
