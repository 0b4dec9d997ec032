"""Benchmark: generate a synthetic world and report time, CPU and peak memory.

Target: 1,000,000 applications plus 1,000,000 entries in at most 120 s on a 2-core machine.
Run: ``.venv/bin/python benchmarks/bench_synth.py [--applications N] [--entries M] [--workers W]``
The last line is a JSON summary; ``target_met`` says whether the wall-clock target was met.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import tempfile
import time
from pathlib import Path

from mizugiwa.training.synth import generate_world

TARGET_SECONDS = 120.0
TARGET_ROWS = 2_000_000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--applications", type=int, default=1_000_000)
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--workers", type=int, default=min(2, os.cpu_count() or 1))
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        load_before = os.getloadavg()[0]
        start, cpu_start = time.perf_counter(), os.times()
        summary = generate_world(args.seed, args.applications, args.entries, Path(folder),
                                 workers=args.workers)  # fmt: skip
        wall = time.perf_counter() - start
        cpu_end = os.times()
        size = sum(p.stat().st_size for p in Path(folder).iterdir())
    cpu = (cpu_end.user - cpu_start.user) + (cpu_end.children_user - cpu_start.children_user)
    cpu += (cpu_end.system - cpu_start.system) + (
        cpu_end.children_system - cpu_start.children_system
    )
    rows = args.applications + args.entries
    # Scaled to the target size when a smaller world was asked for.
    projected = wall * TARGET_ROWS / rows if rows else 0.0
    peak_mb = (
        max(
            resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
            resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
        )
        / 1024
    )
    result = {
        "applications": args.applications,
        "entries": args.entries,
        "workers": args.workers,
        "wall_seconds": round(wall, 2),
        "cpu_seconds": round(cpu, 2),
        "rows_per_second": round(rows / wall) if wall else None,
        "projected_seconds_for_2M_rows": round(projected, 1),
        "peak_rss_mb": round(peak_mb),
        "output_mb": round(size / 1e6, 1),
        "load_average_before": round(load_before, 2),
        "counts": summary.manifest["counts"],
        "target_seconds": TARGET_SECONDS,
        "target_met": bool(projected <= TARGET_SECONDS) if rows >= TARGET_ROWS else None,
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
