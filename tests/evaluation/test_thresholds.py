"""Capacity thresholds: every post refers at most its share, and no fewer than it could."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mizugiwa.training.evaluation import (
    UNSEEN_POST,
    PostIndex,
    recall_by_capacity,
    refer_at_capacity,
    thresholds_for_capacity,
)

POSTS = ("MNL", "BKK", "HAN")


@st.composite
def cases(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray, dict[str, float], float]:
    n = draw(st.integers(min_value=1, max_value=120))
    # Integer-valued scores give many ties, the hard case for a capacity cut.
    tie_heavy = draw(st.booleans())
    values = st.integers(0, 5).map(float) if tie_heavy else st.floats(0, 1, allow_nan=False)
    scores = draw(st.lists(values, min_size=n, max_size=n))
    posts = draw(st.lists(st.sampled_from(POSTS), min_size=n, max_size=n))
    shares = st.floats(min_value=0.001, max_value=1.0)
    capacity = draw(st.dictionaries(st.sampled_from(POSTS[:2]), shares, max_size=2))
    default = draw(shares)
    return np.array(scores, dtype=float), np.array(posts), capacity, default


@settings(max_examples=100, deadline=None)
@given(cases())
def test_each_post_refers_at_most_its_capacity_and_not_fewer_than_it_could(
    case: tuple[np.ndarray, np.ndarray, dict[str, float], float],
) -> None:
    scores, posts, capacity, default = case
    thresholds = thresholds_for_capacity(scores, posts, capacity, default)
    refer = refer_at_capacity(scores, posts, thresholds)
    for post in np.unique(posts):
        mine = posts == post
        share = capacity.get(str(post), default)
        allowed = math.floor(share * mine.sum() + 1e-9)
        assert refer[mine].sum() <= allowed
        # Lowest such threshold: the next lower score seen would overshoot the capacity.
        below = scores[mine & (scores < thresholds[str(post)])]
        if below.size:
            assert (scores[mine] >= below.max()).sum() > allowed


def test_unseen_posts_use_the_global_threshold() -> None:
    scores = np.arange(100, dtype=float)
    thresholds = thresholds_for_capacity(scores, np.full(100, "MNL"), 0.05)
    assert thresholds[UNSEEN_POST] == 95.0
    refer = refer_at_capacity(np.array([94.0, 95.0]), np.array(["NRT", "KIX"]), thresholds)
    assert refer.tolist() == [False, True]


def test_per_post_capacity_overrides_the_default() -> None:
    scores = np.tile(np.arange(100, dtype=float), 2)
    posts = np.repeat(["MNL", "BKK"], 100)
    thresholds = thresholds_for_capacity(scores, posts, {"MNL": 0.10}, default=0.03)
    assert thresholds["MNL"] == 90.0
    assert thresholds["BKK"] == 97.0
    assert thresholds[UNSEEN_POST] == 97.0  # 3% of 200 cases: the top 6, scores 97..99


def test_ties_at_the_edge_refer_fewer_not_more() -> None:
    scores = np.array([0.1] * 7 + [0.9] * 3)
    thresholds = thresholds_for_capacity(scores, np.full(10, "MNL"), 0.2)
    refer = refer_at_capacity(scores, np.full(10, "MNL"), thresholds)
    assert refer.sum() == 0  # two places, three tied cases: none referred rather than three
    assert thresholds["MNL"] > 0.9


def test_a_post_too_small_for_one_interview_refers_nobody() -> None:
    scores = np.array([0.2, 0.8, 0.5])
    thresholds = thresholds_for_capacity(scores, np.full(3, "MNL"), 0.03)
    assert not refer_at_capacity(scores, np.full(3, "MNL"), thresholds).any()


@pytest.mark.parametrize(
    ("scores", "posts", "capacity", "message"),
    [
        ([0.1, float("nan")], ["A", "A"], 0.03, r"scores\[1\]"),
        ([0.1, 0.2], ["A"], 0.03, "differ in length"),
        ([0.1], ["A"], 0.0, "capacity"),
        ([0.1], ["A"], {"A": 1.5}, r"capacity\['A'\]"),
        ([], [], 0.03, "empty"),
    ],
)
def test_bad_input_is_refused_with_the_field_named(
    scores: list[float], posts: list[str], capacity: float | dict[str, float], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        thresholds_for_capacity(np.array(scores), np.array(posts), capacity)


def test_missing_post_without_fallback_is_an_error() -> None:
    with pytest.raises(ValueError, match="no entry for posts"):
        refer_at_capacity(np.array([0.5]), np.array(["NRT"]), {"MNL": 0.4})


def test_a_post_index_built_once_gives_the_same_thresholds_and_referrals() -> None:
    rng = np.random.default_rng(3)
    scores = rng.random(5000)
    posts = rng.choice(POSTS, 5000)
    index = PostIndex.of(posts)
    assert len(index) == 5000
    assert thresholds_for_capacity(scores, index, 0.05) == thresholds_for_capacity(
        scores, posts, 0.05
    )
    thresholds = thresholds_for_capacity(scores, posts, 0.05)
    np.testing.assert_array_equal(
        refer_at_capacity(scores, index, thresholds), refer_at_capacity(scores, posts, thresholds)
    )


def test_recall_by_capacity_matches_the_thresholds_at_each_capacity() -> None:
    scores = np.arange(10, dtype=float)
    labels = np.array([0, 0, 0, 0, 0, 1, 0, 1, 0, 1], dtype=bool)
    posts = np.full(10, "MNL")
    # Top 10% is score 9 (a concern); top 30% adds 8 and 7; top 50% adds 6 and 5.
    recalls = recall_by_capacity(labels, scores, posts, [0.1, 0.3, 0.5])
    assert recalls == pytest.approx([1 / 3, 2 / 3, 1.0])
