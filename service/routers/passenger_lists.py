"""Airline passenger and crew lists (UN/EDIFACT PAXLST) arriving before the flight."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from mizugiwa.service import prearrival
from mizugiwa.service.deps import PassengerListSenderDep
from mizugiwa.service.routers.scoring import request_info
from mizugiwa.service.schemas import ErrorResponse

router = APIRouter(prefix="/v1", tags=["passenger lists"])

_EDIFACT_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "application/edifact": {"schema": {"type": "string"}},
            "text/plain": {"schema": {"type": "string"}},
        },
    }
}


@router.post(
    "/passenger-lists",
    responses={code: {"model": ErrorResponse} for code in (401, 403, 413, 422, 503)},
    openapi_extra=_EDIFACT_BODY,
)
async def receive_passenger_list(
    request: Request, principal: PassengerListSenderDep
) -> dict[str, Any]:
    """Receive a passenger or crew list (PAXLST D02B or D05B) as EDIFACT text.

    Every person on it becomes a pre-arrival case with its flight, leg and port of arrival and
    is screened at once (reported documents, watchlisted names, expired documents, linked visa
    applications, and the links only a list shows). A list sent again with the same sender and
    reference replaces the earlier copy. A message that is not PAXLST, is truncated or breaks
    the syntax is rejected (422) with the segment number and the reason, and nothing is stored.
    An airline's gateway (role ``api_feed``) gets a receipt; a border inspector the screening.
    """
    runtime = request.app.state.runtime
    body = await request.body()
    return prearrival.receive_list(runtime, body, request_info(request, principal))
