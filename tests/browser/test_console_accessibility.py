"""Accessibility on every console page: axe-core finds nothing serious, focus rings contrast
with what they sit on, every data table has a caption, the skip link works, access keys leave the
browser's own alone, and nothing is wider than a 390-px phone."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from conftest import Server, screenshot, sign_in

from mizugiwa.settings import REPO_ROOT

pytestmark = [pytest.mark.browser, pytest.mark.slow]

AXE = REPO_ROOT / "var" / "node" / "node_modules" / "axe-core" / "axe.min.js"
# Chromium on Linux and Windows: Alt+D address bar, Alt+E and Alt+F the menu.
BROWSER_KEYS = {"d", "e", "f"}
PAGES = {
    "sign-in": (None, "/console/sign-in"),
    "worklist": ("officer_mnl", "/console/worklist"),
    "inspection": ("inspector", "/console/inspection"),
    "dashboard": ("analyst", "/console/dashboard"),
    "decision-log": ("auditor", "/console/decision-log"),
    "admin": ("admin", "/console/admin"),
}


def _luminance(rgb: tuple[int, int, int]) -> float:
    def channel(c: int) -> float:
        v = c / 255
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def _rgb(css: str) -> tuple[int, int, int]:
    r, g, b = (int(x) for x in re.findall(r"\d+", css)[:3])
    return r, g, b


@pytest.fixture()
def axe_page(browser: Any) -> Any:
    if not AXE.exists():
        pytest.skip(f"axe-core is not installed at {AXE} (scripts/test.sh installs it from npm)")
    # The console's CSP allows only its own scripts; the checker is injected by the test.
    context = browser.new_context(
        locale="en-GB", viewport={"width": 1366, "height": 768}, bypass_csp=True
    )
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def _open(page: Any, server: Server, name: str, lang: str) -> None:
    account, path = PAGES[name]
    page.context.clear_cookies()
    if account:
        sign_in(page, server, account)
    page.goto(f"{server.url}{path}")
    if lang == "ja":
        page.click("#lang-switch")


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize("name", list(PAGES))
def test_axe_finds_no_serious_violation(
    axe_page: Any, server: Server, name: str, lang: str
) -> None:
    page = axe_page
    _open(page, server, name, lang)
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    serious = [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == [], serious


@pytest.mark.parametrize("name", list(PAGES))
def test_tables_have_captions_keys_leave_the_browsers_alone_and_phones_fit(
    page: Any, server: Server, name: str
) -> None:
    _open(page, server, name, "en")
    assert page.locator("table:not(:has(caption))").count() == 0
    keys = set(page.locator("[accesskey]").evaluate_all("els => els.map(e => e.accessKey)"))
    assert not (keys & BROWSER_KEYS), keys
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, f"{name}-en-390")


def test_skip_link_is_first_visible_and_moves_to_the_content(page: Any, server: Server) -> None:
    _open(page, server, "worklist", "en")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.className")
    assert focused == "skip"
    box = page.locator("a.skip").bounding_box()
    assert box is not None and box["x"] >= 0 and box["y"] >= 0
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "content"


@pytest.mark.parametrize(
    ("selector", "surface"), [("#status", "body"), ("#lang-switch", "header.top")]
)
def test_focus_ring_contrasts_three_to_one(
    page: Any, server: Server, selector: str, surface: str
) -> None:
    _open(page, server, "worklist", "en")
    page.focus(selector)
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")  # keyboard focus, so :focus-visible applies
    ring = page.locator(selector).evaluate("el => getComputedStyle(el).outlineColor")
    width = page.locator(selector).evaluate("el => getComputedStyle(el).outlineWidth")
    background = page.locator(surface).first.evaluate("el => getComputedStyle(el).backgroundColor")
    bg = _rgb(background) if "0, 0, 0, 0" not in background else (255, 255, 255)
    assert float(width.removesuffix("px")) >= 2
    assert contrast(_rgb(ring), bg) >= 3.0, (ring, background)
    screenshot(page, f"focus-ring-{selector.strip('#')}")


def test_the_old_focus_colour_would_fail() -> None:
    assert contrast((0xFF, 0xBF, 0x00), (255, 255, 255)) < 3.0  # the 1.65:1
    assert Path(AXE).name == "axe.min.js"
