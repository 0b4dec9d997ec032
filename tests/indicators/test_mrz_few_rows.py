"""A request's MRZ is parsed row by row and a large batch through numpy; a request's entry is
scored as a batch of one. Each must agree with the whole batch."""

from __future__ import annotations

import random
from dataclasses import fields

import numpy as np

from mizugiwa.features.indicators import (
    EntryBatch,
    FeatureContext,
    compute_entry_features,
    compute_rules,
)
from mizugiwa.features.mrz_check import MrzBatch, parse_mrz

from .conftest import SPECIMEN_MRZ, spouse_application

_TD1 = (
    "I<UTOD231458907<<<<<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<6\nERIKSSON<<ANNA<MARIA<<<<<<<<<<"
)
_TD2 = "I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<\nD231458907UTO7408122F1204159<<<<<<<6"


def _texts() -> list[str | None]:
    """Valid, damaged and messy MRZs of every layout (seeded)."""
    rng = random.Random(7)
    alphabet = "ABCZ019<< \n\r\x00abé-"
    texts: list[str | None] = [SPECIMEN_MRZ, _TD1, _TD2, None, "", "garbage"]
    texts.append("  " + SPECIMEN_MRZ.lower().replace("\n", " \r\n") + "  ")
    texts.append("\x00<" + SPECIMEN_MRZ[2:])
    for base in (SPECIMEN_MRZ, _TD1, _TD2):
        for _ in range(60):
            chars = list(base)
            for _ in range(rng.randint(1, 3)):
                chars[rng.randrange(len(chars))] = rng.choice(alphabet)
            texts.append("".join(chars))
    return texts


def _row(parsed: MrzBatch, i: int) -> dict[str, list[object]]:
    return {f.name: getattr(parsed, f.name)[i : i + 1].tolist() for f in fields(parsed)}


def test_one_row_at_a_time_agrees_with_the_whole_batch() -> None:
    texts = _texts()
    whole = parse_mrz(texts)
    assert len(texts) > 8 and whole.present.sum() > 100 and (whole.failed_checks > 0).sum() > 50
    for i, text in enumerate(texts):
        alone = parse_mrz([text])
        assert _row(alone, 0) == _row(whole, i), repr(text)
        assert alone.failed_names.dtype == whole.failed_names.dtype


def test_a_few_rows_agree_with_the_whole_batch() -> None:
    texts = _texts()
    whole = parse_mrz(texts)
    few = parse_mrz(texts[:5])
    for i in range(5):
        assert _row(few, i) == _row(whole, i)


def test_entries_scored_one_at_a_time_equal_the_batch(ctx: FeatureContext) -> None:
    """Online is the batch code on a batch of one, with and without a linked application."""
    app = spouse_application()
    base = {
        "port_code": "NRT",
        "arrived_at": "2024-07-01T09:00:00Z",
        "flight_number": "PR428",
        "declared_purpose": "tourism",
        "declared_stay_days": 12,
    }
    entries = [
        {**base, "entry_id": "E-1", "mrz": app["passport"]["mrz"], "visa_reference": "A-1"},
        {**base, "entry_id": "E-2", "mrz": SPECIMEN_MRZ},
        {**base, "entry_id": "E-3", "mrz": SPECIMEN_MRZ.replace("C36", "C37")},
    ]
    batch = EntryBatch.from_dicts(entries, {"A-1": app})
    fm, rm = compute_entry_features(batch, ctx), compute_rules(batch, ctx)
    assert fm.column("entry_document_reported").tolist() == [0, 1, 1]
    assert fm.column("entry_mrz_failed_check_digits").tolist() == [0, 0, 2]
    singles = [EntryBatch.from_dicts([entry], {"A-1": app}) for entry in entries]
    assert singles[1].applications is not singles[2].applications
    for i, single in enumerate(singles):
        one = compute_entry_features(single, ctx)
        np.testing.assert_array_equal(one.values[0], fm.values[i])
        assert {k: v.get(0) for k, v in one.details.items()} == {
            k: v.get(i) for k, v in fm.details.items()
        }
        np.testing.assert_array_equal(compute_rules(single, ctx).fired[0], rm.fired[i])
