"""The service with a real champion: a synthetic world is generated, trained on, registered in
a temporary MLflow store and promoted once per session; then the officer's and the inspector's
paths are walked end to end."""

from __future__ import annotations

import copy
import functools
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from service_samples import bearer
from sqlalchemy import select

from mizugiwa.db.engine import session_scope
from mizugiwa.features.records import BorderEntry
from mizugiwa.service import scoring
from mizugiwa.service.app import create_app
from mizugiwa.service.audit import verify
from mizugiwa.service.auth import Principal, Role, add_user, issue_token
from mizugiwa.service.runtime import ServiceRuntime
from mizugiwa.service.tables import DecisionLogEntry
from mizugiwa.settings import Settings

pytestmark = pytest.mark.slow
WORLD_APPLICATIONS = 15000  # the trainer needs a few confirmed cases of every concern
SEED = 3


def _run(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "mizugiwa.cli", *args], env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, f"{args}: {done.stderr[-2000:]}"
    return done.stdout


@pytest.fixture(scope="session")
def champion_world(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A world, its trafficking database, and a registered, promoted champion."""
    root = tmp_path_factory.mktemp("live")
    values: dict[str, Any] = {
        "environment": "test",
        "database_url": f"sqlite:///{root / 'mizugiwa.sqlite3'}",
        "mlflow_tracking_uri": f"sqlite:///{root / 'mlflow.sqlite3'}",
        "mlflow_artifact_root": (root / "mlruns").as_uri(),
        "model_reload_seconds": 3600,
        "startup_wait_seconds": 600,  # the tests expect a fully started service
        "registry_timeout_seconds": 120,  # a local store, slow to open on a busy machine
    }
    env = dict(os.environ, **{f"MIZUGIWA_{k.upper()}": str(v) for k, v in values.items()})
    world = root / "world"
    _run(
        env,
        "synth",
        "--seed",
        str(SEED),
        "--applications",
        str(WORLD_APPLICATIONS),
        "--entries",
        "2000",
        "--out",
        str(world),
    )
    _run(env, "db", "upgrade")
    _run(env, "db", "load", str(world / "tipdb.jsonl"))
    summary = json.loads(
        _run(env, "train", "--data", str(world), "--seed", str(SEED)).strip().splitlines()[-1]
    )
    from mizugiwa.models.registry import set_alias

    settings = Settings(**values)
    set_alias("champion", str(summary["model_version"]), settings=settings)
    return {"settings": settings, "world": world, "root": root, "version": summary["model_version"]}


@functools.cache
def _records(path: Path) -> list[dict[str, Any]]:
    """The records of a world file (read once; callers copy before changing them)."""
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


@pytest.fixture(scope="session")
def live(champion_world: dict[str, Any]) -> Iterator[dict[str, Any]]:
    settings: Settings = champion_world["settings"]
    runtime = ServiceRuntime(settings, cache_dir=champion_world["root"] / "model-cache")
    app = create_app(settings, runtime=runtime, reload_models=False)
    tokens = {}
    for name, role, post in (
        ("officer_a", "consular_officer", "MNL"),
        ("officer_b", "consular_officer", "BKK"),
        ("inspector", "border_inspector", None),
        ("analyst", "analyst", None),
    ):
        add_user(runtime.engine, name, role, post)
        tokens[name] = issue_token(runtime.engine, name)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield {"client": client, "runtime": runtime, "tokens": tokens, **champion_world}
    runtime.close()


def _application(live: dict[str, Any], post: str, suffix: str, when: datetime) -> dict[str, Any]:
    """A world application with a sponsor, moved to ``post`` and ``when``, with a new id."""
    apps = _records(live["world"] / "applications.jsonl")
    base = next(a for a in apps if (a.get("sponsor") or {}).get("family_name"))
    record = copy.deepcopy(base)
    record["application_id"] = f"T-{suffix}"
    record["post_code"] = post
    record["submitted_at"] = when.isoformat()
    return record


def test_ready_with_the_promoted_champion(live: dict[str, Any]) -> None:
    client: TestClient = live["client"]
    assert client.get("/readyz").status_code == 200
    model = client.get("/v1/model", headers=bearer(live["tokens"]["analyst"])).json()
    assert model["model"]["version"] == str(live["version"])
    assert model["model"]["alias"] == "champion" and model["source"] == "registry"


def test_officer_scores_inspector_links_and_outcome_reaches_other_posts(
    live: dict[str, Any],
) -> None:
    client: TestClient = live["client"]
    tokens = live["tokens"]
    day = datetime.fromisoformat("2025-02-01T09:00:00+00:00")
    first = _application(live, "MNL", "A1", day)
    scored = client.post(
        "/v1/visa-applications/score", json=first, headers=bearer(tokens["officer_a"])
    )
    assert scored.status_code == 200, scored.text
    body = scored.json()
    assert body["request_id"] == scored.headers["x-request-id"]
    assert set(body["probabilities"]) == {"sham_marriage", "impersonation", "exploitation"}
    assert body["model"]["version"] == str(live["version"]) and body["degraded"] is False
    for reason in body["reasons"]:
        assert reason["text_en"] and reason["text_ja"]

    entry = json.loads((live["world"] / "entries.jsonl").read_text().splitlines()[0])
    entry.update(
        entry_id="T-E1",
        visa_reference=first["application_id"],
        arrived_at=(day + timedelta(days=20)).isoformat(),
    )
    at_border = client.post(
        "/v1/border-entries/score", json=entry, headers=bearer(tokens["inspector"])
    )
    assert at_border.status_code == 200, at_border.text
    assert at_border.json()["kind"] == "entry"

    before = client.post(
        "/v1/visa-applications/score",
        json=_application(live, "BKK", "B1", day + timedelta(days=30)),
        headers=bearer(tokens["officer_b"]),
    ).json()
    outcome = {
        "case_id": first["application_id"],
        "interviewed_at": (day + timedelta(days=5)).isoformat(),
        "outcome": "sham_marriage",
        "referral_source": "officer",
    }
    shared = client.post("/v1/outcomes", json=outcome, headers=bearer(tokens["officer_a"]))
    assert shared.status_code == 200, shared.text
    assert shared.json()["shared_case_id"]
    # The views are reloaded off the request path, within moments of the answer.
    assert live["runtime"].wait_for_views(timeout=30)
    after = client.post(
        "/v1/visa-applications/score",
        json=_application(live, "BKK", "B2", day + timedelta(days=30)),
        headers=bearer(tokens["officer_b"]),
    ).json()
    changed = (after["risk"], [r["code"] for r in after["reasons"]]) != (
        before["risk"],
        [r["code"] for r in before["reasons"]],
    )
    assert changed, (before, after)

    runtime: ServiceRuntime = live["runtime"]
    with session_scope(runtime.engine) as session:
        logged = list(session.scalars(select(DecisionLogEntry).order_by(DecisionLogEntry.seq)))
    assert {e.endpoint for e in logged} >= {
        "POST /v1/visa-applications/score",
        "POST /v1/border-entries/score",
        "POST /v1/outcomes",
    }
    assert all(e.model_version == str(live["version"]) for e in logged if e.model_name)
    assert verify(runtime.engine).ok


def test_restart_without_registry_serves_the_cached_champion(
    live: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    settings: Settings = live["settings"]
    # A registry server that does not answer (port 9 refuses), and no retries to wait for.
    monkeypatch.setenv("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "0")
    monkeypatch.setenv("MLFLOW_HTTP_REQUEST_TIMEOUT", "2")
    offline = settings.model_copy(update={"mlflow_tracking_uri": "http://127.0.0.1:9"})
    runtime = ServiceRuntime(offline, cache_dir=live["root"] / "model-cache")
    # The cache is kept per registry URI: put the champion the live service cached where this
    # registry's would be, as if it had answered before going down.
    written = live["runtime"]._cache_path()
    assert written.exists()
    shutil.copyfile(written, runtime._cache_path())
    try:
        runtime.load_champion()
        assert runtime.model is not None and runtime.model.source == "cache"
        assert runtime.model.version == str(live["version"])
        assert runtime.reload_if_moved() is False  # registry unreachable: keep serving
    finally:
        runtime.close()


def test_database_unreachable_scores_degraded(
    live: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings: Settings = live["settings"]
    monkeypatch.setenv("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "0")
    down = settings.model_copy(
        update={
            "database_url": "postgresql+psycopg://nobody@127.0.0.1:9/none?connect_timeout=2",
            "mlflow_tracking_uri": "http://127.0.0.1:9",
        }
    )
    runtime = ServiceRuntime(down, cache_dir=live["root"] / "model-cache")
    runtime.decision_log.spool_path = tmp_path / "spool.jsonl"
    try:
        runtime.start()
        assert runtime.model is not None and runtime.views is None
        entry = BorderEntry.model_validate(
            json.loads((live["world"] / "entries.jsonl").read_text().splitlines()[1])
        )
        info = scoring.RequestInfo(Principal(1, "x", Role.BORDER_INSPECTOR, None), "rid", None)
        score = scoring.score_case(runtime, "entry", entry, info)
        assert score.degraded is True
        assert any("database" in r for r in score.degraded_reasons)
        assert (tmp_path / "spool.jsonl").exists()  # the decision waits to be chained
        # The next request does not wait for the database again: it is paused for a while.
        assert runtime.database.open
        again = scoring.score_case(runtime, "entry", entry, info)
        assert again.degraded and any("spooled" in r for r in again.degraded_reasons)
        assert len((tmp_path / "spool.jsonl").read_bytes().splitlines()) == 2
    finally:
        runtime.close()


_json = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=10), inner, max_size=3)
    ),
    max_leaves=8,
)


@hsettings(max_examples=80, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_malformed_input_never_yields_500(live: dict[str, Any], data: st.DataObject) -> None:
    client: TestClient = live["client"]
    tokens = live["tokens"]
    path, token, base = data.draw(
        st.sampled_from(
            [
                (
                    "/v1/visa-applications/score",
                    "officer_a",
                    _application(
                        live, "MNL", "H", datetime.fromisoformat("2025-01-01T00:00:00+00:00")
                    ),
                ),
                (
                    "/v1/border-entries/score",
                    "inspector",
                    copy.deepcopy(_records(live["world"] / "entries.jsonl")[2]),
                ),
            ]
        )
    )
    body = copy.deepcopy(base)
    # Replace or drop a few fields, at the top level or one level down.
    for _ in range(data.draw(st.integers(1, 3))):
        key = data.draw(st.sampled_from(sorted(body)))
        target = body
        if isinstance(body[key], dict) and body[key] and data.draw(st.booleans()):
            target, key = body[key], data.draw(st.sampled_from(sorted(body[key])))
        if data.draw(st.booleans()):
            target.pop(key)
        else:
            target[key] = data.draw(_json)
    response = client.post(path, json=body, headers=bearer(tokens[token]))
    assert response.status_code in (200, 403, 409, 422), response.text


def test_alias_move_swaps_the_champion_and_old_requests_finish(live: dict[str, Any]) -> None:
    from mizugiwa.models.registry import get_version, mlflow_session, register, set_alias

    settings: Settings = live["settings"]
    runtime: ServiceRuntime = live["runtime"]
    old = runtime.model
    assert old is not None
    assert runtime.reload_if_moved() is False  # the alias has not moved
    source = get_version(old.version, settings=settings)
    assert source.source is not None and source.run_id is not None
    with mlflow_session(settings):  # the source URI resolves against the configured store
        moved = register(source.source, run_id=source.run_id, alias=None, settings=settings)
    set_alias("champion", moved.version, settings=settings)
    try:
        assert runtime.reload_if_moved() is True
        assert runtime.model is not None and runtime.model.version == str(moved.version)
        # A request that took the old model before the swap still completes on it.
        entry = BorderEntry.model_validate(
            json.loads((live["world"] / "entries.jsonl").read_text().splitlines()[3])
        )
        context, _ = runtime.feature_context()
        [score] = old.scorer.score_cases("entry", [entry], context, linked={})
        assert score.model.version == old.version
    finally:
        set_alias("champion", old.version, settings=settings)
        runtime.reload_if_moved()


def test_cached_linked_probabilities_give_the_same_scores(live: dict[str, Any]) -> None:
    """The probabilities kept for linked applications (from scoring them, or preloaded in one
    batch at start) are the ones scoring each application afresh gives."""
    from mizugiwa.features.records import CONCERNS, VisaApplication

    client: TestClient = live["client"]
    runtime: ServiceRuntime = live["runtime"]
    day = datetime.fromisoformat("2025-03-01T09:00:00+00:00")
    apps = [_application(live, "MNL", f"L{i}", day + timedelta(hours=i)) for i in range(3)]
    for app in apps:
        scored = client.post(
            "/v1/visa-applications/score", json=app, headers=bearer(live["tokens"]["officer_a"])
        )
        assert scored.status_code == 200, scored.text
    model = runtime.model
    assert model is not None
    context, _ = runtime.feature_context()
    cache = runtime.linked_probabilities.for_state(model.scorer, context)
    assert all(a["application_id"] in cache for a in apps)

    entry = json.loads((live["world"] / "entries.jsonl").read_text().splitlines()[4])
    entry.update(
        entry_id="T-LINKED",
        visa_reference=apps[0]["application_id"],
        arrived_at="2025-03-20T10:00:00+00:00",
    )
    response = client.post(
        "/v1/border-entries/score", json=entry, headers=bearer(live["tokens"]["inspector"])
    )
    assert response.status_code == 200, response.text
    linked = {apps[0]["application_id"]: VisaApplication.model_validate(apps[0])}
    [fresh] = model.scorer.score_cases(
        "entry", [BorderEntry.model_validate(entry)], context, linked=linked
    )
    assert response.json()["probabilities"] == pytest.approx(
        {c.value: p for c, p in fresh.probabilities.items()}
    )

    # Preloading at start computes the same probabilities in one batch.
    cache.clear()
    assert runtime.warm_linked_applications(10) >= len(apps)
    warmed = runtime.linked_probabilities.for_state(model.scorer, context)
    for app in apps:
        one = runtime.records.find("application", app["application_id"])
        assert one is not None
        [alone] = model.scorer.score_cases("application", [one], context)
        for concern in CONCERNS:
            assert warmed[app["application_id"]][concern] == pytest.approx(
                alone.probabilities[concern]
            )
