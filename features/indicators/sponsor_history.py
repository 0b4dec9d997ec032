"""A sponsor's sponsorship history found with the watchlist matcher, not only by exact name.

The database records each sponsorship under the sponsor's names as the recording agency wrote
them. The same Japanese sponsor is romanised Ohno or Ono, Satou or Sato, Itou or Ito, and often
recorded in kanji as well; an exact key (name tokens and date of birth) missed about 12% of
sponsors with a history in an independently written world.

The sponsors of the database's sponsorships are indexed once per snapshot with the same
:class:`~features.matching.index.WatchlistIndex` that finds brokers (one index entry per
distinct sponsor key: its alternative names and date of birth). A sponsor is looked up by the
romanised name and, when given, the native-script name; a candidate counts only when the matcher
says it matches **and** the dates of birth agree (a common name alone is not the same person).
The matched sponsors' sponsorships are then counted as of the day before the application, like
the exact key's, each sponsorship once.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np

from mizugiwa.features.normalise import sponsor_keys
from mizugiwa.features.tipdb.snapshot import Snapshot, to_day

_NO_END = np.iinfo(np.int64).max


@dataclass(frozen=True)
class _Sponsors:
    index: Any  # WatchlistIndex of one entry per distinct sponsor (id: its first key)
    lines: dict[str, list[tuple[str, str, int, int]]]  # any key -> (id, relation, start, end)


_TABLES: weakref.WeakKeyDictionary[Snapshot, _Sponsors] = weakref.WeakKeyDictionary()


def sponsors(snapshot: Snapshot) -> _Sponsors:
    """The snapshot's sponsors for the matcher, and its sponsorships by every sponsor key
    (built on first use, kept with the snapshot)."""
    found = _TABLES.get(snapshot)
    if found is not None:
        return found
    from mizugiwa.features.matching.index import WatchlistIndex

    lines: dict[str, list[tuple[str, str, int, int]]] = {}
    entries: list[dict[str, Any]] = []
    for line in snapshot.entities("sponsorship"):
        dob = line.get("sponsor_date_of_birth")
        keys = sponsor_keys(line["sponsor_names"], dob)
        if not keys:
            continue
        end = line.get("valid_until")
        record = (
            str(line["id"]),
            str(line.get("relation")),
            to_day(line["recorded_at"]),
            to_day(end) if end else int(_NO_END),
        )
        if keys[0] not in lines:
            entries.append(
                {
                    "entity_type": "person",
                    "id": keys[0],
                    "names": list(line["sponsor_names"]),
                    "date_of_birth": dob,
                    "role": "other",
                    "recorded_at": "1900-01-01",  # visibility is the sponsorships' own
                }
            )
        for key in keys:
            lines.setdefault(key, []).append(record)
    found = _Sponsors(WatchlistIndex.build(entries), lines)
    _TABLES[snapshot] = found
    return found


def _same_birth_date(candidate: Any) -> bool:
    return any(feature == "dob_match" for feature, *_ in candidate.explanation)


def matched_sponsor_keys(
    snapshot: Snapshot, cache: dict[Any, Any], names: Iterable[str | None], dob: str
) -> list[str]:
    """Sponsor keys the matcher finds for any of ``names`` with the same date of birth."""
    keys: dict[str, None] = {}
    for name in names:
        if not name:
            continue
        cached = cache.get(("sponsor", name, dob))
        if cached is None:
            found = sponsors(snapshot).index.search("person", name, dob=dob, limit=5)
            cached = [c.id for c in found if c.match and _same_birth_date(c)]
            cache[("sponsor", name, dob)] = cached
        keys.update(dict.fromkeys(cached))
    return list(keys)


def spouse_sponsorships_matched(
    batch: Any, ctx: Any, exact_keys: np.ndarray, births: list[str]
) -> tuple[np.ndarray, dict[int, list[str]]]:
    """Per row, spouse sponsorships (each counted once) visible the day before the
    application under the exact sponsor key or any sponsor the matcher finds, and the
    sponsorship ids found beyond the exact key (the evidence). NaN where the sponsor has no
    name or no birth date."""
    n = len(batch)
    values = np.full(n, np.nan)
    extra: dict[int, list[str]] = {}
    table = sponsors(ctx.snapshot)
    days = np.asarray(batch.day, dtype=np.int64) - 1
    for i in range(n):
        dob = births[i]
        family = batch.sponsor_family_name[i]
        native = batch.sponsor_name_native[i]
        if not dob or not (family or native):
            continue
        roman = " ".join(p for p in (batch.sponsor_given_names[i], family) if p)
        day = int(days[i])

        def visible(key: str, day: int = day) -> set[str]:
            return {
                ident
                for ident, relation, start, end in table.lines.get(key, ())
                if relation == "spouse" and start <= day <= end
            }

        exact = visible(exact_keys[i]) if exact_keys[i] else set()
        matched: set[str] = set()
        for key in matched_sponsor_keys(ctx.snapshot, ctx.cache, (roman, native), dob):
            matched |= visible(key)
        values[i] = float(len(exact | matched))
        if matched - exact:
            extra[i] = sorted(matched - exact)
    return values, extra
