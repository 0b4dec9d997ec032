"""The investigators' follow-up page in headless Chromium, in English and Japanese, on a
desktop (1366x768) and a phone (390x844). Its own server: the page needs no model."""

from __future__ import annotations

import copy
import sys
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
import pytest
from conftest import Server, _free_port, screenshot, sign_in

from mizugiwa.settings import Settings

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "service"))
from service_samples import APPLICATION, ENTRY

pytestmark = [pytest.mark.browser]

CLUB_ADDRESS = "3-1-2 Roppongi, Minato-ku, Tokyo"
FACTS = [
    {
        "entity_type": "organisation",
        "id": "O-3",
        "names": ["Club Paradise Roppongi"],
        "org_type": "establishment",
        "establishment_type": "adult_entertainment",
        "source": "police",
        "recorded_at": "2025-06-01",
    },
    {
        "entity_type": "address",
        "id": "A-4",
        "address": CLUB_ADDRESS,
        "linked_to": ["O-3"],
        "source": "police",
        "recorded_at": "2025-06-01",
    },
    {
        "entity_type": "raid",
        "id": "R-5",
        "organisation_id": "O-3",
        "date": "2025-06-01",
        "authority": "police",
        "finding": "illegal_employment",
        "recorded_at": "2025-06-01",
    },
    {
        "entity_type": "travel_document",
        "id": "D-2",
        "number": "L898902C3",
        "issuing_state": "UTO",
        "status": "stolen",
        "source": "interpol_sltd",
        "recorded_at": "2025-06-01",
    },
]
ACCOUNTS = {"investigator": ("investigator", None), "officer_mnl": ("consular_officer", "MNL")}


def _records() -> list[tuple[str, Any]]:
    from mizugiwa.features.records import BorderEntry, VisaApplication

    spouse = copy.deepcopy(APPLICATION)
    spouse["application_id"] = "APP-MNL-0101"
    spouse["sponsor"]["address"] = CLUB_ADDRESS
    worker = copy.deepcopy(APPLICATION)
    worker.update(application_id="APP-MNL-0102", visa_category="entertainer")
    worker.pop("marriage")
    worker["passport"]["number"] = "P7654321B"
    worker["sponsor"] = {"role": "employer", "organisation_name": "Club Paradise Roppongi"}
    worker["employment"] = {
        "employer_name": "Club Paradise Roppongi",
        "establishment_type": "adult_entertainment",
    }
    return [
        ("application", VisaApplication.model_validate(spouse)),
        ("application", VisaApplication.model_validate(worker)),
        ("entry", BorderEntry.model_validate(ENTRY)),
    ]


@pytest.fixture(scope="module")
def follow_up_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    import uvicorn

    from mizugiwa.db.engine import session_scope
    from mizugiwa.db.migrate import upgrade
    from mizugiwa.features.tipdb.loader import load_file
    from mizugiwa.service.app import create_app
    from mizugiwa.service.auth import add_user, issue_token
    from mizugiwa.service.cases import store_scored
    from mizugiwa.service.lookback import runner
    from mizugiwa.service.runtime import ServiceRuntime

    root = tmp_path_factory.mktemp("follow-ups")
    settings = Settings(
        environment="test",
        database_url=f"sqlite:///{root / 'service.sqlite3'}",
        mlflow_tracking_uri=f"sqlite:///{root / 'mlflow.sqlite3'}",
        mlflow_artifact_root=(root / "mlruns").as_uri(),
        model_reload_seconds=3600,
    )
    upgrade(settings.database_url)
    runtime = ServiceRuntime(settings, cache_dir=root / "model-cache")
    with session_scope(runtime.engine) as session:
        for kind, record in _records():
            store_scored(
                session,
                kind=kind,
                record=record,
                score=None,
                request_id=None,
                scored_at=datetime.now(UTC),
            )
    facts = root / "facts.jsonl"
    facts.write_bytes(b"".join(orjson.dumps(line) + b"\n" for line in FACTS))
    runner.after_import(runtime.engine, settings, load_file(runtime.engine, facts).sha256)
    tokens = {}
    for name, (role, post) in ACCOUNTS.items():
        add_user(runtime.engine, name, role, post)
        tokens[name] = issue_token(runtime.engine, name)
    app = create_app(settings, runtime=runtime, reload_models=False)
    port = _free_port()
    uv = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    )
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not uv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the console server did not start")
        time.sleep(0.05)
    yield Server(f"http://127.0.0.1:{port}", tokens, None, app)  # type: ignore[arg-type]
    uv.should_exit = True
    thread.join(timeout=10)
    runtime.close()


@pytest.fixture()
def sized_page(browser: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    width, height = request.param
    context = browser.new_context(locale="en-GB", viewport={"width": width, "height": height})
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.mark.parametrize(
    "sized_page", [(1366, 768), (390, 844)], indirect=True, ids=["desktop", "phone"]
)
def test_investigator_sees_follow_ups_spouse_visa_first_in_both_languages(
    sized_page: Any, follow_up_server: Server
) -> None:
    page = sized_page
    width = page.viewport_size["width"]
    sign_in(page, follow_up_server, "investigator")
    assert page.url.endswith("/console/follow-ups"), page.url
    cards = page.locator("article.follow-up")
    assert cards.count() == 3
    assert cards.nth(0).get_attribute("data-case") == "APP-MNL-0101"
    assert "first" in (cards.nth(0).get_attribute("class") or "")
    first = cards.nth(0).inner_text()
    assert "raided on 2025-06-01" in first and "may be a victim" in first
    assert page.locator("#protection-first").is_visible()
    entry = page.locator('article[data-case="ENT-NRT-0001"]').inner_text()
    assert "after this application or entry" in entry
    # nothing wider than the screen
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    screenshot(page, f"follow-ups-{width}")
    page.click("#lang-switch")
    assert page.locator("h1").inner_text() == "新たな情報に基づく追跡調査"
    assert "2025-06-01に摘発された" in page.locator("article.follow-up").nth(0).inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    screenshot(page, f"follow-ups-ja-{width}")
    page.click("#lang-switch")


@pytest.mark.parametrize("sized_page", [(1366, 768)], indirect=True, ids=["desktop"])
def test_record_a_follow_up_outcome_and_other_roles_are_refused(
    sized_page: Any, follow_up_server: Server
) -> None:
    page = sized_page
    sign_in(page, follow_up_server, "investigator")
    card = page.locator('article[data-case="APP-MNL-0102"]')
    number = card.get_attribute("data-follow-up")
    card.locator("select[name=outcome]").select_option("trafficking_victim")
    card.locator("input[name=victim_support_offered]").check()
    card.locator("button[type=submit]").click()
    assert f"Outcome recorded for follow-up {number}" in page.locator("[role=status]").inner_text()
    assert page.locator('article[data-case="APP-MNL-0102"]').count() == 0  # closed
    page.goto(f"{follow_up_server.url}/console/follow-ups?status=closed")
    closed = page.locator('article[data-case="APP-MNL-0102"]').inner_text()
    assert "trafficking victim" in closed
    context = page.context
    context.clear_cookies()
    sign_in(page, follow_up_server, "officer_mnl")
    response = page.goto(f"{follow_up_server.url}/console/follow-ups")
    assert response is not None and response.status == 403
