"""Benchmark ``train`` end to end on a synthetic world, and its quality against the targets.

    .venv/bin/python benchmarks/bench_train.py --applications 1000000 --entries 100000

Targets: on the world's test months, recall at capacity >= 0.9 x the oracle's and >= 1.5 x the
legacy rules'; the whole run (features, models, evaluation, MLflow) <= 300 s for 1,000,000
applications. World generation is not timed. Each target is printed as MET or MISSED. The model
is registered in a store under ``--store`` (default ``var/bench``) and forced to champion there,
so ``bench_score.py`` can use it.
"""

from __future__ import annotations

import argparse
import itertools
import json
import time
from pathlib import Path

from mizugiwa.models.promotion import promote
from mizugiwa.settings import Settings
from mizugiwa.training.synth.world import generate_world
from mizugiwa.training.train import train

TIME_TARGET_S = 300.0
ORACLE_RATIO = 0.9
RULES_RATIO = 1.5


def bench_settings(store: Path) -> Settings:
    store.mkdir(parents=True, exist_ok=True)
    return Settings(
        environment="test",
        mlflow_tracking_uri=f"sqlite:///{store.resolve()}/mlflow.db",
        mlflow_artifact_root=(store.resolve() / "artifacts").as_uri(),
        registered_model_name="bench",
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--applications", type=int, default=1_000_000)
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--data", type=Path, help="An existing world (skips generation).")
    parser.add_argument("--store", type=Path, default=Path("var/bench"))
    args = parser.parse_args()

    data = args.data or args.store / f"world-{args.seed}-{args.applications}"
    if args.data is None and not (data / "manifest.json").exists():
        started = time.perf_counter()
        generate_world(args.seed, args.applications, args.entries, data)
        print(f"generated {data} in {time.perf_counter() - started:.1f} s (not timed)")
    settings = bench_settings(args.store)
    steps: list[tuple[str, float]] = []

    def step(name: str) -> None:
        steps.append((name, time.perf_counter()))

    started = time.perf_counter()
    result = train(data, seed=args.seed, settings=settings, step=step)
    elapsed = time.perf_counter() - started
    steps.append(("end", time.perf_counter()))
    for (name, t0), (_, t1) in itertools.pairwise(steps):
        print(f"  {name:<36} {t1 - t0:7.1f} s")
    summary = result.summary
    promote(summary["model_version"], force=True, reason="benchmark store", settings=settings)
    recall = summary["recall_at_capacity"]
    ratios = summary["ratios"]
    n = args.applications
    checks = [
        (f"train {n:,} applications <= {TIME_TARGET_S:.0f} s", elapsed, elapsed <= TIME_TARGET_S),
        (
            f"recall model/oracle >= {ORACLE_RATIO}",
            ratios["model_over_oracle"],
            (ratios["model_over_oracle"] or 0) >= ORACLE_RATIO,
        ),
        (
            f"recall model/rules >= {RULES_RATIO}",
            ratios["model_over_rules"],
            (ratios["model_over_rules"] or 0) >= RULES_RATIO,
        ),
    ]
    print(
        json.dumps(
            {
                "recall_at_capacity": recall,
                "basis": summary["basis"],
                "fairness_passed": summary["fairness_passed"],
            }
        )
    )
    for label, value, ok in checks:
        shown = "n/a" if value is None else f"{value:.3f}"
        print(f"{'MET   ' if ok else 'MISSED'} {label}: {shown}")


if __name__ == "__main__":
    main()
