"""``/docs`` and ``/redoc`` that work offline, and the site's favicon.

FastAPI's documentation pages load Swagger UI and ReDoc from a CDN, so on a closed network (a
visa WAN, a port's booth network) they are blank. Their assets ship in the ``fastapi-offline``
package; this module serves them from there and replaces the two pages with the same pages
pointing at the local copies.
"""

from __future__ import annotations

import functools
from pathlib import Path

import fastapi_offline
from fastapi import FastAPI
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.routing import Route

ASSETS = Path(fastapi_offline.__file__).resolve().parent / "static"
ASSETS_URL = "/static/api-docs"
FAVICON = Path(__file__).resolve().parent.parent / "static" / "console" / "favicon.svg"
REDOC_URL = "/static/api-docs-redoc.js"
_REDOC_LOGO = b"https://cdn.redoc.ly/redoc/logo-mini.svg"


@functools.cache
def _redoc_js() -> bytes:
    """ReDoc's bundle with its one remote asset (the "powered by" logo) pointed at our icon."""
    return (ASSETS / "redoc.standalone.js").read_bytes().replace(_REDOC_LOGO, b"/favicon.svg")


def install_offline_docs(app: FastAPI) -> None:
    """Serve the API documentation's assets locally, and a favicon."""
    docs_url, redoc_url, openapi_url = app.docs_url, app.redoc_url, app.openapi_url
    replaced = {docs_url, redoc_url}
    app.router.routes[:] = [
        r for r in app.router.routes if not (isinstance(r, Route) and r.path in replaced)
    ]
    app.mount(ASSETS_URL, StaticFiles(directory=ASSETS), name="api-docs-assets")
    title = app.title

    if docs_url and openapi_url:

        @app.get(docs_url, include_in_schema=False)
        def swagger_ui() -> HTMLResponse:
            return get_swagger_ui_html(
                openapi_url=openapi_url,
                title=f"{title} — API",
                swagger_js_url=f"{ASSETS_URL}/swagger-ui-bundle.js",
                swagger_css_url=f"{ASSETS_URL}/swagger-ui.css",
                swagger_favicon_url="/favicon.svg",
            )

    if redoc_url and openapi_url:

        @app.get(redoc_url, include_in_schema=False)
        def redoc() -> HTMLResponse:
            return get_redoc_html(
                openapi_url=openapi_url,
                title=f"{title} — API",
                redoc_js_url=REDOC_URL,
                redoc_favicon_url="/favicon.svg",
                with_google_fonts=False,
            )

    @app.get(REDOC_URL, include_in_schema=False)
    def redoc_js() -> Response:
        return Response(_redoc_js(), media_type="text/javascript")

    @app.get("/favicon.svg", include_in_schema=False)
    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> FileResponse:
        return FileResponse(FAVICON, media_type="image/svg+xml")
