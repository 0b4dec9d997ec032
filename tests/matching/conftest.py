"""Small watchlists for the matching tests."""

from __future__ import annotations

from typing import Any

import pytest

from mizugiwa.features.matching import WatchlistIndex


def person(entity_id: str, *names: str, **fields: Any) -> dict[str, Any]:
    """A person entity in the import format."""
    return {
        "entity_type": "person",
        "id": entity_id,
        "names": list(names),
        "source": "police",
        "recorded_at": "2024-01-10",
        **fields,
    }


def organisation(entity_id: str, *names: str, **fields: Any) -> dict[str, Any]:
    """An organisation entity in the import format."""
    return {
        "entity_type": "organisation",
        "id": entity_id,
        "names": list(names),
        "source": "police",
        "recorded_at": "2024-01-10",
        **fields,
    }


WATCHLIST = [
    person("P-SATO", "SATO KENICHI", "佐藤健一", date_of_birth="1961-04-02", nationality="JPN"),
    person("P-SATO-H", "SATO HIROSHI", date_of_birth="1970-08-15", nationality="JPN"),
    person("P-ONO", "ONO TAKESHI"),
    person("P-LEE", "이민호"),
    person("P-PARK", "PARK JISUNG"),
    person("P-SOMCHAI", "SOMCHAI JAIDEE"),
    person("P-NGUYEN", "NGUYEN THI HUONG", nationality="VNM"),
    person("P-WANG", "王小明"),
    person("P-IVANOV", "IVANOV SERGEI"),
    person("P-MUNOZ", "JOSE LUIS MUNOZ"),
    person("P-CRUZ", "MARIA DE LA CRUZ", date_of_birth="1990-07-04", nationality="PHL"),
    person("P-GARCIA", "MARIA GARCIA LOPEZ"),
    person("P-AHMAD", "AHMAD ISMAIL"),
    person("P-SANTOS", "MARIA LUISA SANTOS"),
    organisation("O-PARADISE", "Club Paradise Roppongi"),
    organisation("O-SAKURA", "株式会社さくら商事"),
    organisation("O-FUJI", "FUJI MANPOWER INC"),
    organisation("O-VENUS", "CLUB VENUS"),
    {
        "entity_type": "phone",
        "id": "T-1",
        "number": "+63 917 123 4567",
        "source": "police",
        "recorded_at": "2024-05-02",
    },
    {
        "entity_type": "address",
        "id": "A-1",
        "address": "3-1-2 Roppongi, Minato-ku, Tokyo",
        "source": "police",
        "recorded_at": "2023-11-20",
    },
    {
        "entity_type": "travel_document",
        "id": "D-1",
        "number": "L898902C3",
        "issuing_state": "UTO",
        "status": "stolen",
        "source": "interpol_sltd",
        "recorded_at": "2022-01-09",
    },
    {
        "entity_type": "raid",
        "id": "R-1",
        "organisation_id": "O-PARADISE",
        "date": "2023-11-20",
        "authority": "police",
        "finding": "illegal_employment",
    },
]


@pytest.fixture(scope="session")
def index() -> WatchlistIndex:
    """The small watchlist above, indexed once."""
    return WatchlistIndex.build(WATCHLIST)


def matched_ids(index: WatchlistIndex, kind: str, query: str, **options: Any) -> list[str]:
    """Ids of the candidates reported as matches."""
    return [c.id for c in index.search(kind, query, **options) if c.match]
