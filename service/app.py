"""The FastAPI application: ``create_app(settings)``.

The lifespan builds one :class:`~service.runtime.ServiceRuntime` (champion, database views,
network history) and starts the task that reloads the champion when its alias moves. Errors are
one hierarchy (:mod:`service.errors`) mapped here, once; a rejected request (403, 422) is written
to the decision log like any other, and changes nothing else.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
from collections.abc import AsyncIterator
from typing import Any

import structlog
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import SQLAlchemyError
from starlette.concurrency import run_in_threadpool
from starlette.types import Scope

from mizugiwa.service.audit import Decision, input_digest
from mizugiwa.service.console import install_console
from mizugiwa.service.deps import KnownQueryDep
from mizugiwa.service.errors import InvalidRequestError, ServiceError
from mizugiwa.service.middleware import (
    BodyLimitMiddleware,
    JSONBodyMiddleware,
    RequestContextMiddleware,
)
from mizugiwa.service.openapi import build_openapi
from mizugiwa.service.outage import is_outage, log_decision, unavailable
from mizugiwa.service.routers import (
    follow_ups,
    meta,
    outcomes,
    passenger_lists,
    referrals,
    scoring,
    watchlist,
)
from mizugiwa.service.runtime import ServiceRuntime
from mizugiwa.settings import Settings, get_settings

log = structlog.get_logger("mizugiwa.service")
LOGGED_REJECTIONS = frozenset({403, 404, 409, 422})

DESCRIPTION = """Risk referrals for visa and border screening against human trafficking.

