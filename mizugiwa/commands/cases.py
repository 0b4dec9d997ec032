"""``mizugiwa cases``: the service's store of visa applications."""

from __future__ import annotations

from pathlib import Path

import typer

app = typer.Typer(help="Visa applications known to the service.", no_args_is_help=True)


@app.command()
def load(
    files: list[Path] = typer.Argument(..., exists=True, dir_okay=False, help="JSON Lines files."),
) -> None:
    """Store visa applications (JSON Lines, as the API accepts them) so that border entries
    can refer to them by ``visa_reference``. All or nothing per file; errors name the line and
    field. A running service adds them to its network history when it restarts."""
    from mizugiwa.db.engine import make_engine
    from mizugiwa.service.cases import import_applications
    from mizugiwa.settings import get_settings

    engine = make_engine(get_settings().database_url)
    failed = False
    try:
        for path in files:
            with path.open("rb") as handle:
                report = import_applications(engine, handle, str(path))
            for error in report.errors[:50]:
                typer.echo(error, err=True)
            if report.errors:
                failed = True
                typer.echo(f"{path}: rejected ({len(report.errors)} errors)", err=True)
            else:
                typer.echo(f"{path}: {report.stored} applications stored")
    finally:
        engine.dispose()
    if failed:
        raise typer.Exit(1)


@app.callback()
def _cases() -> None:
    """Visa applications known to the service."""


if __name__ == "__main__":  # pragma: no cover - `python -m mizugiwa.commands.cases`
    app()
