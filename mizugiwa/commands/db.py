"""``mizugiwa db``: create or migrate, load and count the shared trafficking database.

The database is the one named by ``MIZUGIWA_DATABASE_URL`` (SQLite under ``var/`` by default).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from sqlalchemy import Engine

app = typer.Typer(help="The shared trafficking database.", no_args_is_help=True)


def _database_url() -> str:
    from mizugiwa.settings import get_settings

    return get_settings().database_url


def _safe_url(url: str) -> str:
    """The URL without its password, for messages."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


@app.command()
def upgrade(
    revision: str = typer.Option("head", help="Alembic revision to migrate to."),
) -> None:
    """Create the database, or migrate it to the latest schema."""
    from mizugiwa.db.migrate import upgrade as run_upgrade

    url = _database_url()
    reached = run_upgrade(url, revision)
    typer.echo(f"{_safe_url(url)}: at revision {reached}")


def _require_schema(url: str) -> None:
    from sqlalchemy import inspect

    from mizugiwa.db.engine import make_engine

    engine = make_engine(url)
    try:
        ready = inspect(engine).has_table("tipdb_imports")
    finally:
        engine.dispose()
    if not ready:
        typer.echo(
            f"{_safe_url(url)} has no trafficking-database tables: run `mizugiwa db upgrade`",
            err=True,
        )
        raise typer.Exit(1)


@app.command()
def load(
    files: list[Path] = typer.Argument(
        ..., exists=True, dir_okay=False, readable=True, help="JSON Lines entity files."
    ),
) -> None:
    """Import entity files, all or nothing per file; a rejected file lists line, field, reason."""
    from mizugiwa.db.engine import make_engine
    from mizugiwa.features.tipdb.loader import LoadError, load_files
    from mizugiwa.service.lookback import runner
    from mizugiwa.settings import get_settings

    url = _database_url()
    _require_schema(url)
    engine = make_engine(url)
    rejected = 0
    try:
        for result in load_files(engine, files):
            if isinstance(result, LoadError):
                rejected += 1
                typer.echo(f"{result.path}: rejected, {len(result.errors)} error(s)", err=True)
                for error in result.errors:
                    typer.echo(f"  {error}", err=True)
                continue
            typer.echo(result.summary())
            if not result.already_loaded and _has_cases(engine):
                # What the file taught the database may concern cases stored before it.
                report = runner.after_import(engine, get_settings(), result.sha256)
                typer.echo(
                    f"  look-back: {report.facts} facts, "
                    f"{report.created} new follow-ups ({report.seconds:.2f} s)"
                )
    finally:
        engine.dispose()
    if rejected:
        raise typer.Exit(1)


def _has_cases(engine: Engine) -> bool:
    """Whether the service's case tables exist (a database of the trafficking tables alone
    has nothing to look back over)."""
    from sqlalchemy import inspect

    return inspect(engine).has_table("service_lookback_keys")


@app.command()
def stats(
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """Rows per entity table."""
    from rich.console import Console
    from rich.table import Table

    from mizugiwa.db.engine import make_engine, session_scope
    from mizugiwa.features.tipdb.repository import database_version, entity_counts

    url = _database_url()
    _require_schema(url)
    engine = make_engine(url)
    try:
        with session_scope(engine) as session:
            counts = entity_counts(session)
            version = database_version(session)
    finally:
        engine.dispose()
    if as_json:
        typer.echo(json.dumps({"database": _safe_url(url), "version": version, "counts": counts}))
        return
    table = Table(title="Trafficking database", caption=_safe_url(url))
    table.add_column("table")
    table.add_column("rows", justify="right")
    for name, count in counts.items():
        table.add_row(name, str(count))
    Console().print(table)


from mizugiwa.commands.db_search import search  # noqa: E402  (sub-command defined elsewhere)

app.command("search")(search)
