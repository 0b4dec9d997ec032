"""``mizugiwa lookback``: look back over stored cases for facts recorded in a period.

``mizugiwa db load`` already looks back after every file it accepts; this command is for a
period (the first run after an upgrade, a catch-up after cases were imported later than the
facts), and ``--reindex`` rebuilds the key index of every stored case.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

import typer


def _write_labels(engine: Any, path: Path) -> int:
    """Follow-up outcomes as outcome records, one per line; returns how many."""
    from mizugiwa.db.engine import session_scope
    from mizugiwa.service.lookback.worklist import follow_up_labels

    with session_scope(engine) as session:
        outcomes = follow_up_labels(session)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        "".join(outcome.model_dump_json() + "\n" for outcome in outcomes), encoding="utf-8"
    )
    return len(outcomes)


def _day(text: str | None, option: str) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(
            f"{text!r} is not a date (YYYY-MM-DD)", param_hint=option
        ) from None


def lookback(
    since: str | None = typer.Option(
        None, "--since", help="Look back for facts recorded on or after this date (YYYY-MM-DD)."
    ),
    until: str | None = typer.Option(
        None, "--until", help="... and on or before this date (YYYY-MM-DD)."
    ),
    reindex: bool = typer.Option(
        False, "--reindex", help="First rebuild the key index of every stored case."
    ),
    labels: Path | None = typer.Option(
        None,
        "--labels",
        dir_okay=False,
        help="Also write every recorded follow-up outcome to this file, as outcome records "
        "(JSON Lines, the format of a training folder's outcomes.jsonl).",
    ),
) -> None:
    """Find the stored applications and entries that facts recorded since a date concern, and
    store each as a follow-up case (with its reasons and protection-first guidance). Prints one
    JSON summary; the run is written to the decision log."""
    from mizugiwa.db.engine import make_engine
    from mizugiwa.service.lookback import runner
    from mizugiwa.service.lookback.keystore import reindex as rebuild
    from mizugiwa.settings import get_settings

    first = _day(since, "--since")
    last = _day(until, "--until")
    if first is None and not reindex and labels is None:
        raise typer.BadParameter(
            "give --since DATE (or --reindex, --labels FILE)", param_hint="--since"
        )
    if first is not None and last is not None and last < first:
        raise typer.BadParameter(f"{until} is before --since {since}", param_hint="--until")
    settings = get_settings()
    engine = make_engine(settings.database_url)
    try:
        summary: dict[str, object] = {}
        if reindex:
            summary["reindexed_cases"] = rebuild(engine)
        if first is not None:
            report = runner.since(engine, settings, first, last)
            summary.update(report.summary())
            summary["horizon_years"] = settings.lookback_horizon_years
        if labels is not None:
            summary["labels"] = _write_labels(engine, labels)
    finally:
        engine.dispose()
    summary["at"] = datetime.now().astimezone().isoformat(timespec="seconds")
    typer.echo(json.dumps(summary, ensure_ascii=False))
