"""Airline passenger and crew lists (UN/EDIFACT PAXLST) arriving before the flight."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field

from mizugiwa.db.engine import session_scope
from mizugiwa.service import prearrival
from mizugiwa.service.deps import PassengerListSenderDep, PrearrivalReaderDep, RuntimeDep
from mizugiwa.service.passenger_lists import referral_events
from mizugiwa.service.routers.scoring import request_info
from mizugiwa.service.schemas import ErrorResponse

router = APIRouter(prefix="/v1", tags=["passenger lists"])
# The body is EDIFACT text, not JSON (the app's JSON body check leaves this path alone).
LISTS_PATH = "/v1/passenger-lists"

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


class PrearrivalReferral(BaseModel):
    """A person on a passenger list referred before arrival (codes, never names)."""

    event: int = Field(description="Position in the feed; pass the last one as `after`.")
    case_id: str
    list_id: str
    role: str
    flight: str
    port_code: str | None
    arrives_at: datetime | None
    received_at: datetime
    rule_codes: list[str]
    reason_codes: list[str]
    entry_case_id: str | None = Field(description="The border entry, once seen at the booth.")


class PrearrivalReferralPage(BaseModel):
    items: list[PrearrivalReferral]
    next_after: int = Field(description="Ask again with this `after` for newer referrals.")


@router.get(
    "/passenger-lists/referrals",
    response_model=PrearrivalReferralPage,
    responses={code: {"model": ErrorResponse} for code in (401, 403)},
)
def prearrival_referrals(
    principal: PrearrivalReaderDep,
    runtime: RuntimeDep,
    port: Annotated[str | None, Query(pattern=r"^[A-Za-z]{3}$")] = None,
    after: Annotated[int, Query(ge=0, le=2**53)] = 0,  # a feed position: bounded, as JSON
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> PrearrivalReferralPage:
    """The pre-arrival referral feed: people on passenger lists referred before landing,
    oldest first from ``after``, at ``port`` when given, so that a port sees each flight's
    referrals as the lists come in. Poll with ``next_after``."""
    with session_scope(runtime.engine) as session:
        events, cursor = referral_events(
            session, port=port.upper() if port else None, after=after, limit=limit
        )
        items = [PrearrivalReferral.model_validate(event) for event in events]
    return PrearrivalReferralPage(items=items, next_after=cursor)
