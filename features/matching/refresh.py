"""An index that follows the database: rebuilt when the database version changes.

:class:`RefreshingIndex` asks the database for its version at most every ``check_seconds``;
when it changed, a new :class:`WatchlistIndex` is built and swapped in with one assignment, so
callers always search a complete index (the old one until the new one is ready). Only one
thread rebuilds at a time; the others keep searching the old index meanwhile.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from typing import Any

from mizugiwa.features.matching.candidate import Candidate
from mizugiwa.features.matching.index import WatchlistIndex

#: Returns the database version and, when asked, the entities to index.
VersionSource = Callable[[], str]
EntitySource = Callable[[], tuple[str, Iterable[Mapping[str, Any]]]]


class RefreshingIndex:
    """A :class:`WatchlistIndex` kept in step with its source (see module docstring).

    ``version`` returns the source's current version cheaply; ``load`` returns the version
    and the entities of one consistent snapshot. :meth:`for_database` wires both to the
    trafficking database.
    """

    def __init__(
        self,
        version: VersionSource,
        load: EntitySource,
        *,
        check_seconds: float = 30.0,
        thresholds: Mapping[str, float] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._version_of_source = version
        self._load = load
        self._check_seconds = check_seconds
        self._thresholds = thresholds
        self._clock = clock
        self._lock = threading.Lock()
        self._index: WatchlistIndex | None = None
        self._checked_at = float("-inf")
        self.rebuilds = 0

    @classmethod
    def for_database(
        cls, engine: Any, *, check_seconds: float = 30.0, **kwargs: Any
    ) -> RefreshingIndex:
        """Follow the trafficking database behind a SQLAlchemy ``engine``."""
        from mizugiwa.db.engine import session_scope
        from mizugiwa.features.tipdb.repository import database_version, iter_entities

        def version() -> str:
            with session_scope(engine) as session:
                return str(database_version(session))

        def load() -> tuple[str, Iterable[Mapping[str, Any]]]:
            with session_scope(engine) as session:
                return str(database_version(session)), list(iter_entities(session))

        return cls(version, load, check_seconds=check_seconds, **kwargs)

    @property
    def index(self) -> WatchlistIndex:
        """The current index, rebuilt first when due and the source changed."""
        current = self._index
        if current is None or self._clock() - self._checked_at >= self._check_seconds:
            self.refresh(force=current is None)
            current = self._index
        assert current is not None
        return current

    def refresh(self, *, force: bool = False) -> bool:
        """Rebuild now if the source version changed (or ``force``); True when rebuilt."""
        blocking = force or self._index is None
        if not self._lock.acquire(blocking=blocking):
            return False  # another thread is rebuilding; keep serving the old index
        try:
            self._checked_at = self._clock()
            current = self._index
            if not force and current is not None and current.version == self._version_of_source():
                return False
            version, entities = self._load()
            self._index = WatchlistIndex.build(
                entities, thresholds=self._thresholds, version=version
            )
            self.rebuilds += 1
            return True
        finally:
            self._lock.release()

    def search(self, kind: str, query: str, **options: Any) -> list[Candidate]:
        """:meth:`WatchlistIndex.search` on the current index."""
        return self.index.search(kind, query, **options)

    def match_phone(self, number: str, **options: Any) -> list[Candidate]:
        """:meth:`WatchlistIndex.match_phone` on the current index."""
        return self.index.match_phone(number, **options)

    def match_address(self, text: str, *, as_of: date | None = None) -> list[Candidate]:
        """:meth:`WatchlistIndex.match_address` on the current index."""
        return self.index.match_address(text, as_of=as_of)

    def match_document(
        self, number: str, issuing_state: str, *, as_of: date | None = None
    ) -> list[Candidate]:
        """:meth:`WatchlistIndex.match_document` on the current index."""
        return self.index.match_document(number, issuing_state, as_of=as_of)
