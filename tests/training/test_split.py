"""The time split never lets a training case be later than a validation or test case."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mizugiwa.training.split import time_split


def _times(days: list[int]) -> np.ndarray:
    return np.datetime64("2020-01-01T00:00:00") + np.array(days, dtype="timedelta64[D]")


def _assert_ordered(ts: np.ndarray) -> None:
    split = time_split(ts)
    parts = [split.train, split.valid, split.test]
    assert all(p.any() for p in parts)
    assert (split.train ^ split.valid ^ split.test).all()  # each case in exactly one part
    assert ts[split.train].max() < ts[split.valid].min()
    assert ts[split.valid].max() < ts[split.test].min()


def test_months_are_never_cut_and_never_reversed() -> None:
    rng = np.random.default_rng(3)
    ts = _times(rng.integers(0, 730, 5000).tolist())
    split = time_split(ts)
    assert split.unit == "month"
    months = ts.astype("datetime64[M]")
    for a, b in (("train", "valid"), ("valid", "test"), ("train", "test")):
        assert not set(months[split.part(a)].tolist()) & set(months[split.part(b)].tolist())
    _assert_ordered(ts)
    assert split.describe()["split.test"].startswith(str(ts[split.test].min().astype("M8[D]")))


def test_test_part_is_the_latest_quarter_of_cases() -> None:
    ts = _times(list(range(0, 720)) * 3)
    split = time_split(ts, valid_fraction=0.15, test_fraction=0.25)
    share = split.test.mean()
    assert 0.15 < share < 0.35


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=400), min_size=3, max_size=300))
def test_any_dates_split_in_order(days: list[int]) -> None:
    if len(set(days)) < 3:
        with pytest.raises(ValueError, match="at least 3"):
            time_split(_times(days))
        return
    _assert_ordered(_times(days))


def test_bad_input_is_refused() -> None:
    with pytest.raises(ValueError, match="no cases"):
        time_split(np.array([], dtype="datetime64[s]"))
    with pytest.raises(ValueError, match="no date"):
        time_split(np.array(["2020-01-01", "NaT", "2020-03-01"], dtype="datetime64[s]"))
    with pytest.raises(ValueError, match="sum below 1"):
        time_split(_times([1, 2, 3]), valid_fraction=0.6, test_fraction=0.5)
