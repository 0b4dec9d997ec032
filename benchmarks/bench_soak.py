"""A soak: ``mizugiwa serve`` under a steady mixed load for minutes, watching for errors and
for resident memory that keeps growing.

    .venv/bin/python benchmarks/bench_soak.py [--rate 100] [--seconds 600] [--database-url URL]

The load is open-loop (request *i* is sent at ``t0 + i / rate`` whatever the earlier ones did)
and mixed: 45% border entries, 30% visa applications, 15% interview outcomes on applications
scored earlier in the run (one in ten confirmed, so the shared database and the in-memory views
change), 10% worklist pages. The champion is a small cached one (the registry is unreachable;
what is measured is the service, not what a model learnt). The server's resident memory is
read from ``/proc`` every 5 seconds; growth is measured from the end of the first fifth of the
run (the warm-up: caches filling, the allocator settling) to the end.

Passes when no request failed (anything but 200; an outcome's 409 would mean a lost answer) and
memory grew less than 10%. The last line of output is a JSON summary.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests" / "service"))
from service_samples import APPLICATION, ENTRY, OUTCOME  # noqa: E402

MEMORY_GROWTH_LIMIT = 0.10
THREADS = 16


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _rss_bytes(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


def prepare(work: Path, database_url: str) -> tuple[dict[str, str], dict[str, str]]:
    """Database, accounts and cached champion; returns the tokens and the server's env."""
    from tiny_champion import write_cached_champion

    from mizugiwa.db.migrate import upgrade
    from mizugiwa.service.auth import add_user, issue_token
    from mizugiwa.service.runtime import ServiceRuntime
    from mizugiwa.settings import Settings

    settings = Settings(
        environment="test",
        database_url=database_url,
        mlflow_tracking_uri="http://127.0.0.1:9",
        model_cache_dir=work / "model-cache",
        decision_spool_path=work / "spool.jsonl",
        audit_checkpoint_path=work / "checkpoint.json",
    )
    upgrade(database_url)
    runtime = ServiceRuntime(settings)
    write_cached_champion(runtime._cache_path())
    tokens = {}
    for name, role, post in (
        ("inspector", "border_inspector", None),
        ("officer", "consular_officer", "MNL"),
        ("analyst", "analyst", None),
    ):
        add_user(runtime.engine, name, role, post)
        tokens[name] = issue_token(runtime.engine, name)
    runtime.close()
    env = dict(os.environ)
    env.update(
        MIZUGIWA_ENVIRONMENT="test",
        MIZUGIWA_DATABASE_URL=database_url,
        MIZUGIWA_MLFLOW_TRACKING_URI=settings.mlflow_tracking_uri,
        MIZUGIWA_MODEL_CACHE_DIR=str(settings.model_cache_dir),
        MIZUGIWA_DECISION_SPOOL_PATH=str(settings.decision_spool_path),
        MIZUGIWA_AUDIT_CHECKPOINT_PATH=str(settings.audit_checkpoint_path),
        MIZUGIWA_LOG_LEVEL="WARNING",
    )
    return tokens, env


def _request(
    i: int, rng: random.Random, scored: list[tuple[int, str]], tokens: dict[str, str]
) -> Any:
    """(kind, method, path, json, headers) of the i-th request."""
    draw = rng.random()
    # Only applications scored at least 300 requests (3 s at 100/s) earlier are referred to,
    # so that their score has been answered whichever thread sent it.
    ready = [n for n, (at, _) in enumerate(scored) if at < i - 300]
    if draw < 0.45:
        body = dict(copy.deepcopy(ENTRY), entry_id=f"SOAK-E-{i}", visa_reference=None)
        if ready and rng.random() < 0.5:
            body["visa_reference"] = scored[rng.choice(ready)][1]
        return "entry", "POST", "/v1/border-entries/score", body, tokens["inspector"]
    if draw < 0.75 or not ready:
        app_id = f"SOAK-A-{i}"
        body = copy.deepcopy(APPLICATION)
        body["application_id"] = app_id
        body["applicant"]["phone"] = f"+63 917 {rng.randrange(10**7):07d}"
        scored.append((i, app_id))
        return "application", "POST", "/v1/visa-applications/score", body, tokens["officer"]
    if draw < 0.90:
        case_id = scored.pop(rng.choice(ready))[1]
        outcome = "sham_marriage" if rng.random() < 0.1 else "no_concern"
        body = dict(OUTCOME, case_id=case_id, outcome=outcome)
        return "outcome", "POST", "/v1/outcomes", body, tokens["officer"]
    return "referrals", "GET", "/v1/referrals?limit=20", None, tokens["analyst"]


