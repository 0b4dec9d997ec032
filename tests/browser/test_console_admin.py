"""The administrator's accounts page: list, add, change role and post, rotate and revoke."""

from __future__ import annotations

import time
from typing import Any

import httpx
import pytest
from conftest import Server, screenshot, sign_in
from sqlalchemy import select

from mizugiwa.db.engine import session_scope
from mizugiwa.service.tables import DecisionLogEntry

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _api(server: Server, token: str) -> int:
    return httpx.get(
        f"{server.url}/v1/model", headers={"Authorization": f"Bearer {token}"}
    ).status_code


def test_admin_manages_accounts_and_every_change_is_logged(page: Any, server: Server) -> None:
    sign_in(page, server, "admin")
    response = page.goto(f"{server.url}/console/admin")
    assert response is not None and response.status == 200
    names = page.locator("#accounts tbody tr").evaluate_all(
        "rows => rows.map(r => r.dataset.account)"
    )
    assert {"officer_mnl", "inspector", "analyst", "auditor", "admin"} <= set(names)
    # Add a consular officer at Bangkok; the token is shown once and works on the API.
    page.fill("#new-name", "officer_bkk_test")
    page.select_option("#new-role", "consular_officer")
    page.fill("#new-post", "bkk")
    page.click("#add-account button[type=submit]")
    token = page.locator("#new-token").inner_text().strip()
    assert token.startswith("mzg_") and _api(server, token) == 200
    row = page.locator('tr[data-account="officer_bkk_test"]')
    assert row.count() == 1
    screenshot(page, "admin-en-1366")
    # A consular officer without a post is refused with a sentence naming the field.
    pk_select = row.locator("select")
    pk_select.select_option("consular_officer")
    row.locator("input[name=post_code]").fill("")
    row.locator("form.row button").click()
    assert "post: a consular officer needs" in page.locator("[role=alert]").inner_text()
    # Change to analyst (no post), rotate, then revoke.
    row = page.locator('tr[data-account="officer_bkk_test"]')
    row.locator("select").select_option("analyst")
    row.locator("form.row button").click()
    assert "saved" in page.locator("[role=alert]").inner_text()
    row = page.locator('tr[data-account="officer_bkk_test"]')
    row.locator("form[action$='/rotate'] button").click()
    rotated = page.locator("#new-token").inner_text().strip()
    assert rotated != token and _api(server, rotated) == 200
    # The API's token cache forgets the old token within its 10 seconds.
    deadline = time.monotonic() + 12
    while _api(server, token) != 401:
        assert time.monotonic() < deadline, "the old token still works after rotation"
        time.sleep(0.5)
    row = page.locator('tr[data-account="officer_bkk_test"]')
    row.locator("form[action$='/revoke'] button").click()
    assert "revoked" in page.locator("[role=alert]").inner_text()
    engine = server.app.state.runtime.engine
    with session_scope(engine) as session:
        endpoints = list(
            session.scalars(
                select(DecisionLogEntry.endpoint).where(
                    DecisionLogEntry.endpoint.like("POST /console/admin/accounts%")
                )
            )
        )
    for action in ("add", "change", "rotate", "revoke"):
        assert f"POST /console/admin/accounts/{action}" in endpoints
    page.click("#lang-switch")
    screenshot(page, "admin-ja-1366")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "admin-ja-390")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.click("#lang-switch")
    screenshot(page, "admin-en-390")
