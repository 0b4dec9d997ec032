"""``mizugiwa schema``: the JSON Schema of each input record, for agencies writing exports."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from mizugiwa.features.records import RECORD_TYPES


def schema(
    record: str = typer.Argument(
        None, help=f"One of {', '.join(RECORD_TYPES)}; all records when omitted."
    ),
    out: Path | None = typer.Option(None, "--out", help="Write to this folder, one file each."),
) -> None:
    """Print (or write) the JSON Schema of the input records."""
    if record is not None and record not in RECORD_TYPES:
        typer.echo(f"unknown record {record!r}; choose from {', '.join(RECORD_TYPES)}", err=True)
        raise typer.Exit(2)
    chosen = {record: RECORD_TYPES[record]} if record else RECORD_TYPES
    schemas = {name: model.model_json_schema() for name, model in chosen.items()}
    if out is None:
        payload = schemas[record] if record else schemas
        typer.echo(json.dumps(payload, indent=2, ensure_ascii=False))
        return
    out.mkdir(parents=True, exist_ok=True)
    for name, body in schemas.items():
        path = out / f"{name}.schema.json"
        path.write_text(json.dumps(body, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        typer.echo(str(path))
