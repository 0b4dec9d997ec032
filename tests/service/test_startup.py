"""Start-up never holds the port closed for long: a large network history loads in the
background (scores say so, ``/readyz`` says when it is done), and a registry that does not
answer costs a bounded wait before the cached champion serves."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import structlog
from fastapi.testclient import TestClient
from service_samples import APPLICATION, ENTRY, bearer
from tiny_champion import write_cached_champion

from mizugiwa.service import cases
from mizugiwa.service.app import create_app
from mizugiwa.service.runtime import ServiceRuntime
from mizugiwa.settings import Settings


@pytest.fixture
def silent_registry() -> Iterator[str]:
    """A registry address that accepts connections and never answers (a hung server)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(64)
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"


def test_the_port_opens_while_the_history_loads(
    settings: Settings, tmp_path: Path, tokens: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    release = threading.Event()
    real_replay = cases.replay_history

    def slow_replay(*args, **kwargs):  # type: ignore[no-untyped-def]
        release.wait(30)  # as a store of a million applications would take
        return real_replay(*args, **kwargs)

    monkeypatch.setattr(cases, "replay_history", slow_replay)
    quick = settings.model_copy(update={"startup_wait_seconds": 0.5})
    runtime = ServiceRuntime(quick, cache_dir=tmp_path / "model-cache")
    write_cached_champion(runtime._cache_path())
    began = time.monotonic()
    try:
        with TestClient(create_app(quick, runtime=runtime, reload_models=False)) as client:
            assert time.monotonic() - began < 5
            assert client.get("/healthz").status_code == 200
            ready = client.get("/readyz")
            assert ready.status_code == 503 and ready.headers["retry-after"]
            assert ready.json()["checks"]["starting"] is not None
            deadline = time.monotonic() + 20
            while runtime.loading != "network history" and time.monotonic() < deadline:
                time.sleep(0.05)
            assert client.get("/readyz").json()["checks"]["starting"] == "network history"
            score = client.post(
                "/v1/border-entries/score", json=ENTRY, headers=bearer(tokens["inspector"])
            )
            assert score.status_code == 200, score.text
            assert score.json()["degraded"] is True
            assert any("history" in r for r in score.json()["degraded_reasons"])
            # An application scored while the history loads is in the history once loaded.
            scored = client.post(
                "/v1/visa-applications/score",
                json=APPLICATION,
                headers=bearer(tokens["officer_mnl"]),
            )
            assert scored.status_code == 200
            release.set()
            assert runtime.started.wait(30)
            assert client.get("/readyz").status_code == 200
            assert runtime.history_loaded and len(runtime.history) >= 1
            again = client.post(
                "/v1/border-entries/score", json=ENTRY, headers=bearer(tokens["inspector"])
            )
            assert not any("history" in r for r in again.json()["degraded_reasons"])
    finally:
        release.set()
        runtime.close()


def test_an_unanswering_registry_costs_a_bounded_wait(
    settings: Settings, tmp_path: Path, silent_registry: str
) -> None:
    offline = settings.model_copy(
        update={"mlflow_tracking_uri": silent_registry, "registry_timeout_seconds": 1.0}
    )
    runtime = ServiceRuntime(offline, cache_dir=tmp_path / "model-cache")
    write_cached_champion(runtime._cache_path())
    thread = threading.Thread(target=runtime.start, daemon=True)
    with structlog.testing.capture_logs() as logs:
        began = time.monotonic()
        thread.start()
        assert runtime.champion_phase.wait(5), "the registry call was not bounded"
        elapsed = time.monotonic() - began
    try:
        assert elapsed < 5
        assert runtime.model is not None and runtime.model.source == "cache"
        assert runtime.last_reload_error and "registry unreachable" in runtime.last_reload_error
        assert any("registry unreachable" in str(e.get("error", "")) for e in logs)
        assert not any("has no alias" in str(e.get("error", "")) for e in logs)
    finally:
        runtime.close()


def test_a_refusing_registry_is_not_reported_as_a_missing_alias(
    settings: Settings, tmp_path: Path
) -> None:
    from mizugiwa.models.registry import RegistryUnreachableError, alias_version

    refused = settings.model_copy(update={"mlflow_tracking_uri": "http://127.0.0.1:9"})
    with pytest.raises(RegistryUnreachableError, match="registry unreachable"):
        alias_version("champion", settings=refused)
