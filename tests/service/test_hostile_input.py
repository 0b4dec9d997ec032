"""Hostile and odd input that once answered 500: deeply nested JSON before authentication, a
date at the end of the calendar, invalid UTF-8; and error messages that must not carry the
caller's personal data into the decision log."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from service_samples import bearer
from sqlalchemy import select

from mizugiwa.db.engine import session_scope
from mizugiwa.service.runtime import ServiceRuntime
from mizugiwa.service.tables import DecisionLogEntry

ROUTES = [
    ("POST", "/v1/visa-applications/score"),
    ("POST", "/v1/border-entries/score"),
    ("POST", "/v1/outcomes"),
    ("GET", "/v1/referrals"),
    ("GET", "/v1/model"),
    ("GET", "/v1/reason-codes"),
    ("GET", "/metrics"),
]


def _log(runtime: ServiceRuntime) -> list[DecisionLogEntry]:
    with session_scope(runtime.engine) as session:
        return list(session.scalars(select(DecisionLogEntry).order_by(DecisionLogEntry.seq)))


@pytest.mark.parametrize("depth", [255, 600, 1000, 1100, 5000])
@pytest.mark.parametrize(("method", "path"), ROUTES)
def test_deeply_nested_json_is_a_clear_422_without_any_token(
    client: TestClient, method: str, path: str, depth: int
) -> None:
    body = ("[" * depth + "]" * depth).encode()
    response = client.request(
        method, path, content=body, headers={"Content-Type": "application/json"}
    )
    assert response.status_code in (400, 422), response.text
    detail = response.json()["detail"]
    assert isinstance(detail, list) and detail[0]["loc"] == ["body"]
    assert "nest" in detail[0]["msg"]
    # The connection is still usable: the next request on the same client is answered.
    assert client.get("/healthz").status_code == 200


def test_deep_object_nesting_is_refused_too(client: TestClient) -> None:
    body = ('{"a":' * 300 + "1" + "}" * 300).encode()
    response = client.post(
        "/v1/border-entries/score", content=body, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body"]


def test_invalid_utf8_is_a_documented_422(client: TestClient, tokens: dict[str, str]) -> None:
    response = client.post(
        "/v1/border-entries/score",
        content=b'{"entry_id": "\xff\xfe"}',
        headers={**bearer(tokens["inspector"]), "Content-Type": "application/json"},
    )
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"] == ["body"] and "UTF-8" in error["msg"]
    spec = client.get("/openapi.json").json()
    responses = spec["paths"]["/v1/border-entries/score"]["post"]["responses"]
    assert "UTF-8" in responses["422"]["description"]


@pytest.mark.parametrize("until", ["9999-12-31", "0001-01-01"])
def test_referrals_until_the_end_of_the_calendar(
    client: TestClient, tokens: dict[str, str], until: str
) -> None:
    response = client.get(
        "/v1/referrals", params={"until": until}, headers=bearer(tokens["analyst"])
    )
    assert response.status_code == 200, response.text
    assert response.json()["items"] == []
    response = client.get(
        "/v1/referrals", params={"since": "9999-12-31"}, headers=bearer(tokens["analyst"])
    )
    assert response.status_code == 200


def test_watchlist_error_does_not_echo_the_query(
    client: TestClient, tokens: dict[str, str], runtime: ServiceRuntime
) -> None:
    from mizugiwa.features.context_factory import Lookups
    from mizugiwa.features.matching import WatchlistIndex
    from mizugiwa.features.tipdb.snapshot import Snapshot

    class Refusing(WatchlistIndex):  # an index that refuses the query with a ValueError
        def __init__(self) -> None:
            pass

        def search(self, kind, query, **_kw):  # type: ignore[no-untyped-def, override]
            raise ValueError(f"query: {query!r} has nothing to search on")

    from datetime import UTC, datetime

    runtime.views = Lookups(Snapshot.from_entities([], version="t"), Refusing(), datetime.now(UTC))
    phone = "+63 917 555 0101"
    response = client.get(
        "/v1/watchlist/search",
        params={"kind": "phone", "query": phone},
        headers=bearer(tokens["analyst"]),
    )
    assert response.status_code == 422
    assert "917" not in response.text
    detail = response.json()["detail"]
    assert isinstance(detail, list) and detail[0]["loc"] == ["query", "query"]
    assert all("917" not in (entry.error or "") for entry in _log(runtime))


@pytest.mark.parametrize("since", ["-3.156570140329999e-239", "1700000000", "2025-1-1"])
def test_a_query_date_is_written_as_a_date(
    client: TestClient, tokens: dict[str, str], since: str
) -> None:
    response = client.get(
        "/v1/referrals", params={"since": since}, headers=bearer(tokens["analyst"])
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "since"]


def test_an_unknown_query_parameter_is_refused(client: TestClient, tokens: dict[str, str]) -> None:
    response = client.get(
        "/v1/referrals", params={"unti": "2025-01-01"}, headers=bearer(tokens["analyst"])
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "unti"]


def test_a_body_date_is_not_a_number(client: TestClient, tokens: dict[str, str]) -> None:
    from service_samples import OUTCOME

    response = client.post(
        "/v1/outcomes",
        json=dict(OUTCOME, interviewed_at=0.95),
        headers=bearer(tokens["inspector"]),
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "interviewed_at"]
