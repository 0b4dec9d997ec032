"""Canonical bytes of request inputs other than JSON bodies (for the decision log's digests)."""

from __future__ import annotations

from collections.abc import Iterable

import orjson


def canonical_query(items: Iterable[tuple[str, str]]) -> bytes:
    """Query parameters as canonical JSON: sorted by name, repeated names as lists."""
    merged: dict[str, list[str]] = {}
    for key, value in items:
        merged.setdefault(key, []).append(value)
    return orjson.dumps(merged, option=orjson.OPT_SORT_KEYS)
