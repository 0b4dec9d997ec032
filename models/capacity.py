"""Referral thresholds from interview capacity: the serving side of "refer at most a share".

A post can interview only a share of its cases (its *capacity*, 3% by default). These functions
turn a distribution of scores into per-post thresholds that keep referrals within that share, and
apply them. They live with the models because the scorer needs them at serving time; the metrics
that judge a model at capacity are in ``mizugiwa.training.evaluation``.

Functions that take ``posts`` also take a :class:`PostIndex`, the posts factorised once, which
saves most of the cost when the same cases are cut at several capacities or by several scorers.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

UNSEEN_POST = "*"
DEFAULT_CAPACITY = 0.03
# floor(capacity * n) must not lose a case to rounding (0.07 * 100 = 7.000000000000001).
_ROUNDING_SLACK = 1e-9


def _vector(name: str, values: Any, *, dtype: Any = None) -> np.ndarray:
    array = np.asarray(values) if dtype is None else np.asarray(values, dtype=dtype)
    if array.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional, got shape {array.shape}")
    return array


def _scores(name: str, values: Any) -> np.ndarray:
    try:
        array = _vector(name, values, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be numbers: {exc}") from exc
    if not np.isfinite(array).all():
        bad = int(np.flatnonzero(~np.isfinite(array))[0])
        raise ValueError(f"{name}[{bad}] is {array[bad]!r}; every score must be finite")
    return array


def _labels(name: str, values: Any) -> np.ndarray:
    array = _vector(name, values)
    if array.dtype == np.bool_:
        return array
    if array.dtype.kind in "iuf":
        valid = (array == 0) | (array == 1)
        if not valid.all():
            bad = int(np.flatnonzero(~valid)[0])
            raise ValueError(f"{name}[{bad}] is {array[bad]!r}; labels must be 0/1 or booleans")
        return array.astype(bool)
    raise ValueError(f"{name} must be booleans or 0/1, got dtype {array.dtype}")


def _weights(values: Any, size: int) -> np.ndarray:
    if values is None:
        return np.ones(size)
    array = _scores("weights", values)
    if array.size != size:
        raise ValueError(f"weights has {array.size} values, expected {size}")
    if (array < 0).any():
        bad = int(np.flatnonzero(array < 0)[0])
        raise ValueError(f"weights[{bad}] is {array[bad]!r}; weights must be >= 0")
    return array


def _same_length(**arrays: np.ndarray) -> int:
    sizes = {name: array.size for name, array in arrays.items()}
    if len(set(sizes.values())) > 1:
        detail = ", ".join(f"{name}={size}" for name, size in sizes.items())
        raise ValueError(f"arrays differ in length: {detail}")
    return next(iter(sizes.values()))


def _capacity(name: str, value: float) -> float:
    capacity = float(value)
    if not 0.0 < capacity <= 1.0:
        raise ValueError(f"{name} is {value!r}; a capacity is a share in (0, 1]")
    return capacity


def _threshold_for_share(sorted_scores: np.ndarray, capacity: float) -> float:
    """Lowest threshold whose referrals (score >= threshold) are at most ``capacity`` of cases.

    ``sorted_scores`` is ascending. Ties are never split: when the case at the capacity's edge
    ties with the next one, the threshold rises above both, so the post refers fewer rather than
    more than it can interview.
    """
    n = sorted_scores.size
    allowed = math.floor(capacity * n + _ROUNDING_SLACK)
    if allowed >= n:
        return float(sorted_scores[0])
    pivot = sorted_scores[n - allowed - 1]  # the highest-scoring case that must stay unreferred
    above = int(np.searchsorted(sorted_scores, pivot, side="right"))
    if above < n:
        return float(sorted_scores[above])
    # Nothing fits (a small post, or ties at the top): above every score seen.
    return float(np.nextafter(pivot, np.inf))


@dataclass(frozen=True)
class PostIndex:
    """Post codes factorised once: the distinct codes and each case's position among them.

    Finding the distinct codes of a million strings costs most of a threshold computation; build
    the index once with :meth:`of` and pass it wherever ``posts`` is accepted.
    """

    codes: tuple[str, ...]
    inverse: np.ndarray

    @classmethod
    def of(cls, posts: np.ndarray | PostIndex) -> PostIndex:
        """The index of ``posts`` (an index is returned as it is)."""
        if isinstance(posts, PostIndex):
            return posts
        array = _vector("posts", posts)
        codes, inverse = np.unique(array.astype(str), return_inverse=True)
        # Small integer codes let numpy's stable sort use radix sort when grouping by post.
        small = np.uint16 if codes.size <= np.iinfo(np.uint16).max else np.intp
        return cls(tuple(codes.tolist()), inverse.astype(small))

    def __len__(self) -> int:
        return int(self.inverse.size)


@dataclass(frozen=True)
class _ScoresByPost:
    """Scores sorted ascending within each post, for cutting at any capacity."""

    index: PostIndex
    grouped: np.ndarray  # scores sorted by (post, score)
    bounds: np.ndarray  # post i's scores are grouped[bounds[i]:bounds[i + 1]]
    everyone: np.ndarray  # all scores, ascending

    @classmethod
    def of(cls, scores: np.ndarray, index: PostIndex) -> _ScoresByPost:
        by_score = np.argsort(scores, kind="stable")
        by_post = np.argsort(index.inverse[by_score], kind="stable")
        order = by_score[by_post]
        bounds = np.searchsorted(index.inverse[order], np.arange(len(index.codes) + 1))
        return cls(index, scores[order], bounds, scores[by_score])

    def thresholds(self, capacity: float | Mapping[str, float], default: float) -> dict[str, float]:
        default_share = _capacity("default", default)
        if isinstance(capacity, Mapping):
            shares = {str(p): _capacity(f"capacity[{p!r}]", c) for p, c in capacity.items()}
        else:
            shares = {}
            default_share = _capacity("capacity", capacity)
        thresholds = {
            code: _threshold_for_share(
                self.grouped[self.bounds[i] : self.bounds[i + 1]],
                shares.get(code, default_share),
            )
            for i, code in enumerate(self.index.codes)
        }
        thresholds[UNSEEN_POST] = _threshold_for_share(self.everyone, default_share)
        return thresholds


def _checked(scores: Any, posts: np.ndarray | PostIndex) -> tuple[np.ndarray, PostIndex]:
    score_array = _scores("scores", scores)
    index = PostIndex.of(posts)
    _same_length(scores=score_array, posts=index.inverse)
    return score_array, index


def thresholds_for_capacity(
    scores: np.ndarray,
    posts: np.ndarray | PostIndex,
    capacity: float | Mapping[str, float],
    default: float = DEFAULT_CAPACITY,
) -> dict[str, float]:
    """Per post, the score threshold that keeps its referrals within its interview capacity.

    ``capacity`` is one share for every post or a mapping post -> share (posts missing from it
    use ``default``). For each post the share of its cases with ``score >= threshold`` is at most
    its capacity, and the threshold is the lowest that achieves it. Key ``"*"`` holds the
    threshold for posts not seen here: the global quantile at ``default`` (or at ``capacity``
    when it is one number).
    """
    score_array, index = _checked(scores, posts)
    if score_array.size == 0:
        raise ValueError("scores is empty: no threshold can be set from no cases")
    return _ScoresByPost.of(score_array, index).thresholds(capacity, default)


def _refer(scores: np.ndarray, index: PostIndex, thresholds: Mapping[str, float]) -> np.ndarray:
    missing = [code for code in index.codes if code not in thresholds]
    if missing and UNSEEN_POST not in thresholds:
        raise ValueError(
            f"thresholds has no entry for posts {missing[:5]} and no {UNSEEN_POST!r} fallback"
        )
    per_code = np.array(
        [thresholds.get(code, thresholds.get(UNSEEN_POST, np.inf)) for code in index.codes],
        dtype=np.float64,
    )
    refer: np.ndarray = scores >= per_code[index.inverse]
    return refer


def refer_at_capacity(
    scores: np.ndarray, posts: np.ndarray | PostIndex, thresholds: Mapping[str, float]
) -> np.ndarray:
    """Boolean referrals: ``score >= threshold`` of the case's post (``"*"`` for unseen posts)."""
    score_array, index = _checked(scores, posts)
    return _refer(score_array, index, thresholds)


