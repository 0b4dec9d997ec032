"""Scoring: one case of any registered kind (a visa application at a consular post, a traveller
at a border booth, ...), one route per kind.

The routes are made from the kinds' specs (``mizugiwa.features.kinds``): the path, the roles
that may call it, the request body (the kind's record schema) and the OpenAPI text all come
from the spec, so a new kind is served without an edit here. :func:`build_router` builds them
for the kinds registered when the app is created; ``router`` (what the app factory includes)
is built on each access for the same reason.
"""

from __future__ import annotations

import inspect
from typing import Any

import orjson
from fastapi import APIRouter, Depends, Request, Response

from mizugiwa.features.kinds import CaseKindSpec, kinds
from mizugiwa.service import scoring
from mizugiwa.service.auth import Principal, Role
from mizugiwa.service.deps import require
from mizugiwa.service.schemas import ErrorResponse, ScoreResponse

ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorResponse} for code in (401, 403, 409, 413, 503)
}


class JSONBytes(Response):
    """A body serialised once, with orjson, from the score's JSON form: no response-model
    validation and no second encoding pass (the body follows ``ScoreResponse`` by
    construction; the schema is still what the OpenAPI document shows)."""

    media_type = "application/json"


def request_info(request: Request, principal: Principal) -> scoring.RequestInfo:
    """Who asked and the request's id and input digest (set by middleware and auth)."""
    return scoring.RequestInfo(
        principal=principal,
        request_id=str(request.state.request_id),
        input_sha256=getattr(request.state, "input_sha256", None),
    )


def _endpoint(spec: CaseKindSpec) -> Any:
    """The route function of one kind: its record as the body, its roles as the dependency."""

    async def endpoint(record: Any, request: Request, principal: Principal) -> Response:
        runtime = request.app.state.runtime
        info = request_info(request, principal)
        return JSONBytes(orjson.dumps(scoring.score_case_json(runtime, spec.name, record, info)))

    allowed = require(*(Role(role) for role in spec.service.roles))
    kw = inspect.Parameter.POSITIONAL_OR_KEYWORD
    endpoint.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [
            inspect.Parameter("record", kw, annotation=spec.record),
            inspect.Parameter("request", kw, annotation=Request),
            inspect.Parameter("principal", kw, annotation=Principal, default=Depends(allowed)),
        ],
        return_annotation=Response,
    )
    endpoint.__name__ = spec.service.name
    endpoint.__doc__ = spec.service.description
    return endpoint


def build_router() -> APIRouter:
    """One ``POST /v1/<path>`` per registered kind of case."""
    out = APIRouter(prefix="/v1", tags=["scoring"])
    for spec in kinds():
        out.add_api_route(
            spec.service.path,
            _endpoint(spec),
            methods=["POST"],
            response_model=ScoreResponse,
            responses=ERRORS,
            name=spec.service.name,
            summary=spec.service.summary,
            description=spec.service.description,
        )
    return out


def __getattr__(name: str) -> Any:
    if name == "router":
        return build_router()
    raise AttributeError(name)
