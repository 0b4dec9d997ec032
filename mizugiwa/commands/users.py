"""``mizugiwa users``: accounts and their bearer tokens."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from sqlalchemy import Engine

app = typer.Typer(help="Accounts and bearer tokens of the service.", no_args_is_help=True)


def _engine() -> Engine:
    from mizugiwa.db.engine import make_engine
    from mizugiwa.settings import get_settings

    return make_engine(get_settings().database_url)


@app.command()
def add(
    name: str = typer.Argument(..., help="Account name (1 to 64 characters)."),
    role: str = typer.Option(
        ...,
        "--role",
        help="consular_officer, border_inspector, analyst, auditor or admin.",
    ),
    post: str | None = typer.Option(
        None, "--post", help="Consular post code (three letters); consular officers only."
    ),
) -> None:
    """Create an account. Issue its token with `mizugiwa users token NAME`."""
    from mizugiwa.service.auth import add_user
    from mizugiwa.service.errors import ServiceError

    engine = _engine()
    try:
        principal = add_user(engine, name, role, post)
    except ServiceError as exc:
        typer.echo(f"error: {exc.detail}", err=True)
        raise typer.Exit(2) from None
    finally:
        engine.dispose()
    where = f" at {principal.post_code}" if principal.post_code else ""
    typer.echo(f"added {principal.name}: {principal.role.value}{where}")


@app.command()
def token(name: str = typer.Argument(..., help="Account name.")) -> None:
    """Issue a new bearer token (the old one stops working) and print it once.

    Only its SHA-256 is stored: keep the printed token, it cannot be shown again.
    """
    from mizugiwa.service.auth import issue_token
    from mizugiwa.service.errors import ServiceError

    engine = _engine()
    try:
        issued = issue_token(engine, name)
    except ServiceError as exc:
        typer.echo(f"error: {exc.detail}", err=True)
        raise typer.Exit(2) from None
    finally:
        engine.dispose()
    typer.echo(issued)
