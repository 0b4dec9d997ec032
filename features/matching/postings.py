"""Compact inverted lists: 64-bit key hashes to entity positions, in three numpy arrays.

A million entities give millions of (blocking key, entity) pairs; a dict of Python lists
would cost gigabytes. Keys are hashed to 64 bits (Python's ``hash`` of a tuple, stable within
a process), sorted once, and looked up by binary search. A hash collision only adds a
candidate that the scorer then rejects, so it cannot produce a false match.
"""

from __future__ import annotations

from array import array

import numpy as np
import numpy.typing as npt

_EMPTY = np.empty(0, dtype=np.int32)


class PostingsBuilder:
    """Collects (key hash, position) pairs; :meth:`freeze` turns them into :class:`Postings`."""

    def __init__(self) -> None:
        self._keys = array("q")
        self._values = array("i")

    def add(self, key: int, value: int) -> None:
        """Record that ``key`` points at ``value``."""
        self._keys.append(key)
        self._values.append(value)

    def freeze(self) -> Postings:
        """Sort and compress; the builder is emptied."""
        keys = np.frombuffer(self._keys, dtype=np.int64) if self._keys else np.empty(0, np.int64)
        values = np.frombuffer(self._values, dtype=np.int32) if self._values else _EMPTY
        order = np.argsort(keys, kind="stable")
        sorted_keys = keys[order]
        sorted_values = values[order].copy()
        unique, starts = np.unique(sorted_keys, return_index=True)
        ends = np.append(starts[1:], len(sorted_keys)).astype(np.int64)
        self._keys = array("q")
        self._values = array("i")
        return Postings(unique, starts.astype(np.int64), ends, sorted_values)


class Postings:
    """Frozen inverted lists (see module docstring)."""

    def __init__(
        self,
        keys: npt.NDArray[np.int64],
        starts: npt.NDArray[np.int64],
        ends: npt.NDArray[np.int64],
        values: npt.NDArray[np.int32],
    ) -> None:
        self._keys = keys
        self._starts = starts
        self._ends = ends
        self._values = values

    def get(self, key: int, limit: int | None = None) -> npt.NDArray[np.int32]:
        """Positions recorded under ``key`` (at most ``limit``), or an empty array."""
        i = int(np.searchsorted(self._keys, key))
        if i >= len(self._keys) or self._keys[i] != key:
            return _EMPTY
        start, end = int(self._starts[i]), int(self._ends[i])
        if limit is not None:
            end = min(end, start + limit)
        return self._values[start:end]

    def __len__(self) -> int:
        return len(self._keys)

    @property
    def nbytes(self) -> int:
        """Memory held by the arrays."""
        return int(
            self._keys.nbytes + self._starts.nbytes + self._ends.nbytes + self._values.nbytes
        )