A score refers a case to a **secondary interview** and says why; it never refuses anyone. Every
request needs `Authorization: Bearer <token>` (from `mizugiwa users token NAME`) except the
health probes. Every score and outcome is written to a hash-chained decision log.
"""


def _request_id(request: Request) -> str:
    return str(getattr(request.state, "request_id", "") or "")


def _write_rejection(runtime: ServiceRuntime, decision: Decision) -> None:
    """Log a refusal; while the database is away (breaker open, or this write fails) the entry
    goes to the local spool and is chained when it answers again."""
    try:
        log_decision(runtime.decision_log, runtime.database, decision)
    except Exception as exc:  # neither database nor spool: the rejection still stands
        log.error("decision log write failed", error=type(exc).__name__)


def _log_rejection(request: Request, status: int, error: str, body: Any = None) -> None:
    runtime: ServiceRuntime = request.app.state.runtime
    principal = getattr(request.state, "principal", None)
    digest = getattr(request.state, "input_sha256", None)
    if digest is None and isinstance(body, bytes | str):
        digest = input_digest(body.encode() if isinstance(body, str) else body)
    route = request.scope.get("route")
    path = getattr(route, "path", request.url.path)
    decision = Decision(
        endpoint=f"{request.method} {path}",
        request_id=_request_id(request),
        status=status,
        user_id=principal.user_id if principal else None,
        input_sha256=digest,
        error=error[:2000],
    )
    _write_rejection(runtime, decision)


def _log_body_rejection(scope: Scope, status: int, error: str, digest: str) -> None:
    """:func:`_log_rejection` for a body refused by middleware, before any route ran."""
    runtime: ServiceRuntime = scope["app"].state.runtime
    decision = Decision(
        endpoint=f"{scope['method']} {scope['path']}",
        request_id=str(scope.get("state", {}).get("request_id", "")),
        status=status,
        input_sha256=digest,
        error=error[:2000],
    )
    _write_rejection(runtime, decision)


def _field_errors(exc: RequestValidationError) -> list[dict[str, Any]]:
    """``loc`` and ``msg`` of each error; the rejected input is not echoed back."""
    return [
        {"loc": list(err.get("loc", ())), "msg": str(err.get("msg", "")), "type": err.get("type")}
        for err in exc.errors()
    ]


def create_app(
    settings: Settings | None = None,
    *,
    runtime: ServiceRuntime | None = None,
    reload_models: bool = True,
) -> FastAPI:
    """Build the app. ``runtime`` may be given (tests); otherwise the lifespan builds one."""
    settings = settings if settings is not None else get_settings()
    state_runtime = runtime if runtime is not None else ServiceRuntime(settings)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # The port opens after at most ``startup_wait_seconds``: what is not loaded by then
        # (a large network history, a registry that does not answer) loads in the background
        # while /readyz answers 503 and scores say what they lack.
        state_runtime.start_in_background()
        await asyncio.to_thread(state_runtime.started.wait, settings.startup_wait_seconds)
        if state_runtime.started.is_set():
            # What start-up loaded lives as long as the process: out of the collector's
            # generations, so that collections stay short on the hot path.
            gc.collect()
            gc.freeze()
        await asyncio.to_thread(state_runtime.probe.check)  # /readyz knows from the start
        state_runtime.probe.start()
        reloader = asyncio.create_task(state_runtime.reload_loop()) if reload_models else None
        try:
            yield
        finally:
            state_runtime.probe.stop()
            if reloader is not None:
                reloader.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await reloader
            if runtime is None:
                state_runtime.close()

    app = FastAPI(
        title="Mizugiwa",
        version="0.1.0",
        description=DESCRIPTION,
        lifespan=lifespan,
    )
    app.state.runtime = state_runtime
    app.state.settings = settings

    @app.exception_handler(ServiceError)
    async def service_error(request: Request, exc: ServiceError) -> JSONResponse:
        if exc.STATUS in LOGGED_REJECTIONS:  # a database write: not on the event loop
            await run_in_threadpool(_log_rejection, request, exc.STATUS, exc.detail)
        headers: dict[str, str] = {}
        if exc.STATUS == 401:
            headers["WWW-Authenticate"] = "Bearer"
        if exc.STATUS == 503:
            headers["Retry-After"] = str(getattr(exc, "retry_after", 5))
        detail: Any = exc.field_errors() if isinstance(exc, InvalidRequestError) else exc.detail
        return JSONResponse(
            {"detail": detail, "request_id": _request_id(request)},
            status_code=exc.STATUS,
            headers=headers or None,
        )

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = _field_errors(exc)
        # The log keeps where and what kind of problem, never the message: messages may quote
        # the input (a date, a code, an MRZ character), and the log holds no personal data.
        summary = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['type']}" for e in errors)
        await run_in_threadpool(_log_rejection, request, 422, summary, getattr(exc, "body", None))
        return JSONResponse({"detail": errors, "request_id": _request_id(request)}, status_code=422)

    @app.exception_handler(SQLAlchemyError)
    async def database_error(request: Request, exc: SQLAlchemyError) -> JSONResponse:
        """The database went away under a request: 503 and the breaker opens. Any other
        database error is a fault (500). Either way the transaction was rolled back."""
        if not is_outage(exc):
            return await unexpected_error(request, exc)
        state_runtime.database.failed()
        log.warning("database unreachable during a request", error=type(exc).__name__)
        refused = unavailable()
        return JSONResponse(
            {"detail": refused.detail, "request_id": _request_id(request)},
            status_code=503,
            headers={"Retry-After": str(refused.retry_after)},
        )

    @app.exception_handler(Exception)
    async def unexpected_error(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error", error=type(exc).__name__)
        return JSONResponse(
            {"detail": "internal error", "request_id": _request_id(request)}, status_code=500
        )

    for module in (scoring, outcomes, referrals, watchlist, follow_ups, passenger_lists, meta):
        app.include_router(module.router, dependencies=[KnownQueryDep])
    app.openapi = lambda: build_openapi(app)  # type: ignore[method-assign]
    install_console(app)
    app.add_middleware(
        JSONBodyMiddleware,
        log_rejection=_log_body_rejection,
        text_paths=(passenger_lists.LISTS_PATH,),
    )
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes)
    app.add_middleware(RequestContextMiddleware, metrics=state_runtime.metrics)
    return app
