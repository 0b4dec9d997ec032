"""Capacity filled exactly: tied scores at the edge are split deterministically by case id, so
a discrete score (an oracle, a checklist) is judged at the capacity it was given."""

from __future__ import annotations

import math
from types import SimpleNamespace

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from mizugiwa.training.evaluation import (
    evaluate_at_capacity,
    refer_exactly,
    thresholds_for_capacity,
    tie_keys,
)
from mizugiwa.training.train import evaluate_scores

POSTS = ("MNL", "BKK", "HAN")


@st.composite
def cases(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray, dict[str, float], float]:
    n = draw(st.integers(min_value=1, max_value=120))
    tie_heavy = draw(st.booleans())  # integer scores: many ties, the hard case
    values = st.integers(0, 5).map(float) if tie_heavy else st.floats(0, 1, allow_nan=False)
    scores = draw(st.lists(values, min_size=n, max_size=n))
    posts = draw(st.lists(st.sampled_from(POSTS), min_size=n, max_size=n))
    shares = st.floats(min_value=0.001, max_value=1.0)
    capacity = draw(st.dictionaries(st.sampled_from(POSTS[:2]), shares, max_size=2))
    return np.array(scores, dtype=float), np.array(posts), capacity, draw(shares)


@settings(max_examples=100, deadline=None)
@given(cases())
def test_every_post_refers_exactly_its_share(
    case: tuple[np.ndarray, np.ndarray, dict[str, float], float],
) -> None:
    scores, posts, capacity, default = case
    keys = tie_keys([f"C-{i}" for i in range(scores.size)])
    refer = refer_exactly(scores, posts, capacity, keys=keys, default=default)
    for post in np.unique(posts):
        mine = posts == post
        share = capacity.get(str(post), default)
        assert refer[mine].sum() == math.floor(share * mine.sum() + 1e-9)
        if refer[mine].any() and (~refer[mine]).any():  # nobody left out scores above a referral
            assert scores[mine][~refer[mine]].max() <= scores[mine][refer[mine]].min()


def test_ties_are_broken_by_case_id_whatever_the_order() -> None:
    rng = np.random.default_rng(3)
    ids = np.array([f"MNL-{i:05d}" for i in range(2_000)])
    scores = rng.integers(0, 4, ids.size).astype(float)  # heavy ties
    posts = np.full(ids.size, "MNL")
    first = refer_exactly(scores, posts, 0.03, keys=tie_keys(ids))
    shuffle = rng.permutation(ids.size)
    again = refer_exactly(scores[shuffle], posts, 0.03, keys=tie_keys(ids[shuffle]))
    assert set(ids[first]) == set(ids[shuffle][again])
    assert first.sum() == 60


def test_a_tied_oracle_is_evaluated_at_its_full_capacity() -> None:
    # Half the cases share the top score: a threshold refers all of them or (the old rule) none
    # beyond the strictly higher ones, far from the 3% the post can interview.
    n = 10_000
    rng = np.random.default_rng(7)
    scores = np.where(rng.random(n) < 0.02, 0.9, np.where(rng.random(n) < 0.5, 0.5, 0.1))
    truth = rng.random(n) < scores / 5
    posts = np.full(n, "BKK")
    th = thresholds_for_capacity(scores, posts, 0.03)
    by_threshold = evaluate_at_capacity(truth, scores, posts, 0.03, thresholds=th)
    assert by_threshold["referral_rate"] < 0.025  # what the evaluation used to report

    ids = np.array([f"BKK-{i}" for i in range(n)])
    labels = SimpleNamespace(
        interviewed=np.zeros(n, bool),
        audit=np.zeros(n, bool),
        any_concern=truth,
        weight=np.ones(n),
    )
    world = SimpleNamespace(
        ids=ids,
        posts=posts,
        labels=labels,
        truth=SimpleNamespace(known=np.ones(n, bool), any_concern=truth),
    )
    evaluation, _ = evaluate_scores(world, np.ones(n, bool), {"oracle": scores}, 0.03, {})  # type: ignore[arg-type]
    assert evaluation.metrics["truth"]["oracle"]["referral_rate"] == 0.03
