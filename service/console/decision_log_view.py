"""The auditor's view of the decision log: search by request id, date and post; chain status.

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

DEFAULT_LIMIT = 200


@dataclass(frozen=True)
class LogFilters:
    """What the auditor searches by; every field optional."""

    request_id: str | None = None
    post: str | None = None
    date_from: date | None = None
    date_to: date | None = None


@dataclass(frozen=True)
class LogRow:
    """One decision-log entry as the page shows it."""

    seq: int
    at: str
    user: str | None
    endpoint: str
    status: int
    request_id: str
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
    if filters.post:
        query = query.where(StoredCase.post_code == filters.post)
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
    return ChainStatus(report.ok, report.entries, list(report.problems), first)
