"""A committed outcome is answered 200 whatever follows, and a retry with the same
``Idempotency-Key`` gets the first answer instead of a 409."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from service_samples import OUTCOME, bearer, sample
from sqlalchemy import func, select
from test_worklist_outcomes import _store_applications

from mizugiwa.db.engine import session_scope
from mizugiwa.service.runtime import ServiceRuntime
from mizugiwa.service.tables import DecisionLogEntry, InterviewOutcome


def _count(runtime: ServiceRuntime, table: type) -> int:
    with session_scope(runtime.engine) as session:
        return int(session.scalar(select(func.count()).select_from(table)) or 0)


def test_a_committed_outcome_is_not_answered_500_when_the_reload_fails(
    client: TestClient,
    tokens: dict[str, str],
    runtime: ServiceRuntime,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    runtime.refresh_views()
    _store_applications(runtime, [("APP-MNL-0001", "MNL", True, 0)])
    real_refresh = runtime.refresh_views
    calls = {"n": 0}

    def failing_refresh():  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 1:
            raise RuntimeError("snapshot reload failed")
        return real_refresh()

    monkeypatch.setattr(runtime, "refresh_views", failing_refresh)
    response = client.post("/v1/outcomes", json=OUTCOME, headers=bearer(tokens["officer_mnl"]))
    assert response.status_code == 200, response.text
    assert _count(runtime, InterviewOutcome) == 1
    # The reload is retried off the request path until it succeeds.
    assert runtime.wait_for_views(timeout=15)
    assert calls["n"] >= 2
    assert runtime.views is not None and runtime.views.index.search("person", "Tanaka Ichiro")


def test_a_retry_with_the_same_key_gets_the_first_answer(
    client: TestClient, tokens: dict[str, str], runtime: ServiceRuntime
) -> None:
    _store_applications(runtime, [("APP-MNL-0001", "MNL", True, 0)])
    headers = {**bearer(tokens["officer_mnl"]), "Idempotency-Key": "booth-7:outcome-1"}
    first = client.post("/v1/outcomes", json=OUTCOME, headers=headers)
    assert first.status_code == 200, first.text
    again = client.post("/v1/outcomes", json=OUTCOME, headers=headers)
    assert again.status_code == 200, again.text
    assert again.json() == first.json()  # the same answer, request id included
    assert _count(runtime, InterviewOutcome) == 1
    entries = _count(runtime, DecisionLogEntry)
    # Without the key the duplicate is still a conflict; with the key and another body, a 422.
    plain = client.post("/v1/outcomes", json=OUTCOME, headers=bearer(tokens["officer_mnl"]))
    assert plain.status_code == 409
    other = client.post("/v1/outcomes", json=sample(OUTCOME, outcome="no_concern"), headers=headers)
    assert other.status_code == 422
    assert other.json()["detail"][0]["loc"] == ["header", "Idempotency-Key"]
    assert _count(runtime, DecisionLogEntry) == entries + 2  # the 409 and the 422, logged
    # Keys are per account: another officer's same key is a new request (here: out of scope).
    stranger = client.post(
        "/v1/outcomes",
        json=OUTCOME,
        headers={**bearer(tokens["officer_bkk"]), "Idempotency-Key": "booth-7:outcome-1"},
    )
    assert stranger.status_code == 404


def test_a_bad_key_is_a_field_error(client: TestClient, tokens: dict[str, str]) -> None:
    response = client.post(
        "/v1/outcomes",
        json=OUTCOME,
        headers={**bearer(tokens["officer_mnl"]), "Idempotency-Key": "no spaces allowed"},
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["header", "Idempotency-Key"]
