"""Precision and recall on the labelled pairs kept in benchmarks/data; sponsor screening."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import person

from mizugiwa.features.matching import WatchlistIndex
from mizugiwa.features.matching.evaluation import evaluate, read_pairs, sponsor_screening

DATA = Path(__file__).resolve().parents[2] / "benchmarks" / "data"


def test_labelled_pairs_cover_every_variant_and_hard_non_match() -> None:
    pairs = read_pairs(DATA / "match_pairs.jsonl")
    categories = {p["category"] for p in pairs}
    assert len(pairs) >= 180
    for needed in [
        "script_kana", "script_kanji", "script_thai", "script_vietnamese", "script_chinese",
        "script_hangul", "script_cyrillic", "script_diacritics", "romanisation_long_vowel",
        "romanisation_apostrophe", "romanisation_korean", "romanisation_thai", "name_order",
        "comma_form", "abbreviation", "particle", "patronymic", "hispanic_two_surnames",
        "legal_form", "legal_form_native", "branch_suffix", "dob_support",
        "same_family_different_given", "shared_brand_word", "phone_one_digit_off",
        "same_name_different_dob_year", "one_letter_family_name", "one_letter_given_name",
        "voicing_differs", "one_letter_name_vietnamese", "one_letter_name_filipino",
    ]:  # fmt: skip
        assert needed in categories, needed


@pytest.mark.parametrize(
    "name", ["match_pairs.jsonl", "match_pairs_holdout.jsonl", "match_pairs_holdout2.jsonl"]
)
def test_precision_and_recall_at_default_thresholds(name: str) -> None:
    report = evaluate(read_pairs(DATA / name))
    assert report.precision >= 0.95, report.summary()["errors"]
    assert report.recall >= 0.95, report.summary()["errors"]


def test_a_bad_pair_file_names_line_and_field(tmp_path: Path) -> None:
    path = tmp_path / "pairs.jsonl"
    path.write_text('{"kind": "person", "query": "x", "label": true}\n')
    with pytest.raises(ValueError, match=r"pairs.jsonl:1: field 'entity'"):
        read_pairs(path)


def test_sponsor_screening_separates_namesakes_from_other_names() -> None:
    index = WatchlistIndex.build(
        [
            person("B-1", "SATO DAISUKE", date_of_birth="1985-08-16"),
            person("B-2", "KATO KOJI TARO"),
        ]
    )

    def application(family: str, given: str, dob: str | None = None) -> dict[str, Any]:
        sponsor = {"family_name": family, "given_names": given}
        return {"sponsor": {**sponsor, "date_of_birth": dob} if dob else sponsor}

    applications: list[dict[str, Any]] = [
        application("Sato", "Daisuke"),  # namesake without a date of birth
        application("Satoh", "Daisuke", "1990-01-01"),  # namesake, another year of birth
        application("Saito", "Daisuke"),  # another name: no match
        application("Kato", "Koji"),  # matches B-2 through a name that is only partial
        {"sponsor": {"organisation_name": "Sakura K.K."}},
    ]
    figures = sponsor_screening(index, applications)
    assert figures["applications"] == 5 and figures["with_sponsor_person"] == 4
    assert figures["without_dob"]["namesakes"] == 2
    assert figures["without_dob"]["other_names"] == 1
    assert figures["with_dob"]["namesakes"] == 1  # the other year of birth is not a match
    assert figures["with_dob"]["other_names"] == 1
