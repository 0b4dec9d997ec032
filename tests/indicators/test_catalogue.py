"""The reason-code catalogue: data the service serves, and the page in docs/ kept in sync."""

from __future__ import annotations

from pathlib import Path

from mizugiwa.features.indicators import ENTRY_FEATURES, FEATURES, RULES
from mizugiwa.models.reasons import catalogue, markdown

DOC = Path(__file__).resolve().parents[2] / "docs" / "reason-codes.md"


def test_every_code_is_in_the_catalogue_once() -> None:
    items = catalogue()
    codes = [item["code"] for item in items]
    assert len(codes) == len(set(codes))
    wanted = {ind.code for ind in [*FEATURES, *ENTRY_FEATURES]} | {rule.code for rule in RULES}
    assert wanted <= set(codes)
    assert all(item["text_en"] and item["text_ja"] for item in items)


def test_a_shared_code_has_one_text() -> None:
    texts: dict[str, tuple[str, str]] = {}
    for ind in [*FEATURES, *ENTRY_FEATURES]:
        assert texts.setdefault(ind.code, (ind.text_en, ind.text_ja)) == (ind.text_en, ind.text_ja)


def test_the_docs_page_is_generated_from_the_catalogue() -> None:
    assert DOC.read_text(encoding="utf-8") == markdown(), (
        "docs/reason-codes.md is stale: run "
        "`python -m mizugiwa.models.reasons > docs/reason-codes.md`"
    )
