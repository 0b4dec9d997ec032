"""Border-entry scoring under a steady open-loop load: Mizugiwa's service vs ``mlflow models
serve`` of the same registered model, over loopback, in one run.

    .venv/bin/python benchmarks/bench_service.py [--rate 200] [--seconds 20] [--workdir DIR]

Steps: synthesise a world (fixed seed), load its trafficking database and its applications,
train and register a model and point ``champion`` at it (skipped with ``--reuse`` when the
work folder already has one), start ``mizugiwa serve`` (uvicorn, one worker) and ``mlflow
models serve --env-manager local`` of ``models:/<name>@champion``, then send each the same
border entries at ``--rate`` requests per second for ``--seconds`` seconds from a separate
client process.

The client is open-loop: request *i* is sent at ``t0 + i / rate`` whether or not earlier ones
have answered, and its latency is measured from that scheduled time (so queueing in the server
counts). It speaks HTTP/1.1 over a pool of keep-alive connections with asyncio streams (on
uvloop when installed), which keeps the client's own overhead small. The service answers with
database lookups (the linked visa application), reasons, the decision-log append and the case
store included; mlflow scores the entry alone (its model has no application store).

Each result also carries the server's CPU time per request (the process and its children,
from ``/proc``, so Linux only), the client's, and the load average before and after: on a
machine shared with other jobs, those decide much of the tail. ``--cold`` starts the service
without preloaded linked applications; ``--nice -N`` (root) runs both servers and the client
ahead of other jobs. The last line of output is a JSON summary; targets that are missed are
reported as missed.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
TARGET_P50_MS = 3.0
TARGET_P99_MS = 10.0


# -- client (runs in its own process) ----------------------------------------------------------


async def _request(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, raw: bytes) -> int:
    writer.write(raw)
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = 0
    for line in head.split(b"\r\n"):
        if line[:15].lower() == b"content-length:":
            length = int(line[15:].strip())
    if length:
        await reader.readexactly(length)
    return status


async def _load(port: int, requests: list[bytes], rate: float, connections: int) -> dict[str, Any]:
    pool: asyncio.Queue[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = asyncio.Queue()
    for _ in range(connections):
        pool.put_nowait(await asyncio.open_connection("127.0.0.1", port))
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    errors: list[str] = []

    lags: list[float] = []

    async def one(raw: bytes, due: float) -> None:
        conn = await pool.get()
        lags.append(time.perf_counter() - due)
        try:
            status = await _request(*conn, raw)
            statuses[status] = statuses.get(status, 0) + 1
        except (OSError, asyncio.IncompleteReadError, ValueError) as exc:
            errors.append(type(exc).__name__)
            conn = await asyncio.open_connection("127.0.0.1", port)
        finally:
            pool.put_nowait(conn)
        latencies.append(time.perf_counter() - due)

    loop = asyncio.get_running_loop()
    tasks: list[asyncio.Task[None]] = []

    def launch(raw: bytes, due: float) -> None:
        tasks.append(asyncio.create_task(one(raw, due)))

    # Pacing in a thread: time.sleep wakes within tens of microseconds, while the event loop's
    # timers round to whole milliseconds, which would add up to 1 ms of the client's own
    # lateness to every latency. (perf_counter throughout: uvloop's clock is in milliseconds.)
    start = time.perf_counter() + 0.05

    def pace() -> None:
        for i, raw in enumerate(requests):
            due = start + i / rate
            delay = due - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            loop.call_soon_threadsafe(launch, raw, due)

    await asyncio.to_thread(pace)
    await asyncio.sleep(0)  # the last launch callbacks run before the thread's result
    await asyncio.gather(*tasks)
    elapsed = time.perf_counter() - start
    while not pool.empty():
        _, writer = pool.get_nowait()
        writer.close()
    latencies.sort()
    lags.sort()

    def pct(q: float) -> float:
        return round(1000 * latencies[min(len(latencies) - 1, int(q * len(latencies)))], 3)

    ok = statuses.get(200, 0)
    return {
        "requests": len(requests),
        "ok": ok,
        "non_200": {str(k): v for k, v in statuses.items() if k != 200},
        "transport_errors": len(errors),
        "achieved_rps": round(len(requests) / elapsed, 1),
        "p50_ms": pct(0.50),
        "p90_ms": pct(0.90),
        "p99_ms": pct(0.99),
        "max_ms": round(1000 * latencies[-1], 3),
        # How late the client itself sent (included in the latencies above).
        "send_lag_p50_ms": round(1000 * lags[len(lags) // 2], 3),
        "send_lag_p99_ms": round(1000 * lags[min(len(lags) - 1, int(0.99 * len(lags)))], 3),
    }


def _tree_cpu_seconds(pid: int) -> float:
    """User plus system CPU seconds of a process and all its descendants (Linux ``/proc``)."""
    tick = os.sysconf("SC_CLK_TCK")
    stats: dict[int, tuple[int, float]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            raw = (entry / "stat").read_text()
        except OSError:
            continue
        fields = raw[raw.rindex(")") + 2 :].split()
        stats[int(entry.name)] = (int(fields[1]), (int(fields[11]) + int(fields[12])) / tick)
    total, todo = 0.0, [pid]
    while todo:
        current = todo.pop()
        total += stats.get(current, (0, 0.0))[1]
        todo += [child for child, (parent, _) in stats.items() if parent == current]
    return total


def _loadavg() -> list[float]:
    return [float(x) for x in Path("/proc/loadavg").read_text().split()[:3]]


def client_main(spec_path: str) -> None:
    spec = json.loads(Path(spec_path).read_text())
    requests = [r.encode("latin-1") for r in spec["requests"]]
    warm = requests[: spec["warmup"]]
    run = asyncio.run
    try:  # the client's own overhead is smaller on uvloop, when it is installed
        import uvloop

        run = uvloop.run
    except ImportError:
        pass
    if warm:
        run(_load(spec["port"], warm, spec["rate"], spec["connections"]))
    load_before, server_before = _loadavg(), _tree_cpu_seconds(spec["server_pid"])
    client_before = time.process_time()
    result = run(_load(spec["port"], requests, spec["rate"], spec["connections"]))
    n = len(requests)
    result.update(
        server_cpu_ms_per_request=round(
            1000 * (_tree_cpu_seconds(spec["server_pid"]) - server_before) / n, 3
        ),
        client_cpu_ms_per_request=round(1000 * (time.process_time() - client_before) / n, 3),
        loadavg_before=load_before,
        loadavg_after=_loadavg(),
    )
    print(json.dumps(result))


def _http(method: str, path: str, body: bytes, headers: dict[str, str]) -> str:
    lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", f"Content-Length: {len(body)}"]
    lines += [f"{k}: {v}" for k, v in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1").decode("latin-1") + body.decode(
        "latin-1"
    )


def run_client(
    port: int,
    server_pid: int,
    requests: list[str],
    rate: float,
    warmup: int,
    work: Path,
    nice: int = 0,
) -> dict[str, Any]:
    spec = work / f"client-{port}.json"
    spec.write_text(
        json.dumps(
            {
                "port": port,
                "server_pid": server_pid,
                "requests": requests,
                "rate": rate,
                "warmup": warmup,
                "connections": 32,
            }
        )
    )
    try:
        out = subprocess.run(
            [PYTHON, __file__, "--client", str(spec)],
            capture_output=True,
            text=True,
            check=True,
            preexec_fn=_niceness(nice),
        )
    finally:
        spec.unlink(missing_ok=True)
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def _niceness(value: int) -> Any:
    """A ``preexec_fn`` that sets a child's niceness (``None`` when left as it is)."""
    if not value:
        return None
    return lambda: os.nice(value)


