"""Watchlist matching: find persons, organisations, phones, addresses and travel documents of
the trafficking database however a name is written (script, romanisation, order, legal form).

Public surface::

    idx = WatchlistIndex.build(entities)          # import-format dicts
    idx = WatchlistIndex.from_database(engine)    # or from the trafficking database
    idx.search("person", "Satou Ken'ichi", dob="1961-04-02") -> list[Candidate]
    idx.match_phone("+63 917 123 4567"); idx.match_address(text); idx.match_document(no, state)
    RefreshingIndex.for_database(engine)          # rebuilt when the database changes

Phones, addresses and documents are normalised by :mod:`mizugiwa.features.normalise`, the
same functions the loader, the snapshot and the indicators use.

Errors: bad arguments raise ``ValueError`` whose message starts with the argument's name.
How scores are made and how to tune thresholds: docs/matching.md.
"""

from mizugiwa.features.matching.candidate import DEFAULT_THRESHOLDS, KINDS, Candidate, Feature
from mizugiwa.features.matching.index import WatchlistIndex
from mizugiwa.features.matching.refresh import RefreshingIndex

__all__ = [
    "DEFAULT_THRESHOLDS",
    "KINDS",
    "Candidate",
    "Feature",
    "RefreshingIndex",
    "WatchlistIndex",
]
