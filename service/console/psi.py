"""Population stability index: how far a feature's recent distribution moved from mizugiwa.training.

PSI = sum over bins of (a - e) * ln(a / e), where e and a are the shares of the training
(expected) and recent (actual) values in each bin. Bins are the deciles of the training values,
or one bin per value where a feature has few distinct values (flags, counts); missing values get
a bin of their own, since a feature going missing is drift too. Shares are floored at a small
epsilon so that an empty bin gives a large but finite index.

Conventional reading: below 0.1 stable, 0.1 to 0.25 worth watching, above 0.25 shifted.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

import numpy as np

STABLE_BELOW = 0.1
SHIFTED_ABOVE = 0.25
_EPSILON = 1e-4
_MAX_DISCRETE_VALUES = 12

Level = Literal["stable", "watch", "shifted"]


@dataclass(frozen=True)
class PsiResult:
    """The index of one feature, its reading and how many values each side had."""

    feature: str
    psi: float
    level: Level
    expected_n: int
    actual_n: int


def _edges(expected: np.ndarray, bins: int) -> np.ndarray:
    """Inner bin edges: the distinct values when few, else the training quantiles."""
    distinct = np.unique(expected)
    if distinct.size <= _MAX_DISCRETE_VALUES:
        # Midpoints between distinct values put each value in its own bin.
        return (distinct[:-1] + distinct[1:]) / 2.0
    quantiles = np.quantile(expected, np.linspace(0.0, 1.0, bins + 1)[1:-1])
    return np.unique(quantiles)


def _shares(values: np.ndarray, edges: np.ndarray) -> np.ndarray:
    """Share of values per bin, the last bin holding the missing values."""
    missing = np.isnan(values)
    counts = np.bincount(
        np.searchsorted(edges, values[~missing], side="right"), minlength=edges.size + 1
    )
    counts = np.append(counts, missing.sum())
    return counts / max(values.size, 1)


def population_stability_index(
    expected: np.ndarray, actual: np.ndarray, *, bins: int = 10
) -> float:
    """PSI of ``actual`` against ``expected`` (1-D numeric arrays; NaN means missing)."""
    expected = np.asarray(expected, dtype=np.float64).ravel()
    actual = np.asarray(actual, dtype=np.float64).ravel()
    if expected.size == 0 or actual.size == 0:
        raise ValueError("population_stability_index needs values on both sides")
    present = expected[~np.isnan(expected)]
    edges = _edges(present, bins) if present.size else np.empty(0)
    e = np.maximum(_shares(expected, edges), _EPSILON)
    a = np.maximum(_shares(actual, edges), _EPSILON)
    return float(np.sum((a - e) * np.log(a / e)))


def psi_level(value: float) -> Level:
    """The conventional reading of an index."""
    if value < STABLE_BELOW:
        return "stable"
    return "watch" if value <= SHIFTED_ABOVE else "shifted"


def psi_table(
    expected: Mapping[str, np.ndarray], actual: Mapping[str, np.ndarray], *, bins: int = 10
) -> list[PsiResult]:
    """PSI of every feature present on both sides with values, most shifted first."""
    results = []
    for feature in expected.keys() & actual.keys():
        e, a = np.asarray(expected[feature]), np.asarray(actual[feature])
        if e.size == 0 or a.size == 0:
            continue
        value = population_stability_index(e, a, bins=bins)
        results.append(PsiResult(feature, value, psi_level(value), int(e.size), int(a.size)))
    return sorted(results, key=lambda r: (-r.psi, r.feature))
