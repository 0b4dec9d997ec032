"""A database outage under load, against a PostgreSQL server this test starts and stops.

The service runs as it does in production (``mizugiwa serve`` in a process of its own, the
cached champion, the registry unreachable) while threads send scores, outcomes and worklist
reads. The server is stopped for several seconds and started again. Required: every request
gets a correct answer (a score marked ``degraded``) or 503 with ``Retry-After``, never a 500
nor a reset connection; ``/readyz`` turns 503 within 2 s of the outage and 200 within 5 s of
recovery, and the health probes answer at once throughout; no acknowledged write is lost and
nothing is committed behind an error; the decision log's chain still verifies.
"""

from __future__ import annotations

import copy
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from private_postgres import PrivatePostgres, free_port
from service_samples import APPLICATION, ENTRY, OUTCOME
from sqlalchemy import select
from tiny_champion import write_cached_champion

from mizugiwa.db.engine import make_engine, session_scope
from mizugiwa.db.migrate import upgrade
from mizugiwa.features.records import VisaApplication
from mizugiwa.service.audit import verify
from mizugiwa.service.auth import add_user, issue_token
from mizugiwa.service.cases import store_scored
from mizugiwa.service.runtime import ServiceRuntime
from mizugiwa.service.tables import DecisionLogEntry, InterviewOutcome
from mizugiwa.settings import Settings

pytestmark = [pytest.mark.postgres]
OUTCOME_CASES = 300


@dataclass
class Answer:
    kind: str
    at: float
    status: int | None = None
    retry_after: str | None = None
    body: dict[str, Any] = field(default_factory=dict)
    error: str | None = None
    case_id: str | None = None


