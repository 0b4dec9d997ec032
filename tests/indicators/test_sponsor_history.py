"""A sponsor's history is found under other romanisations and the kanji name (the watchlist
matcher), never under a namesake born on another day."""

from __future__ import annotations

from typing import Any

import pytest

from mizugiwa.features.indicators import ApplicationBatch, FeatureContext, compute_features
from mizugiwa.features.matching.index import WatchlistIndex
from mizugiwa.features.tipdb.snapshot import Snapshot

from .conftest import TIPDB, spouse_application


def _sponsorship(ident: str, name: str, born: str, date: str) -> dict[str, Any]:
    return {
        "entity_type": "sponsorship",
        "id": ident,
        "sponsor_names": [name],
        "sponsor_date_of_birth": born,
        "relation": "spouse",
        "sponsored_name": "REYES ANA",
        "date": date,
    }


LINES = [
    *TIPDB,
    _sponsorship("S-40", "ONO TARO", "1970-01-01", "2020-06-01"),
    _sponsorship("S-41", "小野太郎", "1970-01-01", "2021-06-01"),
    _sponsorship("S-42", "SATOU KENJI", "1965-05-05", "2021-06-01"),
    _sponsorship("S-43", "ONO TARO", "1980-01-01", "2021-06-01"),  # a namesake
    _sponsorship("S-44", "SATO KENJI", "1965-05-05", "2024-07-01"),  # after the application
]


@pytest.mark.parametrize(
    ("sponsor", "found", "variants"),
    [
        (
            {"family_name": "OHNO", "given_names": "TARO", "name_native": "小野太郎"},
            2,
            ["S-40", "S-41"],
        ),
        # the matcher reads the kanji record too
        ({"family_name": "OHNO", "given_names": "TARO"}, 2, ["S-40", "S-41"]),
        ({"family_name": "SATO", "given_names": "KENJI", "date_of_birth": "1965-05-05"}, 1, []),
    ],
)
def test_sponsorships_under_other_spellings_are_counted(
    sponsor: dict[str, Any], found: int, variants: list[str]
) -> None:
    born = sponsor.pop("date_of_birth", "1970-01-01")
    app = spouse_application(sponsor={"role": "spouse", "date_of_birth": born, **sponsor})
    batch = ApplicationBatch.from_records([app])
    snapshot = Snapshot.from_entities(LINES)
    exact = compute_features(batch, FeatureContext(snapshot=snapshot))
    matched = compute_features(
        batch, FeatureContext(snapshot=snapshot, index=WatchlistIndex.build(LINES))
    )
    assert exact.column("sponsor_prior_spouses")[0] == 0  # the exact key misses them all
    assert matched.column("sponsor_prior_spouses")[0] == found
    evidence = matched.details["sponsor_prior_spouses"][0]
    assert evidence.get("found_under_other_spellings", []) == (variants or ["S-42"])


def test_the_exact_key_still_counts_each_sponsorship_once() -> None:
    app = spouse_application()  # TANAKA ICHIRO, two sponsorships on record (S-30, S-31)
    batch = ApplicationBatch.from_records([app])
    ctx = FeatureContext(snapshot=Snapshot.from_entities(LINES), index=WatchlistIndex.build(LINES))
    fm = compute_features(batch, ctx)
    assert fm.column("sponsor_prior_spouses")[0] == 2
    assert "found_under_other_spellings" not in fm.details["sponsor_prior_spouses"][0]