# ----------------------------------------------------------------------------- exact capacity
def tie_keys(case_ids: Any) -> np.ndarray:
    """A deterministic tie-break key per case: a 64-bit hash of its id (pandas' SipHash with a
    fixed key, the same in every process and on every machine). Cases with equal scores are
    ranked by it, so the order is reproducible and independent of file order, and unrelated to
    anything about the person."""
    import pandas as pd

    ids = _vector("case_ids", case_ids).astype(str).astype(object)
    keys: np.ndarray = pd.util.hash_array(ids, categorize=False)
    return keys


def _shares(index: PostIndex, capacity: float | Mapping[str, float], default: float) -> np.ndarray:
    """Each post's capacity share, in the order of ``index.codes``."""
    if isinstance(capacity, Mapping):
        default_share = _capacity("default", default)
        shares = {str(p): _capacity(f"capacity[{p!r}]", c) for p, c in capacity.items()}
        return np.array([shares.get(code, default_share) for code in index.codes])
    return np.full(len(index.codes), _capacity("capacity", capacity))


def refer_exactly(
    scores: np.ndarray,
    posts: np.ndarray | PostIndex,
    capacity: float | Mapping[str, float],
    *,
    keys: np.ndarray,
    default: float = DEFAULT_CAPACITY,
    eligible: np.ndarray | None = None,
    taken: np.ndarray | None = None,
) -> np.ndarray:
    """Referrals that fill each post's capacity exactly: ``floor(capacity * n)`` of its ``n``
    cases, the highest scores first, equal scores ordered by ``keys`` (see :func:`tie_keys`).

    A threshold alone cannot do this when scores tie at the edge (a discrete oracle, a rule
    score): it must refer all tied cases or none, so the share referred misses the capacity.

    ``taken`` (per post, cases already referred by other means, e.g. rules) is subtracted from
    each post's allowance; only ``eligible`` cases (default: all) are chosen from.
    """
    score_array, index = _checked(scores, posts)
    key_array = _vector("keys", keys)
    _same_length(scores=score_array, keys=key_array)
    ok = np.ones(score_array.size, bool) if eligible is None else _labels("eligible", eligible)
    n_codes = len(index.codes)
    sizes = np.bincount(index.inverse, minlength=n_codes)
    allowed = np.floor(_shares(index, capacity, default) * sizes + _ROUNDING_SLACK).astype(np.int64)
    if taken is not None:
        allowed = np.maximum(allowed - np.asarray(taken, dtype=np.int64), 0)
    rows = np.flatnonzero(ok)
    # ascending by post, then score, then key: each post's best cases are at the end of its run
    order = rows[np.lexsort((key_array[rows], score_array[rows], index.inverse[rows]))]
    grouped = index.inverse[order]
    ends = np.searchsorted(grouped, np.arange(n_codes), side="right")
    from_end = ends[grouped] - np.arange(order.size)  # 1 for a post's best case
    refer = np.zeros(score_array.size, dtype=bool)
    refer[order[from_end <= allowed[grouped]]] = True
    return refer


