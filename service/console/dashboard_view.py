"""The analyst dashboard's data: champion and challenger from the MLflow registry, referral rates
by post over time, and drift of key features against the champion's training data.

Registry reads go through :mod:`models.registry`; a run's fairness report is its JSON artifact
(:meth:`training.fairness.FairnessReport.to_dict`). What a model version says does not change,
so panels are cached per version; referral rates and drift are cached for a minute.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any, TypeVar

import orjson
from sqlalchemy import Engine, func, select

from mizugiwa.db.engine import session_scope
from mizugiwa.service.console.drift import key_features, sample_json_lines
from mizugiwa.service.console.plots import WeeklyRates, weekly_referral_rates
from mizugiwa.service.console.psi import PsiResult, psi_table
from mizugiwa.service.tables import StoredCase
from mizugiwa.settings import Settings

DEFAULT_MLFLOW_UI = "http://127.0.0.1:5000"
RATE_WEEKS = 26
DRIFT_SAMPLE = 5000
# The metrics a person compares first; the rest stay one click away.
_KEY_METRIC_PARTS = ("recall_at_capacity", "precision_at_capacity", "pr_auc", "brier")
_KEY_METRIC_PREFIXES = ("gate.", "fairness.passed", "test.model.", "test.truth.model.")
_FAIRNESS_COLUMNS = ("referral_rate", "false_positive_rate", "fpr_ratio", "recall", "status")
_T = TypeVar("_T")


@dataclass(frozen=True)
class FairnessTable:
    columns: list[str]
    rows: list[list[Any]]


@dataclass(frozen=True)
class ModelPanel:
    """What the dashboard shows of one alias."""

    alias: str
    version: str | None = None
    run_id: str | None = None
    run_url: str | None = None
    created: str | None = None
    metrics: list[tuple[str, float]] = field(default_factory=list)
    key_metrics: list[tuple[str, float]] = field(default_factory=list)
    fairness: FairnessTable | None = None
    data_dir: Path | None = None
    model_card_url: str | None = None


def mlflow_ui_url(settings: Settings) -> str:
    """The MLflow UI: the tracking server when it is one, else ``mlflow ui``'s default address
    (override with ``MIZUGIWA_MLFLOW_UI_URL``)."""
    configured = getattr(settings, "mlflow_ui_url", None)
    if configured:
        return str(configured).rstrip("/")
    if settings.mlflow_tracking_uri.startswith(("http://", "https://")):
        return settings.mlflow_tracking_uri.rstrip("/")
    return DEFAULT_MLFLOW_UI


class _TtlCache:
    """A tiny thread-safe cache of computed values by key, each kept ``ttl`` seconds."""

    def __init__(self, ttl: float) -> None:
        self._ttl = ttl
        self._values: dict[Any, tuple[float, Any]] = {}
        self._lock = threading.Lock()

    def get(self, key: Any, compute: Callable[[], _T]) -> _T:
        now = time.monotonic()
        hit = self._values.get(key)
        if hit is not None and hit[0] > now:
            value: _T = hit[1]
            return value
        value = compute()
        with self._lock:
            self._values[key] = (now + self._ttl, value)
        return value


_panels = _TtlCache(ttl=3600.0)
_aliases = _TtlCache(ttl=15.0)
_recent = _TtlCache(ttl=60.0)


def _fairness_table(report: dict[str, Any]) -> FairnessTable:
    columns = ["attribute", "group", "n", *_FAIRNESS_COLUMNS]
    rows = [
        [attribute, row.get("group"), row.get("n"), *(row.get(c) for c in _FAIRNESS_COLUMNS)]
        for attribute, group_rows in (report.get("tables") or {}).items()
        for row in group_rows
    ]
    return FairnessTable(columns, rows)


def _find_fairness(
    client: Any, run_id: str, tracking_uri: str, path: str = ""
) -> dict[str, Any] | None:
    """The run's fairness report artifact (the first JSON file named like one)."""
    for item in client.list_artifacts(run_id, path or None):
        if item.is_dir:
            found = _find_fairness(client, run_id, tracking_uri, item.path)
            if found is not None:
                return found
        elif "fairness" in item.path and item.path.endswith(".json"):
            import mlflow

            local = mlflow.artifacts.download_artifacts(
                run_id=run_id, artifact_path=item.path, tracking_uri=tracking_uri
            )
            data: dict[str, Any] = orjson.loads(Path(local).read_bytes())
            return data
    return None


def _data_dir(params: dict[str, str], tags: dict[str, str]) -> Path | None:
    """The training folder a run recorded (any param or tag naming a folder of applications)."""
    for value in [*params.values(), *tags.values()]:
        if not value or len(value) > 4096 or "\n" in value:
            continue
        path = Path(value)
        try:
            if (path / "applications.jsonl").is_file():
                return path
        except OSError:
            continue
    return None


def _panel(settings: Settings, alias: str, version: Any) -> ModelPanel:
    from mizugiwa.models.registry import client

    c = client(settings)
    run = c.get_run(version.run_id) if version.run_id else None
    metrics = sorted((run.data.metrics if run else {}).items())
    fairness = _find_fairness(c, version.run_id, settings.mlflow_tracking_uri) if run else None
    ui = mlflow_ui_url(settings)
    run_url = f"{ui}/#/experiments/{run.info.experiment_id}/runs/{run.info.run_id}" if run else None
    created = (
        time.strftime("%Y-%m-%d %H:%M", time.gmtime(version.creation_timestamp / 1000))
        if version.creation_timestamp
        else None
    )
    return ModelPanel(
        alias=alias,
        version=str(version.version),
        run_id=version.run_id,
        run_url=run_url,
        created=created,
        metrics=[(name, float(value)) for name, value in metrics],
        key_metrics=[
            (name, float(value))
            for name, value in metrics
            if name.startswith(_KEY_METRIC_PREFIXES)
            and (
                name.startswith(("gate.", "fairness.")) or any(p in name for p in _KEY_METRIC_PARTS)
            )
        ],
        fairness=_fairness_table(fairness) if fairness else None,
        data_dir=_data_dir(run.data.params, run.data.tags) if run else None,
        model_card_url=f"{run_url}/artifacts" if run_url else None,
    )


