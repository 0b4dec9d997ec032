"""Scoring: one visa application at a consular post, one traveller at a border booth."""

from __future__ import annotations

from typing import Any

import orjson
from fastapi import APIRouter, Request, Response

from mizugiwa.features.records import BorderEntry, VisaApplication
from mizugiwa.service import scoring
from mizugiwa.service.auth import Principal
from mizugiwa.service.deps import ApplicationScorerDep, EntryScorerDep
from mizugiwa.service.schemas import ErrorResponse, ScoreResponse

router = APIRouter(prefix="/v1", tags=["scoring"])
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


@router.post("/visa-applications/score", response_model=ScoreResponse, responses=ERRORS)
def score_visa_application(
    application: VisaApplication,
    request: Request,
    principal: ApplicationScorerDep,
) -> Response:
    """Score a visa application for referral to a secondary interview.

    Returns per-concern probabilities, whether to refer (and the threshold used, set from the
    post's interview capacity), the reasons in English and Japanese with their evidence, the
    rules that fired, interview and protection guidance, and the model that answered. A
    referral is never a refusal. Consular officers may score their own post's applications.
    The application is kept so that the traveller's border entry can refer to it.
    """
    runtime = request.app.state.runtime
    info = request_info(request, principal)
    return JSONBytes(orjson.dumps(scoring.score_application_json(runtime, application, info)))


@router.post("/border-entries/score", response_model=ScoreResponse, responses=ERRORS)
def score_border_entry(
    entry: BorderEntry,
    request: Request,
    principal: EntryScorerDep,
) -> Response:
    """Score a traveller at the border: passport MRZ plus flight.

    When ``visa_reference`` names a stored visa application, its record and outcome are used
    too. MRZ check-digit failures and reported lost, stolen or forged documents refer by rule.
    """
    runtime = request.app.state.runtime
    info = request_info(request, principal)
    return JSONBytes(orjson.dumps(scoring.score_entry_json(runtime, entry, info)))
