"""``mizugiwa db search``: watchlist candidates for a name, phone, address or document.

Builds the matching index from the database named by ``MIZUGIWA_DATABASE_URL`` and prints the
candidates with their score, match decision and explanation, as a table or as JSON.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import typer

_KINDS = ("person", "organisation", "phone", "address", "travel_document")


def _parse_date(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(
            f"{value!r} is not a date (YYYY-MM-DD)", param_hint=option
        ) from None


def search(
    kind: str = typer.Option(
        ..., "--kind", help="person, organisation, phone, address or travel_document."
    ),
    query: str = typer.Option(..., "--query", help="Name, phone number, address or number."),
    dob: str | None = typer.Option(None, "--dob", help="Date of birth (YYYY-MM-DD), persons."),
    nationality: str | None = typer.Option(
        None, "--nationality", help="ISO 3166 alpha-3 nationality, persons."
    ),
    issuing_state: str | None = typer.Option(
        None, "--issuing-state", help="Issuing state (alpha-3), travel documents."
    ),
    region: str | None = typer.Option(
        None, "--region", help="ISO alpha-2 region to read a national phone number (e.g. JP)."
    ),
    as_of: str | None = typer.Option(
        None, "--as-of", help="Only what was recorded by this date (YYYY-MM-DD)."
    ),
    limit: int = typer.Option(10, "--limit", min=1, max=1000, help="Candidates to show."),
    as_json: bool = typer.Option(False, "--json", help="Print a JSON list instead of a table."),
) -> None:
    """Search the trafficking database; each candidate has a score 0..1, a match decision at
    the default threshold of its kind, and the features that explain it."""
    from mizugiwa.db.engine import make_engine
    from mizugiwa.features.matching import WatchlistIndex
    from mizugiwa.settings import get_settings

    if kind not in _KINDS:
        raise typer.BadParameter(f"{kind!r} is not one of {', '.join(_KINDS)}", param_hint="--kind")
    birth = _parse_date(dob, "--dob")
    day = _parse_date(as_of, "--as-of")
    engine = make_engine(get_settings().database_url)
    try:
        index = WatchlistIndex.from_database(engine, as_of=day)
    finally:
        engine.dispose()
    try:
        found = index.search(
            kind,
            query,
            dob=birth,
            nationality=nationality,
            as_of=day,
            limit=limit,
            issuing_state=issuing_state,
            default_region=region,
        )
    except ValueError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(2) from None
    rows = [candidate.to_dict() for candidate in found]
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False))
        return
    _print_table(kind, query, rows)


def _print_table(kind: str, query: str, rows: list[dict[str, Any]]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"{kind} candidates for {query!r}", show_lines=True)
    table.add_column("id")
    table.add_column("score", justify="right")
    table.add_column("match")
    table.add_column("names")
    table.add_column("explanation")
    for row in rows:
        explanation = "\n".join(
            f"{item['feature']} {item['value']:+.2f}: {item['text']}" for item in row["explanation"]
        )
        table.add_row(
            row["id"],
            f"{row['score']:.3f}",
            "yes" if row["match"] else "no",
            "\n".join(row["names"]),
            explanation,
        )
    console = Console()
    if not rows:
        console.print(f"no {kind} candidates for {query!r}")
        return
    console.print(table)
