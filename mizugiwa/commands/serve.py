"""``mizugiwa serve``: the HTTP service (and the officer console when installed)."""

from __future__ import annotations

import typer


def serve(
    host: str | None = typer.Option(None, help="Interface to bind (MIZUGIWA_HOST)."),
    port: int | None = typer.Option(None, help="Port (MIZUGIWA_PORT)."),
    migrate: bool = typer.Option(True, help="Create or migrate the database first."),
) -> None:
    """Serve the scoring API (one process; the champion and the database views stay loaded)."""
    import os

    # One request scores one row: OpenMP threads only add contention (set before LightGBM loads).
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    import uvicorn

    from features.tipdb.migrate import upgrade
    from mizugiwa.logging import configure_logging
    from mizugiwa.settings import get_settings
    from service.app import create_app

    settings = get_settings()
    configure_logging(settings.secret_key, settings.log_level, settings.log_json)
    if migrate:
        upgrade(settings.database_url)
    app = create_app(settings)
    uvicorn.run(
        app,
        host=host or settings.host,
        port=port or settings.port,
        access_log=False,  # the service writes its own access log, without query strings
        log_config=None,
        server_header=False,
    )
