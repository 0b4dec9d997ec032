"""Start-up without a champion: the service starts, is not ready, and scoring answers 503."""

from __future__ import annotations

from fastapi.testclient import TestClient
from service_samples import ENTRY, bearer

from mizugiwa.service.runtime import ServiceRuntime


def test_without_champion_the_service_starts_not_ready(
    client: TestClient, tokens: dict[str, str]
) -> None:
    ready = client.get("/readyz")
    assert ready.status_code == 503 and ready.json()["checks"]["model"] == "not loaded"
    response = client.post(
        "/v1/border-entries/score", json=ENTRY, headers=bearer(tokens["inspector"])
    )
    assert response.status_code == 503 and "champion" in response.json()["detail"]


def test_an_unreadable_cache_is_ignored(runtime: ServiceRuntime) -> None:
    path = runtime._cache_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"not a pickle")
    assert runtime.load_champion() is None
    assert runtime.last_reload_error is not None and "alias" in runtime.last_reload_error
