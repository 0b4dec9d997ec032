"""The officer console: server-rendered pages for consular officers, border inspectors,
analysts and auditors, in Japanese and English, on the same accounts as the API.

``install_console(app)`` adds the pages under ``/console``, their static files and the handlers
that turn a missing session into the sign-in page and a wrong role into the 403 page.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from mizugiwa.service.console.access import BASE, SessionResolver
from mizugiwa.service.console.api_docs import install_offline_docs
from mizugiwa.service.console.i18n import translator
from mizugiwa.service.console.session import SessionSigner
from mizugiwa.service.console.sign_in_guard import SignInGuard
from mizugiwa.service.console.web import (
    STATIC_DIR,
    STATIC_URL,
    ConsoleState,
    CsrfRejected,
    RoleForbidden,
    SignInRequired,
    forbidden_page,
    lang_of,
    render,
    sign_in_redirect,
)

__all__ = ["BASE", "install_console"]


def install_console(app: FastAPI) -> None:
    """Add the console to an app built by :func:`service.app.create_app` (idempotent)."""
    if getattr(app.state, "console", None) is not None:
        return
    from mizugiwa.service.console.flights_routes import router as flights_router
    from mizugiwa.service.console.follow_up_routes import router as follow_up_router
    from mizugiwa.service.console.routes import router

    runtime = app.state.runtime
    settings = runtime.settings
    app.state.console = ConsoleState(
        signer=SessionSigner(settings.secret_key),
        sessions=SessionResolver(runtime.engine),
        # Cookies go over plain HTTP only on the local and test set-ups (loopback).
        secure_cookies=settings.environment not in ("local", "test"),
        sign_in_guard=SignInGuard(runtime.engine, settings.secret_key),
    )
    app.include_router(router)
    app.include_router(follow_up_router)
    app.include_router(flights_router)
    app.mount(STATIC_URL, StaticFiles(directory=STATIC_DIR), name="console-static")
    install_offline_docs(app)

    @app.get("/", include_in_schema=False)
    def root() -> RedirectResponse:
        return RedirectResponse(f"{BASE}/", status_code=303)

    @app.exception_handler(SignInRequired)
    async def _sign_in(request: Request, exc: SignInRequired) -> Response:
        if request.url.path.endswith("/rows"):
            return Response(status_code=401)  # a poll: the page itself will redirect
        return sign_in_redirect(exc)

    @app.exception_handler(RoleForbidden)
    async def _forbidden(request: Request, exc: RoleForbidden) -> HTMLResponse:
        return forbidden_page(request, exc.principal)

    @app.exception_handler(CsrfRejected)
    async def _csrf(request: Request, exc: CsrfRejected) -> HTMLResponse:
        t = translator(lang_of(request))
        return render(
            request,
            "console/error.html",
            "error",
            {"title": t("error.403.title"), "body": t("error.csrf")},
            status_code=403,
        )