def model_panels(settings: Settings, aliases: tuple[str, ...]) -> list[ModelPanel]:
    """One panel per alias (a placeholder where the alias is unset)."""
    from mizugiwa.models.registry import version_for_alias

    panels = []
    for alias in aliases:
        version = _aliases.get(
            (settings.registered_model_name, alias),
            lambda a=alias: version_for_alias(a, settings=settings),  # type: ignore[misc]
        )
        if version is None:
            panels.append(ModelPanel(alias=alias))
            continue
        key = (settings.mlflow_tracking_uri, settings.registered_model_name, str(version.version))
        panels.append(_panels.get((key, alias), lambda v=version, a=alias: _panel(settings, a, v)))  # type: ignore[misc]
    return panels


def _cases_version(engine: Engine) -> tuple[int, Any]:
    """How many cases are stored and when the last was scored: what the cached views depend on."""
    with session_scope(engine) as session:
        row = session.execute(select(func.count(), func.max(StoredCase.scored_at))).one()
    return int(row[0]), row[1]


def referral_rates(engine: Engine, weeks: int = RATE_WEEKS) -> WeeklyRates:
    """Weekly referral rates by consular post over the last ``weeks`` weeks of scored visa
    applications (border entries are ports, not posts: they are not mixed in)."""

    def compute() -> WeeklyRates:
        with session_scope(engine) as session:
            latest = session.scalar(
                select(func.max(StoredCase.case_date)).where(
                    StoredCase.scored_at.is_not(None), StoredCase.kind == "application"
                )
            )
            if latest is None:
                return weekly_referral_rates([], [], [])
            rows = session.execute(
                select(StoredCase.post_code, StoredCase.case_date, StoredCase.refer).where(
                    StoredCase.scored_at.is_not(None),
                    StoredCase.kind == "application",
                    StoredCase.case_date >= latest - timedelta(weeks=weeks),
                )
            ).all()
        return weekly_referral_rates(
            [r[0] for r in rows], [r[1] for r in rows], [bool(r[2]) for r in rows]
        )

    return _recent.get(("rates", str(engine.url), weeks, _cases_version(engine)), compute)


def recent_applications(engine: Engine, limit: int = DRIFT_SAMPLE) -> list[dict[str, Any]]:
    """The most recent scored applications (JSON form), newest first."""
    with session_scope(engine) as session:
        return list(
            session.scalars(
                select(StoredCase.record)
                .where(StoredCase.kind == "application", StoredCase.scored_at.is_not(None))
                .order_by(StoredCase.case_date.desc())
                .limit(limit)
            )
        )


def drift(engine: Engine, data_dir: Path | None, sample: int = DRIFT_SAMPLE) -> list[PsiResult]:
    """PSI of the key features: recent scored applications against the training folder."""
    if data_dir is None:
        return []

    def compute() -> list[PsiResult]:
        recent = recent_applications(engine, sample)
        if not recent:
            return []
        training = sample_json_lines(data_dir / "applications.jsonl", sample, seed=0)
        return psi_table(key_features(training), key_features(recent))

    key = ("psi", str(engine.url), str(data_dir), sample, _cases_version(engine))
    return _recent.get(key, compute)


class _Background:
    """Values computed off the request path: a request gets the last value at once (``None``
    before the first is ready) and, when it is older than ``max_age`` seconds, starts one
    recomputation in a thread. The dashboard so answers in milliseconds however many cases are
    stored, and says "being computed" where a panel is not ready yet."""

    def __init__(self, max_age: float) -> None:
        self._max_age = max_age
        self._values: dict[Any, tuple[float, Any]] = {}
        self._running: set[Any] = set()
        self._lock = threading.Lock()

    def get(self, key: Any, compute: Callable[[], _T]) -> _T | None:
        now = time.monotonic()
        with self._lock:
            hit = self._values.get(key)
            stale = hit is None or hit[0] + self._max_age < now
            start = stale and key not in self._running
            if start:
                self._running.add(key)
        if start:
            threading.Thread(target=self._run, args=(key, compute), daemon=True).start()
        return None if hit is None else hit[1]

    def _run(self, key: Any, compute: Callable[[], Any]) -> None:
        try:
            value = compute()
            with self._lock:
                self._values[key] = (time.monotonic(), value)
        finally:
            with self._lock:
                self._running.discard(key)


_panels_later = _Background(max_age=30.0)


def referral_rates_ready(engine: Engine) -> WeeklyRates | None:
    """:func:`referral_rates` as last computed (``None`` while the first computation runs)."""
    return _panels_later.get(("rates", str(engine.url)), lambda: referral_rates(engine))


def drift_ready(engine: Engine, data_dir: Path | None) -> list[PsiResult] | None:
    """:func:`drift` as last computed (``None`` while the first computation runs)."""
    if data_dir is None:
        return []
    return _panels_later.get(
        ("psi", str(engine.url), str(data_dir)), lambda: drift(engine, data_dir)
    )
