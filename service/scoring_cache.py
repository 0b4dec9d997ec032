"""Bounded in-memory caches for the scoring hot path.

- :class:`CaseCache`: validated records by kind of case and id, so that a case naming another
  (a border entry's ``visa_reference``) rarely costs a database read and never a second
  validation.
- :class:`LinkedProbabilities`: the linked applications' per-concern probabilities, valid for
  one scorer and one set of database views (an application's probabilities depend only on what
  was known at its submission date, so they do not change while both stay the same).

Both are least-recently-used and thread-safe (the console scores from worker threads).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterator, MutableMapping
from typing import Any, Generic, TypeVar

from mizugiwa.features.records import Concern

_V = TypeVar("_V")


class LRU(MutableMapping[str, _V], Generic[_V]):
    """A thread-safe mapping that forgets the least recently used items past ``size``."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._items: OrderedDict[str, _V] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def __getitem__(self, key: str) -> _V:
        with self._lock:
            try:
                item = self._items[key]
            except KeyError:
                self.misses += 1
                raise
            self.hits += 1
            self._items.move_to_end(key)
            return item

    def __setitem__(self, key: str, value: _V) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self._size:
                self._items.popitem(last=False)

    def __delitem__(self, key: str) -> None:
        with self._lock:
            del self._items[key]

    def __iter__(self) -> Iterator[str]:
        with self._lock:
            return iter(list(self._items))

    def __len__(self) -> int:
        return len(self._items)

    def discard(self, key: str) -> None:
        with self._lock:
            self._items.pop(key, None)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


class CaseCache(LRU[Any]):
    """Recently stored records by kind and id, so that a linked case's lookup rarely hits the
    database."""

    def __init__(self, size: int = 50_000) -> None:
        super().__init__(size)

    def put(self, kind: str, case_id: str, record: Any) -> None:
        self[f"{kind}\0{case_id}"] = record

    def find(self, kind: str, case_id: str) -> Any | None:
        """The record, or ``None`` when not cached."""
        return self.get(f"{kind}\0{case_id}")


class LinkedProbabilities:
    """Probabilities of linked applications, one cache per scorer and set of database views.

    :meth:`for_state` hands back the same cache while the scorer and the views in service stay
    the same, and a new, empty one as soon as either is swapped; a request still running on the
    old ones keeps writing to the old cache, which nothing reads any more.
    """

    def __init__(self, size: int = 50_000) -> None:
        self._size = size
        self._lock = threading.Lock()
        # Held by reference, not by id(): a new object may reuse a freed one's address.
        self._state: tuple[object, object, LRU[dict[Concern, float]]] | None = None

    def for_state(self, scorer: object, views: object) -> LRU[dict[Concern, float]]:
        with self._lock:
            state = self._state
            if state is None or state[0] is not scorer or state[1] is not views:
                state = self._state = (scorer, views, LRU(self._size))
            return state[2]

    def forget(self, application_id: str) -> None:
        """Drop one application (re-scored: its record may have changed)."""
        state = self._state
        if state is not None:
            state[2].discard(application_id)