# -- set-up --------------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _env(work: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        MIZUGIWA_ENVIRONMENT="test",
        MIZUGIWA_DATABASE_URL=f"sqlite:///{work / 'mizugiwa.sqlite3'}",
        MIZUGIWA_MLFLOW_TRACKING_URI=f"sqlite:///{work / 'mlflow.sqlite3'}",
        MIZUGIWA_MLFLOW_ARTIFACT_ROOT=(work / "mlruns").as_uri(),
        MIZUGIWA_LOG_LEVEL="WARNING",
        MIZUGIWA_MODEL_RELOAD_SECONDS="3600",
    )
    return env


def _mizugiwa(env: dict[str, str], *args: str) -> str:
    cmd = [PYTHON, "-m", "mizugiwa.cli", *args]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, cwd=REPO)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{done.stderr[-3000:]}")
    return done.stdout


def prepare(work: Path, seed: int, applications: int, entries: int, reuse: bool) -> None:
    """A world, its database, its applications in the service, and a champion."""
    env = _env(work)
    marker = work / "prepared.json"
    if reuse and marker.exists():
        return
    world = work / "world"
    _mizugiwa(
        env,
        "synth",
        "--seed",
        str(seed),
        "--applications",
        str(applications),
        "--entries",
        str(entries),
        "--out",
        str(world),
    )
    _mizugiwa(env, "db", "upgrade")
    _mizugiwa(env, "db", "load", str(world / "tipdb.jsonl"))
    loaded = subprocess.run(
        [PYTHON, "-m", "mizugiwa.commands.cases", "load", str(world / "applications.jsonl")],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    if loaded.returncode != 0:
        raise SystemExit(f"cases load failed:\n{loaded.stderr[-3000:]}")
    summary = json.loads(
        _mizugiwa(env, "train", "--data", str(world), "--seed", str(seed)).strip().splitlines()[-1]
    )
    version = str(summary.get("version") or summary.get("model_version"))
    code = (
        "import sys; from mizugiwa.settings import Settings;"
        " from mizugiwa.models.registry import set_alias;"
        " set_alias('champion', sys.argv[1], settings=Settings())"
    )
    subprocess.run([PYTHON, "-c", code, version], env=env, check=True, cwd=REPO)
    marker.write_text(json.dumps({"version": version, "train": summary}, default=str))


def _token(work: Path) -> str:
    env = _env(work)
    name = f"bench-{random.randrange(1 << 30)}"
    _mizugiwa(env, "users", "add", name, "--role", "border_inspector")
    return _mizugiwa(env, "users", "token", name).strip().splitlines()[-1]


def _wait(port: int, path: str, proc: subprocess.Popen[bytes], timeout: float) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server on {port} exited with {proc.returncode} (see its log)")
        try:
            if httpx.get(f"http://127.0.0.1:{port}{path}", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise SystemExit(f"server on {port} not ready after {timeout}s")


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rate", type=float, default=200.0)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--warmup", type=int, default=400, help="Requests sent before measuring.")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--applications", type=int, default=15000)
    parser.add_argument("--entries", type=int, default=3000)
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--reuse", action="store_true", help="Reuse a prepared --workdir.")
    parser.add_argument("--skip-mlflow", action="store_true")
    parser.add_argument(
        "--cold",
        action="store_true",
        help="Start the service without preloaded linked applications (--warm-applications 0).",
    )
    parser.add_argument(
        "--nice",
        type=int,
        default=0,
        help="Niceness for both servers and the client (negative needs root): on a machine "
        "shared with other jobs, approximates an unshared one. Reported with the figures.",
    )
    parser.add_argument("--client", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.client:
        client_main(args.client)
        return
    work = args.workdir or Path(tempfile.mkdtemp(prefix="mizugiwa-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    prepare(work, args.seed, args.applications, args.entries, args.reuse)
    setup_s = round(time.monotonic() - started, 1)
    env = _env(work)
    token = _token(work)
    lines = (work / "world" / "entries.jsonl").read_bytes().splitlines()
    count = int(args.rate * args.seconds)
    rng = random.Random(args.seed)
    total = count + args.warmup
    bodies = [lines[rng.randrange(len(lines))] for _ in range(total)]
    results: dict[str, Any] = {
        "rate": args.rate,
        "seconds": args.seconds,
        "setup_s": setup_s,
        "cold": args.cold,
        "nice": args.nice,
    }

    port = _free_port()
    warm = ["--warm-applications", "0"] if args.cold else []
    serve = subprocess.Popen(
        [PYTHON, "-m", "mizugiwa.cli", "serve", "--port", str(port), *warm],
        preexec_fn=_niceness(args.nice),
        env=env,
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=(work / "serve.log").open("wb"),
    )
    try:
        # The port opens before the database views and history are loaded: wait for readiness.
        _wait(port, "/readyz", serve, 180)

        headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        # Each entry id is made unique so every request stores a new case, as in service.
        reqs = []
        for i, body in enumerate(bodies):
            record = json.loads(body)
            record["entry_id"] = f"B{i:07d}-{record['entry_id']}"[:64]
            raw = json.dumps(record).encode()
            reqs.append(_http("POST", "/v1/border-entries/score", raw, headers))
        results["mizugiwa"] = run_client(
            port, serve.pid, reqs, args.rate, args.warmup, work, args.nice
        )
        print(f"mizugiwa: {json.dumps(results['mizugiwa'])}", file=sys.stderr)
    finally:
        _stop(serve)

    if not args.skip_mlflow:
        mport = _free_port()
        name = "mizugiwa-screening"
        mlflow_bin = shutil.which("mlflow", path=str(Path(PYTHON).parent)) or "mlflow"
        menv = dict(
            env,
            MLFLOW_TRACKING_URI=env["MIZUGIWA_MLFLOW_TRACKING_URI"],
            # mlflow starts its scoring server with `uvicorn` from PATH: this interpreter's.
            PATH=f"{Path(PYTHON).parent}{os.pathsep}{env.get('PATH', '')}",
        )
        mserve = subprocess.Popen(
            [
                mlflow_bin,
                "models",
                "serve",
                "-m",
                f"models:/{name}@champion",
                "--env-manager",
                "local",
                "-h",
                "127.0.0.1",
                "-p",
                str(mport),
                "-w",
                "1",
            ],
            env=menv,
            cwd=work,
            preexec_fn=_niceness(args.nice),
            stdout=subprocess.DEVNULL,
            stderr=(work / "mlflow-serve.log").open("wb"),
        )
        try:
            _wait(mport, "/ping", mserve, 300)
            headers = {"Content-Type": "application/json"}
            reqs = [
                _http(
                    "POST",
                    "/invocations",
                    json.dumps({"dataframe_records": [{"record": body.decode()}]}).encode(),
                    headers,
                )
                for body in bodies
            ]
            results["mlflow"] = run_client(
                mport, mserve.pid, reqs, args.rate, args.warmup, work, args.nice
            )
        finally:
            _stop(mserve)

    ours = results["mizugiwa"]
    targets = {
        "p50_ms<=3": ours["p50_ms"] <= TARGET_P50_MS,
        "p99_ms<=10": ours["p99_ms"] <= TARGET_P99_MS,
        "no_errors": ours["ok"] == ours["requests"] and not ours["transport_errors"],
    }
    if "mlflow" in results:
        targets["p50_at_least_2x_lower_than_mlflow"] = (
            ours["p50_ms"] * 2 <= results["mlflow"]["p50_ms"]
        )
    results["targets"] = {k: ("met" if v else "MISSED") for k, v in targets.items()}
    results["workdir"] = str(work)
    for who in ("mizugiwa", "mlflow"):
        if who in results:
            r = results[who]
            print(
                f"{who:9s} {r['ok']}/{r['requests']} ok at {r['achieved_rps']} rps: "
                f"p50 {r['p50_ms']} ms, p90 {r['p90_ms']} ms, p99 {r['p99_ms']} ms, "
                f"max {r['max_ms']} ms; non-200 {r['non_200']}, transport errors "
                f"{r['transport_errors']}; server CPU {r['server_cpu_ms_per_request']} ms/request; "
                f"load average {r['loadavg_before'][0]} -> {r['loadavg_after'][0]}",
                file=sys.stderr,
            )
    print(json.dumps(results))


if __name__ == "__main__":
    main()
