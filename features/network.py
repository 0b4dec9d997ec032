"""The visa WAN's memory: which sponsors, phones, addresses, employers and passports earlier
applications used, where and when.

``NetworkHistory`` is an append-only store of ``(kind, key, qualifier, time)`` rows. ``kind`` is
one of :data:`KINDS`; ``key`` is a normalised lookup key (sponsor key, E.164 phone, normalised
address, employer key, document key); ``qualifier`` is what a query excludes: the consular post
for the cross-post counts, the identity (name and birth date) for the passport-reuse count.

A query counts rows with the same key whose time lies in ``[t - window, t)``, i.e. *strictly
before* the asking application, optionally leaving out rows with the asker's own qualifier. That
one rule serves both uses with the same code:

- training: build the history from the whole batch, then ask every application about its own
  time; each sees only strictly earlier applications, never itself or later ones;
- online: the service asks about an application, then appends it.

Rows are packed as ``id << 34 | seconds`` into sorted ``int64`` arrays, so a count is two
``searchsorted`` calls for any number of queries. New rows go to a small sorted tail that is merged
into the main arrays when it grows past :data:`TAIL_LIMIT`, which keeps an online append cheap.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import repeat
from typing import Protocol

import numpy as np

KINDS: tuple[str, ...] = ("sponsor", "phone", "address", "employer", "document")
TAIL_LIMIT = 65_536
_TIME_BITS = 34  # seconds since 1970 up to the year 2514
_TIME_MASK = (1 << _TIME_BITS) - 1
_MAX_IDS = 1 << (63 - _TIME_BITS)
_QUALIFIER_BITS = 32
SECONDS_PER_DAY = 86_400


class NetworkKeyed(Protocol):
    """What :meth:`NetworkHistory.add` reads from a batch of applications."""

    def network_keys(self) -> dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]]:
        """Per kind: (keys, qualifiers, seconds since 1970); ``None`` keys are skipped."""
        ...


def _dense_ids(ids: dict[object, int]) -> defaultdict[object, int]:
    """A dict in which looking up a new key stores the next id (its size) in the same C-level
    step, so that interning a million keys is one pass of ``map``."""
    table: defaultdict[object, int] = defaultdict(None, ids)
    table.default_factory = table.__len__
    return table


class _Interner:
    """Dense integer ids for hashable values, assigned in first-seen order."""

    def __init__(self) -> None:
        self.ids = _dense_ids({})

    def __getstate__(self) -> dict[object, int]:
        return dict(self.ids)  # the factory refers to the dict itself: not picklable as is

    def __setstate__(self, ids: dict[object, int]) -> None:
        self.ids = _dense_ids(ids)

    def add(self, keys: Sequence[object]) -> np.ndarray:
        out = np.fromiter(map(self.ids.__getitem__, keys), np.int64, len(keys))
        if len(self.ids) >= _MAX_IDS:
            raise OverflowError(f"more than {_MAX_IDS} distinct network keys")
        return out

    def get(self, keys: Sequence[object]) -> np.ndarray:
        """Ids of known keys, -1 for others (never adds a key)."""
        return np.fromiter(map(self.ids.get, keys, repeat(-1)), np.int64, len(keys))


def _pair_codes(key_ids: np.ndarray, qualifier_ids: np.ndarray) -> list[int]:
    """One integer per (key, qualifier) pair, for interning without building tuples."""
    return ((key_ids << _QUALIFIER_BITS) | qualifier_ids).tolist()


@dataclass
class _Segment:
    """Sorted packed codes: by key, and by (key, qualifier)."""

    by_key: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))
    by_pair: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))


def _pack(ids: np.ndarray, seconds: np.ndarray) -> np.ndarray:
    return (ids << _TIME_BITS) | (seconds & _TIME_MASK)


def _count(codes: np.ndarray, ids: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """Rows of ``codes`` with the given ids and ``lo <= time < hi``; 0 for unknown ids (-1)."""
    if codes.size == 0:
        return np.zeros(ids.size, dtype=np.int64)
    known = ids >= 0
    safe = np.where(known, ids, 0)
    # both bounds in one search: a single row costs the same few numpy calls as a million
    bounds = np.searchsorted(codes, np.concatenate([_pack(safe, lo), _pack(safe, hi)]), "left")
    return np.where(known, bounds[ids.size :] - bounds[: ids.size], 0)


class _KindStore:
    def __init__(self) -> None:
        self.keys = _Interner()
        self.qualifiers = _Interner()
        self.pairs = _Interner()
        self.main = _Segment()
        self.tail = _Segment()

    def __len__(self) -> int:
        return int(self.main.by_key.size + self.tail.by_key.size)

    def add(self, keys: np.ndarray, qualifiers: np.ndarray, seconds: np.ndarray) -> None:
        keep = np.asarray(keys != None, dtype=bool)  # noqa: E711
        keys, qualifiers, seconds = keys[keep], qualifiers[keep], seconds[keep]
        if keys.size == 0:
            return
        key_ids = self.keys.add(keys.tolist())
        qualifier_ids = self.qualifiers.add(qualifiers.tolist())
        pair_ids = self.pairs.add(_pair_codes(key_ids, qualifier_ids))
        new_key = np.sort(_pack(key_ids, seconds))
        new_pair = np.sort(_pack(pair_ids, seconds))
        if self.tail.by_key.size + new_key.size > TAIL_LIMIT:
            self.main = _Segment(
                np.sort(np.concatenate([self.main.by_key, self.tail.by_key, new_key])),
                np.sort(np.concatenate([self.main.by_pair, self.tail.by_pair, new_pair])),
            )
            self.tail = _Segment()
        else:
            self.tail = _Segment(
                _merge_sorted(self.tail.by_key, new_key), _merge_sorted(self.tail.by_pair, new_pair)
            )

    def count(
        self,
        keys: Sequence[object],
        qualifiers: Sequence[object] | None,
        lo: np.ndarray,
        hi: np.ndarray,
    ) -> np.ndarray:
        key_ids = self.keys.get(keys)
        if not (key_ids >= 0).any():
            return np.zeros(key_ids.size, dtype=np.int64)
        total = _count(self.main.by_key, key_ids, lo, hi) + _count(
            self.tail.by_key, key_ids, lo, hi
        )
        if qualifiers is None:
            return total
        # rows sharing the qualifier are among those counted: only non-zero totals need them
        need = np.flatnonzero(total > 0)
        if need.size == 0:
            return total
        key_ids = key_ids[need]
        qualifier_ids = self.qualifiers.get([qualifiers[i] for i in need.tolist()])
        pair_ids = np.where(
            (key_ids >= 0) & (qualifier_ids >= 0),
            self.pairs.get(_pair_codes(np.maximum(key_ids, 0), np.maximum(qualifier_ids, 0))),
            -1,
        )
        lo, hi = lo[need], hi[need]
        own = np.zeros_like(total)
        own[need] = _count(self.main.by_pair, pair_ids, lo, hi) + _count(
            self.tail.by_pair, pair_ids, lo, hi
        )
        return total - own


def _merge_sorted(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Merge two sorted arrays (``b`` small) without re-sorting ``a``."""
    if a.size == 0:
        return b
    return np.insert(a, np.searchsorted(a, b), b)


