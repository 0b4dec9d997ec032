"""Date of birth and nationality move a name score up or down."""

from __future__ import annotations

from mizugiwa.features.matching import WatchlistIndex


def _score(index: WatchlistIndex, query: str, entity_id: str, **options: object) -> float:
    found = [c for c in index.search("person", query, **options) if c.id == entity_id]  # type: ignore[arg-type]
    return found[0].score if found else 0.0


def test_same_dob_raises_the_score(index: WatchlistIndex) -> None:
    plain = _score(index, "Maria Cruz", "P-CRUZ")
    with_dob = _score(index, "Maria Cruz", "P-CRUZ", dob="1990-07-04")
    assert with_dob > plain


def test_other_year_of_birth_is_not_a_match(index: WatchlistIndex) -> None:
    found = [c for c in index.search("person", "Sato Kenichi", dob="1975-04-02")]
    sato = next(c for c in found if c.id == "P-SATO")
    assert not sato.match
    assert any(name == "dob_year_differs" for name, _, _ in sato.explanation)


def test_swapped_day_and_month_is_a_small_penalty(index: WatchlistIndex) -> None:
    exact = _score(index, "Maria de la Cruz", "P-CRUZ", dob="1990-07-04")
    swapped = _score(index, "Maria de la Cruz", "P-CRUZ", dob="1990-04-07")
    other_year = _score(index, "Maria de la Cruz", "P-CRUZ", dob="1991-07-04")
    assert exact > swapped > other_year
    assert swapped >= 0.8  # still a match


def test_nationality_supports_and_contradicts(index: WatchlistIndex) -> None:
    same = _score(index, "Nguyen Huong", "P-NGUYEN", nationality="VNM")
    other = _score(index, "Nguyen Huong", "P-NGUYEN", nationality="KHM")
    none = _score(index, "Nguyen Huong", "P-NGUYEN")
    assert same > none > other


def test_evidence_cannot_make_a_different_given_name_match(index: WatchlistIndex) -> None:
    found = index.search("person", "Sato Hiroshi", dob="1961-04-02", nationality="JPN")
    assert all(not c.match for c in found if c.id == "P-SATO")
