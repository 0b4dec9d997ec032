"""The API contract run of ``tests/service/test_api_contract.py`` at a larger scale: every
operation, positive and negative cases, all of schemathesis' checks, ``--examples`` cases per
operation and mode (the suite runs 130).

    .venv/bin/python benchmarks/bench_api_contract.py [--examples 2000]

Prints the cases run per operation and the time taken; exits 1 with schemathesis' report on
the first finding. The last line of output is a JSON summary.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--examples", type=int, default=2000)
    args = parser.parse_args()
    began = time.perf_counter()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-x",
            "-p",
            "no:cacheprovider",
            str(REPO / "tests" / "service" / "test_api_contract.py"),
            "-k",
            "every_operation",
        ],
        env={**__import__("os").environ, "MIZUGIWA_CONTRACT_EXAMPLES": str(args.examples)},
        capture_output=True,
        text=True,
    )
    seconds = round(time.perf_counter() - began, 1)
    tail = done.stdout.strip().splitlines()[-1:] or [""]
    if done.returncode != 0:  # schemathesis' report, without the access log around it
        report = done.stdout
        start = report.find("= FAILURES =")
        end = report.find("Captured stdout", start)
        print(report[max(start, 0) : end if end > 0 else None][-8000:])
    print(
        json.dumps(
            {
                "examples_per_operation_and_mode": args.examples,
                "passed": done.returncode == 0,
                "seconds": seconds,
                "pytest": tail[0],
            }
        )
    )
    raise SystemExit(done.returncode)


if __name__ == "__main__":
    main()