class NetworkHistory:
    """Append-only, point-in-time counts of earlier applications' keys (see the module doc)."""

    def __init__(self) -> None:
        self._stores = {kind: _KindStore() for kind in KINDS}

    @classmethod
    def from_batch(cls, batch: NetworkKeyed) -> NetworkHistory:
        """A history holding every application of ``batch`` (each query sees only earlier ones)."""
        history = cls()
        history.add(batch)
        return history

    def __len__(self) -> int:
        return max(len(store) for store in self._stores.values())

    def size(self, kind: str) -> int:
        """Rows stored for one kind."""
        return len(self._store(kind))

    def _store(self, kind: str) -> _KindStore:
        try:
            return self._stores[kind]
        except KeyError:
            raise ValueError(
                f"unknown network key kind {kind!r}; expected one of {KINDS}"
            ) from None

    def add(self, batch: NetworkKeyed) -> None:
        """Append every application of ``batch`` (the online service does this after scoring)."""
        for kind, (keys, qualifiers, seconds) in batch.network_keys().items():
            self.append(kind, keys, qualifiers, seconds)

    def append(
        self, kind: str, keys: np.ndarray, qualifiers: np.ndarray, seconds: np.ndarray
    ) -> None:
        """Append rows of one kind; ``None`` keys are skipped."""
        seconds = np.asarray(seconds, dtype=np.int64)
        if np.any(seconds < 0):
            raise ValueError("network history times must be at or after 1970-01-01")
        self._store(kind).add(
            np.asarray(keys, dtype=object), np.asarray(qualifiers, dtype=object), seconds
        )

    def count_before(
        self,
        kind: str,
        keys: Sequence[object],
        seconds: np.ndarray,
        *,
        window_days: float | None = None,
        other_than: Sequence[object] | None = None,
    ) -> np.ndarray:
        """Per query: earlier rows with the same key in ``[t - window, t)``, leaving out rows
        whose qualifier equals ``other_than`` (when given). ``None`` keys count 0."""
        hi = np.asarray(seconds, dtype=np.int64)
        if window_days is None:
            lo = np.zeros_like(hi)
        else:
            lo = np.maximum(hi - int(window_days * SECONDS_PER_DAY), 0)
        return self._store(kind).count(keys, other_than, lo, hi)
