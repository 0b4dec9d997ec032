"""/docs and /redoc render with no network beyond the service itself; the site has a favicon."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from conftest import Server, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _offline(page: Any) -> list[str]:
    """Refuse every request that leaves the loopback address; returns what was refused."""
    refused: list[str] = []

    def handle(route: Any) -> None:
        host = urlsplit(route.request.url).hostname
        if host in ("127.0.0.1", "localhost"):
            route.continue_()
        else:
            refused.append(route.request.url)
            route.abort()

    page.route("**/*", handle)
    return refused


@pytest.mark.parametrize("width", [1366, 390])
def test_swagger_ui_renders_offline(page: Any, server: Server, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 768 if width > 400 else 844})
    refused = _offline(page)
    page.goto(f"{server.url}/docs")
    page.wait_for_selector(".swagger-ui .info .title", timeout=15_000)
    assert page.locator(".opblock").count() > 3
    assert refused == []
    screenshot(page, f"api-docs-{width}")


def test_redoc_renders_offline(page: Any, server: Server) -> None:
    refused = _offline(page)
    page.goto(f"{server.url}/redoc")
    page.wait_for_selector("h1", timeout=20_000)
    assert page.locator("h1").first.inner_text().strip()
    assert refused == []
    screenshot(page, "api-redoc-1366")


def test_favicon_is_served_and_linked(page: Any, server: Server) -> None:
    response = httpx.get(f"{server.url}/favicon.ico")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("image/svg+xml")
    page.goto(f"{server.url}/console/sign-in")
    href = page.locator("link[rel=icon]").get_attribute("href")
    assert href and httpx.get(f"{server.url}{href}").status_code == 200
