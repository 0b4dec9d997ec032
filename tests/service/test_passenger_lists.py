"""``POST /v1/passenger-lists``: a list stored and screened, a receipt for the airline's
gateway, a rejection that names the segment and stores nothing, and the decision logged."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from service_samples import ENTRY, PASSENGER_LIST, bearer
from sqlalchemy import func, select

from mizugiwa.db.engine import make_engine, session_scope
from mizugiwa.features.records import BorderEntry
from mizugiwa.service.audit import DecisionLog
from mizugiwa.service.booth_link import add_prearrival_reasons
from mizugiwa.service.runtime import ServiceRuntime
from mizugiwa.service.tables import DecisionLogEntry, PassengerListRecord, PreArrivalCase

EDIFACT = {"content-type": "application/edifact"}


def _post(client: TestClient, token: str, body: str) -> dict:
    response = client.post(
        "/v1/passenger-lists", content=body, headers={**bearer(token), **EDIFACT}
    )
    return {"status": response.status_code, **response.json()}


def test_an_inspector_gets_the_screening(client: TestClient, tokens: dict[str, str]) -> None:
    answer = _post(client, tokens["inspector"], PASSENGER_LIST)
    assert answer["status"] == 200
    assert (answer["flight"], answer["arrival_port"], answer["persons"]) == ("PR428", "NRT", 1)
    [case] = answer["cases"]
    assert case["refer"] is True
    assert case["rule_codes"] == ["PL-DOC-EXPIRED"]  # the specimen passport expired in 2012
    assert answer["degraded"] == []  # the (empty) trafficking database was read


def test_the_airline_gateway_gets_a_receipt_only(
    client: TestClient, tokens: dict[str, str], runtime: ServiceRuntime
) -> None:
    answer = _post(client, tokens["airline_gateway"], PASSENGER_LIST)
    assert answer["status"] == 200
    assert "cases" not in answer and "referred" not in answer
    again = _post(client, tokens["airline_gateway"], PASSENGER_LIST)
    assert again["replaced"] is True and again["list_id"] == answer["list_id"]
    with session_scope(runtime.engine) as session:
        assert session.scalar(select(func.count()).select_from(PassengerListRecord)) == 1
        assert session.scalar(select(func.count()).select_from(PreArrivalCase)) == 1
        logged = session.scalars(
            select(DecisionLogEntry).where(DecisionLogEntry.endpoint == "POST /v1/passenger-lists")
        ).all()
        assert [entry.rules_fired for entry in logged] == [["PL-DOC-EXPIRED"]] * 2
        assert all(entry.case_id == answer["list_id"] for entry in logged)
        assert all("ERIKSSON" not in str(entry.__dict__) for entry in logged)


def test_a_broken_message_is_rejected_and_nothing_stored(
    client: TestClient, tokens: dict[str, str], runtime: ServiceRuntime
) -> None:
    for body, segment in (
        (PASSENGER_LIST.replace("PAXLST:D:05B", "CUSRES:D:05B"), "segment 2 (UNH)"),
        (PASSENGER_LIST[: PASSENGER_LIST.index("DOC+P") + 10], "segment 15: truncated"),
        (PASSENGER_LIST.replace("UNT+18+1", "UNT+17+1"), "segment 19 (UNT)"),
    ):
        answer = _post(client, tokens["inspector"], body)
        assert answer["status"] == 422
        assert answer["detail"][0]["msg"].startswith(f"passenger list rejected: {segment}")
    with session_scope(runtime.engine) as session:
        assert session.scalar(select(func.count()).select_from(PassengerListRecord)) == 0
        assert session.scalar(select(func.count()).select_from(PreArrivalCase)) == 0


def _score_shape() -> dict:
    """The JSON form of an entry's score before the pre-arrival hook (model says no)."""
    return {"refer": False, "referred_by": [], "reasons": [], "rules_fired": []}


def test_the_booth_finds_the_prearrival_case(
    client: TestClient, tokens: dict[str, str], runtime: ServiceRuntime
) -> None:
    stored = _post(client, tokens["inspector"], PASSENGER_LIST)
    entry = BorderEntry.model_validate(ENTRY)  # PR428, the same passport, the same day
    row = _score_shape()
    skipped: list[str] = []
    case_id = add_prearrival_reasons(runtime, entry, row, skipped)
    assert case_id == f"{stored['list_id']}-0001"
    assert row["refer"] is True and row["referred_by"] == ["rule"]
    [hit] = row["rules_fired"]
    assert hit["code"] == "PL-DOC-EXPIRED"
    assert hit["evidence"]["prearrival_case_id"] == case_id
    assert skipped == []
    with session_scope(runtime.engine) as session:
        linked = session.scalar(select(PreArrivalCase.entry_case_id))
    assert linked == ENTRY["entry_id"]
    # another flight, or the same flight a week later: no link
    for changes in ({"flight_number": "PR432"}, {"arrived_at": "2025-04-08T14:30:00+09:00"}):
        other = BorderEntry.model_validate({**ENTRY, **changes})
        assert add_prearrival_reasons(runtime, other, _score_shape(), []) is None


