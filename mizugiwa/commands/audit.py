"""``mizugiwa audit``: check the decision log."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(help="The tamper-evident decision log.", no_args_is_help=True)


@app.command()
def verify(
    checkpoint: Annotated[
        Path | None,
        typer.Option(
            "--checkpoint",
            help="A head file written by the service (MIZUGIWA_AUDIT_CHECKPOINT_PATH), or a "
            "copy of one: detects a chain cut at its end or rebuilt.",
        ),
    ] = None,
) -> None:
    """Walk the decision log's keyed hash chain; exit 1 and name each entry when one was
    edited, deleted or re-ordered, and, with ``--checkpoint``, when the newest entries were
    deleted or the chain rebuilt. Prints the head (sequence number and hash)."""
    from mizugiwa.db.engine import make_engine
    from mizugiwa.service.audit import Checkpoint
    from mizugiwa.service.audit import verify as verify_chain
    from mizugiwa.settings import get_settings

    settings = get_settings()
    anchor = None
    if checkpoint is not None:
        try:
            anchor = Checkpoint.read(checkpoint)
        except (OSError, ValueError, KeyError) as exc:
            typer.echo(f"checkpoint {checkpoint}: not readable ({type(exc).__name__})", err=True)
            raise typer.Exit(2) from None
    engine = make_engine(settings.database_url)
    try:
        report = verify_chain(engine, key=settings.hmac_key, checkpoint=anchor)
    finally:
        engine.dispose()
    for problem in report.problems:
        typer.echo(f"BROKEN {problem}", err=True)
    status = "ok" if report.ok else "BROKEN"
    typer.echo(
        f"{status}: {report.entries} entries, head seq {report.head_seq} hash {report.head_hash}"
    )
    if not report.ok:
        raise typer.Exit(1)
