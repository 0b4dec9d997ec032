"""``mizugiwa paxlst``: read airline passenger lists (UN/EDIFACT PAXLST), show or load them.

``show`` parses without storing; ``load`` stores each file's list (all or nothing per file),
screens every person on it and writes the decision to the decision log. A file that cannot be
read is reported with its segment number and reason, and the other files still load.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer

app = typer.Typer(help="Airline passenger lists (UN/EDIFACT PAXLST).", no_args_is_help=True)


def _read(path: Path) -> str:
    from mizugiwa.service.passenger_lists import decode_message

    return decode_message(path.read_bytes())


@app.command()
def show(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="A PAXLST interchange."),
    as_json: bool = typer.Option(False, "--json", help="One JSON object."),
) -> None:
    """Print a parsed list without storing it."""
    from mizugiwa.features.paxlst import PaxlstError, parse_paxlst

    try:
        pax = parse_paxlst(_read(file))
    except PaxlstError as exc:
        typer.echo(f"{file}: {exc}", err=True)
        raise typer.Exit(1) from None
    if as_json:
        typer.echo(json.dumps(pax.to_json(), ensure_ascii=False))
        return
    typer.echo(f"{pax.list_kind} list {pax.reference} from {pax.sender}")
    for leg in pax.legs:
        typer.echo(
            f"  {leg.flight} {leg.from_port} -> {leg.to_port}  "
            f"departs {leg.departs or '?'}  arrives {leg.arrives or '?'}"
        )
    typer.echo(f"  {len(pax.persons)} persons")
    for warning in pax.warnings:
        typer.echo(f"  warning: {warning}")


def _features(engine: Any) -> Any:
    """The trafficking database as the screening reads it, or None when it is not loaded."""
    from sqlalchemy import inspect

    from mizugiwa.features.indicators.context import FeatureContext
    from mizugiwa.features.matching import WatchlistIndex
    from mizugiwa.features.tipdb.snapshot import Snapshot

    if not inspect(engine).has_table("tipdb_imports"):
        return None
    return FeatureContext(
        snapshot=Snapshot.from_database(engine), index=WatchlistIndex.from_database(engine)
    )


@app.command()
def load(
    files: list[Path] = typer.Argument(..., exists=True, dir_okay=False),
    as_json: bool = typer.Option(False, "--json", help="One JSON line per list stored."),
) -> None:
    """Store and screen passenger lists; each file all or nothing."""
    import uuid

    from sqlalchemy import inspect

    from mizugiwa.db.engine import make_engine
    from mizugiwa.features.paxlst import PaxlstError, parse_paxlst
    from mizugiwa.service.audit import Decision, DecisionLog, input_digest
    from mizugiwa.service.passenger_lists import message_digest
    from mizugiwa.service.prearrival import store_logged
    from mizugiwa.settings import get_settings

    engine = make_engine(get_settings().database_url)
    failed = 0
    try:
        if not inspect(engine).has_table("service_passenger_lists"):
            typer.echo("the database has no passenger-list tables: run `mizugiwa db upgrade`")
            raise typer.Exit(1)
        features = _features(engine)
        log = DecisionLog(engine)
        for path in files:
            text = _read(path)
            try:
                pax = parse_paxlst(text)
            except PaxlstError as exc:
                typer.echo(f"{path}: {exc}", err=True)
                failed += 1
                continue
            stored = store_logged(
                log,
                Decision(
                    endpoint="cli paxlst load",
                    request_id=uuid.uuid4().hex,
                    status=200,
                    input_sha256=input_digest(text.encode("utf-8")),
                ),
                pax,
                features,
                message_sha256=message_digest(text),
            )
            if as_json:
                typer.echo(json.dumps(stored.to_json(), ensure_ascii=False))
            else:
                verb = "replaced" if stored.replaced else "stored"
                typer.echo(
                    f"{path}: {verb} {stored.list_id} ({stored.flight} to "
                    f"{stored.arrival_port}): {len(stored.cases)} persons, "
                    f"{stored.referred} referred"
                    + "".join(f"; warning: {w}" for w in stored.warnings)
                )
    finally:
        engine.dispose()
    if failed:
        raise typer.Exit(1)
