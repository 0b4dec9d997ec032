"""Fixtures for the service tests: a migrated SQLite database per test, an MLflow store without
a registered model (one per session), accounts of every role, and sample records."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from service_samples import ROLE_ACCOUNTS

from mizugiwa.db.migrate import upgrade
from mizugiwa.service.app import create_app
from mizugiwa.service.auth import add_user, issue_token
from mizugiwa.service.runtime import ServiceRuntime
from mizugiwa.settings import Settings


@pytest.fixture(scope="session")
def empty_mlflow(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """An MLflow store with no registered model (created once: MLflow's migrations are slow)."""
    root = tmp_path_factory.mktemp("mlflow-empty")
    return {
        "mlflow_tracking_uri": f"sqlite:///{root / 'mlflow.sqlite3'}",
        "mlflow_artifact_root": (root / "artifacts").as_uri(),
    }


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated, empty database, copied for each test (migrating costs a second or more)."""
    path = tmp_path_factory.mktemp("db-template") / "service.sqlite3"
    upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture()
def settings(tmp_path: Path, empty_mlflow: dict[str, Any], migrated_template: Path) -> Settings:
    path = tmp_path / "service.sqlite3"
    shutil.copyfile(migrated_template, path)
    url = f"sqlite:///{path}"
    return Settings(
        environment="test",
        database_url=url,
        max_body_bytes=64 * 1024,
        model_reload_seconds=3600,
        startup_wait_seconds=600,  # the tests expect a fully started service
        **empty_mlflow,
    )


@pytest.fixture()
def runtime(settings: Settings, tmp_path: Path) -> Iterator[ServiceRuntime]:
    rt = ServiceRuntime(settings, cache_dir=tmp_path / "model-cache")
    yield rt
    rt.close()


@pytest.fixture()
def tokens(runtime: ServiceRuntime) -> dict[str, str]:
    """A bearer token per account name of :data:`ROLE_ACCOUNTS`."""
    out = {}
    for name, (role, post) in ROLE_ACCOUNTS.items():
        add_user(runtime.engine, name, role.value, post)
        out[name] = issue_token(runtime.engine, name)
    return out


@pytest.fixture()
def client(settings: Settings, runtime: ServiceRuntime) -> Iterator[TestClient]:
    app = create_app(settings, runtime=runtime, reload_models=False)
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client
