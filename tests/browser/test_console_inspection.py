"""The border inspection page: the answer first and announced, plain messages, scanner input."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import Server, require_champion, screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.slow]

LINE1 = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<"
LINE2 = "L898902C36UTO7408122F1204159ZE184226B<<<<<10"
SIZES = {1366: 768, 390: 844}


def _to_lang(page: Any, lang: str) -> None:
    if lang == "ja":
        page.click("#lang-switch")


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize("width", [1366, 390])
def test_answer_comes_first_takes_focus_and_is_announced(
    page: Any, server: Server, lang: str, width: int
) -> None:
    require_champion(server.world)
    page.set_viewport_size({"width": width, "height": SIZES[width]})
    sign_in(page, server, "inspector")
    _to_lang(page, lang)
    page.fill("#mrz", f"{LINE1}\n{LINE2}")
    page.fill("#flight_number", "PR428")
    page.fill("#port_code", "NRT")
    page.click("#inspection-form button[type=submit]")
    banner = page.locator("#answer-banner")
    banner.wait_for()
    box = banner.bounding_box()
    assert box is not None and box["y"] + box["height"] <= SIZES[width], box
    assert page.evaluate("document.activeElement.id") == "answer-banner"
    live = page.locator("#answer-live")
    assert live.get_attribute("aria-live") in ("assertive", "polite")
    assert live.locator("#answer-banner").count() == 1
    if banner.get_attribute("data-refer") == "false":
        # Interview guidance belongs to a referral only.
        assert page.locator("#guidance").count() == 0
        assert "woman" not in page.locator("main").inner_text()
    screenshot(page, f"inspection-answer-{lang}-{width}")


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_validation_messages_are_sentences_naming_the_field(
    page: Any, server: Server, lang: str
) -> None:
    sign_in(page, server, "inspector")
    _to_lang(page, lang)
    page.fill("#mrz", f"{LINE1}\n{LINE2[:40]}")
    page.fill("#flight_number", "not a flight")
    page.fill("#port_code", "N1")
    page.click("#inspection-form button[type=submit]")
    problems = page.locator("#input-problems").inner_text()
    assert "pattern" not in problems and "^" not in problems
    if lang == "en":
        assert "Machine-readable zone (MRZ) line 2 has 40 characters, line 1 has 44" in problems
    else:
        assert "機械読取領域（MRZ）の2行目は40文字" in problems
    page.fill("#mrz", f"{LINE1}\n{LINE2}")
    page.click("#inspection-form button[type=submit]")
    problems = page.locator("#input-problems").inner_text()
    if lang == "en":
        assert "Flight number: give the airline's code" in problems
        assert "Port of entry: give its three-letter code" in problems
    else:
        assert "便名：航空会社コードと便番号を入力してください" in problems
        assert "出入国港：3文字のコードを入力してください" in problems
    screenshot(page, f"inspection-invalid-{lang}-1366")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, f"inspection-invalid-{lang}-390")


def test_a_scanners_final_enter_checks_the_traveller(page: Any, server: Server) -> None:
    require_champion(server.world)
    sign_in(page, server, "inspector")
    page.fill("#flight_number", "PR428")
    page.fill("#port_code", "NRT")
    page.focus("#mrz")
    page.keyboard.type(LINE1)
    page.keyboard.press("Enter")  # between the lines: a new line, no submission
    assert page.locator("#answer-banner").count() == 0
    page.keyboard.type(LINE2)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("#answer-banner").count() == 1


def test_japanese_pages_use_one_term_per_concept(page: Any, server: Server) -> None:
    sign_in(page, server, "inspector")
    _to_lang(page, "ja")
    main = page.locator("body").inner_text()
    assert page.locator("h1").inner_text() == "上陸審査"
    assert page.locator("#inspection-form button[type=submit]").inner_text() == "確認する"
    for term in ("出入国港", "査証申請番号", "機械読取領域（MRZ）"):
        assert term in main, term
    assert "照会" not in main
    assert "判定記録" not in main  # not this role's page; checked on the auditor's below
    screenshot(page, "inspection-ja-1366")
    page.context.clear_cookies()
    sign_in(page, server, "auditor")
    _to_lang(page, "ja")
    body = page.locator("body").inner_text()
    assert "判定記録" in body and "判断記録" not in body
    assert "候補モデル（チャレンジャー）" in body
    assert "ドリフト（分布の変化" in body
    assert "照会" not in body


def test_fairness_tables_speak_japanese_on_japanese_pages(page: Any, server: Server) -> None:
    require_champion(server.world)
    sign_in(page, server, "analyst")
    _to_lang(page, "ja")
    tables = page.locator("table.fairness")
    if tables.count() == 0:
        pytest.skip("the champion's run has no fairness report")
    headers = tables.first.locator("thead th").all_inner_texts()
    assert "回付率" in headers and "判定" in headers
    for english in ("referral_rate", "false_positive_rate", "status", "attribute"):
        assert english not in headers
    statuses = tables.first.locator("tbody td:last-child").all_inner_texts()
    assert all(
        s in {"基準内", "基準外", "標本誤差の範囲内", "件数不足で測定不可"} for s in statuses
    )
    screenshot(page, "dashboard-ja-1366")
