"""Person names match across scripts, romanisations, order, particles and abbreviations."""

from __future__ import annotations

import pytest
from conftest import matched_ids

from mizugiwa.features.matching import WatchlistIndex


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # scripts
        ("佐藤健一", "P-SATO"),  # kanji query meets the stored kanji
        ("さとう けんいち", "P-SATO"),  # hiragana, through the romanisation
        ("サトウ ケンイチ", "P-SATO"),  # katakana
        ("Satō Kenichi", "P-SATO"),  # macron
        ("Lee Min-ho", "P-LEE"),  # stored in Hangul only
        ("박지성", "P-PARK"),  # Hangul query, Latin entity
        ("สมชาย ใจดี", "P-SOMCHAI"),  # Thai script
        ("Nguyễn Thị Hương", "P-NGUYEN"),  # Vietnamese diacritics
        ("Wang Xiaoming", "P-WANG"),  # stored in Chinese characters
        ("Иванов Сергей", "P-IVANOV"),  # Cyrillic
        ("José Luis Muñoz", "P-MUNOZ"),  # Latin diacritics
        # romanisation variants
        ("Satou Kenichi", "P-SATO"),
        ("Satoh Kenichi", "P-SATO"),
        ("Ken'ichi Sato", "P-SATO"),
        ("Ohno Takeshi", "P-ONO"),
        ("Ōno Takeshi", "P-ONO"),
        ("Oono Takeshi", "P-ONO"),
        ("Yi Minho", "P-LEE"),
        ("Rhee Min-ho", "P-LEE"),
        ("Pak Ji-sung", "P-PARK"),
        ("Somchay Chaidi", "P-SOMCHAI"),
        # order, comma forms, abbreviations, particles, patronymics, partial names
        ("Kenichi Sato", "P-SATO"),
        ("SANTOS, Maria Luisa", "P-SANTOS"),
        ("Ma. Luisa Santos", "P-SANTOS"),
        ("Maria dela Cruz", "P-CRUZ"),
        ("DELACRUZ, Maria", "P-CRUZ"),
        ("Ahmad bin Ismail", "P-AHMAD"),
        ("Maria Garcia", "P-GARCIA"),  # second family name left out
        ("Maria Garcia-Lopez", "P-GARCIA"),
        ("Nguyen Huong", "P-NGUYEN"),  # Vietnamese middle name left out
        ("Kennichi Satou", "P-SATO"),  # a typo on top of a variant
    ],
)
def test_variant_matches(index: WatchlistIndex, query: str, expected: str) -> None:
    assert expected in matched_ids(index, "person", query)


@pytest.mark.parametrize(
    ("query", "not_expected"),
    [
        ("Sato Hiroshi", "P-SATO"),  # same family name, other given name
        ("Sato Kenji", "P-SATO"),  # close given name is still another name
        ("佐藤花子", "P-SATO"),
        ("Sato", "P-SATO"),  # a family name alone
        ("Kenichi Watanabe", "P-SATO"),  # same given name, other family name
        ("Nguyen Thi Lan", "P-NGUYEN"),
        ("Ana Garcia Lopez", "P-GARCIA"),
        ("Maria Luisa Reyes", "P-SANTOS"),
        ("Park Min-ho", "P-LEE"),
    ],
)
def test_hard_non_matches(index: WatchlistIndex, query: str, not_expected: str) -> None:
    assert not_expected not in matched_ids(index, "person", query)


def test_explanation_names_each_token_pairing(index: WatchlistIndex) -> None:
    best = index.search("person", "Satoh Ken'ichi")[0]
    assert best.id == "P-SATO" and best.match and 0 < best.score <= 1
    features = {name for name, _, _ in best.explanation}
    assert {"token_variant", "token_exact", "name_score", "score"} <= features
    texts = " ".join(text for _, _, text in best.explanation)
    assert "satoh ~ sato" in texts
    assert best.names[0] == "SATO KENICHI"


def test_abbreviation_is_explained(index: WatchlistIndex) -> None:
    best = index.search("person", "Ma. Luisa Santos")[0]
    assert ("abbreviation", 0.0, "ma. read as maria") in best.explanation


def test_script_is_explained(index: WatchlistIndex) -> None:
    best = index.search("person", "さとう けんいち")[0]
    assert any(name == "query_script" for name, _, _ in best.explanation)
