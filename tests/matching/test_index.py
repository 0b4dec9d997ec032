"""The index: point-in-time visibility, blocking among many entities, errors, thresholds."""

from __future__ import annotations

import random
from datetime import date

import pytest
from conftest import WATCHLIST, person

from mizugiwa.features.matching import DEFAULT_THRESHOLDS, WatchlistIndex


def test_as_of_hides_what_was_recorded_later() -> None:
    index = WatchlistIndex.build(
        [
            person("P-OLD", "TANAKA ICHIRO", recorded_at="2020-01-01"),
            person("P-NEW", "TANAKA ICHIRO", recorded_at="2024-06-01"),
        ]
    )
    ids = lambda day: {c.id for c in index.search("person", "Ichiro Tanaka", as_of=day)}  # noqa: E731
    assert ids(date(2021, 1, 1)) == {"P-OLD"}
    assert ids(date(2024, 6, 1)) == {"P-OLD", "P-NEW"}
    assert ids(None) == {"P-OLD", "P-NEW"}


def test_expired_entities_are_hidden() -> None:
    index = WatchlistIndex.build(
        [person("P-X", "TANAKA ICHIRO", recorded_at="2020-01-01", valid_until="2021-01-01")]
    )
    assert index.search("person", "Tanaka Ichiro", as_of=date(2020, 6, 1))
    assert not index.search("person", "Tanaka Ichiro", as_of=date(2022, 1, 1))


def test_found_among_many_similar_names() -> None:
    rng = random.Random(3)
    families = ["SATO", "SUZUKI", "TANAKA", "KIM", "LEE", "NGUYEN", "SANTOS", "GARCIA"]
    givens = ["KENJI", "HIROSHI", "YUKI", "MINHO", "HUONG", "MARIA", "JOSE", "ANA", "TARO"]
    crowd = [
        person(f"P-{i}", f"{rng.choice(families)} {rng.choice(givens)}{rng.randint(0, 400)}")
        for i in range(5000)
    ]
    index = WatchlistIndex.build([*crowd, *WATCHLIST])
    assert len(index) == 5000 + len(WATCHLIST) - 1  # the raid is not indexed
    assert index.search("person", "Satoh Ken'ichi")[0].id == "P-SATO"
    assert index.search("person", "さとう けんいち")[0].id == "P-SATO"


def test_candidates_are_sorted_limited_and_scored_in_unit_range(index: WatchlistIndex) -> None:
    found = index.search("person", "Maria Santos Cruz", limit=2)
    assert len(found) <= 2
    assert all(0.0 <= c.score <= 1.0 for c in found)
    assert [c.score for c in found] == sorted((c.score for c in found), reverse=True)
    assert all(c.match == (c.score >= DEFAULT_THRESHOLDS["person"]) for c in found)


def test_threshold_override_tunes_hit_volume(index: WatchlistIndex) -> None:
    strict = index.search("person", "Maria Garcia", threshold=0.95)
    loose = index.search("person", "Maria Garcia", threshold=0.5)
    assert sum(c.match for c in strict) < sum(c.match for c in loose)


@pytest.mark.parametrize(
    ("kind", "query", "options", "field"),
    [
        ("vessel", "x", {}, "kind"),
        ("person", "  ", {}, "query"),
        ("person", "Sato", {"limit": 0}, "limit"),
        ("person", "Sato", {"dob": "02/04/1961"}, "dob"),
        ("person", "Sato", {"as_of": "2024-01-01"}, "as_of"),
        ("person", "---", {}, "query"),
    ],
)
def test_bad_arguments_name_the_field(
    index: WatchlistIndex, kind: str, query: str, options: dict[str, object], field: str
) -> None:
    with pytest.raises(ValueError, match=f"^{field}:"):
        index.search(kind, query, **options)  # type: ignore[arg-type]


def test_bad_entity_names_the_field() -> None:
    with pytest.raises(ValueError, match="'names'"):
        WatchlistIndex.build([{"entity_type": "person", "id": "P-1", "names": "SATO"}])
    with pytest.raises(ValueError, match="'id'"):
        WatchlistIndex.build([{"entity_type": "person", "names": ["SATO"]}])


def test_candidate_json_shape(index: WatchlistIndex) -> None:
    row = index.search("person", "Sato Kenichi")[0].to_dict()
    assert set(row) == {"id", "kind", "score", "match", "names", "explanation"}
    assert set(row["explanation"][0]) == {"feature", "value", "text"}
