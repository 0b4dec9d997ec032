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
def healthz() -> HealthResponse:
    """Liveness: the process answers. No authentication (for orchestrators)."""
    return HealthResponse(status="ok")


@router.get(
    "/readyz",
    tags=["operations"],
    response_model=HealthResponse,
    responses={503: {"model": HealthResponse}},
)
def readyz(runtime: RuntimeDep) -> Any:
    """Readiness: a champion is loaded (503 otherwise). Reports what is degraded. No
    authentication (for orchestrators); it reveals no data."""
    model = runtime.model
    checks: dict[str, Any] = {
        "model": f"{model.version} ({model.source})" if model else "not loaded",
        "database_views": "loaded" if runtime.views is not None else "not loaded",
        "problems": list(runtime.startup_problems),
    }
    body = HealthResponse(status="ready" if model else "not_ready", checks=checks)
    return JSONResponse(body.model_dump(mode="json"), status_code=200 if model else 503)


@router.get("/metrics", tags=["operations"], responses=AUTH_ERRORS)
def metrics(_principal: OperatorDep, runtime: RuntimeDep) -> Response:
    """Prometheus metrics: request latency, scores, referrals, rule hits, the model version.
    Scrape with an admin or analyst bearer token."""
    return Response(generate_latest(runtime.metrics.registry), media_type=CONTENT_TYPE_LATEST)
