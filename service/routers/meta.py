"""Reference and operations: reason codes, the model in service, health probes, metrics."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from mizugiwa.service.deps import AnyUserDep, OperatorDep, RuntimeDep
from mizugiwa.service.schemas import ErrorResponse, HealthResponse, ModelResponse

router = APIRouter()
AUTH_ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorResponse} for code in (401, 403)
}


@router.get("/v1/reason-codes", tags=["reference"], responses=AUTH_ERRORS)
def reason_codes(_principal: AnyUserDep) -> list[dict[str, Any]]:
    """Every reason and rule code the service can give, with its English and Japanese text
    and what it means."""
    from mizugiwa.models.reasons import catalogue

    return [_plain(item) for item in catalogue()]


def _plain(item: Any) -> dict[str, Any]:
    if hasattr(item, "model_dump"):
        return dict(item.model_dump(mode="json"))
    if hasattr(item, "__dataclass_fields__"):
        from dataclasses import asdict

        return asdict(item)
    return dict(item)


@router.get("/v1/model", tags=["reference"], response_model=ModelResponse, responses=AUTH_ERRORS)
def model_in_service(_principal: AnyUserDep, runtime: RuntimeDep) -> ModelResponse:
    """The champion in service: name, version, alias, run, rules version, when it was loaded
    and whether it came from the registry or the local cache."""
    model = runtime.model
    return ModelResponse(
        model=model.scorer.info if model else None,
        loaded_at=model.loaded_at if model else None,
        source=model.source if model else None,
        last_reload_error=runtime.last_reload_error,
    )


@router.get("/healthz", tags=["operations"], response_model=HealthResponse)
async def healthz() -> HealthResponse:
    """Liveness: the process answers. No authentication (for orchestrators).

    ``async`` with no I/O: answered on the event loop, never queued behind requests that wait
    on the database in the thread pool."""
    return HealthResponse(status="ok")


@router.get(
    "/readyz",
    tags=["operations"],
    response_model=HealthResponse,
    responses={503: {"model": HealthResponse}},
)
async def readyz(runtime: RuntimeDep) -> Any:
    """Readiness: a champion is loaded, start-up is complete and the database answers (503
    otherwise, with ``Retry-After``). Reports what is degraded or still loading. No
    authentication (for orchestrators); it reveals no data.

    It does no I/O of its own: the database state is the background probe's (every half
    second), so this answers at once even while the database does not."""
    model = runtime.model
    checks: dict[str, Any] = {
        "model": f"{model.version} ({model.source})" if model else "not loaded",
        "database_views": "loaded" if runtime.views is not None else "not loaded",
        "database": "reachable" if runtime.database_reachable else "unreachable",
        "starting": runtime.loading,
        "problems": list(runtime.startup_problems),
    }
    if model is not None and model.source != "registry" and runtime.last_reload_error:
        checks["registry"] = runtime.last_reload_error
    ready = runtime.ready
    body = HealthResponse(status="ready" if ready else "not_ready", checks=checks)
    headers = None if ready else {"Retry-After": "2"}
    return JSONResponse(
        body.model_dump(mode="json"), status_code=200 if ready else 503, headers=headers
    )


@router.get("/metrics", tags=["operations"], responses=AUTH_ERRORS)
def metrics(_principal: OperatorDep, runtime: RuntimeDep) -> Response:
    """Prometheus metrics: request latency, scores, referrals, rule hits, the model version.
    Scrape with an admin or analyst bearer token."""
    return Response(generate_latest(runtime.metrics.registry), media_type=CONTENT_TYPE_LATEST)
