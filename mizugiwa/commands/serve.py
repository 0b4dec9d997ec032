"""``mizugiwa serve``: the HTTP service (and the officer console when installed)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from fastapi import FastAPI


def serve(
    host: str | None = typer.Option(None, help="Interface to bind (MIZUGIWA_HOST)."),
    port: int | None = typer.Option(None, help="Port (MIZUGIWA_PORT)."),
    migrate: bool = typer.Option(True, help="Create or migrate the database first."),
    warm_applications: int = typer.Option(
        20_000,
        min=0,
        help="Stored applications (newest first) whose records and probabilities are "
        "preloaded for border entries that link to them (0: read them on demand).",
    ),
) -> None:
    """Serve the scoring API (one process; the champion and the database views stay loaded)."""
    import os

    # One request scores one row: OpenMP threads only add contention (set before LightGBM loads).
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    from mizugiwa.db.migrate import upgrade
    from mizugiwa.logging import configure_logging
    from mizugiwa.service.app import create_app
    from mizugiwa.service.runtime import ServiceRuntime
    from mizugiwa.settings import get_settings

    settings = get_settings()
    configure_logging(settings.secret_key, settings.log_level, settings.log_json)
    if migrate:
        upgrade(settings.database_url)
    runtime = ServiceRuntime(settings, warm_applications=warm_applications)
    app = create_app(settings, runtime=runtime)
    try:
        _run(app, host or settings.host, port or settings.port)
    finally:
        runtime.close()


def _run(app: FastAPI, host: str, port: int) -> None:
    import uvicorn

    uvicorn.run(
        app,
        host=host,
        port=port,
        # One process: the scoring work is CPU-bound and short, on uvloop with httptools.
        loop="uvloop",
        http="httptools",
        access_log=False,  # the service writes its own access log, without query strings
        log_config=None,
        server_header=False,
        date_header=False,
    )
