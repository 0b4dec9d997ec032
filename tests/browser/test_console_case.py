"""A case page an officer can read: the answer first, in words, with the evidence's records."""

from __future__ import annotations

import copy
from typing import Any

import httpx
import orjson
import pytest
from conftest import Server, require_champion, screenshot, sign_in

from mizugiwa.service.console.words import LANGUAGES, VISA_CATEGORIES

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _tipdb(server: Server) -> list[dict[str, Any]]:
    assert server.world.data_dir is not None
    with (server.world.data_dir / "tipdb.jsonl").open("rb") as handle:
        return [orjson.loads(line) for line in handle if line.strip()]


def _first_mnl(server: Server, skip: int) -> dict[str, Any]:
    assert server.world.data_dir is not None
    with (server.world.data_dir / "applications.jsonl").open("rb") as handle:
        for line in handle:
            record = orjson.loads(line)
            if record["post_code"] == "MNL" and "tl" in record["applicant"]["languages"]:
                if skip == 0:
                    return record
                skip -= 1
    raise AssertionError("no MNL application")


def score_as_officer(server: Server, record: dict[str, Any]) -> dict[str, Any]:
    response = httpx.post(
        f"{server.url}/v1/visa-applications/score",
        headers={"Authorization": f"Bearer {server.tokens['officer_mnl']}"},
        json=record,
        timeout=30,
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


@pytest.fixture(scope="module")
def stolen_passport_case(server: Server) -> dict[str, Any]:
    """An MNL application whose passport is reported stolen and whose phone is a broker's."""
    require_champion(server.world)
    entities = _tipdb(server)
    stolen = next(
        e for e in entities if e["entity_type"] == "travel_document" and e["status"] == "stolen"
    )
    brokers = {
        e["id"] for e in entities if e["entity_type"] == "person" and e.get("role") == "broker"
    }
    phone = next(
        e for e in entities if e["entity_type"] == "phone" and set(e.get("linked_to", [])) & brokers
    )
    record = copy.deepcopy(_first_mnl(server, skip=3))
    record["application_id"] = "APP-STOLEN-1"
    record["submitted_at"] = "2024-06-01T09:00:00Z"
    record["passport"].update(number=stolen["number"], issuing_state=stolen["issuing_state"])
    record["passport"].pop("mrz", None)
    record["applicant"]["phone"] = phone["number"]
    score = score_as_officer(server, record)
    assert score["refer"] and "rule" in score["referred_by"], score
    return {"record": record, "score": score, "phone_id": phone["id"]}


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize("width", [1366, 390])
def test_rule_referral_banner_says_which_rule_and_shows_the_score_apart(
    page: Any, server: Server, stolen_passport_case: dict[str, Any], lang: str, width: int
) -> None:
    page.set_viewport_size({"width": width, "height": 768 if width > 400 else 844})
    sign_in(page, server, "officer_mnl")
    if lang == "ja":
        page.click("#lang-switch")
    page.goto(f"{server.url}/console/cases/APP-STOLEN-1")
    banner = page.locator("#answer-banner")
    assert banner.get_attribute("data-refer") == "true"
    text = banner.inner_text()
    if lang == "en":
        assert "Referred by rule: the passport is reported stolen" in text
        assert "score" not in text.lower()
        assert "Model score" in page.locator("#model-score").inner_text()
    else:
        assert "面接審査へ回付" in text
        assert "ルールによる回付：旅券が盗難として届け出られている" in text
        assert "モデルスコア" in page.locator("#model-score").inner_text()
    screenshot(page, f"case-rule-{lang}-{width}")


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_case_page_speaks_words_not_raw_values(
    page: Any, server: Server, stolen_passport_case: dict[str, Any], lang: str
) -> None:
    sign_in(page, server, "officer_mnl")
    if lang == "ja":
        page.click("#lang-switch")
    page.goto(f"{server.url}/console/cases/APP-STOLEN-1")
    record = stolen_passport_case["record"]
    content = page.locator("main").inner_text()
    # No Python structures, no codes, no raw enumeration values.
    for raw in ("{'", "[{", "linked_to", "RULE-", record["visa_category"]):
        assert raw not in content, raw
    category = VISA_CATEGORIES[record["visa_category"]][1 if lang == "ja" else 0]
    assert category in content
    spoken = page.locator("#guidance").inner_text()
    for code in record["applicant"]["languages"]:
        assert LANGUAGES[code][1 if lang == "ja" else 0] in spoken
    # The phone's database record is one click away.
    link = page.locator(f'#rules a[href$="/records/{stolen_passport_case["phone_id"]}"]').first
    assert link.count() == 1
    link.click()
    assert stolen_passport_case["phone_id"] in page.locator("h1").inner_text()
    assert page.locator("#record-table").count() == 1
    screenshot(page, f"record-{lang}-1366")


def test_worklist_reasons_are_texts(
    page: Any, server: Server, stolen_passport_case: dict[str, Any]
) -> None:
    sign_in(page, server, "officer_mnl")
    row = page.locator('tr[data-case="APP-STOLEN-1"]')
    assert "reported lost, stolen or forged" in row.inner_text()
    assert "RULE-DOC-REPORTED" not in row.inner_text()


@pytest.fixture(scope="module")
def second_rule_case(server: Server, stolen_passport_case: dict[str, Any]) -> str:
    record = copy.deepcopy(stolen_passport_case["record"])
    record["application_id"] = "APP-OUTCOME-1"
    score_as_officer(server, record)
    return "APP-OUTCOME-1"


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_outcome_form_has_no_false_defaults_and_uses_the_posts_time(
    page: Any, server: Server, second_rule_case: str, lang: str
) -> None:
    sign_in(page, server, "officer_mnl")
    if lang == "ja":
        page.click("#lang-switch")
    page.goto(f"{server.url}/console/cases/{second_rule_case}")
    assert page.locator("#outcome").input_value() == ""
    assert not page.locator("#victim_support_offered").is_checked()
    assert page.locator("#outcome-form [name=referral_source]").count() == 0
    source = page.locator("#referral-source").inner_text()
    assert ("rule" in source) if lang == "en" else ("ルール" in source)
    assert "Asia/Manila, UTC+08:00" in page.locator("#zone").inner_text()
    screenshot(page, f"case-outcome-form-{lang}-1366")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, f"case-outcome-form-{lang}-390")
    # Submitting without choosing records nothing and says which field.
    page.click("#outcome-form button[type=submit]")
    alert = page.locator("[role=alert]").inner_text()
    assert ("Outcome: choose" in alert) if lang == "en" else ("結果：面接の結果を選択" in alert)
    assert page.locator("#outcome-form").count() == 1


