"""The worklist in the order an officer should work it, and why each case is on it."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import orjson
import pytest
from conftest import Server, screenshot, sign_in

from mizugiwa.db.engine import session_scope
from mizugiwa.features.records import VisaApplication
from mizugiwa.service.cases import store_scored

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _mnl_records(server: Server, n: int, skip: int = 200) -> list[dict[str, Any]]:
    assert server.world.data_dir is not None
    out: list[dict[str, Any]] = []
    with (server.world.data_dir / "applications.jsonl").open("rb") as handle:
        for line in handle:
            record = orjson.loads(line)
            if record["post_code"] == "MNL":
                if skip:
                    skip -= 1
                    continue
                out.append(record)
                if len(out) == n:
                    return out
    raise AssertionError("not enough MNL applications in the test world")


def store_case(
    server: Server,
    record: dict[str, Any],
    *,
    risk: float,
    referred_by: list[str],
    reasons: list[str] = (),  # type: ignore[assignment]
    rules: list[str] = (),  # type: ignore[assignment]
) -> str:
    """A referred case as the scoring path stores it, with a chosen score (no model needed)."""
    application = VisaApplication.model_validate(record)
    score = {
        "risk": risk,
        "refer": True,
        "referred_by": referred_by,
        "reasons": [{"code": c} for c in reasons],
        "rules_fired": [{"code": c} for c in rules],
        "model": {"version": "test"},
    }
    with session_scope(server.app.state.runtime.engine) as session:
        store_scored(
            session,
            kind="application",
            record=application,
            score=score,
            request_id=None,
            scored_at=datetime.now(UTC),
        )
    return application.application_id


@pytest.fixture(scope="module")
def priority_cases(server: Server) -> dict[str, str]:
    """Three pending MNL referrals: a rule referral with a low model score, a protection concern
    and a high model score without one."""
    rule, protection, model = _mnl_records(server, 3)
    return {
        "rule": store_case(
            server, rule, risk=0.03, referred_by=["rule"], rules=["RULE-WATCHLIST-PHONE"]
        ),
        "protection": store_case(
            server, protection, risk=0.41, referred_by=["model"], reasons=["EX-TICKET-PAID"]
        ),
        "model": store_case(
            server, model, risk=0.93, referred_by=["model"], reasons=["SM-AGE-GAP"]
        ),
    }


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize("width", [1366, 390])
def test_worklist_puts_rules_first_then_protection_then_score(
    page: Any, server: Server, priority_cases: dict[str, str], lang: str, width: int
) -> None:
    page.set_viewport_size({"width": width, "height": 768 if width > 400 else 844})
    sign_in(page, server, "officer_mnl")
    if lang == "ja":
        page.click("#lang-switch")
    rows = page.locator("#worklist-rows tr[data-case]")
    order = [r.get_attribute("data-case") for r in rows.all()]
    mine = [c for c in order if c in priority_cases.values()]
    assert mine == [priority_cases["rule"], priority_cases["protection"], priority_cases["model"]]
    # Priorities never go back up the list: all rules, then protection, then the rest.
    priorities = [int(r.get_attribute("data-priority")) for r in rows.all()]
    pending = [
        p
        for r, p in zip(rows.all(), priorities, strict=True)
        if r.get_attribute("data-status") == "pending"
    ]
    assert pending == sorted(pending)
    rule_row = page.locator(f'tr[data-case="{priority_cases["rule"]}"]')
    text = rule_row.inner_text()
    if lang == "en":
        assert "Rule" in text
        assert "A phone number given matches one linked to a known broker" in text
        assert "RULE-WATCHLIST-PHONE" not in text
        assert "Model" in page.locator(f'tr[data-case="{priority_cases["model"]}"]').inner_text()
    else:
        assert "ルール" in text
        assert "申告された電話番号" in text
    # Nothing wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    screenshot(page, f"worklist-{lang}-{width}")


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_an_empty_worklist_says_what_fills_it(page: Any, server: Server, lang: str) -> None:
    from mizugiwa.service.auth import add_user, issue_token

    name = f"officer_zzz_{lang}"
    engine = server.app.state.runtime.engine
    add_user(engine, name, "consular_officer", "ZZZ")
    server.tokens[name] = issue_token(engine, name)
    sign_in(page, server, name)
    if lang == "ja":
        page.click("#lang-switch")
    text = page.locator("#worklist-rows").inner_text()
    if lang == "en":
        assert "Referrals appear here as soon as applications of your post are scored" in text
    else:
        assert "回付案件がここに表示されます" in text
    screenshot(page, f"worklist-empty-{lang}-1366")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, f"worklist-empty-{lang}-390")
