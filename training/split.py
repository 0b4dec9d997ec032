"""Time-based split: learn from earlier months, calibrate on the next, test on the latest.

A model is judged on cases that came *after* everything it learnt from, as it will be in service.
Periods are whole calendar months when the data spans enough of them, else whole days, so no
period is ever cut in two and no training case is later than a validation or test case.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

MIN_MONTHS = 5


@dataclass(frozen=True)
class TimeSplit:
    """Boolean masks over the cases, and the periods each part covers (ISO dates, inclusive)."""

    train: np.ndarray
    valid: np.ndarray
    test: np.ndarray
    periods: dict[str, tuple[str, str]]
    unit: str

    def part(self, name: str) -> np.ndarray:
        """Mask of one part: ``train``, ``valid`` or ``test``."""
        mask: np.ndarray = getattr(self, name)
        return mask

    def describe(self) -> dict[str, str]:
        """Flat description for MLflow params (``split.test`` = ``2025-10-01..2025-12-31``)."""
        return {f"split.{k}": f"{a}..{b}" for k, (a, b) in self.periods.items()} | {
            "split.unit": self.unit
        }


def time_split(
    timestamps: np.ndarray,
    *,
    valid_fraction: float = 0.15,
    test_fraction: float = 0.25,
) -> TimeSplit:
    """Split cases by the period of their timestamp (``datetime64``): train < valid < test.

    Each part gets whole periods; the fractions are of the cases, not of the periods, and are
    rounded to period boundaries (each part gets at least one period).
    """
    ts = np.asarray(timestamps).astype("datetime64[D]")
    if ts.size == 0:
        raise ValueError("timestamps: no cases to split")
    if np.isnat(ts).any():
        raise ValueError("timestamps: some cases have no date")
    if not (
        0 < valid_fraction < 1 and 0 < test_fraction < 1 and valid_fraction + test_fraction < 1
    ):
        raise ValueError("valid_fraction and test_fraction must be in (0, 1) and sum below 1")
    months = ts.astype("datetime64[M]")
    unit = "month"
    periods = months
    if np.unique(months).size < MIN_MONTHS:
        unit, periods = "day", ts
    keys, counts = np.unique(periods, return_counts=True)
    if keys.size < 3:
        raise ValueError(
            f"timestamps: the cases span {keys.size} {unit}(s); a time split needs at least 3"
        )
    cum = np.cumsum(counts) / counts.sum()
    # Index of the first period of each later part, bounded so each part keeps a period.
    first_test = int(np.searchsorted(cum, 1.0 - test_fraction, side="left")) + 1
    first_test = min(max(first_test, 2), keys.size - 1)
    first_valid = int(np.searchsorted(cum, 1.0 - test_fraction - valid_fraction, side="left")) + 1
    first_valid = min(max(first_valid, 1), first_test - 1)
    valid_start, test_start = keys[first_valid], keys[first_test]
    train = periods < valid_start
    test = periods >= test_start
    valid = ~train & ~test

    def span(mask: np.ndarray) -> tuple[str, str]:
        return str(ts[mask].min()), str(ts[mask].max())

    return TimeSplit(
        train=train,
        valid=valid,
        test=test,
        periods={"train": span(train), "valid": span(valid), "test": span(test)},
        unit=unit,
    )
