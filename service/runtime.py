"""What the service loads once and keeps: the champion model, the trafficking-database snapshot,
the watchlist index and the network history.

The champion is swapped atomically: a request takes :attr:`ServiceRuntime.model` once, so a
request in flight finishes on the model it started with while the next one sees the new one.
Each loaded champion is also written to a local cache, so a restart while the registry is out of
reach still serves the last champion. When the database cannot be read at start, the service
serves from what it has and every score says so (``degraded``).

Start-up never holds the port closed for long (:meth:`ServiceRuntime.start_in_background`): the
cached champion serves at once, one registry call is bounded by ``registry_timeout_seconds``
(past it: "registry unreachable", retried in the background), and the network history of a
large store is rebuilt off the request path into a history of its own, swapped in when complete;
until then scores say ``degraded`` and ``/readyz`` answers 503 with what is still loading.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import hashlib
import os
import pickle
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import structlog
from sqlalchemy import Engine

from mizugiwa.db.engine import make_engine
from mizugiwa.features.context_factory import (
    Lookups,
    feature_context,
    network_history,
    read_lookups,
)
from mizugiwa.features.kinds import CaseKindSpec, kinds
from mizugiwa.models.live_thresholds import RollingThresholds
from mizugiwa.service.audit import DecisionLog
from mizugiwa.service.auth import TokenAuthenticator
from mizugiwa.service.breaker import DatabaseBreaker
from mizugiwa.service.metrics import Metrics
from mizugiwa.service.outage import DatabaseProbe
from mizugiwa.service.scoring_cache import CaseCache, LinkedProbabilities
from mizugiwa.settings import Settings

if TYPE_CHECKING:
    from mizugiwa.models.scorer import Scorer

log = structlog.get_logger("mizugiwa.service.runtime")


@dataclass(frozen=True)
class LoadedModel:
    """A champion in service and where it came from."""

    scorer: Scorer
    version: str
    loaded_at: datetime
    source: Literal["registry", "cache"]


class ServiceRuntime:
    """The service's long-lived state; built once per app by the lifespan."""

    def __init__(
        self,
        settings: Settings,
        *,
        engine: Engine | None = None,
        cache_dir: Path | None = None,
        alias: str = "champion",
        warm_applications: int = 20_000,
    ) -> None:
        self.settings = settings
        self.engine = (
            engine
            if engine is not None
            else make_engine(settings.database_url, **_engine_options(settings.database_url))
        )
        self.cache_dir = cache_dir if cache_dir is not None else settings.model_cache_dir
        self.alias = alias
        self.warm_applications = warm_applications
        self.metrics = Metrics()
        self.database = DatabaseBreaker()
        self.authenticator = TokenAuthenticator(self.engine, breaker=self.database)
        self.probe = DatabaseProbe(self.engine, self.database)
        self.decision_log = DecisionLog(
            self.engine,
            spool_path=self._local_path(cache_dir, "decision_spool_path"),
            key=settings.hmac_key,
            checkpoint_path=self._local_path(cache_dir, "audit_checkpoint_path"),
        )
        self.records = CaseCache()
        self.linked_probabilities = LinkedProbabilities()
        self.model: LoadedModel | None = None
        self.views: Lookups | None = None  # the database views, replaced together
        self.history: Any = network_history(())
        self.history_loaded = False
        self.started = threading.Event()
        self.champion_phase = threading.Event()
        self.loading: str | None = "not started"
        self.startup_problems: list[str] = []
        self.last_reload_error: str | None = None
        self._reload_lock = threading.RLock()
        self._views_lock = threading.Lock()
        self._history_lock = threading.Lock()
        self._context: Any = None
        self._context_views: Lookups | None = None
        # cases scored while the history is rebuilt, by case id, with their kind
        self._pending_history: dict[str, tuple[CaseKindSpec, Any]] | None = None
        self._views_stale = threading.Event()
        self._refresher: threading.Thread | None = None
        self._registry_pool = concurrent.futures.ThreadPoolExecutor(1, "registry")
        # MLflow's HTTP client retries with back-off for minutes by default (4.5 minutes before
        # a restart could serve): one try, bounded, unless the operator set otherwise.
        os.environ.setdefault("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "0")
        bound = str(max(1, int(settings.registry_timeout_seconds)))
        os.environ.setdefault("MLFLOW_HTTP_REQUEST_TIMEOUT", bound)

    def _local_path(self, cache_dir: Path | None, name: str) -> Path | None:
        """A local state file from the settings; beside an explicitly given ``cache_dir`` when
        the settings leave it at its default (a test's or an embedding's own folder)."""
        path: Path | None = getattr(self.settings, name)
        if cache_dir is not None and name not in self.settings.model_fields_set and path:
            return cache_dir.parent / path.name
        return path

    # -- start -------------------------------------------------------------------------------

    def start(self) -> None:
        """Load the champion, the database views and the network history (blocking)."""
        try:
            self.loading = "champion"
            self.load_champion(cache_first=True)
            self.champion_phase.set()
            self.loading = "trafficking database"
            try:
                self.refresh_views()
            except Exception as exc:  # database unreachable or not migrated: serve degraded
                self.startup_problems.append(f"trafficking database not loaded: {_brief(exc)}")
                log.warning("database views not loaded", error=_brief(exc))
            self.loading = "network history"
            if not self.load_history():
                return
            self.loading = "linked applications"
            try:
                self.warm_linked_applications(self.warm_applications)
            except Exception as exc:  # only a cost: entries then read them on demand
                log.warning("linked applications not preloaded", error=_brief(exc))
        finally:
            self.loading = None
            self.champion_phase.set()
            self.started.set()

    def start_in_background(self) -> threading.Thread:
        """:meth:`start` in a thread of its own, so that the port can open at once."""
        thread = threading.Thread(target=self._start_logged, name="runtime-start", daemon=True)
        thread.start()
        return thread

    def _start_logged(self) -> None:
        began = time.perf_counter()
        try:
            self.start()
        except Exception as exc:  # start-up problems are reported by /readyz, never raised
            self.startup_problems.append(f"start-up failed: {_brief(exc)}")
            log.error("start-up failed", error=_brief(exc))
        log.info("start-up complete", seconds=round(time.perf_counter() - began, 2))

    @property
    def database_reachable(self) -> bool:
        """The background probe's view when it runs, else the breaker's."""
        return self.probe.healthy if self.probe.running else not self.database.open

    @property
    def ready(self) -> bool:
        """A champion in service, start-up complete and the database answering."""
        return self.model is not None and self.started.is_set() and self.database_reachable

    def load_history(self) -> bool:
        """Rebuild the network history from the stored applications into a history of its own
        and swap it in. Applications scored meanwhile go to the (empty) history in service and
        are kept aside, then added to the new one, so that none is missed. True when loaded."""
        from mizugiwa.service.cases import replay_history

        fresh = network_history(())
        with self._history_lock:
            self._pending_history = {}
        try:
            count = replay_history(self.engine, fresh, skip=self._scored_meanwhile)
        except Exception as exc:
            with self._history_lock:
                self._pending_history = None
            self.startup_problems.append(f"network history not restored: {_brief(exc)}")
            log.warning("network history not restored", error=_brief(exc))
            return False
        with self._history_lock:
            pending = list((self._pending_history or {}).values())
            by_kind: dict[str, tuple[CaseKindSpec, list[Any]]] = {}
            for spec, record in pending:
                by_kind.setdefault(spec.name, (spec, []))[1].append(record)
            for spec, records in by_kind.values():
                fresh.add(spec.batch(records))
            self.history, self._pending_history = fresh, None
            self.history_loaded = True
            self._context = None  # the next request builds its context on the new history
        log.info("network history restored", cases=count + len(pending))
        return True

    def _scored_meanwhile(self, case_id: str) -> bool:
        pending = self._pending_history
        return pending is not None and case_id in pending

    def warm_linked_applications(self, limit: int) -> int:
        """Preload the ``limit`` most recently stored cases of each kind other kinds link to
        (applications) and their probabilities (one vectorised batch per kind), as a
        long-running service has them from scoring them: a border entry naming one then costs
        neither a database read nor application features. Returns how many were loaded."""
        from mizugiwa.db.engine import session_scope
        from mizugiwa.service.cases import recent_cases

        model = self.model
        if model is None or limit <= 0:
            return 0
        loaded = 0
        for spec in kinds():
            if not self.is_linked_to(spec.name):
                continue
            with session_scope(self.engine) as session:
                stored = recent_cases(session, spec.name, limit)
            if not stored:
                continue
            records = [spec.record.model_validate(r) for r in stored]
            context, _ = self.feature_context()
            batch = spec.batch(records)
            fm = spec.features(batch, context)
            probabilities = model.scorer.probabilities(spec, batch, fm, context)
            cache = self.linked_probabilities.for_state(model.scorer, context)
            for row in range(len(records) - 1, -1, -1):  # oldest first: the newest stay longest
                record = records[row]
                case_id = spec.case_id(record)
                self.records.put(spec.name, case_id, record)
                cache[case_id] = {
                    concern: float(values[row]) for concern, values in probabilities.items()
                }
            loaded += len(records)
            log.info("linked cases preloaded", kind=spec.name, count=len(records))
        return loaded

    # -- the champion ------------------------------------------------------------------------

    def load_champion(self, *, cache_first: bool = False) -> LoadedModel | None:
        """Load the alias from the registry (caching it), else from the cache; swap it in.

        The registry call is bounded by ``registry_timeout_seconds``: past it the call is left
        to finish in the background (its model is swapped in if it comes), the error says
        "registry unreachable", and the cached champion serves. ``cache_first`` (start-up)
        serves the cached champion before the registry is even asked."""
        if cache_first and self.model is None:
            self._serve_cache()
        try:
            scorer = self._from_registry()
        except Exception as exc:  # registry unreachable, alias unset, features changed
            self.last_reload_error = _brief(exc)
            log.warning("champion not loaded from registry", error=self.last_reload_error)
            if self.model is None:
                self._serve_cache()
            return self.model
        self._registry_loaded(scorer)
        return self.model

    def _from_registry(self) -> Scorer:
        from mizugiwa.models.registry import RegistryUnreachableError, load_scorer

        timeout = self.settings.registry_timeout_seconds
        future = self._registry_pool.submit(load_scorer, self.alias, settings=self.settings)
        try:
            return future.result(timeout=timeout)
        except concurrent.futures.TimeoutError:
            future.add_done_callback(self._late_registry_answer)
            raise RegistryUnreachableError(
                f"registry unreachable: no answer within {timeout:g} s "
                f"({_registry_location(self.settings)}); retrying in the background"
            ) from None

    def _late_registry_answer(self, future: concurrent.futures.Future[Scorer]) -> None:
        if future.cancelled() or future.exception() is not None:
            return
        with self._reload_lock:
            self._registry_loaded(future.result())

    def _registry_loaded(self, scorer: Scorer) -> None:
        self._write_cache(scorer)
        self.last_reload_error = None
        self._swap(scorer, "registry")

    def _serve_cache(self) -> None:
        try:
            cached = self._read_cache()
        except Exception as cache_exc:  # unreadable, or trained on other features
            log.warning("cached champion not usable", error=_brief(cache_exc))
            cached = None
        if cached is not None:
            self._swap(cached, "cache")

    def reload_if_moved(self) -> bool:
        """Reload when the alias points at another version; True when a new model is in."""
        from mizugiwa.models.registry import alias_version

        with self._reload_lock:
            try:
                version = alias_version(self.alias, settings=self.settings)
            except Exception as exc:
                self.last_reload_error = _brief(exc)
                self.metrics.model_reloads.labels(result="registry_unreachable").inc()
                return False
            current = self.model
            if version is None or (
                current is not None and current.version == version and current.source == "registry"
            ):
                return False
            before = current.version if current else None
            loaded = self.load_champion()
            moved = loaded is not None and loaded.version != before
            self.metrics.model_reloads.labels(result="swapped" if moved else "failed").inc()
            return moved

    async def reload_loop(self) -> None:
        """Poll the alias every ``model_reload_seconds`` (every few seconds while the champion
        in service is not the registry's); loading runs off the event loop."""
        while True:
            interval = self.settings.model_reload_seconds
            model = self.model
            if model is None or model.source != "registry":
                interval = min(interval, 5.0)
            await asyncio.sleep(interval)
            try:
                await asyncio.to_thread(self.reload_if_moved)
            except Exception as exc:  # a failed reload must never stop the loop
                log.warning("champion reload failed", error=_brief(exc))

    def _swap(self, scorer: Scorer, source: Literal["registry", "cache"]) -> None:
        info = scorer.info
        s = self.settings
        scorer.rolling = RollingThresholds(  # thresholds follow each post's live risks
            window=s.threshold_window, min_cases=min(s.threshold_min_cases, s.threshold_window)
        )
        self.model = LoadedModel(scorer, info.version, datetime.now(UTC), source)
        self.metrics.set_model(info.name, info.version)
        log.info("champion in service", model=info.name, version=info.version, source=source)

    def _cache_path(self) -> Path:
        """One cache file per registry and model name, so that stores never share one."""
        s = self.settings
        registry = s.mlflow_registry_uri or s.mlflow_tracking_uri
        key = hashlib.sha256(f"{registry}|{s.registered_model_name}|{self.alias}".encode())
        return self.cache_dir / f"champion-{key.hexdigest()[:16]}.pkl"

    def _write_cache(self, scorer: Scorer) -> None:
        try:
            self.cache_dir.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.cache_dir, suffix=".tmp")
            with os.fdopen(fd, "wb") as handle:
                pickle.dump(scorer, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, self._cache_path())
        except OSError as exc:
            log.warning("champion not cached", error=_brief(exc))

    def _read_cache(self) -> Scorer | None:
        """The cached champion, through the one model loader (which refuses a model trained on
        other features). The cache is written only by this service, under its own folder."""
        from mizugiwa.models.loader import load_scorer_file

        path = self._cache_path()
        if not path.exists():
            return None
        return load_scorer_file(path)

    # -- database views ----------------------------------------------------------------------

    def refresh_views(self) -> Lookups:
        """Re-read the snapshot and the watchlist index from the database and swap them in."""
        with self._views_lock:
            self.views = read_lookups(engine=self.engine)
            return self.views

    def views_changed(self) -> None:
        """The shared database changed (a confirmed case): reload the snapshot and the index
        off the request path. Changes that arrive during a reload are folded into the next one,
        so a burst of outcomes costs one or two reloads, not one each."""
        self._views_stale.set()
        with self._views_lock:
            if self._refresher is None or not self._refresher.is_alive():
                self._refresher = threading.Thread(
                    target=self._refresh_while_stale, name="views-refresh", daemon=True
                )
                self._refresher.start()

    def _refresh_while_stale(self) -> None:
        while self._views_stale.is_set():
            self._views_stale.clear()
            try:
                self.refresh_views()
            except Exception as exc:  # the database went away: retry when it is back
                self._views_stale.set()
                log.warning("database views not refreshed", error=_brief(exc))
                time.sleep(1.0)

    def wait_for_views(self, timeout: float = 10.0) -> bool:
        """Wait until no view reload is pending (tests, benchmarks); True when settled."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            refresher = self._refresher
            if not self._views_stale.is_set() and (refresher is None or not refresher.is_alive()):
                return True
            time.sleep(0.01)
        return False

    def feature_context(self) -> tuple[Any, list[str]]:
        """The context indicators read, and what is missing from it (for ``degraded``).

        Built by the one factory (:mod:`mizugiwa.features.context_factory`) from the database
        views and the service's network history. One context lives as long as its views, so its
        cache of fuzzy name matches serves every request; it is dropped when it grows past a
        bound or the views change.
        """
        views = self.views
        missing: list[str] = []
        context = self._context
        stale = self._context_views is not views
        if context is None or stale or len(context.cache) > 200_000:
            context = feature_context(views, history=self.history)
            self._context, self._context_views = context, views
        if views is None:
            missing.append("trafficking database lookups skipped: database not loaded")
        if not self.history_loaded:
            missing.append("network history still loading: cross-post indicators incomplete")
        return context, missing

    def is_linked_to(self, kind_name: str) -> bool:
        """Whether another registered kind's cases name cases of this kind."""
        return any(s.link is not None and s.link.kind == kind_name for s in kinds())

    def remember(self, spec: CaseKindSpec, record: Any) -> None:
        """Keep a scored case for the cases that name it, and add it to the network history
        (kinds that feed it) so the next cases' cross-post indicators see it."""
        if self.is_linked_to(spec.name):
            self.records.put(spec.name, spec.case_id(record), record)
        if spec.feeds_history and self.history is not None:
            batch = spec.batch([record])
            with self._history_lock:  # appends from concurrent requests must not interleave
                self.history.add(batch)
                if self._pending_history is not None:  # the full history is being rebuilt
                    self._pending_history[spec.case_id(record)] = (spec, record)

    def close(self) -> None:
        self.probe.stop()
        self._registry_pool.shutdown(wait=False, cancel_futures=True)
        self.engine.dispose()


def _registry_location(settings: Settings) -> str:
    uri = settings.mlflow_registry_uri or settings.mlflow_tracking_uri
    return uri.split("@")[-1][:120]  # never a password from the URI


def _engine_options(url: str) -> dict[str, Any]:
    """Bounded waits on a database server: a refused or black-holed connection costs seconds,
    not the driver's default minutes, and a request never queues long for a pooled one."""
    if url.startswith("postgresql"):
        return {"connect_args": {"connect_timeout": 2}, "pool_timeout": 5}
    return {}


def _brief(exc: BaseException) -> str:
    text = str(exc).splitlines()[0] if str(exc) else ""
    return f"{type(exc).__name__}: {text}"[:300]
