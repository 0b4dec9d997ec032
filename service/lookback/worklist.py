"""The follow-up worklist: listing follow-ups, and recording what one found.

A follow-up's outcome is a label like an interview outcome (same kinds); a confirmed one is
shared with the trafficking database as a case, through the same lines an interview outcome
writes (``service.cases.shared_case_lines``), and that new case is itself looked back over, so
that a sham marriage confirmed in a follow-up finds the sponsor's other spouses.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from mizugiwa.features.records import Outcome, OutcomeKind, ReferralSource
from mizugiwa.models.reasons import follow_up_text
from mizugiwa.service.errors import ConflictError, InvalidRequestError, NotFoundError
from mizugiwa.service.lookback.schemas import FactRef, FollowUpItem, ReasonText
from mizugiwa.service.tables import FollowUp, FollowUpOutcome, StoredCase


def _cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(f"f{offset}".encode()).decode().rstrip("=")


def _offset(cursor: str) -> int:
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        if not text.startswith("f"):
            raise ValueError(cursor)
        return int(text[1:])
    except (ValueError, UnicodeDecodeError):
        raise InvalidRequestError("cursor: not a cursor this service issued") from None


def list_follow_ups(
    session: Session,
    *,
    status: str | None = "open",
    fact_id: str | None = None,
    fact_type: str | None = None,
    since: date | None = None,
    cursor: str | None = None,
    limit: int = 50,
) -> tuple[list[tuple[FollowUp, str | None]], str | None]:
    """Follow-ups in worklist order (rank, then newest fact, then newest case) with their
    outcome, and the cursor of the next page."""
    query = select(FollowUp, FollowUpOutcome.outcome).outerjoin(
        FollowUpOutcome, FollowUpOutcome.follow_up_pk == FollowUp.pk
    )
    if status is not None:
        query = query.where(FollowUp.status == status)
    if fact_id is not None:
        query = query.where(FollowUp.fact_id == fact_id)
    if fact_type is not None:
        query = query.where(FollowUp.fact_type == fact_type)
    if since is not None:
        query = query.where(FollowUp.fact_recorded_at >= since)
    offset = _offset(cursor) if cursor else 0
    query = query.order_by(
        FollowUp.rank, FollowUp.fact_date.desc(), FollowUp.case_date.desc(), FollowUp.pk
    )
    rows: list[tuple[FollowUp, str | None]] = [
        (row[0], row[1]) for row in session.execute(query.offset(offset).limit(limit + 1))
    ]
    more = len(rows) > limit
    return rows[:limit], (_cursor(offset + limit) if more else None)


def _texts(codes: Sequence[str], day: str) -> list[ReasonText]:
    return [
        ReasonText(
            code=code,
            text_en=follow_up_text(code, day, "en"),
            text_ja=follow_up_text(code, day, "ja"),
        )
        for code in codes
    ]


def item(row: FollowUp, outcome: str | None) -> FollowUpItem:
    """The API form of a follow-up."""
    day = row.fact_date.isoformat()
    detail = {
        key: value
        for key, value in (row.evidence.get("fact") or {}).items()
        if key not in ("type", "id") and isinstance(value, str | bool)
    }
    return FollowUpItem(
        follow_up_id=row.pk,
        case_id=row.case_id,
        case_kind=row.case_kind,
        post_code=row.post_code,
        case_date=row.case_date,
        visa_category=row.visa_category,
        fact=FactRef(
            type=row.fact_type,
            id=row.fact_id,
            date=row.fact_date,
            recorded_at=row.fact_recorded_at,
            detail=detail,
        ),
        rank=row.rank,
        reasons=_texts(row.reason_codes, day),
        guidance=_texts(row.evidence.get("guidance") or ["PR-FOLLOW-UP"], day),
        matched_fields=list(row.evidence.get("fields") or []),
        status="closed" if row.status == "closed" else "open",
        outcome=outcome,
    )


def record_follow_up_outcome(
    session: Session,
    follow_up_id: int,
    *,
    outcome: OutcomeKind,
    concluded_at: datetime,
    victim_support_offered: bool,
    recorded_by: int,
    recorded_at: datetime,
) -> tuple[FollowUp, list[dict[str, Any]]]:
    """Store the outcome and close the follow-up; returns it and the trafficking-database
    lines a confirmed outcome adds (already loaded, in the caller's transaction)."""
    from mizugiwa.service.cases import shared_case_lines, write_shared_case

    row = session.get(FollowUp, follow_up_id)
    if row is None:
        raise NotFoundError(f"follow_up_id {follow_up_id}: no such follow-up")
    if session.scalar(
        select(FollowUpOutcome.pk).where(FollowUpOutcome.follow_up_pk == follow_up_id)
    ):
        raise ConflictError(f"follow_up_id {follow_up_id}: an outcome is already recorded")
    session.add(
        FollowUpOutcome(
            follow_up_pk=follow_up_id,
            outcome=outcome.value,
            victim_support_offered=victim_support_offered,
            concluded_at=concluded_at,
            recorded_by=recorded_by,
            recorded_at=recorded_at,
        )
    )
    row.status = "closed"
    record = session.scalar(select(StoredCase.record).where(StoredCase.pk == row.case_pk)) or {}
    label = as_label(row.case_id, outcome, concluded_at, victim_support_offered)
    lines = shared_case_lines(row.case_id, record, label) if row.case_kind == "application" else []
    if lines:
        write_shared_case(session, lines)
    session.flush()
    return row, lines


def as_label(
    case_id: str, outcome: OutcomeKind, concluded_at: datetime, victim_support_offered: bool
) -> Outcome:
    """A follow-up's outcome in the interview-outcome record form (a training label)."""
    return Outcome(
        case_id=case_id,
        interviewed_at=concluded_at,
        outcome=outcome,
        referral_source=ReferralSource.OFFICER,
        victim_support_offered=victim_support_offered,
    )


def follow_up_labels(session: Session, since: date | None = None) -> list[Outcome]:
    """Every recorded follow-up outcome as a label (``Outcome`` records), oldest first."""
    query = (
        select(
            FollowUp.case_id,
            FollowUpOutcome.outcome,
            FollowUpOutcome.concluded_at,
            FollowUpOutcome.victim_support_offered,
        )
        .join(FollowUpOutcome, FollowUpOutcome.follow_up_pk == FollowUp.pk)
        .order_by(FollowUpOutcome.concluded_at, FollowUpOutcome.pk)
    )
    if since is not None:
        query = query.where(FollowUpOutcome.concluded_at >= datetime.combine(since, time.min, UTC))
    return [
        as_label(case_id, OutcomeKind(outcome), concluded_at, support)
        for case_id, outcome, concluded_at, support in session.execute(query)
    ]
