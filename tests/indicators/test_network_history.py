"""NetworkHistory: point-in-time counts, windows, other posts, online appends."""

from __future__ import annotations

import numpy as np

from mizugiwa.features.network import SECONDS_PER_DAY, NetworkHistory


def _history() -> NetworkHistory:
    history = NetworkHistory()
    day = SECONDS_PER_DAY
    history.append(
        "phone",
        np.array(["+1", "+1", "+1", "+2", None], dtype=object),
        np.array(["MNL", "CEB", "MNL", "MNL", "MNL"], dtype=object),
        np.array([10 * day, 20 * day, 400 * day, 30 * day, 30 * day]),
    )
    return history


def test_counts_only_strictly_earlier_rows_within_the_window() -> None:
    history = _history()
    day = SECONDS_PER_DAY
    keys = ["+1", "+1", "+1", "+2", "+3", None]
    times = np.array([10, 21, 401, 31, 31, 31]) * day
    assert history.count_before("phone", keys, times).tolist() == [0, 2, 3, 1, 0, 0]
    windowed = history.count_before("phone", keys, times, window_days=365)
    assert windowed.tolist() == [0, 2, 1, 1, 0, 0]  # days 10 and 20 are too old for day 401
    posts = ["MNL", "MNL", "MNL", "MNL", "MNL", "MNL"]
    other = history.count_before("phone", keys, times, window_days=365, other_than=posts)
    assert other.tolist() == [0, 1, 0, 0, 0, 0]  # day 21 sees CEB's day 20


def test_appending_online_equals_building_at_once() -> None:
    rng = np.random.default_rng(4)
    keys = rng.choice(["a", "b", "c", "d"], size=300).astype(object)
    posts = rng.choice(["MNL", "BKK"], size=300).astype(object)
    seconds = rng.integers(0, 1000 * SECONDS_PER_DAY, size=300)
    whole = NetworkHistory()
    whole.append("sponsor", keys, posts, seconds)
    pieces = NetworkHistory()
    for start in range(0, 300, 7):
        pieces.append(
            "sponsor", keys[start : start + 7], posts[start : start + 7], seconds[start : start + 7]
        )
    ask = dict(window_days=365, other_than=posts.tolist())
    np.testing.assert_array_equal(
        whole.count_before("sponsor", keys.tolist(), seconds, **ask),
        pieces.count_before("sponsor", keys.tolist(), seconds, **ask),
    )
    brute = [
        sum(
            1
            for j in range(300)
            if keys[j] == keys[i]
            and posts[j] != posts[i]
            and seconds[i] - 365 * SECONDS_PER_DAY <= seconds[j] < seconds[i]
        )
        for i in range(300)
    ]
    assert whole.count_before("sponsor", keys.tolist(), seconds, **ask).tolist() == brute


def test_unknown_kind_is_refused() -> None:
    import pytest

    with pytest.raises(ValueError, match="unknown network key kind"):
        NetworkHistory().count_before("email", ["x"], np.array([1]))
