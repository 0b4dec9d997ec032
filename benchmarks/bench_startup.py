"""Restart time of ``mizugiwa serve``: how soon the port answers, a score is answered and
``/readyz`` says ready, with many stored applications and with the model registry unreachable.

    .venv/bin/python benchmarks/bench_startup.py [--applications 1000000] [--workdir DIR] [--reuse]

Steps: a SQLite database with ``--applications`` stored visa applications (varied ids, phones,
sponsors and dates, inserted in bulk), and a cached champion (a small LightGBM scorer built on
random features: start-up does not depend on what the model learnt). Then two restarts, each
timed from the moment the process is spawned:

- ``stored``: the registry is a local MLflow store that answers (it has no ``champion`` alias,
  so the cached champion serves, as after a registry migration);
- ``registry_unreachable``: the tracking URI is a server that accepts connections and never
  answers (the worst case: a refused connection fails at once).

Reported per restart: ``port_s`` (first ``/healthz`` 200), ``score_s`` (first border-entry score
answered 200), ``ready_s`` (first ``/readyz`` 200, the network history loaded) and whether the
5-second target for the port and the first score was met. The last line is a JSON summary.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests" / "service"))
TARGET_SECONDS = 5.0
APPLICATION: dict[str, Any] = {
    "post_code": "MNL",
    "visa_category": "spouse_of_japanese",
    "applicant": {
        "family_name": "DELA CRUZ",
        "given_names": "MARIA",
        "sex": "F",
        "date_of_birth": "1998-05-04",
        "nationality": "PHL",
        "languages": ["tl", "en"],
    },
    "passport": {
        "number": "P1234567A",
        "issuing_state": "PHL",
        "issue_date": "2020-01-10",
        "expiry_date": "2030-01-09",
    },
    "sponsor": {"role": "spouse", "family_name": "TANAKA", "given_names": "ICHIRO"},
    "travel": {"ticket_paid_by": "sponsor", "return_ticket": False, "intended_stay_days": 90},
}
ENTRY = {
    "entry_id": "ENT-BENCH-1",
    "port_code": "NRT",
    "arrived_at": "2025-04-01T14:30:00+09:00",
    "flight_number": "PR428",
    "mrz": [
        "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
        "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
    ],
    "declared_purpose": "family",
    "declared_stay_days": 30,
}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _settings(work: Path, tracking_uri: str) -> Any:
    from mizugiwa.settings import Settings

    return Settings(
        environment="test",
        database_url=f"sqlite:///{work / 'service.sqlite3'}",
        mlflow_tracking_uri=tracking_uri,
        model_cache_dir=work / "model-cache",
        decision_spool_path=work / "spool.jsonl",
        audit_checkpoint_path=work / "checkpoint.json",
    )


def _env(settings: Any, port: int) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        MIZUGIWA_ENVIRONMENT="test",
        MIZUGIWA_DATABASE_URL=settings.database_url,
        MIZUGIWA_MLFLOW_TRACKING_URI=settings.mlflow_tracking_uri,
        MIZUGIWA_MODEL_CACHE_DIR=str(settings.model_cache_dir),
        MIZUGIWA_DECISION_SPOOL_PATH=str(settings.decision_spool_path),
        MIZUGIWA_AUDIT_CHECKPOINT_PATH=str(settings.audit_checkpoint_path),
        MIZUGIWA_PORT=str(port),
        MIZUGIWA_LOG_LEVEL="WARNING",
    )
    return env


def prepare(work: Path, applications: int) -> str:
    """The database, the stored applications, an account, the cached champion; the token."""
    from sqlalchemy import Table, insert
    from tiny_champion import write_cached_champion

    from mizugiwa.db.engine import make_engine
    from mizugiwa.db.migrate import upgrade
    from mizugiwa.models.registry import alias_version
    from mizugiwa.service.auth import add_user, issue_token
    from mizugiwa.service.runtime import ServiceRuntime
    from mizugiwa.service.tables import StoredCase

    local_registry = f"sqlite:///{work / 'mlflow.sqlite3'}"
    settings = _settings(work, local_registry)
    upgrade(settings.database_url)
    alias_version("champion", settings=settings)  # create the local MLflow store once
    runtime = ServiceRuntime(settings)
    write_cached_champion(runtime._cache_path())
    runtime.close()
    engine = make_engine(settings.database_url)
    add_user(engine, "inspector", "border_inspector")
    token = issue_token(engine, "inspector")
    table: Table = StoredCase.__table__  # type: ignore[assignment]
    base = datetime(2024, 1, 1, tzinfo=UTC)
    began = time.perf_counter()
    chunk = 20_000
    for start in range(0, applications, chunk):
        rows = []
        for i in range(start, min(applications, start + chunk)):
            when = base + timedelta(minutes=i % 500_000)
            record = dict(APPLICATION, application_id=f"B-{i:07d}", submitted_at=when.isoformat())
            record["applicant"] = dict(APPLICATION["applicant"], phone=f"+63 917 {i % 90_000:07d}")
            record["passport"] = dict(APPLICATION["passport"], number=f"P{i:08d}")
            record["sponsor"] = dict(
                APPLICATION["sponsor"],
                family_name=f"SPONSOR{i % 7_000}",
                phone=f"+81 90 {i % 30_000:08d}",
            )
            rows.append(
                {
                    "case_id": record["application_id"],
                    "kind": "application",
                    "status": "pending",
                    "post_code": "MNL",
                    "case_date": when,
                    "record": record,
                    "refer": False,
                    "referred_by": [],
                    "reason_codes": [],
                    "rule_codes": [],
                }
            )
        with engine.begin() as connection:
            connection.execute(insert(table), rows)
    engine.dispose()
    print(f"stored {applications} applications in {time.perf_counter() - began:.1f} s", flush=True)
    (work / "token").write_text(token)
    return token


def _cache_for(work: Path, settings: Any) -> None:
    """The champion cached under this registry URI too (the cache is kept per registry), as
    if the registry had answered before it went away."""
    import shutil

    from mizugiwa.service.runtime import ServiceRuntime

    local = ServiceRuntime(_settings(work, f"sqlite:///{work / 'mlflow.sqlite3'}"))
    here = ServiceRuntime(settings)
    try:
        if here._cache_path() != local._cache_path():
            shutil.copyfile(local._cache_path(), here._cache_path())
    finally:
        local.close()
        here.close()


def _get(port: int, path: str, body: bytes | None = None, token: str = "") -> int | None:
    import http.client

    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        headers = {"Content-Type": "application/json"} if body is not None else {}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        connection.request("POST" if body is not None else "GET", path, body=body, headers=headers)
        status = connection.getresponse().status
        connection.close()
        return status
    except OSError:
        return None


def restart(work: Path, name: str, tracking_uri: str, token: str, limit: float) -> dict[str, Any]:
    """Spawn ``mizugiwa serve`` and time the port, the first score and readiness."""
    port = _free_port()
    settings = _settings(work, tracking_uri)
    _cache_for(work, settings)
    began = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "mizugiwa.cli", "serve", "--no-migrate"],
        env=_env(settings, port),
        stdout=subprocess.DEVNULL,
        stderr=(work / f"{name}.log").open("wb"),
    )
    result: dict[str, Any] = {"port_s": None, "score_s": None, "ready_s": None}
    body = json.dumps(ENTRY).encode()
    try:
        while time.perf_counter() - began < limit and process.poll() is None:
            elapsed = time.perf_counter() - began
            if result["port_s"] is None and _get(port, "/healthz") == 200:
                result["port_s"] = round(elapsed, 2)
            scoring = result["port_s"] is not None and result["score_s"] is None
            if scoring and _get(port, "/v1/border-entries/score", body, token) == 200:
                result["score_s"] = round(time.perf_counter() - began, 2)
            if result["score_s"] is not None and _get(port, "/readyz") == 200:
                result["ready_s"] = round(time.perf_counter() - began, 2)
                break
            time.sleep(0.05)
    finally:
        process.terminate()
        process.wait(timeout=30)
    met = all(result[k] is not None and result[k] <= TARGET_SECONDS for k in ("port_s", "score_s"))
    result["target_met"] = met
    print(f"{name}: {result}", flush=True)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--applications", type=int, default=1_000_000)
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--reuse", action="store_true", help="Reuse a prepared --workdir.")
    parser.add_argument("--limit", type=float, default=900.0, help="Seconds to wait for ready.")
    args = parser.parse_args()
    work = args.workdir or Path(tempfile.mkdtemp(prefix="mizugiwa-startup-"))
    work.mkdir(parents=True, exist_ok=True)
    if args.reuse and (work / "token").exists():
        token = (work / "token").read_text()
    else:
        token = prepare(work, args.applications)
    results: dict[str, Any] = {"applications": args.applications, "workdir": str(work)}
    results["stored"] = restart(
        work, "stored", f"sqlite:///{work / 'mlflow.sqlite3'}", token, args.limit
    )
    with socket.socket() as silent:  # accepts connections, never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(64)
        uri = f"http://127.0.0.1:{silent.getsockname()[1]}"
        results["registry_unreachable"] = restart(
            work, "registry_unreachable", uri, token, args.limit
        )
    print(json.dumps(results))


if __name__ == "__main__":
    main()
