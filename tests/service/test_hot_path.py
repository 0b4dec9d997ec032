"""The scoring hot path's own parts: the case row and the decision written in one driver
transaction (on SQLite and PostgreSQL), the bounded caches, and the pre-serialised response."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from service_samples import APPLICATION, ENTRY, bearer, sample
from sqlalchemy import func, select

from mizugiwa.db.engine import make_engine, session_scope
from mizugiwa.features.records import BorderEntry, Concern, VisaApplication
from mizugiwa.service.audit import Decision, DecisionLog, verify
from mizugiwa.service.cases import find_application, store_scored_driver
from mizugiwa.service.errors import ConflictError
from mizugiwa.service.scoring_cache import LRU, CaseCache, LinkedProbabilities
from mizugiwa.service.tables import DecisionLogEntry, StoredCase


def _row(case_id: str, kind: str, refer: bool) -> dict[str, Any]:
    """A score in its JSON form, as the scorer hands it to the service."""
    return {
        "case_id": case_id,
        "kind": kind,
        "risk": 0.42,
        "refer": refer,
        "referred_by": ["model"] if refer else [],
        "reasons": [{"code": "SM-AGE-GAP"}] if refer else [],
        "rules_fired": [{"code": "RULE-MRZ-CHECK"}],
        "model": {"name": "m", "version": "7"},
    }


def _append(log: DecisionLog, record: VisaApplication | BorderEntry, kind: str, rid: str) -> None:
    case_id = record.application_id if isinstance(record, VisaApplication) else record.entry_id
    row = _row(case_id, kind, refer=True)
    log.append(
        Decision(
            endpoint="POST /v1/border-entries/score",
            request_id=rid,
            status=200,
            case_id=case_id,
            model_name="m",
            model_version="7",
        ),
        also=lambda transaction: store_scored_driver(
            transaction,
            log.engine.dialect,
            kind=kind,
            record=record,
            score=row,
            request_id=rid,
            scored_at=datetime(2025, 4, 1, tzinfo=UTC),
        ),
    )


def test_case_and_decision_in_one_transaction(migrated_db_url: str) -> None:
    engine = make_engine(migrated_db_url)
    try:
        log = DecisionLog(engine)
        application = VisaApplication.model_validate(APPLICATION)
        _append(log, application, "application", "r1")
        _append(log, application, "application", "r2")  # re-scored: the row is updated
        with session_scope(engine) as session:
            case = session.scalar(select(StoredCase))
            assert case is not None and case.request_id == "r2" and case.refer is True
            assert case.reason_codes == ["SM-AGE-GAP"] and case.rule_codes == ["RULE-MRZ-CHECK"]
            assert case.model_version == "7" and case.status == "pending"
            assert case.case_date.replace(tzinfo=UTC) == application.submitted_at.astimezone(UTC)
            assert find_application(session, application.application_id) == application
        with engine.connect() as connection:  # the hot path reads through a Core connection
            assert find_application(connection, application.application_id) == application
            assert find_application(connection, "NO-SUCH-APP") is None

        # A case id of the other kind: 409, and neither the case nor the decision is written.
        clash = BorderEntry.model_validate(sample(ENTRY, entry_id=application.application_id))
        with pytest.raises(ConflictError, match="another kind"):
            _append(log, clash, "entry", "r3")
        with session_scope(engine) as session:
            assert session.scalar(select(func.count()).select_from(DecisionLogEntry)) == 2
            assert session.scalar(select(StoredCase.kind)) == "application"
        report = verify(engine)
        assert report.ok and report.entries == 2
    finally:
        engine.dispose()


def test_lru_forgets_the_least_recently_used() -> None:
    cache: LRU[int] = LRU(size=2)
    cache["a"], cache["b"] = 1, 2
    assert cache.get("a") == 1  # "a" is now the most recent
    cache["c"] = 3
    assert "b" not in cache and cache.get("a") == 1 and cache.get("c") == 3
    assert cache.get("zz") is None and cache.misses >= 1 and cache.hits >= 3
    cache.discard("a")
    cache.discard("a")  # absent: nothing happens
    assert list(cache) == ["c"]


def test_case_cache_keys_by_kind_and_case_id() -> None:
    cache = CaseCache(size=10)
    application = VisaApplication.model_validate(APPLICATION)
    cache.put("application", application.application_id, application)
    assert cache.find("application", APPLICATION["application_id"]) is application
    assert cache.find("entry", APPLICATION["application_id"]) is None


def test_linked_probabilities_follow_the_scorer_and_the_views() -> None:
    linked = LinkedProbabilities(size=10)
    scorer, views, new_views = object(), object(), object()
    first = linked.for_state(scorer, views)
    first["A1"] = {c: 0.1 for c in Concern}
    assert linked.for_state(scorer, views) is first and "A1" in first
    linked.forget("A1")
    assert "A1" not in first
    first["A2"] = {c: 0.2 for c in Concern}
    swapped = linked.for_state(scorer, new_views)
    assert swapped is not first and len(swapped) == 0  # new views: nothing carries over
    assert len(linked.for_state(object(), new_views)) == 0  # a new scorer likewise


def test_a_rejected_score_is_logged_and_answers_json(
    client: TestClient, tokens: dict[str, str]
) -> None:
    """Without a champion the score endpoint answers 503 as JSON with the request id; a
    wrong role is refused (403) and that refusal is written to the decision log."""
    response = client.post(
        "/v1/border-entries/score", json=ENTRY, headers=bearer(tokens["inspector"])
    )
    assert response.status_code == 503
    assert response.json()["request_id"] == response.headers["x-request-id"]
    refused = client.post("/v1/border-entries/score", json=ENTRY, headers=bearer(tokens["analyst"]))
    assert refused.status_code == 403
    runtime = client.app.state.runtime  # type: ignore[attr-defined]
    with session_scope(runtime.engine) as session:
        statuses = list(session.scalars(select(DecisionLogEntry.status)))
    assert 403 in statuses


def test_the_breaker_pauses_database_calls_after_a_failure() -> None:
    from mizugiwa.service.breaker import DatabaseBreaker

    breaker = DatabaseBreaker(pause_seconds=60)
    assert not breaker.open
    breaker.failed()
    assert breaker.open
    breaker.succeeded()
    assert not breaker.open
    quick = DatabaseBreaker(pause_seconds=0)
    quick.failed()
    assert not quick.open
