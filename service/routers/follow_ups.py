"""Follow-ups: stored cases that facts recorded after them concern (the look-back).

For investigators (immigration bureau, national scope) and analysts. Every view and every
outcome is written to the decision log; the log holds counts and codes, no personal data.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from typing import Annotated, Any, Literal

import structlog
from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request
from pydantic import BaseModel, ConfigDict
from sqlalchemy.exc import DBAPIError

from mizugiwa.db.engine import session_scope
from mizugiwa.service.audit import Decision
from mizugiwa.service.auth import Principal, Role
from mizugiwa.service.deps import RuntimeDep, require
from mizugiwa.service.lookback import runner
from mizugiwa.service.lookback.schemas import (
    FollowUpOutcomeIn,
    FollowUpOutcomeResponse,
    FollowUpPage,
)
from mizugiwa.service.lookback.worklist import item, list_follow_ups, record_follow_up_outcome
from mizugiwa.service.schemas import ErrorResponse

router = APIRouter(prefix="/v1", tags=["follow-ups"])

FollowUpReaderDep = Annotated[Principal, Depends(require(Role.INVESTIGATOR, Role.ANALYST))]
InvestigatorDep = Annotated[Principal, Depends(require(Role.INVESTIGATOR))]
LookbackRunnerDep = Annotated[Principal, Depends(require(Role.ANALYST, Role.INVESTIGATOR))]
VIEW_ENDPOINT = "GET /v1/follow-ups"
RETRY_AFTER_SECONDS = 5
log = structlog.get_logger("mizugiwa.service.follow_ups")
OUTCOME_ENDPOINT = "POST /v1/follow-ups/{follow_up_id}/outcome"


def _request_id(request: Request) -> str:
    return str(getattr(request.state, "request_id", "") or "")


@contextmanager
def _database() -> Iterator[None]:
    """The database failing answers 503 with ``Retry-After`` (the work is undone), not 500."""
    try:
        yield
    except DBAPIError as exc:
        log.error("database unavailable", error=type(exc.orig).__name__)
        raise HTTPException(
            status_code=503,
            detail="the database is unavailable: nothing was changed, try again shortly",
            headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
        ) from None


@router.get(
    "/follow-ups",
    response_model=FollowUpPage,
    responses={code: {"model": ErrorResponse} for code in (401, 403, 422)},
)
def get_follow_ups(
    request: Request,
    principal: FollowUpReaderDep,
    runtime: RuntimeDep,
    status: Literal["open", "closed", "all"] = "open",
    fact_id: Annotated[
        str | None, Query(max_length=64, description="Only the follow-ups of this fact.")
    ] = None,
    fact_type: Literal["raid", "person", "phone", "address", "travel_document", "case"]
    | None = None,
    since: Annotated[
        date | None, Query(description="Facts recorded on or after this date.")
    ] = None,
    cursor: Annotated[str | None, Query(max_length=64)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> FollowUpPage:
    """Follow-up cases in worklist order: spouse-visa holders linked to a raided establishment
    first, then other links to raided establishments, suspect sponsors and confirmed cases,
    broker contacts, reported documents. Each names the fact that caused it, its reasons in
    English and Japanese, and protection-first guidance: the person may be a victim."""
    with _database(), session_scope(runtime.engine) as session:
        rows, next_cursor = list_follow_ups(
            session,
            status=None if status == "all" else status,
            fact_id=fact_id,
            fact_type=fact_type,
            since=since,
            cursor=cursor,
            limit=limit,
        )
        items = [item(row, outcome) for row, outcome in rows]
    with _database():
        _log_view(runtime, request, principal, len(items))
    return FollowUpPage(items=items, next_cursor=next_cursor)


def _log_view(runtime: Any, request: Request, principal: Principal, count: int) -> None:
    runtime.decision_log.write(
        Decision(
            endpoint=VIEW_ENDPOINT,
            request_id=_request_id(request),
            status=200,
            user_id=principal.user_id,
            input_sha256=getattr(request.state, "input_sha256", None),
            reason_codes=[f"VIEW:{count}"],
        )
    )


@router.post(
    "/follow-ups/{follow_up_id}/outcome",
    response_model=FollowUpOutcomeResponse,
    responses={code: {"model": ErrorResponse} for code in (401, 403, 404, 409, 422)},
)
def post_follow_up_outcome(
    body: FollowUpOutcomeIn,
    request: Request,
    principal: InvestigatorDep,
    runtime: RuntimeDep,
    follow_up_id: Annotated[int, Path(ge=1)],
) -> FollowUpOutcomeResponse:
    """Record what a follow-up found (outcome kinds as for interviews: a label for the next
    training run) and close it. A confirmed outcome is shared with the trafficking database as
    a case, and that case is looked back over at once (the follow-up's own case excluded)."""
    found: dict[str, Any] = {}

    def write(session: Any) -> None:
        row, lines = record_follow_up_outcome(
            session,
            follow_up_id,
            outcome=body.outcome,
            concluded_at=body.concluded_at,
            victim_support_offered=body.victim_support_offered,
            recorded_by=principal.user_id,
            recorded_at=datetime.now(UTC),
        )
        found.update(case_id=row.case_id, lines=lines)

    with _database():
        runtime.decision_log.write(
            Decision(
                endpoint=OUTCOME_ENDPOINT,
                request_id=_request_id(request),
                status=200,
                user_id=principal.user_id,
                input_sha256=getattr(request.state, "input_sha256", None),
                reason_codes=[f"FOLLOW_UP_OUTCOME:{body.outcome.value}"],
            ),
            also=write,
        )
    lines: list[dict[str, Any]] = found["lines"]
    created = 0
    if lines:
        runtime.refresh_views()
        try:
            report = runner.of_shared_lines(
                runtime.engine,
                runtime.settings,
                lines,
                found["case_id"],
                trigger="follow-up outcome",
                user_id=principal.user_id,
                decision_log=runtime.decision_log,
            )
            created = report.created
        except DBAPIError as exc:
            # The outcome is stored; `mizugiwa lookback --since` catches up on the case.
            log.error("look-back after a follow-up outcome failed", error=type(exc.orig).__name__)
    return FollowUpOutcomeResponse(
        follow_up_id=follow_up_id,
        case_id=found["case_id"],
        outcome=body.outcome.value,
        status="closed",
        shared_case_id=lines[-1]["id"] if lines else None,
        follow_ups_created=created,
        request_id=_request_id(request),
    )


class LookbackRequest(BaseModel):
    """A period of recorded facts to look back for."""

    model_config = ConfigDict(extra="forbid")

    since: date
    until: date | None = None


@router.post(
    "/lookback",
    responses={code: {"model": ErrorResponse} for code in (401, 403, 422)},
)
def post_lookback(
    body: LookbackRequest, request: Request, principal: LookbackRunnerDep, runtime: RuntimeDep
) -> dict[str, Any]:
    """Look back over stored cases for the facts recorded in a period (as
    ``mizugiwa lookback --since D``); answers the run's summary."""
    from mizugiwa.service.errors import InvalidRequestError

    if body.until is not None and body.until < body.since:
        raise InvalidRequestError("until: before since")
    with _database():
        report = runner.since(
            runtime.engine,
            runtime.settings,
            body.since,
            body.until,
            user_id=principal.user_id,
            decision_log=runtime.decision_log,
        )
    return {**report.summary(), "request_id": _request_id(request)}
