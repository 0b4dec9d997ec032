"""The analyst dashboard: metric names in words, the fairness bounds, no duplicated tables."""

from __future__ import annotations

import time
from typing import Any

import pytest
from conftest import Server, require_champion, screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize("width", [1366, 390])
def test_dashboard_speaks_words_shows_bounds_and_no_duplicate(
    page: Any, server: Server, lang: str, width: int
) -> None:
    require_champion(server.world)
    page.set_viewport_size({"width": width, "height": 768 if width > 400 else 844})
    sign_in(page, server, "analyst")
    if lang == "ja":
        page.click("#lang-switch")
    started = time.monotonic()
    page.goto(f"{server.url}/console/dashboard")
    elapsed = time.monotonic() - started
    assert elapsed < 1.0, f"the dashboard took {elapsed:.2f} s"
    names = page.locator("table.metrics th").all_inner_texts()
    assert names and not any(n.startswith(("test.", "gate.", "fairness.")) for n in names)
    bounds = page.locator("#fairness-bounds").inner_text()
    assert "0.80" in bounds and "1.25" in bounds
    # The test world's challenger is the champion: its tables are not printed twice.
    assert page.locator("#challenger-same").count() == 1
    assert page.locator("table.fairness").count() <= 1
    assert page.locator("table.metrics").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    screenshot(page, f"dashboard-{lang}-{width}")
