"""Benchmark of the indicators: a batch of applications and single online requests.

    .venv/bin/python benchmarks/bench_features.py --applications 1000000

Generates a synthetic world (seeded; not timed) unless ``--data`` already holds one, then
measures, on the files as an agency would hand them over:

- batch: reading ``applications.jsonl`` into columns, building the network history, every
  indicator and every rule, as of each application's date (targets: <= 60 s for a million);
- online: one validated application at a time, features and rules with the full history and
  the snapshot (target: p99 <= 2 ms).

Prints one JSON object; ``met`` says whether each target was met (on wall-clock time). CPU
time is printed beside it, which tells the code's cost apart from other load on the machine.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time
from pathlib import Path

import numpy as np
import orjson

from mizugiwa.features.indicators import (
    ApplicationBatch,
    FeatureContext,
    compute_features,
    compute_rules,
)
from mizugiwa.features.network import NetworkHistory
from mizugiwa.features.records import VisaApplication
from mizugiwa.features.tipdb.snapshot import Snapshot

BATCH_TARGET_S = 60.0
ONLINE_TARGET_MS = 2.0


def _world(data: Path, applications: int, seed: int) -> None:
    manifest = data / "manifest.json"
    if manifest.exists():
        counts = json.loads(manifest.read_text())["counts"]
        if counts["applications"] == applications:
            return
    from mizugiwa.training.synth.world import generate_world

    generate_world(seed, applications, max(applications // 100, 10), data)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--applications", type=int, default=1_000_000)
    parser.add_argument("--data", type=Path, default=None, help="world folder (made if absent)")
    parser.add_argument("--online", type=int, default=2000, help="online requests to time")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--index", action="store_true", help="fuzzy-match names with a WatchlistIndex"
    )
    args = parser.parse_args()
    data = args.data or Path("var") / f"bench-world-{args.applications}"
    _world(data, args.applications, args.seed)
    load_at_start = os.getloadavg()[0]

    started = time.perf_counter()
    snapshot = Snapshot.from_jsonl(data / "tipdb.jsonl")
    index = None
    if args.index:
        from mizugiwa.features.matching.index import WatchlistIndex

        lines = [orjson.loads(line) for line in (data / "tipdb.jsonl").read_bytes().splitlines()]
        index = WatchlistIndex.build(lines)
    setup_s = time.perf_counter() - started

    timings: dict[str, float] = {}
    cpu_started = time.process_time()
    t = time.perf_counter()
    batch = ApplicationBatch.from_jsonl(data / "applications.jsonl")
    timings["read_jsonl_s"] = time.perf_counter() - t
    t = time.perf_counter()
    history = NetworkHistory.from_batch(batch)
    timings["network_history_s"] = time.perf_counter() - t
    ctx = FeatureContext(snapshot=snapshot, index=index, history=history)
    t = time.perf_counter()
    fm = compute_features(batch, ctx)
    timings["features_s"] = time.perf_counter() - t
    t = time.perf_counter()
    rm = compute_rules(batch, ctx)
    timings["rules_s"] = time.perf_counter() - t
    batch_s = sum(timings.values())
    batch_cpu_s = time.process_time() - cpu_started

    # online: validated requests, one at a time, against the full history and snapshot
    rng = np.random.default_rng(args.seed)
    wanted = set(rng.choice(len(batch), size=min(args.online, len(batch)), replace=False).tolist())
    requests = []
    with open(data / "applications.jsonl", "rb") as handle:
        for number, line in enumerate(handle):
            if number in wanted:
                requests.append(VisaApplication.model_validate_json(line))
    online_ctx = FeatureContext(snapshot=snapshot, index=index, history=history)
    latencies, cpu_latencies = [], []
    for request in requests:
        t, c = time.perf_counter(), time.process_time()
        one = ApplicationBatch.from_records([request])
        compute_features(one, online_ctx)
        compute_rules(one, online_ctx)
        latencies.append((time.perf_counter() - t) * 1000)
        cpu_latencies.append((time.process_time() - c) * 1000)
    lat, cpu = np.asarray(latencies), np.asarray(cpu_latencies)
    p99 = float(np.percentile(lat, 99))

    print(
        json.dumps(
            {
                "machine": {
                    "cpus": os.cpu_count(),
                    "python": platform.python_version(),
                    "load_average_1m_at_start": round(load_at_start, 2),
                    "load_average_1m": round(os.getloadavg()[0], 2),
                },
                "applications": len(batch),
                "features": len(fm.names),
                "rules": len(rm.codes),
                "tipdb_entities": len(snapshot),
                "fuzzy_name_index": index is not None,
                "setup_snapshot_s": round(setup_s, 2),
                "batch": {
                    **{k: round(v, 2) for k, v in timings.items()},
                    "total_s": round(batch_s, 2),
                    "per_million_s": round(batch_s * 1e6 / max(len(batch), 1), 2),
                    "cpu_s": round(batch_cpu_s, 2),
                    "cpu_per_million_s": round(batch_cpu_s * 1e6 / max(len(batch), 1), 2),
                    "target_s_per_million": BATCH_TARGET_S,
                    "met": batch_s * 1e6 / max(len(batch), 1) <= BATCH_TARGET_S,
                },
                "online": {
                    "requests": len(lat),
                    "p50_ms": round(float(np.percentile(lat, 50)), 3),
                    "p99_ms": round(p99, 3),
                    "max_ms": round(float(lat.max()), 3),
                    "cpu_p50_ms": round(float(np.percentile(cpu, 50)), 3),
                    "cpu_p99_ms": round(float(np.percentile(cpu, 99)), 3),
                    "target_p99_ms": ONLINE_TARGET_MS,
                    "met": p99 <= ONLINE_TARGET_MS,
                },
                "rows_with_rule_hits": int(rm.any().sum()),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