def load(port: int, rate: float, seconds: float, tokens: dict[str, str], pid: int) -> Any:
    """Send the schedule from ``THREADS`` threads, each on one keep-alive connection (the
    standard library's client: cheap enough that the client never sets the pace)."""
    import http.client
    import threading

    rng = random.Random(7)
    scored: list[tuple[int, str]] = []
    total = int(rate * seconds)
    specs = [_request(i, rng, scored, tokens) for i in range(total)]
    results: list[tuple[str, float, int | str]] = []
    memory: list[tuple[float, int]] = []
    t0 = time.perf_counter() + 0.5
    lock = threading.Lock()

    def worker(k: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        for i in range(k, total, THREADS):
            kind, method, path, body, token = specs[i]
            due = t0 + i / rate
            delay = due - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
            try:
                payload = json.dumps(body).encode() if body is not None else None
                connection.request(method, path, body=payload, headers=headers)
                response = connection.getresponse()
                response.read()
                status: int | str = response.status
            except (OSError, http.client.HTTPException) as exc:
                status = type(exc).__name__
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            with lock:
                results.append((kind, time.perf_counter() - due, status))
        connection.close()

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(THREADS)]
    for thread in threads:
        thread.start()
    while any(thread.is_alive() for thread in threads):
        memory.append((time.perf_counter() - t0, _rss_bytes(pid)))
        time.sleep(5.0)
    memory.append((time.perf_counter() - t0, _rss_bytes(pid)))
    return results, memory


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return round(1000 * ordered[min(len(ordered) - 1, int(q * len(ordered)))], 1) if values else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rate", type=float, default=100.0)
    parser.add_argument("--seconds", type=float, default=600.0)
    parser.add_argument("--database-url", default=None, help="Default: SQLite in the workdir.")
    parser.add_argument("--workdir", type=Path, default=None)
    args = parser.parse_args()
    work = args.workdir or Path(tempfile.mkdtemp(prefix="mizugiwa-soak-"))
    work.mkdir(parents=True, exist_ok=True)
    database_url = args.database_url or f"sqlite:///{work / 'service.sqlite3'}"
    tokens, env = prepare(work, database_url)
    port = _free_port()
    env["MIZUGIWA_PORT"] = str(port)
    server = subprocess.Popen(
        [sys.executable, "-m", "mizugiwa.cli", "serve", "--no-migrate"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=(work / "server.log").open("wb"),
    )
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                raise SystemExit(f"the service did not get ready: see {work / 'server.log'}")
            time.sleep(0.2)
        results, memory = load(port, args.rate, args.seconds, tokens, server.pid)
    finally:
        server.terminate()
        server.wait(timeout=30)
    failures: dict[str, int] = {}
    for kind, _, status in results:
        if status != 200:
            failures[f"{kind}:{status}"] = failures.get(f"{kind}:{status}", 0) + 1
    warm = [rss for at, rss in memory if at >= args.seconds / 5]
    growth = (memory[-1][1] - warm[0]) / warm[0] if warm else 0.0
    by_kind = {
        kind: {
            "n": sum(1 for k, _, _ in results if k == kind),
            "p50_ms": _pct([t for k, t, _ in results if k == kind], 0.5),
            "p99_ms": _pct([t for k, t, _ in results if k == kind], 0.99),
        }
        for kind in ("entry", "application", "outcome", "referrals")
    }
    summary = {
        "rate": args.rate,
        "seconds": args.seconds,
        "database": database_url.split(":", 1)[0],
        "requests": len(results),
        "failures": failures,
        "rss_mb_start_of_measure": round(warm[0] / 2**20, 1) if warm else None,
        "rss_mb_end": round(memory[-1][1] / 2**20, 1),
        "rss_growth": round(growth, 4),
        "latency": by_kind,
        "passed": not failures and growth < MEMORY_GROWTH_LIMIT,
        "workdir": str(work),
    }
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
