"""Benchmark ``mizugiwa score``: a JSON Lines file of applications scored with the champion.

    .venv/bin/python benchmarks/bench_train.py ...      # registers a champion in var/bench
    .venv/bin/python benchmarks/bench_score.py --in var/bench/world-2024-1000000/applications.jsonl

Target: 1,000,000 applications, reasons for the referred ones included, <= 60 s (reading the
file, features, models, thresholds, reasons and writing every Score line). Loading the model
and the trafficking database is reported apart.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from mizugiwa.settings import Settings
from mizugiwa.training.batch_score import score_file

TARGET_S = 60.0


def bench_settings(store: Path) -> Settings:
    """The benchmark store ``bench_train.py`` registered its champion in."""
    return Settings(
        environment="test",
        mlflow_tracking_uri=f"sqlite:///{store.resolve()}/mlflow.db",
        mlflow_artifact_root=(store.resolve() / "artifacts").as_uri(),
        registered_model_name="bench",
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--in", dest="source", type=Path, required=True)
    parser.add_argument("--tipdb", type=Path, help="Default: tipdb.jsonl beside --in.")
    parser.add_argument("--out", type=Path, default=Path("var/bench/scores.jsonl"))
    parser.add_argument("--store", type=Path, default=Path("var/bench"))
    args = parser.parse_args()
    tipdb = args.tipdb or args.source.parent / "tipdb.jsonl"
    started = time.perf_counter()
    summary = score_file(args.source, args.out, tipdb=tipdb, settings=bench_settings(args.store))
    elapsed = time.perf_counter() - started
    n = summary["scored"]
    print(
        f"scored {n:,} ({summary['referred']:,} referred) in {elapsed:.1f} s ({n / elapsed:,.0f}/s)"
    )
    ok = elapsed <= TARGET_S * n / 1_000_000
    print(
        f"{'MET   ' if ok else 'MISSED'} score 1,000,000 applications <= {TARGET_S:.0f} s "
        f"(scaled to {n:,}: {TARGET_S * n / 1_000_000:.1f} s): {elapsed:.1f} s"
    )


if __name__ == "__main__":
    main()
