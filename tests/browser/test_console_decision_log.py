"""The auditor's decision log: pages, search by case id and user, head hash, times with zone;
console rejections and case views are in it."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import Server, screenshot, sign_in
from sqlalchemy import select

from mizugiwa.db.engine import session_scope
from mizugiwa.service.audit import Decision
from mizugiwa.service.tables import DecisionLogEntry

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_console_rejections_and_case_views_are_logged(page: Any, server: Server) -> None:
    sign_in(page, server, "inspector")
    page.fill("#mrz", "P<UTOERIKSSON<<ANNA\nL898902C36")
    page.fill("#flight_number", "PR428")
    page.fill("#port_code", "NRT")
    page.click("#inspection-form button[type=submit]")
    assert page.locator("#input-problems").count() == 1
    page.context.clear_cookies()
    sign_in(page, server, "officer_mnl")
    response = page.goto(f"{server.url}/console/cases/NOT-A-CASE-7")
    assert response is not None and response.status == 404
    page.context.clear_cookies()
    sign_in(page, server, "auditor")
    page.goto(f"{server.url}/console/decision-log?case_id=NOT-A-CASE-7")
    rows = page.locator("#log-table tbody tr[data-seq]")
    assert rows.count() == 1
    text = rows.first.inner_text()
    assert "GET /console/cases/{case_id}" in text and "404" in text and "officer_mnl" in text
    page.goto(f"{server.url}/console/decision-log")
    page.fill("#user", "inspector")
    page.press("#user", "Enter")
    texts = page.locator("#log-table tbody tr[data-seq]").all_inner_texts()
    assert any("POST /console/inspection" in t and "422" in t for t in texts)
    assert all("inspector" in t for t in texts)


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize("width", [1366, 390])
def test_decision_log_pages_shows_the_head_hash_and_times_with_zone(
    page: Any, server: Server, lang: str, width: int
) -> None:
    runtime = server.app.state.runtime
    for i in range(60):
        runtime.decision_log.write(
            Decision(endpoint="GET /v1/model", request_id=f"rq-page-{lang}-{width}-{i}", status=200)
        )
    with session_scope(runtime.engine) as session:
        head = session.execute(
            select(DecisionLogEntry.seq, DecisionLogEntry.entry_hash)
            .order_by(DecisionLogEntry.seq.desc())
            .limit(1)
        ).one()
    page.set_viewport_size({"width": width, "height": 768 if width > 400 else 844})
    sign_in(page, server, "auditor")
    if lang == "ja":
        page.click("#lang-switch")
    page.goto(f"{server.url}/console/decision-log")
    assert page.locator("#head-hash").inner_text() == head.entry_hash
    first_page = [
        int(s)
        for s in page.locator("#log-table tbody tr").evaluate_all(
            "rows => rows.map(r => r.dataset.seq)"
        )
    ]
    assert len(first_page) == 50 and first_page[0] == head.seq
    assert all(
        " UTC" in t for t in page.locator("#log-table tbody tr td:nth-child(2)").all_inner_texts()
    )
    screenshot(page, f"decision-log-{lang}-{width}")
    page.click("#log-older")
    second_page = [
        int(s)
        for s in page.locator("#log-table tbody tr").evaluate_all(
            "rows => rows.map(r => r.dataset.seq)"
        )
    ]
    assert second_page[0] == first_page[-1] - 1
    assert page.evaluate("document.documentElement.scrollWidth") <= width