@pytest.fixture
def server(tmp_path: Path) -> Iterator[dict[str, Any]]:
    try:
        pg = PrivatePostgres()
    except RuntimeError as exc:
        pytest.skip(str(exc))
    pg.start()
    try:
        settings = Settings(
            environment="test",
            database_url=pg.url,
            mlflow_tracking_uri="http://127.0.0.1:9",  # a registry that refuses: cached champion
            model_cache_dir=tmp_path / "model-cache",
            decision_spool_path=tmp_path / "spool.jsonl",
            audit_checkpoint_path=tmp_path / "checkpoint.json",
            model_reload_seconds=3600,
        )
        upgrade(settings.database_url)
        runtime = ServiceRuntime(settings)
        write_cached_champion(runtime._cache_path())
        add_user(runtime.engine, "inspector", "border_inspector")
        add_user(runtime.engine, "officer", "consular_officer", "MNL")
        tokens = {name: issue_token(runtime.engine, name) for name in ("inspector", "officer")}
        base = datetime(2025, 3, 1, 9, tzinfo=UTC)
        with session_scope(runtime.engine) as session:
            for i in range(OUTCOME_CASES):
                record = VisaApplication.model_validate(
                    dict(copy.deepcopy(APPLICATION), application_id=f"OUT-{i:04d}")
                )
                store_scored(
                    session,
                    kind="application",
                    record=record,
                    score=None,
                    request_id=None,
                    scored_at=base + timedelta(minutes=i),
                )
        runtime.close()
        port = free_port()
        env = dict(os.environ)
        env.update(
            MIZUGIWA_ENVIRONMENT="test",
            MIZUGIWA_DATABASE_URL=pg.url,
            MIZUGIWA_MLFLOW_TRACKING_URI=settings.mlflow_tracking_uri,
            MIZUGIWA_MODEL_CACHE_DIR=str(settings.model_cache_dir),
            MIZUGIWA_DECISION_SPOOL_PATH=str(settings.decision_spool_path),
            MIZUGIWA_AUDIT_CHECKPOINT_PATH=str(settings.audit_checkpoint_path),
            MIZUGIWA_MODEL_RELOAD_SECONDS="3600",
            MIZUGIWA_PORT=str(port),
            MIZUGIWA_HOST="127.0.0.1",
        )
        log_path = tmp_path / "server.log"
        with log_path.open("wb") as log:
            process = subprocess.Popen(
                [sys.executable, "-m", "mizugiwa.cli", "serve", "--no-migrate"],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    if httpx.get(f"{url}/readyz", timeout=1).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                assert process.poll() is None, log_path.read_text()[-3000:]
                assert time.monotonic() < deadline, log_path.read_text()[-3000:]
                time.sleep(0.2)
            yield {"url": url, "pg": pg, "settings": settings, "tokens": tokens, "log": log_path}
        finally:
            process.terminate()
            process.wait(timeout=20)
    finally:
        pg.destroy()


def _send(client: httpx.Client, kind: str, i: int, tokens: dict[str, str]) -> Answer:
    answer = Answer(kind, time.monotonic())
    if kind == "entry":
        path, token = "/v1/border-entries/score", tokens["inspector"]
        body = dict(copy.deepcopy(ENTRY), entry_id=f"ENT-{i:05d}", visa_reference=None)
    elif kind == "application":
        path, token = "/v1/visa-applications/score", tokens["officer"]
        body = dict(copy.deepcopy(APPLICATION), application_id=f"NEW-{i:05d}")
    else:
        path, token = "/v1/outcomes", tokens["officer"]
        answer.case_id = f"OUT-{i:04d}"
        outcome = "sham_marriage" if i % 10 == 0 else "no_concern"
        body = dict(OUTCOME, case_id=answer.case_id, outcome=outcome)
    headers = {"Authorization": f"Bearer {token}"}
    try:
        if kind == "referrals":
            response = client.get("/v1/referrals", params={"limit": 5}, headers=headers)
        else:
            response = client.post(path, json=body, headers=headers)
    except httpx.TransportError as exc:
        answer.error = f"{type(exc).__name__}: {exc}"
        return answer
    answer.status = response.status_code
    answer.retry_after = response.headers.get("retry-after")
    answer.body = response.json()
    return answer


def _load(url: str, tokens: dict[str, str], stop: threading.Event, out: list[Answer]) -> None:
    """About 10 entries, 5 applications, 5 outcomes and 2 worklist reads a second."""
    plan = ["entry", "application", "entry", "outcome"] * 5 + ["referrals"] * 2
    counters = {"entry": 0, "application": 0, "outcome": 0, "referrals": 0}
    with httpx.Client(base_url=url, timeout=10) as client:
        while not stop.is_set():
            started = time.monotonic()
            for kind in plan:
                if stop.is_set():
                    return
                if kind == "outcome" and counters["outcome"] >= OUTCOME_CASES:
                    continue
                out.append(_send(client, kind, counters[kind], tokens))
                counters[kind] += 1
            time.sleep(max(0.0, 1.0 - (time.monotonic() - started)))


def test_outage_is_answered_with_503_or_degraded_and_nothing_is_lost(
    server: dict[str, Any],
) -> None:
    url, pg, tokens = server["url"], server["pg"], server["tokens"]
    answers: list[Answer] = []
    stop = threading.Event()
    loader = threading.Thread(target=_load, args=(url, tokens, stop, answers))
    probes: list[tuple[float, str, int | None, float]] = []  # (at, path, status, seconds)

    def probe(path: str) -> int | None:
        began = time.monotonic()
        try:
            status: int | None = httpx.get(f"{url}{path}", timeout=5).status_code
        except httpx.TransportError:
            status = None
        probes.append((began, path, status, time.monotonic() - began))
        return status

    loader.start()
    try:
        time.sleep(3)
        assert probe("/readyz") == 200
        down_at = time.monotonic()
        pg.stop("fast")
        not_ready_at = None
        while time.monotonic() - down_at < 8:
            if probe("/readyz") == 503 and not_ready_at is None:
                not_ready_at = time.monotonic()
            probe("/healthz")
            time.sleep(0.1)
        assert not_ready_at is not None and not_ready_at - down_at <= 2.0
        pg.start()
        up_at = time.monotonic()
        ready_at = None
        while time.monotonic() - up_at < 10:
            if probe("/readyz") == 200:
                ready_at = time.monotonic()
                break
            time.sleep(0.1)
        assert ready_at is not None and ready_at - up_at <= 5.0
        time.sleep(3)
    finally:
        stop.set()
        loader.join(timeout=30)

    log_text = server["log"].read_text()
    resets = [a for a in answers if a.error]
    assert not resets, resets[:3]
    assert all(p[2] is not None for p in probes), "a health probe got no answer"
    assert max(p[3] for p in probes) < 1.0, "a health probe stalled"
    assert not [a for a in answers if a.status == 500], log_text[-3000:]
    unexpected = [a for a in answers if a.status not in (200, 503)]
    assert not unexpected, unexpected[:3]
    refused = [a for a in answers if a.status == 503]
    assert refused, "the outage was not seen by any request"
    assert all(a.retry_after and int(a.retry_after) > 0 for a in refused)
    scores = [a for a in answers if a.kind in ("entry", "application") and a.status == 200]
    during = [a for a in scores if down_at <= a.at <= up_at]
    assert during and all(a.body["degraded"] for a in during)

    # Nothing lost, nothing committed behind an error. One more write chains the spool.
    engine = make_engine(pg.url)
    try:
        httpx.post(
            f"{url}/v1/border-entries/score",
            json=dict(ENTRY, entry_id="ENT-FLUSH", visa_reference=None),
            headers={"Authorization": f"Bearer {tokens['inspector']}"},
            timeout=10,
        ).raise_for_status()
        with session_scope(engine) as session:
            recorded = set(session.scalars(select(InterviewOutcome.case_id)))
            logged = set(session.scalars(select(DecisionLogEntry.request_id)))
        outcomes = [a for a in answers if a.kind == "outcome"]
        acknowledged = {a.case_id for a in outcomes if a.status == 200}
        failed = {a.case_id for a in outcomes if a.status == 503}
        assert acknowledged and acknowledged <= recorded
        assert not (failed & recorded), "an outcome answered 503 was stored"
        acknowledged_scores = {a.body["request_id"] for a in scores}
        assert acknowledged_scores <= logged, "an acknowledged score is missing from the log"
        report = verify(engine, key=server["settings"].hmac_key)
        assert report.ok, report.problems[:3]
    finally:
        engine.dispose()