def test_the_booth_answers_when_the_database_does_not(
    client: TestClient, tokens: dict[str, str], runtime: ServiceRuntime
) -> None:
    _post(client, tokens["inspector"], PASSENGER_LIST)
    runtime.engine.dispose()
    broken = runtime.engine.url
    runtime.engine = make_engine("sqlite:////nonexistent/folder/db.sqlite3")
    try:
        skipped: list[str] = []
        row = _score_shape()
        entry = BorderEntry.model_validate(ENTRY)
        assert add_prearrival_reasons(runtime, entry, row, skipped) is None
        assert skipped and skipped[0].startswith("pre-arrival lookup skipped")
        assert row == _score_shape()
    finally:
        runtime.engine = make_engine(broken.render_as_string(hide_password=False))


def test_the_flights_page_lists_referred_passengers_first(
    client: TestClient, tokens: dict[str, str]
) -> None:
    _post(client, tokens["inspector"], PASSENGER_LIST)
    form = client.get("/console/sign-in").text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', form)
    assert csrf is not None
    signed = client.post(
        "/console/sign-in",
        data={"name": "inspector", "token": tokens["inspector"], "csrf_token": csrf.group(1)},
        follow_redirects=False,
    )
    assert signed.status_code in (302, 303)
    page = client.get("/console/flights?port=NRT")
    assert page.status_code == 200
    html = page.text
    assert "PR428 MNL → NRT" in html
    assert "ERIKSSON ANNA MARIA" in html
    assert "PL-DOC-EXPIRED" in html
    assert 'id="latest-lists"' in html  # the sample flight landed long ago
    other = client.get("/console/flights?port=KIX").text
    assert "No passenger list has been received." in other


def test_the_prearrival_referral_feed(client: TestClient, tokens: dict[str, str]) -> None:
    headers = bearer(tokens["inspector"])
    stored = _post(client, tokens["airline_gateway"], PASSENGER_LIST)
    feed = client.get("/v1/passenger-lists/referrals", headers=headers).json()
    [event] = feed["items"]
    assert event["case_id"] == f"{stored['list_id']}-0001"
    assert (event["flight"], event["port_code"]) == ("PR428", "NRT")
    assert event["rule_codes"] == ["PL-DOC-EXPIRED"]
    assert "ERIKSSON" not in str(feed)
    after = feed["next_after"]
    newer = client.get(f"/v1/passenger-lists/referrals?after={after}", headers=headers).json()
    assert newer == {"items": [], "next_after": after}
    elsewhere = client.get("/v1/passenger-lists/referrals?port=KIX", headers=headers).json()
    assert elsewhere["items"] == []
    _post(client, tokens["airline_gateway"], PASSENGER_LIST)  # sent again: screened again
    again = client.get(f"/v1/passenger-lists/referrals?after={after}", headers=headers).json()
    assert [e["case_id"] for e in again["items"]] == [event["case_id"]]


def test_a_database_that_fails_gives_503_with_retry_after(
    client: TestClient, tokens: dict[str, str], runtime: ServiceRuntime
) -> None:
    working = runtime.decision_log
    runtime.decision_log = DecisionLog(make_engine("sqlite:////nonexistent/folder/db.sqlite3"))
    try:
        response = client.post(
            "/v1/passenger-lists",
            content=PASSENGER_LIST,
            headers={**bearer(tokens["inspector"]), **EDIFACT},
        )
    finally:
        runtime.decision_log = working
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    assert response.json()["detail"].startswith("passenger list not stored: database unavailable")
    with session_scope(runtime.engine) as session:
        assert session.scalar(select(func.count()).select_from(PassengerListRecord)) == 0


def test_a_feed_position_beyond_any_list_is_refused_not_a_server_error(
    client: TestClient, tokens: dict[str, str]
) -> None:
    """Found by the contract run: a position past 64-bit integers reached the database."""
    answer = client.get(
        "/v1/passenger-lists/referrals",
        params={"after": 9223372036855252992, "limit": 1},
        headers={"Authorization": f"Bearer {tokens['inspector']}"},
    )
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["loc"] == ["query", "after"]
