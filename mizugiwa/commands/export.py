"""``mizugiwa export``: the service's own cases, outcomes and database as a training folder."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import typer


def export(
    since: str = typer.Option(..., "--from", help="First case date, YYYY-MM-DD (inclusive)."),
    until: str = typer.Option(..., "--until", help="Last case date, YYYY-MM-DD (inclusive)."),
    out: Path = typer.Option(..., "--out", help="A new or empty folder to write into."),
    pseudonymise: bool = typer.Option(
        False,
        "--pseudonymise",
        help="Replace names, document numbers, phones and addresses by keyed digests.",
    ),
) -> None:
    """Write applications, entries, outcomes and the trafficking database as of --until in the
    training folder format, so that `mizugiwa train --data DIR` retrains on what officers
    recorded. Prints a JSON summary."""
    import orjson

    from mizugiwa.db.engine import make_engine
    from mizugiwa.service.export import ExportError, export_training_folder
    from mizugiwa.settings import get_settings

    first, last = _date("--from", since), _date("--until", until)
    settings = get_settings()
    engine = make_engine(settings.database_url)
    key = settings.secret_key.encode() if pseudonymise else None
    try:
        report = export_training_folder(engine, first, last, out, pseudonymise_key=key)
    except ExportError as exc:
        typer.echo(f"export: {exc}", err=True)
        raise typer.Exit(2) from exc
    finally:
        engine.dispose()
    typer.echo(orjson.dumps(report.as_dict()).decode())


def _date(option: str, text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        typer.echo(f"export: {option} {text!r} is not a date (YYYY-MM-DD)", err=True)
        raise typer.Exit(2) from exc
