"""Watchlist search over the shared trafficking database (suspects, organisations, contacts)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel

from mizugiwa.service.audit import Decision, input_digest
from mizugiwa.service.canonical import canonical_query
from mizugiwa.service.deps import RuntimeDep, WatchlistSearcherDep
from mizugiwa.service.errors import InvalidRequestError, NotReadyError
from mizugiwa.service.outage import log_decision
from mizugiwa.service.schemas import ErrorResponse, QueryDate

router = APIRouter(prefix="/v1", tags=["watchlist"])
ENDPOINT = "GET /v1/watchlist/search"
_SEARCH_FIELDS = frozenset({"kind", "query", "dob", "issuing_state", "limit"})


class CandidateOut(BaseModel):
    """A database entity that may be what was asked for, and why it scored as it did."""

    id: str
    kind: str
    score: float
    match: bool
    names: list[str]
    explanation: list[dict[str, Any]]


class SearchResponse(BaseModel):
    candidates: list[CandidateOut]
    request_id: str


@router.get(
    "/watchlist/search",
    response_model=SearchResponse,
    responses={code: {"model": ErrorResponse} for code in (401, 403, 503)},
)
def search_watchlist(
    request: Request,
    principal: WatchlistSearcherDep,
    runtime: RuntimeDep,
    kind: Literal["person", "organisation", "phone", "address", "travel_document"],
    query: Annotated[str, Query(min_length=1, max_length=300)],
    dob: QueryDate | None = None,
    issuing_state: Annotated[str | None, Query(pattern=r"^[A-Za-z]{1,3}$")] = None,
    limit: Annotated[int, Query(ge=1, le=50)] = 10,
) -> SearchResponse:
    """Search the trafficking database however a name is written (script, romanisation,
    order). Each candidate has a ``score`` in 0..1, ``match`` at the default threshold and an
    ``explanation``. Known victims are never searchable here. Every search is logged (who and
    a digest of the query, not the query)."""
    views = runtime.views
    if views is None:
        raise NotReadyError("the trafficking database is not loaded; search is unavailable")
    try:
        found = views.index.search(kind, query, dob=dob, limit=limit, issuing_state=issuing_state)
    except ValueError as exc:
        # The index's message may quote the query (a phone, a name): name the field only.
        field = str(exc).split(":", 1)[0].strip()
        field = field if field in _SEARCH_FIELDS else "query"
        raise InvalidRequestError(
            f"{field}: not usable for a {kind} search", loc=("query", field)
        ) from None
    request_id = str(request.state.request_id)
    log_decision(  # spooled while the database is away: the search itself is in memory
        runtime.decision_log,
        runtime.database,
        Decision(
            endpoint=ENDPOINT,
            request_id=request_id,
            status=200,
            user_id=principal.user_id,
            input_sha256=input_digest(canonical_query(request.query_params.multi_items())),
            reason_codes=[f"MATCHES:{sum(c.match for c in found)}"],
        ),
    )
    return SearchResponse(
        candidates=[CandidateOut(**c.to_dict()) for c in found], request_id=request_id
    )