def test_outcome_correction_keeps_the_first_in_history_and_log(
    page: Any, server: Server, second_rule_case: str
) -> None:
    from sqlalchemy import select

    from mizugiwa.db.engine import session_scope
    from mizugiwa.service.tables import DecisionLogEntry, InterviewOutcome

    sign_in(page, server, "officer_mnl")
    page.goto(f"{server.url}/console/cases/{second_rule_case}")
    page.select_option("#outcome", "no_concern")
    page.fill("#interviewed_at", "2024-06-02T09:00")
    page.click("#outcome-form button[type=submit]")
    assert "Outcome recorded: no concern" in page.locator("[role=alert]").inner_text()
    engine = server.app.state.runtime.engine
    with session_scope(engine) as session:
        row = session.scalar(
            select(InterviewOutcome).where(InterviewOutcome.case_id == second_rule_case)
        )
        assert row is not None
        at = row.interviewed_at
        assert (at.hour, at.minute) == (1, 0)  # 09:00 in Manila is 01:00 UTC
        assert row.referral_source == "rule"
        assert row.victim_support_offered is False
    page.click("#correction summary")
    page.select_option("#c-outcome", "trafficking_victim")
    page.fill("#c-interviewed_at", "2024-06-02T09:00")
    page.check("#c-victim_support_offered")
    page.fill("#c-reason", "Interpreter's notes read again with the supervisor")
    page.click("#correction-form button[type=submit]")
    assert "Outcome corrected" in page.locator("[role=alert]").inner_text()
    rows = page.locator("#outcome-history tbody tr")
    assert [r.get_attribute("data-state") for r in rows.all()] == ["replaced", "current"]
    assert "no concern" in rows.first.inner_text()
    assert "trafficking victim" in rows.last.inner_text()
    screenshot(page, "case-corrected-en-1366")
    with session_scope(engine) as session:
        entries = session.scalars(
            select(DecisionLogEntry).where(DecisionLogEntry.case_id == second_rule_case)
        ).all()
        codes = [code for e in entries for code in e.reason_codes]
    assert "OUTCOME:no_concern" in codes
    assert "OUTCOME:trafficking_victim" in codes and "CORRECTS:no_concern" in codes
