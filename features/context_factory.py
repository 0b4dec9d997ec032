"""The one way to build what indicators look things up in (a :class:`FeatureContext`).

The service, ``mizugiwa score``, training and the MLflow model all score with a context made
here, so the same records get the same features wherever they are scored:

- the trafficking database, from a JSON Lines import file, a list of entities or a database
  engine: a :class:`Lookups` (the as-of snapshot and the fuzzy watchlist index), read once and
  shared by as many contexts as need it;
- the network history behind the cross-post ``NW-*`` indicators: earlier cases of the kinds
  that feed it. A batch run (``score``, training, the MLflow model) counts the cases it is given
  (each sees only strictly earlier ones); the service counts the cases it has stored and keeps
  adding the ones it scores.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from mizugiwa.features.indicators.context import FeatureContext
from mizugiwa.features.jsonl import iter_lines, parse_line
from mizugiwa.features.matching import WatchlistIndex
from mizugiwa.features.network import NetworkHistory
from mizugiwa.features.tipdb.snapshot import Snapshot


@dataclass(frozen=True)
class Lookups:
    """The trafficking database as indicators read it: the snapshot answering every lookup as
    of a date, and the watchlist name index (``None``: exact names only)."""

    snapshot: Snapshot
    index: WatchlistIndex | None
    loaded_at: datetime

    @classmethod
    def empty(cls) -> Lookups:
        """No database: every lookup finds nothing."""
        return cls(Snapshot.from_entities([], version="empty"), None, datetime.now(UTC))


def read_lookups(
    *,
    tipdb: Path | None = None,
    entities: Sequence[Mapping[str, Any]] | None = None,
    engine: Engine | None = None,
) -> Lookups:
    """The database from one source: an import file, entities in their JSON form, or a
    database engine (at most one; none gives :meth:`Lookups.empty`)."""
    given = [x is not None for x in (tipdb, entities, engine)]
    if sum(given) > 1:
        raise ValueError("read_lookups takes one source: tipdb, entities or engine")
    now = datetime.now(UTC)
    if engine is not None:
        return Lookups(Snapshot.from_database(engine), WatchlistIndex.from_database(engine), now)
    version = "in-memory"
    if tipdb is not None:
        digest = hashlib.sha256()
        rows = []
        for number, line in iter_lines(tipdb):
            digest.update(line)
            rows.append(parse_line(tipdb, number, line))
        entities, version = rows, "sha256:" + digest.hexdigest()
    if not entities:
        return Lookups.empty()
    lines = [dict(e) for e in entities]
    return Lookups(Snapshot.from_entities(lines, version=version), WatchlistIndex.build(lines), now)


def network_history(batches: Iterable[Any]) -> NetworkHistory:
    """A history of the cases in ``batches`` (batches of kinds that feed it)."""
    history = NetworkHistory()
    for batch in batches:
        if len(batch):
            history.add(batch)
    return history


def feature_context(
    lookups: Lookups | None,
    *,
    history: NetworkHistory | None = None,
    batches: Iterable[Any] = (),
) -> FeatureContext:
    """The context of one scoring run: ``lookups`` (``None``: empty) and either the shared
    ``history`` (the service's) or a history of the cases in ``batches``."""
    views = lookups if lookups is not None else Lookups.empty()
    if history is None:
        history = network_history(batches)
    return FeatureContext(snapshot=views.snapshot, index=views.index, history=history)
