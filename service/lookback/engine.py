"""The look-back: which stored cases a set of new facts concerns, as follow-up cases.

For each fact, every probe key is looked up in the key index (``service_lookback_keys``, by
``(kind, key, case_date)``) for cases dated within the horizon before the fact was recorded:
cases stored after that were scored with the fact already visible. Facts are taken in chunks,
one indexed ``IN`` query per key kind and chunk, so a bulk load costs a few queries per
thousand facts, and one fact a few index probes whatever the number of stored cases.

Each (case, fact) hit becomes one follow-up, with the reason codes of every probe that met,
the fields of the case that met (never their values), and a rank: spouse-visa holders linked
to a raided establishment first (the action plan's follow-up of "spouse of Japanese national"
residents found working in raided establishments), then other links to raided establishments,
suspect sponsors and confirmed cases, broker contacts, and reported documents last.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from typing import Any, cast

from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from mizugiwa.service.lookback.facts import Fact
from mizugiwa.service.tables import FollowUp, LookbackKey, StoredCase

_FACT_CHUNK = 500
_KEY_CHUNK = 900
SPOUSE_CATEGORY = "spouse_of_japanese"
_RAID_REASONS = frozenset({"FU-RAIDED-EMPLOYER", "FU-RAIDED-ADDRESS"})
_RANK = {
    "FU-RAIDED-EMPLOYER": 1,
    "FU-RAIDED-ADDRESS": 1,
    "FU-CONFIRMED-CASE": 2,
    "FU-SPONSOR-SUSPECT": 2,
    "FU-BROKER-CONTACT": 3,
    "FU-DOC-REPORTED-AFTER": 4,
}
GUIDANCE = ["PR-FOLLOW-UP"]


@dataclass
class LookbackReport:
    """What one look-back did: facts read, (case, fact) hits, follow-ups new to the table."""

    run_id: str
    facts: int = 0
    hits: int = 0
    created: int = 0
    by_reason: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    def summary(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id,
            "facts": self.facts,
            "hits": self.hits,
            "follow_ups_created": self.created,
            "by_reason": dict(sorted(self.by_reason.items())),
            "seconds": round(self.seconds, 3),
        }


def _window(fact: Fact, horizon: timedelta) -> tuple[datetime, datetime]:
    """Cases dated from the horizon before the fact up to the end of the day it was recorded."""
    first = min(fact.fact_date, fact.recorded_at)
    low = datetime.combine(first, time.min, UTC) - horizon
    high = datetime.combine(fact.recorded_at, time.min, UTC) + timedelta(days=1)
    return low, high


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


@dataclass
class _Hit:
    reasons: set[str] = field(default_factory=set)
    fields: set[str] = field(default_factory=set)
    kinds: set[str] = field(default_factory=set)
    via: int | None = None  # for an entry: the application hit whose visa it travelled on


def find_hits(
    session: Session, facts: Sequence[Fact], horizon: timedelta
) -> dict[tuple[int, int], _Hit]:
    """``(case pk, index of the fact) -> hit`` for every case a fact concerns."""
    hits: dict[tuple[int, int], _Hit] = {}
    for start in range(0, len(facts), _FACT_CHUNK):
        chunk = range(start, min(start + _FACT_CHUNK, len(facts)))
        wanted: dict[tuple[str, str], list[tuple[int, str]]] = {}
        windows = {i: _window(facts[i], horizon) for i in chunk}
        for i in chunk:
            for probe in facts[i].probes:
                wanted.setdefault((probe.kind, probe.key), []).append((i, probe.reason))
        low = min(w[0] for w in windows.values())
        high = max(w[1] for w in windows.values())
        by_kind: dict[str, list[str]] = {}
        for kind, key in wanted:
            by_kind.setdefault(kind, []).append(key)
        for kind, keys in by_kind.items():
            for k in range(0, len(keys), _KEY_CHUNK):
                rows = session.execute(
                    select(
                        LookbackKey.case_pk,
                        LookbackKey.key,
                        LookbackKey.field,
                        LookbackKey.case_date,
                    ).where(
                        LookbackKey.kind == kind,
                        LookbackKey.key.in_(keys[k : k + _KEY_CHUNK]),
                        LookbackKey.case_date >= low,
                        LookbackKey.case_date < high,
                    )
                )
                for case_pk, key, where, case_date in rows:
                    moment = _aware(case_date)
                    for i, reason in wanted[(kind, key)]:
                        first, last = windows[i]
                        if first <= moment < last:
                            hit = hits.setdefault((case_pk, i), _Hit())
                            hit.reasons.add(reason)
                            hit.fields.add(where)
                            hit.kinds.add(kind)
    _entries_on_visas(session, facts, hits, horizon)
    return hits


def _entries_on_visas(
    session: Session,
    facts: Sequence[Fact],
    hits: dict[tuple[int, int], _Hit],
    horizon: timedelta,
) -> None:
    """Add the border entries made on the visas of the applications hit (the person is, or
    was, in Japan), for the same fact and reasons, when the entry too came before the fact."""
    by_application: dict[int, list[int]] = {}
    for case_pk, i in hits:
        by_application.setdefault(case_pk, []).append(i)
    pks = sorted(by_application)
    for k in range(0, len(pks), _KEY_CHUNK):
        ids = dict(
            session.execute(
                select(StoredCase.case_id, StoredCase.pk).where(
                    StoredCase.pk.in_(pks[k : k + _KEY_CHUNK]), StoredCase.kind == "application"
                )
            ).all()
        )
        if not ids:
            continue
        rows = session.execute(
            select(LookbackKey.case_pk, LookbackKey.key, LookbackKey.case_date).where(
                LookbackKey.kind == "visa_ref", LookbackKey.key.in_(list(ids))
            )
        )
        for entry_pk, application_id, case_date in rows:
            application_pk = ids[application_id]
            moment = _aware(case_date)
            for i in by_application[application_pk]:
                first, last = _window(facts[i], horizon)
                if not first <= moment < last:
                    continue
                found = hits[(application_pk, i)]
                hit = hits.setdefault((entry_pk, i), _Hit())
                hit.reasons |= found.reasons
                hit.fields |= {"visa_reference", *found.fields}
                hit.kinds |= found.kinds
                hit.via = application_pk


def _rank(reasons: set[str], category: str | None) -> tuple[int, list[str]]:
    codes = sorted(reasons, key=lambda code: (_RANK.get(code, 9), code))
    rank = min(_RANK.get(code, 9) for code in codes)
    if category == SPOUSE_CATEGORY and reasons & _RAID_REASONS:
        return 0, ["FU-SPOUSE-ESTABLISHMENT", *codes]
    return rank, codes


def look_back(
    session: Session,
    facts: Sequence[Fact],
    *,
    horizon_days: int,
    run_id: str | None = None,
    now: datetime | None = None,
    exclude_case_ids: frozenset[str] = frozenset(),
) -> LookbackReport:
    """Find the cases ``facts`` concern and store them as follow-ups (an existing follow-up
    for the same case and fact is left as it is). Runs in the caller's transaction.

    ``exclude_case_ids``: cases the facts came from (a confirmed outcome's own case)."""
    started = datetime.now(UTC)
    report = LookbackReport(run_id=run_id or uuid.uuid4().hex, facts=len(facts))
    if not facts:
        return report
    hits = find_hits(session, facts, timedelta(days=horizon_days))
    report.hits = len(hits)
    case_pks = sorted({case_pk for case_pk, _ in hits})
    cases: dict[int, Any] = {}
    existing: set[tuple[int, str, str]] = set()
    category = StoredCase.record["visa_category"].as_string()
    for k in range(0, len(case_pks), _KEY_CHUNK):
        chunk = case_pks[k : k + _KEY_CHUNK]
        for row in session.execute(
            select(
                StoredCase.pk,
                StoredCase.case_id,
                StoredCase.kind,
                StoredCase.post_code,
                StoredCase.case_date,
                category,
            ).where(StoredCase.pk.in_(chunk))
        ):
            cases[row[0]] = row
        for case_pk, fact_type, fact_id in session.execute(
            select(FollowUp.case_pk, FollowUp.fact_type, FollowUp.fact_id).where(
                FollowUp.case_pk.in_(chunk)
            )
        ):
            existing.add((case_pk, fact_type, fact_id))
    created_at = now or datetime.now(UTC)
    rows: list[dict[str, Any]] = []
    for (case_pk, i), hit in sorted(hits.items()):
        fact = facts[i]
        if (case_pk, fact.fact_type, fact.fact_id) in existing:
            continue
        existing.add((case_pk, fact.fact_type, fact.fact_id))
        _, case_id, kind, post, case_date, visa_category = cases[case_pk]
        if case_id in exclude_case_ids:
            continue
        if hit.via is not None:  # an entry on a visa: the visa's category
            visa_category = cases[hit.via][5]
        rank, codes = _rank(hit.reasons, visa_category)
        for code in codes:
            report.by_reason[code] = report.by_reason.get(code, 0) + 1
        rows.append(
            {
                "case_pk": case_pk,
                "case_id": case_id,
                "case_kind": kind,
                "post_code": post,
                "case_date": case_date,
                "visa_category": visa_category,
                "fact_type": fact.fact_type,
                "fact_id": fact.fact_id,
                "fact_date": fact.fact_date,
                "fact_recorded_at": fact.recorded_at,
                "reason_codes": codes,
                "evidence": {
                    "fields": sorted(hit.fields),
                    "keys": sorted(hit.kinds),
                    "fact": {"type": fact.fact_type, "id": fact.fact_id, **fact.detail},
                    "guidance": GUIDANCE,
                },
                "rank": rank,
                "status": "open",
                "created_at": created_at,
                "run_id": report.run_id,
            }
        )
    table = cast(Table, FollowUp.__table__)
    for k in range(0, len(rows), 2000):
        session.execute(table.insert(), rows[k : k + 2000])
    report.created = len(rows)
    report.seconds = (datetime.now(UTC) - started).total_seconds()
    return report


def horizon_days(years: float) -> int:
    """The horizon in days for a setting in years."""
    return round(years * 365.25)


__all__ = ["LookbackReport", "find_hits", "horizon_days", "look_back"]
