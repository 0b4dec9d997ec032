"""Key features of visa applications for drift monitoring, read straight from the records.

These are the inputs an analyst watches for drift: they need no database lookup, so the same
function reads the training folder's ``applications.jsonl`` and the service's recent cases. The
population stability index (:mod:`service.console.psi`) compares the two.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

from mizugiwa.features.jsonl import iter_lines, parse_line

KEY_FEATURES: tuple[str, ...] = (
    "intended_stay_days",
    "recruitment_fee_jpy",
    "monthly_wage_jpy",
    "face_match_score",
    "accompanying_minors",
    "no_return_ticket",
    "ticket_paid_by_others",
    "days_met_before_marriage",
    "spouse_visa",
    "labour_visa",
)
_LABOUR_CATEGORIES = frozenset({"technical_intern", "skilled_worker", "entertainer"})
_NAN = float("nan")


def _number(value: Any) -> float:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else _NAN


def _days_between(later: Any, earlier: Any) -> float:
    try:
        return float((date.fromisoformat(later) - date.fromisoformat(earlier)).days)
    except (TypeError, ValueError):
        return _NAN


def key_features(records: Sequence[Mapping[str, Any]]) -> dict[str, np.ndarray]:
    """The key features of applications (JSON form), one float array each; NaN where absent."""
    columns: dict[str, list[float]] = {name: [] for name in KEY_FEATURES}
    for record in records:
        travel = record.get("travel") or {}
        employment = record.get("employment") or {}
        marriage = record.get("marriage") or {}
        biometrics = record.get("biometrics") or {}
        category = record.get("visa_category")
        columns["intended_stay_days"].append(_number(travel.get("intended_stay_days")))
        columns["recruitment_fee_jpy"].append(_number(employment.get("recruitment_fee_jpy")))
        columns["monthly_wage_jpy"].append(_number(employment.get("monthly_wage_jpy")))
        columns["face_match_score"].append(_number(biometrics.get("face_match_score")))
        columns["accompanying_minors"].append(_number(travel.get("accompanying_minors", 0)))
        columns["no_return_ticket"].append(float(travel.get("return_ticket") is False))
        columns["ticket_paid_by_others"].append(
            float(travel.get("ticket_paid_by") not in (None, "self"))
        )
        columns["days_met_before_marriage"].append(
            _days_between(marriage.get("marriage_date"), marriage.get("first_met_date"))
            if marriage
            else _NAN
        )
        columns["spouse_visa"].append(float(category == "spouse_of_japanese"))
        columns["labour_visa"].append(float(category in _LABOUR_CATEGORIES))
    return {name: np.asarray(values, dtype=np.float64) for name, values in columns.items()}


def sample_json_lines(path: Path, limit: int, seed: int = 0) -> list[dict[str, Any]]:
    """Up to ``limit`` records of a JSON Lines file, a seeded reservoir sample of all lines."""
    rng = random.Random(seed)
    sample: list[tuple[int, bytes]] = []
    for seen, numbered in enumerate(iter_lines(path)):
        if seen < limit:
            sample.append(numbered)
        else:
            slot = rng.randint(0, seen)
            if slot < limit:
                sample[slot] = numbered
    return [parse_line(path, number, line) for number, line in sample]
