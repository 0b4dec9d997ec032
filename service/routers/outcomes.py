"""Interview outcomes: the labels of the next training run, and the visa WAN's instant sharing."""

from __future__ import annotations

import structlog
from fastapi import APIRouter, Request
from sqlalchemy.exc import DBAPIError

from mizugiwa.features.records import Outcome
from mizugiwa.service import scoring
from mizugiwa.service.deps import OutcomeRecorderDep, RuntimeDep
from mizugiwa.service.lookback import runner as lookback
from mizugiwa.service.routers.scoring import request_info
from mizugiwa.service.schemas import ErrorResponse, OutcomeResponse

router = APIRouter(prefix="/v1", tags=["outcomes"])
log = structlog.get_logger("mizugiwa.service.outcomes")


@router.post(
    "/outcomes",
    response_model=OutcomeResponse,
    responses={code: {"model": ErrorResponse} for code in (401, 403, 404, 409, 413)},
)
def record_outcome(
    outcome: Outcome, request: Request, principal: OutcomeRecorderDep, runtime: RuntimeDep
) -> OutcomeResponse:
    """Record the result of a secondary interview for a scored case.

    The case's referral status becomes ``interviewed``. A confirmed outcome (anything but
    ``no_concern``) is written to the shared trafficking database at once, as a case linking the
    sponsor, employer, agency and phones the application named, so that every post's next
    scores see it, and looked back over: earlier cases it concerns become follow-ups. Consular
    officers record outcomes for their own post's cases; one outcome per case.
    """
    response = scoring.submit_outcome(runtime, outcome, request_info(request, principal))
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
