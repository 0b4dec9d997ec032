"""Organisation names: legal forms, branches, generic and brand words."""

from __future__ import annotations

import pytest
from conftest import matched_ids

from mizugiwa.features.matching import WatchlistIndex


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Sakura Shoji K.K.", "O-SAKURA"),  # 株式会社 / K.K.
        ("Sakura Shouji Co., Ltd.", "O-SAKURA"),
        ("Kabushiki Kaisha Sakura Shoji", "O-SAKURA"),
        ("さくら商事六本木支店", "O-SAKURA"),  # native branch suffix
        ("Sakura Shoji Co., Ltd. Roppongi branch", "O-SAKURA"),
        ("Fuji Manpower Incorporated", "O-FUJI"),
        ("Fuji Manpower LLC", "O-FUJI"),
        ("Club Venus Shinjuku-ten", "O-VENUS"),
        ("Club Paradise", "O-PARADISE"),  # district suffix left out
        ("Paradise Club", "O-PARADISE"),
    ],
)
def test_organisation_variants_match(index: WatchlistIndex, query: str, expected: str) -> None:
    assert expected in matched_ids(index, "organisation", query)


@pytest.mark.parametrize(
    ("query", "not_expected"),
    [
        ("Paradise Travel", "O-PARADISE"),  # shared brand word alone
        ("Paradise", "O-PARADISE"),
        ("Venus Spa", "O-VENUS"),
        ("Sakura Travel Agency", "O-SAKURA"),
        ("Fuji Construction", "O-FUJI"),
    ],
)
def test_shared_brand_word_is_not_a_match(
    index: WatchlistIndex, query: str, not_expected: str
) -> None:
    assert not_expected not in matched_ids(index, "organisation", query)


def test_legal_form_and_branch_are_explained(index: WatchlistIndex) -> None:
    best = index.search("organisation", "Sakura Shoji Co., Ltd. Roppongi branch")[0]
    features = {name for name, _, _ in best.explanation}
    assert {"legal_form_stripped", "branch_stripped"} <= features
