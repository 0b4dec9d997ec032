"""Watchlist search over the shared trafficking database (suspects, organisations, contacts)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

import orjson
from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from mizugiwa.features.normalise.phones import region
from mizugiwa.service.audit import Decision, input_digest
from mizugiwa.service.canonical import canonical_query
from mizugiwa.service.deps import RuntimeDep, WatchlistSearcherDep
from mizugiwa.service.errors import InvalidRequestError, NotReadyError
from mizugiwa.service.outage import log_decision
from mizugiwa.service.schemas import ErrorResponse, QueryDate

router = APIRouter(prefix="/v1", tags=["watchlist"])
ENDPOINT = "GET /v1/watchlist/search"
POST_ENDPOINT = "POST /v1/watchlist/search"
Kind = Literal["person", "organisation", "phone", "address", "travel_document"]
_SEARCH_FIELDS = frozenset(
    {"kind", "query", "dob", "nationality", "issuing_state", "region", "limit"}
)


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


class SearchRequest(BaseModel):
    """A watchlist search in the request body, so that names, phones and addresses stay out
    of URLs (and so out of proxy and access logs)."""

    model_config = ConfigDict(extra="forbid")

    kind: Kind
    query: str = Field(min_length=1, max_length=300)
    dob: date | None = None
    nationality: str | None = Field(default=None, pattern=r"^[A-Za-z]{3}$")
    issuing_state: str | None = Field(default=None, pattern=r"^[A-Za-z]{1,3}$")
    region: str | None = Field(
        default=None,
        pattern=r"^[A-Za-z]{2,3}$",
        description="Country (ISO alpha-2 or alpha-3) to read a phone number in national form.",
    )
    limit: int = Field(default=10, ge=1, le=50)


@router.get(
    "/watchlist/search",
    response_model=SearchResponse,
    responses={code: {"model": ErrorResponse} for code in (401, 403, 503)},
)
def search_watchlist(
    request: Request,
    principal: WatchlistSearcherDep,
    runtime: RuntimeDep,
    kind: Kind,
    query: Annotated[str, Query(min_length=1, max_length=300)],
    dob: QueryDate | None = None,
    issuing_state: Annotated[str | None, Query(pattern=r"^[A-Za-z]{1,3}$")] = None,
    region: Annotated[str | None, Query(pattern=r"^[A-Za-z]{2,3}$")] = None,
    limit: Annotated[int, Query(ge=1, le=50)] = 10,
) -> SearchResponse:
    """Search the trafficking database however a name is written (script, romanisation,
    order). Each candidate has a ``score`` in 0..1, ``match`` at the default threshold and an
    ``explanation``. Known victims are never searchable here. Every search is logged (who and
    a digest of the query, not the query)."""
    search = SearchRequest(
        kind=kind, query=query, dob=dob, issuing_state=issuing_state, region=region, limit=limit
    )
    digest = input_digest(canonical_query(request.query_params.multi_items()))
    return _search(request, principal, runtime, search, ENDPOINT, digest)


@router.post(
    "/watchlist/search",
    response_model=SearchResponse,
    responses={code: {"model": ErrorResponse} for code in (401, 403, 422, 503)},
)
def search_watchlist_body(
    request: Request,
    principal: WatchlistSearcherDep,
    runtime: RuntimeDep,
    search: SearchRequest,
) -> SearchResponse:
    """The same search with the query in a JSON body (preferred: personal data stays out of
    URLs). ``region`` reads a phone number written in national form (``0917 123 4567`` with
    ``PH``); numbers in international form need none, and phones recorded in the database on
    their own are found as well as those linked to a person or organisation."""
    digest = input_digest(orjson.dumps(search.model_dump(mode="json")))
    return _search(request, principal, runtime, search, POST_ENDPOINT, digest)


def _search(
    request: Request,
    principal: Any,
    runtime: Any,
    search: SearchRequest,
    endpoint: str,
    digest: str,
) -> SearchResponse:
    """Run one search on the loaded views and log who searched (a digest, never the query)."""
    views = runtime.views
    if views is None or views.index is None:
        raise NotReadyError("the trafficking database is not loaded; search is unavailable")
    phone_region = region(search.region)
    if search.region and phone_region is None:
        raise InvalidRequestError(f"region: {search.region!r} is not a known country code")
    try:
        found = views.index.search(
            search.kind,
            search.query,
            dob=search.dob,
            nationality=search.nationality,
            limit=search.limit,
            issuing_state=search.issuing_state,
            default_region=phone_region,
        )
    except ValueError as exc:
        # The index's message may quote the query (a phone, a name): name the field only.
        field = str(exc).split(":", 1)[0].strip()
        field = field if field in _SEARCH_FIELDS else "query"
        raise InvalidRequestError(
            f"{field}: not usable for a {search.kind} search", loc=("query", field)
        ) from None
    request_id = str(request.state.request_id)
    log_decision(  # spooled while the database is away: the search itself is in memory
        runtime.decision_log,
        runtime.database,
        Decision(
            endpoint=endpoint,
            request_id=request_id,
            status=200,
            user_id=principal.user_id,
            input_sha256=digest,
            reason_codes=[f"MATCHES:{sum(c.match for c in found)}"],
        ),
    )
    return SearchResponse(
        candidates=[CandidateOut(**c.to_dict()) for c in found], request_id=request_id
    )