# ----------------------------------------------------------------- rules within capacity
def hard_rule_referrals(
    fired: np.ndarray, codes: list[str], demoted: frozenset[str] | set[str] = frozenset()
) -> np.ndarray:
    """Cases a rule refers on its own: any rule fired that has not been demoted to a model
    feature (see ``training.rule_precision``)."""
    fired = np.asarray(fired, dtype=bool)
    keep = np.array([code not in demoted for code in codes], dtype=bool)
    if fired.ndim != 2 or fired.shape[1] != keep.size:
        raise ValueError(f"fired has shape {fired.shape}; expected (n, {keep.size})")
    if not keep.any():
        return np.zeros(len(fired), dtype=bool)
    return np.asarray(fired[:, keep].any(axis=1), dtype=bool)


def thresholds_after_rules(
    scores: np.ndarray,
    rule_refer: np.ndarray,
    posts: np.ndarray | PostIndex,
    capacity: float | Mapping[str, float],
    default: float = DEFAULT_CAPACITY,
) -> dict[str, float]:
    """Per post, the model's threshold once the rules have taken their share of its capacity.

    A post of ``n`` cases may refer ``floor(capacity * n)``; the rules refer ``r`` first, so the
    model may refer ``floor(capacity * n) - r`` of the ``n - r`` others (none when the rules use
    it all: the threshold is then above 1 and every score seen). Key ``"*"``: the same over all
    posts at ``default``.
    """
    score_array, index = _checked(scores, posts)
    rules = _labels("rule_refer", rule_refer)
    _same_length(scores=score_array, rule_refer=rules)
    if score_array.size == 0:
        raise ValueError("scores is empty: no threshold can be set from no cases")
    shares = _shares(index, capacity, default)
    out: dict[str, float] = {}
    groups = [(code, index.inverse == i, shares[i]) for i, code in enumerate(index.codes)]
    everyone = np.ones(score_array.size, dtype=bool)
    for code, mine, share in [*groups, (UNSEEN_POST, everyone, _capacity("default", default))]:
        n = int(mine.sum())
        ruled = int((mine & rules).sum())
        left = math.floor(share * n + _ROUNDING_SLACK) - ruled
        others = np.sort(score_array[mine & ~rules])
        if left <= 0 or others.size == 0:
            # nothing left: above any probability and every score seen (finite, for JSON)
            top = max(1.0, float(score_array[mine].max())) if n else 1.0
            out[code] = math.nextafter(top, math.inf)
        else:
            out[code] = _threshold_for_share(others, min(left / others.size, 1.0))
    return out


