"""``mizugiwa audit``: check the decision log."""

from __future__ import annotations

import typer

app = typer.Typer(help="The tamper-evident decision log.", no_args_is_help=True)


@app.command()
def verify() -> None:
    """Walk the decision log's hash chain; exit 1 and name each entry when one was edited,
    deleted or re-ordered. Prints the head (sequence number and hash) to keep as an anchor."""
    from mizugiwa.db.engine import make_engine
    from mizugiwa.service.audit import verify as verify_chain
    from mizugiwa.settings import get_settings

    engine = make_engine(get_settings().database_url)
    try:
        report = verify_chain(engine)
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
