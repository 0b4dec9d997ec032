"""Bad input: field-level 422s, a body-size limit, and rejected requests that are logged and
change nothing else."""

from __future__ import annotations

from collections.abc import Iterator

from fastapi.testclient import TestClient
from service_samples import APPLICATION, ENTRY, bearer, sample
from sqlalchemy import func, select

from mizugiwa.db.engine import session_scope
from mizugiwa.service.audit import verify
from mizugiwa.service.runtime import ServiceRuntime
from mizugiwa.service.tables import DecisionLogEntry, StoredCase


def _log(runtime: ServiceRuntime) -> list[DecisionLogEntry]:
    with session_scope(runtime.engine) as session:
        return list(session.scalars(select(DecisionLogEntry).order_by(DecisionLogEntry.seq)))


def _stored_cases(runtime: ServiceRuntime) -> int:
    with session_scope(runtime.engine) as session:
        return int(session.scalar(select(func.count()).select_from(StoredCase)) or 0)


def test_invalid_field_gives_422_naming_it_and_is_logged(
    client: TestClient, tokens: dict[str, str], runtime: ServiceRuntime
) -> None:
    body = sample(ENTRY, declared_stay_days=-3, flight_number="not a flight")
    response = client.post(
        "/v1/border-entries/score",
        json=body,
        headers={**bearer(tokens["inspector"]), "X-Request-ID": "req-422"},
    )
    assert response.status_code == 422
    assert response.headers["x-request-id"] == "req-422"
    errors = response.json()["detail"]
    locs = {tuple(e["loc"]) for e in errors}
    assert ("body", "declared_stay_days") in locs and ("body", "flight_number") in locs
    assert all(e["msg"] for e in errors)
    assert "input" not in errors[0]  # the rejected input is not echoed back
    [entry] = _log(runtime)
    assert entry.status == 422 and entry.request_id == "req-422"
    assert entry.endpoint == "POST /v1/border-entries/score"
    assert entry.input_sha256 and len(entry.input_sha256) == 64
    assert "declared_stay_days" in (entry.error or "")
    assert "ERIKSSON" not in (entry.error or "")  # no personal data in the log
    assert _stored_cases(runtime) == 0


def test_nested_date_rule_is_reported_at_its_field(
    client: TestClient, tokens: dict[str, str]
) -> None:
    body = sample(APPLICATION)
    body["passport"]["expiry_date"] = "2019-01-01"
    response = client.post(
        "/v1/visa-applications/score", json=body, headers=bearer(tokens["officer_mnl"])
    )
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"] == ["body", "passport"] and "expiry_date" in error["msg"]


def test_malformed_json_is_422_not_500(client: TestClient, tokens: dict[str, str]) -> None:
    for raw in (b"{", b"null", b"[]", b'"text"', b"\xff\xfe", b'{"entry_id": 1e999}'):
        response = client.post(
            "/v1/border-entries/score",
            content=raw,
            headers={**bearer(tokens["inspector"]), "Content-Type": "application/json"},
        )
        assert response.status_code == 422, raw


def test_body_over_the_limit_is_413(
    client: TestClient, tokens: dict[str, str], runtime: ServiceRuntime
) -> None:
    big = sample(ENTRY, declared_address="x" * (runtime.settings.max_body_bytes + 10))
    response = client.post(
        "/v1/border-entries/score", json=big, headers=bearer(tokens["inspector"])
    )
    assert response.status_code == 413
    assert "limit" in response.json()["detail"]

    def chunks() -> Iterator[bytes]:
        for _ in range(100):
            yield b"x" * 1024

    streamed = client.post(
        "/v1/border-entries/score",
        content=chunks(),
        headers={**bearer(tokens["inspector"]), "Content-Type": "application/json"},
    )
    assert streamed.status_code == 413
    assert _stored_cases(runtime) == 0


def test_forbidden_request_is_logged_with_who_and_changes_nothing(
    client: TestClient, tokens: dict[str, str], runtime: ServiceRuntime
) -> None:
    response = client.post(
        "/v1/visa-applications/score", json=APPLICATION, headers=bearer(tokens["officer_bkk"])
    )
    assert response.status_code == 403
    assert "post_code" in response.json()["detail"]
    [entry] = _log(runtime)
    assert entry.status == 403 and entry.user_id is not None and entry.input_sha256
    assert _stored_cases(runtime) == 0
    assert verify(runtime.engine).ok


def test_request_ids_are_generated_and_sanitised(client: TestClient) -> None:
    generated = client.get("/healthz")
    assert len(generated.headers["x-request-id"]) == 16
    hostile = client.get("/healthz", headers={"X-Request-ID": "bad id\twith spaces"})
    assert hostile.headers["x-request-id"] != "bad id\twith spaces"


def test_query_parameters_are_validated(client: TestClient, tokens: dict[str, str]) -> None:
    headers = bearer(tokens["analyst"])
    assert client.get("/v1/referrals?limit=0", headers=headers).status_code == 422
    assert client.get("/v1/referrals?status=lost", headers=headers).status_code == 422
    assert client.get("/v1/referrals?since=yesterday", headers=headers).status_code == 422
    bad_cursor = client.get("/v1/referrals?cursor=zzzz", headers=headers)
    assert bad_cursor.status_code == 422
    assert bad_cursor.json()["detail"][0]["loc"] == ["query", "cursor"]  # always field errors
    search = client.get("/v1/watchlist/search?kind=planet&query=x", headers=headers)
    assert search.status_code == 422
