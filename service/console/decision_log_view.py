"""The auditor's view of the decision log: search by request id, case id, user, date and post,
a page at a time; the chain's status and its head hash (what auditors keep to detect a rebuilt
or truncated chain later).

Reads the log table as it is stored (digests and codes, no personal data) and names the account
behind each entry. The post of an entry is that of the case it scored or closed; the chain is
checked by :func:`service.audit.verify`, the same walk as ``mizugiwa audit verify``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import Engine, select

from mizugiwa.db.engine import session_scope
from mizugiwa.service.audit import verify
from mizugiwa.service.tables import DecisionLogEntry, StoredCase, User

DEFAULT_LIMIT = 50


@dataclass(frozen=True)
class LogFilters:
    """What the auditor searches by; every field optional. ``before`` pages back: entries with
    a smaller sequence number than the last one shown."""

    request_id: str | None = None
    case_id: str | None = None
    user: str | None = None
    post: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    before: int | None = None


@dataclass(frozen=True)
class LogRow:
    """One decision-log entry as the page shows it."""

    seq: int
    at: str
    user: str | None
    endpoint: str
    status: int
    request_id: str
    case_id: str | None
    post: str | None
    model_version: str | None
    referral: bool | None
    rules_fired: list[str]
    reason_codes: list[str]


@dataclass
class ChainStatus:
    """The result of verifying the chain, shaped for the page."""

    ok: bool
    entries: int
    problems: list[str] = field(default_factory=list)
    first_seq: int | None = None
    head_seq: int | None = None
    head_hash: str | None = None


def search_log(
    engine: Engine, filters: LogFilters, limit: int = DEFAULT_LIMIT
) -> tuple[list[LogRow], bool]:
    """Matching entries, newest first, and whether more matched than ``limit``."""
    query = (
        select(DecisionLogEntry, User.name, StoredCase.post_code)
        .outerjoin(User, User.pk == DecisionLogEntry.user_id)
        .outerjoin(StoredCase, StoredCase.case_id == DecisionLogEntry.case_id)
    )
    if filters.request_id:
        query = query.where(DecisionLogEntry.request_id == filters.request_id)
    if filters.case_id:
        query = query.where(DecisionLogEntry.case_id == filters.case_id)
    if filters.user:
        query = query.where(User.name == filters.user)
    if filters.post:
        query = query.where(StoredCase.post_code == filters.post)
    if filters.before is not None:
        query = query.where(DecisionLogEntry.seq < filters.before)
    # ``at`` is an ISO 8601 UTC timestamp, so its text orders as time does.
    if filters.date_from:
        query = query.where(DecisionLogEntry.at >= filters.date_from.isoformat())
    if filters.date_to:
        query = query.where(DecisionLogEntry.at < (filters.date_to + timedelta(days=1)).isoformat())
    query = query.order_by(DecisionLogEntry.seq.desc()).limit(limit + 1)
    with session_scope(engine) as session:
        rows = [
            LogRow(
                seq=entry.seq,
                at=entry.at,
                user=user_name,
                endpoint=entry.endpoint,
                status=entry.status,
                request_id=entry.request_id,
                case_id=entry.case_id,
                post=post,
                model_version=entry.model_version,
                referral=entry.referral,
                rules_fired=list(entry.rules_fired or []),
                reason_codes=list(entry.reason_codes or []),
            )
            for entry, user_name, post in session.execute(query)
        ]
    return rows[:limit], len(rows) > limit


def chain_status(engine: Engine) -> ChainStatus:
    """Verify the whole chain; the first problem's entry number is kept for the banner."""
    report = verify(engine)
    first = None
    if report.problems:
        head = report.problems[0].split(":", 1)[0]
        digits = "".join(ch for ch in head if ch.isdigit())
        first = int(digits) if digits else None
    with session_scope(engine) as session:
        last = session.execute(
            select(DecisionLogEntry.seq, DecisionLogEntry.entry_hash)
            .order_by(DecisionLogEntry.seq.desc())
            .limit(1)
        ).first()
    return ChainStatus(
        report.ok,
        report.entries,
        list(report.problems),
        first,
        head_seq=last[0] if last else None,
        head_hash=last[1] if last else None,
    )


def shown_time(at: str) -> str:
    """An entry's time as the page shows it: to the second, with its zone (the log keeps UTC)."""
    return at[:19].replace("T", " ") + " UTC"
