"""Browser tests: the real app (with the console) under uvicorn on a free loopback port, against a
temporary migrated SQLite database and MLflow store, driven by Debian's Chromium via Playwright.

A trained champion is built once per session from the public command line (``mizugiwa synth``,
``db load``, ``train``; the alias is then set through :mod:`models.registry`) where that
pipeline is available; tests that need a model skip with the reason otherwise. Screenshots go to
``var/test-output/screenshots/``.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from mizugiwa.settings import REPO_ROOT, Settings

CHROMIUM = Path(os.environ.get("MIZUGIWA_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = REPO_ROOT / "var" / "test-output" / "screenshots"
MIZUGIWA = Path(sys.executable).with_name("mizugiwa")
SEED = 20240611

# name -> (role, post)
ACCOUNTS: dict[str, tuple[str, str | None]] = {
    "officer_mnl": ("consular_officer", "MNL"),
    "inspector": ("border_inspector", None),
    "analyst": ("analyst", None),
    "auditor": ("auditor", None),
    "admin": ("admin", None),
}


@dataclass
class World:
    """The settings, champion state and synthetic records the server runs on."""

    settings: Settings
    root: Path
    champion: str | None  # the champion's version
    no_champion: str | None  # why there is none
    data_dir: Path | None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _cli(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(MIZUGIWA), *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=600
    )


def _train_champion(
    env: dict[str, str], root: Path, settings: Settings
) -> tuple[str | None, str | None, Path | None]:
    """(version, reason-if-none, data folder) from the public pipeline."""
    data = root / "world"
    steps = [
        [
            "synth",
            "--seed",
            str(SEED),
            "--applications",
            "12000",
            "--entries",
            "1000",
            "--out",
            str(data),
        ],
        ["db", "load", str(data / "tipdb.jsonl")],
        ["train", "--data", str(data)],
    ]
    out = None
    for step in steps:
        out = _cli(step, env, root)
        if out.returncode != 0:
            return None, f"`mizugiwa {' '.join(step[:2])}` failed: {out.stderr[-400:]}", None
    assert out is not None
    summary = json.loads(out.stdout.strip().splitlines()[-1])
    version = str(summary["model_version"])
    # The promotion gates are not what these tests are about: point the alias directly.
    from mizugiwa.models.registry import CHAMPION, set_alias

    set_alias(CHAMPION, version, settings=settings)
    return version, None, data


@pytest.fixture(scope="session")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    root = tmp_path_factory.mktemp("console-world")
    settings = Settings(
        environment="test",
        database_url=f"sqlite:///{root / 'service.sqlite3'}",
        mlflow_tracking_uri=f"sqlite:///{root / 'mlflow.sqlite3'}",
        mlflow_artifact_root=(root / "mlruns").as_uri(),
        model_reload_seconds=3600,
        startup_wait_seconds=600,  # the pages expect a fully started service
        registry_timeout_seconds=120,  # a local store, slow to open on a busy machine
        default_interview_capacity=0.05,
    )
    env = {
        **os.environ,
        "MIZUGIWA_ENVIRONMENT": "test",
        "MIZUGIWA_DATABASE_URL": settings.database_url,
        "MIZUGIWA_MLFLOW_TRACKING_URI": settings.mlflow_tracking_uri,
        "MIZUGIWA_MLFLOW_ARTIFACT_ROOT": settings.mlflow_artifact_root,
    }
    from mizugiwa.db.migrate import upgrade

    upgrade(settings.database_url)
    version, reason, data = _train_champion(env, root, settings)
    return World(settings, root, version, reason, data)


@dataclass
class Server:
    url: str
    tokens: dict[str, str]
    world: World
    app: Any


@pytest.fixture(scope="session")
def server(world: World) -> Iterator[Server]:
    import uvicorn

    from mizugiwa.service.app import create_app
    from mizugiwa.service.auth import add_user, issue_token
    from mizugiwa.service.console import install_console
    from mizugiwa.service.runtime import ServiceRuntime

    runtime = ServiceRuntime(world.settings, cache_dir=world.root / "model-cache")
    tokens = {}
    for name, (role, post) in ACCOUNTS.items():
        add_user(runtime.engine, name, role, post)
        tokens[name] = issue_token(runtime.engine, name)
    app = create_app(world.settings, runtime=runtime, reload_models=False)
    install_console(app)
    port = _free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    uv = uvicorn.Server(config)
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not uv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the console server did not start")
        time.sleep(0.05)
    yield Server(f"http://127.0.0.1:{port}", tokens, world, app)
    uv.should_exit = True
    thread.join(timeout=10)
    runtime.close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture()
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    pg = context.new_page()
    yield pg
    context.close()


def sign_in(page: Any, server: Server, name: str) -> None:
    """Sign in through the form, as a person would."""
    page.goto(f"{server.url}/console/sign-in")
    page.fill("#name", name)
    page.fill("#token", server.tokens[name])
    page.click("#sign-in-form button[type=submit]")
    page.wait_for_load_state("domcontentloaded")


def screenshot(page: Any, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def require_champion(world: World) -> None:
    if world.champion is None:
        pytest.skip(f"no champion model for this test: {world.no_champion}")


@pytest.fixture(scope="session", autouse=True)
def _clean_screenshots() -> None:
    shutil.rmtree(SCREENSHOTS, ignore_errors=True)
