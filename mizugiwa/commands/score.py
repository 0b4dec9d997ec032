"""``mizugiwa score``: batch scores of a JSON Lines file with the champion model."""

from __future__ import annotations

from pathlib import Path

import typer


def score(
    in_: Path = typer.Option(
        ...,
        "--in",
        help="JSON Lines of cases of one kind (visa applications, border entries, ...): the "
        'kind is the first record\'s, explicit ("kind") or recognised by its id field.',
    ),
    out: Path = typer.Option(..., "--out", help="Where to write one Score JSON per line."),
    alias: str = typer.Option("champion", "--alias", help="Model alias to score with."),
    tipdb: Path | None = typer.Option(
        None, "--tipdb", help="Trafficking database as JSON Lines (default: MIZUGIWA_DATABASE_URL)."
    ),
    applications: Path | None = typer.Option(
        None,
        "--applications",
        help="The cases the file's cases refer to (the visa applications of border entries).",
    ),
) -> None:
    """Score every record of a file; referred cases carry their reasons and rules."""
    from mizugiwa.training.batch_score import BatchScoreError, score_file

    try:
        summary = score_file(in_, out, alias=alias, tipdb=tipdb, applications=applications)
    except BatchScoreError as exc:
        typer.echo(f"score: {exc}", err=True)
        raise typer.Exit(2) from exc
    typer.echo(
        f"scored {summary['scored']} {summary['kind']}s, referred {summary['referred']} "
        f"with model version {summary['model_version']} -> {out}",
        err=True,
    )
