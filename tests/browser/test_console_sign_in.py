"""Console sign-in: sign-out ends the session on the server, failures are limited and logged,
and the redirect target is normalised before it is checked."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import httpx
import pytest
from conftest import Server, screenshot, sign_in
from sqlalchemy import select

from mizugiwa.db.engine import session_scope
from mizugiwa.service.tables import DecisionLogEntry

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_a_session_cookie_stops_working_after_sign_out(page: Any, server: Server) -> None:
    sign_in(page, server, "auditor")
    cookie = next(c for c in page.context.cookies() if c["name"] == "mizugiwa_session")
    page.click("header form button[type=submit]")  # sign out
    assert "signed_out=1" in page.url
    # The cookie as it was before signing out, replayed by another client.
    replay = httpx.get(
        f"{server.url}/console/decision-log",
        cookies={"mizugiwa_session": cookie["value"]},
        follow_redirects=False,
    )
    assert replay.status_code == 303
    assert "/console/sign-in" in replay.headers["location"]


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_failed_sign_ins_lock_the_account_for_a_while_and_are_logged(
    page: Any, server: Server, lang: str
) -> None:
    from mizugiwa.service.auth import add_user, issue_token

    name = f"locked_{lang}"
    engine = server.app.state.runtime.engine
    add_user(engine, name, "analyst")
    token = issue_token(engine, name)
    page.goto(f"{server.url}/console/sign-in")
    if lang == "ja":
        page.click("#lang-switch")
    statuses = []
    for _ in range(5):
        page.fill("#name", name)
        page.fill("#token", "mzg_wrong-token")
        with page.expect_response(lambda r: r.request.method == "POST") as answer:
            page.click("#sign-in-form button[type=submit]")
        statuses.append(answer.value.status)
    assert statuses == [401] * 5
    # The right token now waits too: the account is locked for the window.
    page.fill("#name", name)
    page.fill("#token", token)
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.click("#sign-in-form button[type=submit]")
    assert answer.value.status == 429
    assert int(answer.value.headers["retry-after"]) > 0
    message = page.locator("[role=alert]").inner_text()
    assert (
        ("Too many failed sign-ins" in message)
        if lang == "en"
        else ("ログイン失敗が多すぎます" in message)
    )
    assert "mizugiwa_session" not in {c["name"] for c in page.context.cookies()}
    screenshot(page, f"sign-in-locked-{lang}-1366")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, f"sign-in-locked-{lang}-390")
    with session_scope(engine) as session:
        statuses_logged = list(
            session.scalars(
                select(DecisionLogEntry.status).where(
                    DecisionLogEntry.endpoint == "POST /console/sign-in"
                )
            )
        )
    assert statuses_logged.count(401) >= 5 and 429 in statuses_logged


def test_the_redirect_target_is_normalised_before_the_check(page: Any, server: Server) -> None:
    page.goto(f"{server.url}/console/sign-in?next={quote('/console/worklist/../../docs')}")
    page.fill("#name", "officer_mnl")
    page.fill("#token", server.tokens["officer_mnl"])
    page.click("#sign-in-form button[type=submit]")
    page.wait_for_load_state("domcontentloaded")
    assert page.url.endswith("/console/worklist"), page.url
