"""What the service loads once and keeps: the champion model, the trafficking-database snapshot,
the watchlist index and the network history.

The champion is swapped atomically: a request takes :attr:`ServiceRuntime.model` once, so a
request in flight finishes on the model it started with while the next one sees the new one.
Each loaded champion is also written to a local cache, so a restart while the registry is out of
reach still serves the last champion. When the database cannot be read at start, the service
serves from what it has and every score says so (``degraded``).
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import pickle
import tempfile
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import structlog
from sqlalchemy import Engine

from mizugiwa.db.engine import make_engine
from mizugiwa.features.records import VisaApplication
from mizugiwa.service.audit import DecisionLog
from mizugiwa.service.auth import TokenAuthenticator
from mizugiwa.service.breaker import DatabaseBreaker
from mizugiwa.service.metrics import Metrics
from mizugiwa.service.scoring_cache import ApplicationCache, LinkedProbabilities
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


@dataclass(frozen=True)
class DatabaseViews:
    """In-memory views of the shared database, replaced together after a confirmed case."""

    snapshot: Any
    index: Any
    loaded_at: datetime


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
        self.engine = engine if engine is not None else make_engine(settings.database_url)
        self.cache_dir = cache_dir if cache_dir is not None else settings.model_cache_dir
        self.alias = alias
        self.warm_applications = warm_applications
        self.metrics = Metrics()
        self.authenticator = TokenAuthenticator(self.engine)
        self.decision_log = DecisionLog(
            self.engine,
            spool_path=self._local_path(cache_dir, "decision_spool_path"),
            key=settings.hmac_key,
            checkpoint_path=self._local_path(cache_dir, "audit_checkpoint_path"),
        )
        self.applications = ApplicationCache()
        self.linked_probabilities = LinkedProbabilities()
        self.database = DatabaseBreaker()
        self.model: LoadedModel | None = None
        self.views: DatabaseViews | None = None
        self.history: Any = None
        self.startup_problems: list[str] = []
        self.last_reload_error: str | None = None
        self._reload_lock = threading.Lock()
        self._views_lock = threading.Lock()
        self._history_lock = threading.Lock()
        self._context: Any = None
        self._context_views: DatabaseViews | None = None

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
        self.load_champion()
        try:
            self.refresh_views()
        except Exception as exc:  # database unreachable or not migrated: serve degraded
            self.startup_problems.append(f"trafficking database not loaded: {_brief(exc)}")
            log.warning("database views not loaded", error=_brief(exc))
        from mizugiwa.features.network import NetworkHistory

        self.history = NetworkHistory()
        try:
            from mizugiwa.service.cases import replay_history

            replay_history(self.engine, self.history)
        except Exception as exc:
            self.startup_problems.append(f"network history not restored: {_brief(exc)}")
            log.warning("network history not restored", error=_brief(exc))
            return
        try:
            self.warm_linked_applications(self.warm_applications)
        except Exception as exc:  # only a cost: entries then read their applications on demand
            log.warning("linked applications not preloaded", error=_brief(exc))

    def warm_linked_applications(self, limit: int) -> int:
        """Preload the ``limit`` most recently stored applications and their probabilities
        (one vectorised batch), as a long-running service has them from scoring them: a border
        entry naming one then costs neither a database read nor application features.
        Returns how many were loaded."""
        from mizugiwa.db.engine import session_scope
        from mizugiwa.features.indicators import ApplicationBatch, compute_features
        from mizugiwa.service.cases import recent_applications

        model = self.model
        if model is None or limit <= 0:
            return 0
        with session_scope(self.engine) as session:
            records = recent_applications(session, limit)
        if not records:
            return 0
        applications = [VisaApplication.model_validate(r) for r in records]
        context, _ = self.feature_context()
        probabilities = model.scorer.predict_proba(
            compute_features(ApplicationBatch.from_records(applications), context)
        )
        cache = self.linked_probabilities.for_state(model.scorer, context)
        for row in range(len(applications) - 1, -1, -1):  # oldest first: the newest stay longest
            application = applications[row]
            self.applications.put(application)
            cache[application.application_id] = {
                concern: float(values[row]) for concern, values in probabilities.items()
            }
        log.info("linked applications preloaded", count=len(applications))
        return len(applications)

    # -- the champion ------------------------------------------------------------------------

    def load_champion(self) -> LoadedModel | None:
        """Load the alias from the registry (caching it), else from the cache; swap it in."""
        from mizugiwa.models.registry import load_scorer

        try:
            scorer = load_scorer(self.alias, settings=self.settings)
        except Exception as exc:  # registry unreachable, alias unset, features changed
            self.last_reload_error = _brief(exc)
            log.warning("champion not loaded from registry", error=self.last_reload_error)
            if self.model is None:
                try:
                    cached = self._read_cache()
                except Exception as cache_exc:  # unreadable, or trained on other features
                    log.warning("cached champion not usable", error=_brief(cache_exc))
                    cached = None
                if cached is not None:
                    self._swap(cached, "cache")
            return self.model
        self._write_cache(scorer)
        self.last_reload_error = None
        self._swap(scorer, "registry")
        return self.model

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
        """Poll the alias every ``model_reload_seconds``; loading runs off the event loop."""
        while True:
            await asyncio.sleep(self.settings.model_reload_seconds)
            try:
                await asyncio.to_thread(self.reload_if_moved)
            except Exception as exc:  # a failed reload must never stop the loop
                log.warning("champion reload failed", error=_brief(exc))

    def _swap(self, scorer: Scorer, source: Literal["registry", "cache"]) -> None:
        info = scorer.info
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
        from mizugiwa.models.scorer import Scorer

        path = self._cache_path()
        if not path.exists():
            return None
        # The cache is written only by this service, under its own var/ folder.
        with path.open("rb") as handle:
            scorer = pickle.load(handle)
        if not isinstance(scorer, Scorer):
            return None
        scorer.check_features()
        return scorer

    # -- database views ----------------------------------------------------------------------

    def refresh_views(self) -> DatabaseViews:
        """Re-read the snapshot and the watchlist index from the database and swap them in."""
        from mizugiwa.features.matching import WatchlistIndex
        from mizugiwa.features.tipdb.snapshot import Snapshot

        with self._views_lock:
            snapshot = Snapshot.from_database(self.engine)
            index = WatchlistIndex.from_database(self.engine)
            self.views = DatabaseViews(snapshot, index, datetime.now(UTC))
            return self.views

    def feature_context(self) -> tuple[Any, list[str]]:
        """The context indicators read, and what is missing from it (for ``degraded``).

        One context lives as long as its database views, so its cache of fuzzy name matches
        serves every request; it is dropped when it grows past a bound or the views change.
        """
        from mizugiwa.features.indicators.context import FeatureContext
        from mizugiwa.features.tipdb.snapshot import Snapshot

        views = self.views
        missing: list[str] = []
        context = self._context
        stale = self._context_views is not views
        if context is None or stale or len(context.cache) > 200_000:
            if views is None:
                context = FeatureContext(
                    snapshot=Snapshot.from_entities([], version="empty"),
                    index=None,
                    history=self.history,
                )
            else:
                context = FeatureContext(
                    snapshot=views.snapshot, index=views.index, history=self.history
                )
            self._context, self._context_views = context, views
        if views is None:
            missing.append("trafficking database lookups skipped: database not loaded")
        return context, missing

    def remember_application(self, application: VisaApplication) -> None:
        """Keep a scored application for entries that refer to it, and add it to the network
        history so the next applications' cross-post indicators see it."""
        from mizugiwa.features.indicators.batch import ApplicationBatch

        self.applications.put(application)
        if self.history is not None:
            batch = ApplicationBatch.from_records([application])
            with self._history_lock:  # appends from concurrent requests must not interleave
                self.history.add(batch)

    def close(self) -> None:
        self.engine.dispose()


def _brief(exc: BaseException) -> str:
    text = str(exc).splitlines()[0] if str(exc) else ""
    return f"{type(exc).__name__}: {text}"[:300]
