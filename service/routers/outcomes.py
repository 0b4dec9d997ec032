"""Interview outcomes: the labels of the next training run, and the visa WAN's instant sharing."""

from __future__ import annotations

from typing import Annotated

import structlog
from fastapi import APIRouter, Header, Request
from sqlalchemy.exc import DBAPIError

from mizugiwa.features.records import Outcome
from mizugiwa.service import scoring
from mizugiwa.service.deps import DatabaseDep, OutcomeRecorderDep, RuntimeDep
from mizugiwa.service.idempotency import checked_key
from mizugiwa.service.lookback import runner as lookback
from mizugiwa.service.routers.scoring import request_info
from mizugiwa.service.schemas import ErrorResponse, OutcomeResponse

router = APIRouter(prefix="/v1", tags=["outcomes"])
log = structlog.get_logger("mizugiwa.service.outcomes")


@router.post(
    "/outcomes",
    response_model=OutcomeResponse,
    responses={code: {"model": ErrorResponse} for code in (401, 403, 404, 409, 413)},
    dependencies=[DatabaseDep],
)
def record_outcome(
    outcome: Outcome,
    request: Request,
    principal: OutcomeRecorderDep,
    runtime: RuntimeDep,
    idempotency_key: Annotated[
        str | None,
        Header(
            alias="Idempotency-Key",
            pattern=r"^[A-Za-z0-9._:-]{1,128}$",
            description="Send the same key when retrying: the retry gets the first answer "
            "(same body and request id) instead of a 409, and nothing is stored twice.",
        ),
    ] = None,
) -> OutcomeResponse:
    """Record the result of a secondary interview for a scored case.

    The case's referral status becomes ``interviewed``. A confirmed outcome (anything but
    ``no_concern``) is written to the shared trafficking database at once, as a case linking the
    sponsor, employer, agency and phones the application named, so that every post's next
    scores see it, and looked back over: earlier cases it concerns become follow-ups. Consular
    officers record outcomes of their own post's visa applications, border inspectors of border
    entries; a case outside the caller's scope is answered as unknown (404); one outcome per
    case. While the database is away: 503 with ``Retry-After``, nothing stored.
    """
    response = scoring.submit_outcome(
        runtime, outcome, request_info(request, principal), checked_key(idempotency_key)
    )
    if response.shared_case_id is not None:
        # The confirmed case may concern cases stored before it: they become follow-ups. The
        # outcome is stored already; a failing look-back is caught up by `mizugiwa lookback`.
        try:
            lookback.after_shared_case(
                runtime.engine,
                runtime.settings,
                response.shared_case_id,
                outcome.case_id,
                user_id=principal.user_id,
                decision_log=runtime.decision_log,
            )
        except DBAPIError as exc:
            log.error("look-back after an outcome failed", error=type(exc.orig).__name__)
    return response
