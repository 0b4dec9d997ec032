"""`mizugiwa synth`: write a reproducible synthetic world for development and evaluation."""

from __future__ import annotations

import os
from pathlib import Path

import typer


def synth(
    seed: int = typer.Option(
        ..., "--seed", min=0, help="Seed; the same seed gives identical files."
    ),
    applications: int = typer.Option(
        10_000, "--applications", min=0, help="Number of visa applications."
    ),
    entries: int = typer.Option(10_000, "--entries", min=0, help="Number of border entries."),
    out: Path = typer.Option(..., "--out", help="Folder to write the world into."),
    workers: int = typer.Option(
        min(2, os.cpu_count() or 1), "--workers", min=1, help="Processes generating blocks."
    ),
) -> None:
    """Write applications, entries, outcomes, the trafficking database and the truth.

    Files: applications.jsonl, entries.jsonl, outcomes.jsonl, tipdb.jsonl (loadable with
    `mizugiwa db load`), truth.jsonl (scheme, concern and oracle probability per case; never
    a model input) and manifest.json (seed, counts, sha256 of each file, period covered);
    and passenger-lists/DAY/FLIGHT-PORT.edi, the airline's PAXLST list of each flight the
    entries arrived on (loadable with `mizugiwa paxlst load`).
    """
    import orjson

    from mizugiwa.training.synth import generate_world
    from mizugiwa.training.synth.passenger_lists import write_passenger_lists

    if out.exists() and not out.is_dir():
        raise typer.BadParameter(f"{out} exists and is not a folder", param_hint="--out")
    summary = generate_world(seed, applications, entries, out, workers=workers)
    lists = write_passenger_lists(out / "entries.jsonl", out / "passenger-lists", seed)
    counts = {**summary.manifest["counts"], "passenger_lists": len(lists)}
    typer.echo(orjson.dumps({"out": str(out), "counts": counts}).decode())