def refer_after_rules(
    scores: np.ndarray,
    rule_refer: np.ndarray,
    posts: np.ndarray | PostIndex,
    thresholds: Mapping[str, float],
) -> np.ndarray:
    """The model's referrals on top of the rules': cases no rule referred whose score reaches
    their post's threshold from :func:`thresholds_after_rules`. Rules first, then the model
    fills what is left, so a post's referrals, rules included, stay within its capacity."""
    score_array, index = _checked(scores, posts)
    rules = _labels("rule_refer", rule_refer)
    _same_length(scores=score_array, rule_refer=rules)
    out: np.ndarray = ~rules & _refer(score_array, index, thresholds)
    return out


def rules_over_capacity(
    rule_refer: np.ndarray,
    posts: np.ndarray | PostIndex,
    capacity: float | Mapping[str, float],
    default: float = DEFAULT_CAPACITY,
) -> dict[str, float]:
    """Per post, the share of its cases the rules alone refer, for posts where it exceeds the
    post's capacity (the model then refers nobody there, and the post cannot keep up)."""
    rules = _labels("rule_refer", rule_refer)
    index = PostIndex.of(posts)
    _same_length(rule_refer=rules, posts=index.inverse)
    sizes = np.bincount(index.inverse, minlength=len(index.codes))
    ruled = np.bincount(index.inverse, weights=rules, minlength=len(index.codes))
    shares = _shares(index, capacity, default)
    return {
        code: float(ruled[i] / sizes[i])
        for i, code in enumerate(index.codes)
        if sizes[i] and ruled[i] / sizes[i] > shares[i] + _ROUNDING_SLACK
    }
