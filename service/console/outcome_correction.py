"""Correcting a recorded interview outcome without losing the first one.

An outcome is a label the next model learns from and, when it confirms a case, a record in the
shared trafficking database; a wrong one must be correctable, and the correction must show. The
outcome as it was goes to :class:`~service.console.tables.OutcomeHistory` with who replaced it,
when and why; the outcome row takes the new values; and the decision log gets an entry naming
both outcomes, in the same transaction. A correction that newly confirms a case shares it as a
first recording would. A confirmed case that a correction withdraws stays in the shared database
(other agencies may already have acted on it): its owners retract it there.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from mizugiwa.features.records import Outcome
from mizugiwa.service.audit import Decision
from mizugiwa.service.cases import shared_case_lines, write_shared_case
from mizugiwa.service.console.tables import OutcomeHistory
from mizugiwa.service.errors import InvalidRequestError, NotFoundError
from mizugiwa.service.scoring import RequestInfo
from mizugiwa.service.tables import InterviewOutcome, StoredCase

CORRECTION_ENDPOINT = "POST /console/cases/{case_id}/outcome/correction"


@dataclass(frozen=True)
class PastOutcome:
    """One outcome of a case as it stood, for the history on the case page."""

    outcome: str
    interviewed_at: datetime
    victim_support_offered: bool
    recorded_at: datetime
    replaced_at: datetime | None
    reason: str | None


def history(session: Session, case_id: str) -> list[PastOutcome]:
    """The outcomes a case had before its current one, oldest first."""
    rows = session.scalars(
        select(OutcomeHistory).where(OutcomeHistory.case_id == case_id).order_by(OutcomeHistory.pk)
    )
    return [
        PastOutcome(
            r.outcome,
            aware(r.interviewed_at),
            r.victim_support_offered,
            aware(r.recorded_at),
            aware(r.replaced_at),
            r.reason,
        )
        for r in rows
    ]


def aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def correct_outcome(
    runtime: Any, correction: Outcome, reason: str, post_code: str, info: RequestInfo
) -> None:
    """Replace the case's outcome with ``correction``, keeping the old one in the history."""
    reason = reason.strip()
    if not reason:
        raise InvalidRequestError("reason: say why the outcome is corrected")
    now = datetime.now(UTC)
    found: dict[str, str] = {}

    def write(session: Session) -> None:
        case = session.scalar(
            select(StoredCase).where(
                StoredCase.case_id == correction.case_id, StoredCase.post_code == post_code
            )
        )
        current = session.scalar(
            select(InterviewOutcome).where(InterviewOutcome.case_id == correction.case_id)
        )
        if case is None or current is None:
            raise NotFoundError(f"case_id {correction.case_id!r}: no recorded outcome to correct")
        found["old"] = current.outcome
        session.add(
            OutcomeHistory(
                case_id=current.case_id,
                outcome=current.outcome,
                interviewed_at=current.interviewed_at,
                referral_source=current.referral_source,
                victim_support_offered=current.victim_support_offered,
                recorded_by=current.recorded_by,
                recorded_at=current.recorded_at,
                replaced_by=info.principal.user_id,
                replaced_at=now,
                reason=reason[:1000],
            )
        )
        if current.tipdb_case_id is None:
            lines = shared_case_lines(case.case_id, dict(case.record), correction)
            if lines:
                write_shared_case(session, lines)
                current.tipdb_case_id = lines[-1]["id"]
        current.outcome = correction.outcome.value
        current.interviewed_at = correction.interviewed_at
        current.victim_support_offered = correction.victim_support_offered
        current.recorded_by = info.principal.user_id
        current.recorded_at = now

    decision = Decision(
        endpoint=CORRECTION_ENDPOINT,
        request_id=info.request_id,
        status=200,
        user_id=info.principal.user_id,
        input_sha256=info.input_sha256,
        case_id=correction.case_id,
        reason_codes=[f"OUTCOME:{correction.outcome.value}"],
    )

    # The replaced outcome is named in the log entry; the free-text reason stays in the history
    # table (it may name people, and the log holds no personal data).
    def write_and_name(session: Session) -> None:
        write(session)
        decision.reason_codes.append(f"CORRECTS:{found['old']}")

    runtime.decision_log.write(decision, also=write_and_name)
