"""What indicators look things up in: the trafficking database as of a date, the watchlist
name index and the history of earlier applications."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from mizugiwa.features.network import NetworkHistory

if TYPE_CHECKING:
    from mizugiwa.features.tipdb.snapshot import Snapshot


@dataclass
class FeatureContext:
    """Read-only sources for one scoring run (batch) or for the service's lifetime (online).

    ``snapshot``: the trafficking database (every lookup is as of the case's date).
    ``index``: a ``features.matching.WatchlistIndex`` for fuzzy name search, or ``None`` to
    match names exactly only (after normalisation). Fuzzy results are cached per distinct name.
    ``history``: earlier applications for the cross-post and passport-reuse counts.
    ``cross_post_window_days``: how far back the cross-post counts look.
    """

    snapshot: Snapshot
    index: Any | None = None
    history: NetworkHistory = field(default_factory=NetworkHistory)
    cross_post_window_days: float = 365.0
    cache: dict[Any, Any] = field(default_factory=dict, repr=False, compare=False)
