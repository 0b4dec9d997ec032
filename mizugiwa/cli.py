"""The ``mizugiwa`` command line: one composition root for every sub-command.

Each command lives in a module of :mod:`mizugiwa.commands` and imports its heavy
dependencies (MLflow, LightGBM, FastAPI) inside the function, so that ``mizugiwa --help``
and quick commands start fast.
"""

from __future__ import annotations

import typer

from mizugiwa.commands import (
    audit,
    cases,
    db,
    export,
    lookback,
    paxlst,
    promote,
    schema,
    score,
    serve,
    synth,
    train,
    users,
)

app = typer.Typer(
    name="mizugiwa",
    help="Risk referrals for visa and border screening against human trafficking.",
    no_args_is_help=True,
    add_completion=False,
)
app.add_typer(db.app, name="db")
app.add_typer(users.app, name="users")
app.add_typer(audit.app, name="audit")
app.add_typer(cases.app, name="cases")
app.add_typer(paxlst.app, name="paxlst")
app.command("schema")(schema.schema)
app.command("synth")(synth.synth)
app.command("train")(train.train)
app.command("promote")(promote.promote)
app.command("score")(score.score)
app.command("serve")(serve.serve)
app.command("export")(export.export)
app.command("lookback")(lookback.lookback)


if __name__ == "__main__":  # pragma: no cover
    app()
