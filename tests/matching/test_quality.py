"""Precision and recall on the labelled pairs kept in benchmarks/data."""

from __future__ import annotations

from pathlib import Path

import pytest

from features.matching.evaluation import evaluate, read_pairs

DATA = Path(__file__).resolve().parents[2] / "benchmarks" / "data"


def test_labelled_pairs_cover_every_variant_and_hard_non_match() -> None:
    pairs = read_pairs(DATA / "match_pairs.jsonl")
    categories = {p["category"] for p in pairs}
    assert len(pairs) >= 120
    for needed in [
        "script_kana", "script_kanji", "script_thai", "script_vietnamese", "script_chinese",
        "script_hangul", "script_cyrillic", "script_diacritics", "romanisation_long_vowel",
        "romanisation_apostrophe", "romanisation_korean", "romanisation_thai", "name_order",
        "comma_form", "abbreviation", "particle", "patronymic", "hispanic_two_surnames",
        "legal_form", "legal_form_native", "branch_suffix", "dob_support",
        "same_family_different_given", "shared_brand_word", "phone_one_digit_off",
        "same_name_different_dob_year",
    ]:  # fmt: skip
        assert needed in categories, needed


@pytest.mark.parametrize("name", ["match_pairs.jsonl", "match_pairs_holdout.jsonl"])
def test_precision_and_recall_at_default_thresholds(name: str) -> None:
    report = evaluate(read_pairs(DATA / name))
    assert report.precision >= 0.95, report.summary()["errors"]
    assert report.recall >= 0.95, report.summary()["errors"]


def test_a_bad_pair_file_names_line_and_field(tmp_path: Path) -> None:
    path = tmp_path / "pairs.jsonl"
    path.write_text('{"kind": "person", "query": "x", "label": true}\n')
    with pytest.raises(ValueError, match=r"pairs.jsonl:1: field 'entity'"):
        read_pairs(path)
