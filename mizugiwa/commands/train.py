"""``mizugiwa train``: train, evaluate, audit fairness, log to MLflow, register a challenger."""

from __future__ import annotations

import json
from pathlib import Path

import typer


def train(
    data: Path = typer.Option(
        ..., "--data", help="Folder with applications.jsonl, outcomes.jsonl, ..."
    ),
    seed: int = typer.Option(0, "--seed", help="Seed of every random step (reproducible models)."),
    capacity: float | None = typer.Option(
        None,
        "--capacity",
        help="Interview capacity share (default: MIZUGIWA_DEFAULT_INTERVIEW_CAPACITY).",
    ),
) -> None:
    """Train the models on a folder of records and outcomes; register them as `challenger`.

    Progress goes to standard error; the last line of standard output is a JSON summary.
    """
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TaskID, TextColumn, TimeElapsedColumn

    from mizugiwa.training.datasets import DatasetError
    from mizugiwa.training.fit import TooFewLabelsError
    from mizugiwa.training.train import train as run_training

    console = Console(stderr=True)
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    ) as progress:
        current: list[TaskID] = []

        def step(name: str) -> None:
            if current:
                progress.update(current[-1], completed=1, total=1)
            current.append(progress.add_task(name, total=None))

        try:
            result = run_training(data, seed=seed, capacity=capacity, step=step)
        except (DatasetError, TooFewLabelsError, ValueError) as exc:
            console.print(f"[red]train: {exc}[/red]")
            raise typer.Exit(2) from exc
        if current:
            progress.update(current[-1], completed=1, total=1)
    typer.echo(json.dumps(result.summary, sort_keys=True))
