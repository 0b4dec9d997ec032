"""Evaluation at interview capacity: thresholds, referrals and metrics, vectorised with numpy.

A post can interview only a share of its cases (its *capacity*, 3% by default), so a model is
judged by what it finds within that share: recall and precision *at capacity*, next to the
threshold-free PR-AUC and, for probabilities, the Brier score and a calibration table.

Outcomes exist only for interviewed cases (selective labels). Metrics on a labelled subset take
inverse-propensity ``weights`` (e.g. 1 for every referred case, ``1 / audit_rate`` for the random
audit sample) so that they estimate the population's figures. Thresholds must then come from the
scores of *all* cases, since capacity is a share of all cases: compute them with
:func:`thresholds_for_capacity` on the whole period and pass them as ``thresholds``.

Functions that take ``posts`` also take a :class:`PostIndex`, the posts factorised once, which
saves most of the cost when the same cases are cut at several capacities or by several scorers.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from sklearn.metrics import average_precision_score

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


def recall_by_capacity(
    y_true: np.ndarray,
    scores: np.ndarray,
    posts: np.ndarray | PostIndex,
    capacities: Sequence[float],
    *,
    weights: np.ndarray | None = None,
) -> list[float]:
    """Recall at each capacity (one share for every post), sorting the scores only once."""
    labels = _labels("y_true", y_true)
    score_array, index = _checked(scores, posts)
    _same_length(y_true=labels, scores=score_array)
    w = _weights(weights, labels.size)
    positive = float(w[labels].sum())
    if positive <= 0:
        raise ValueError("y_true has no positive case: recall is undefined")
    cut = _ScoresByPost.of(score_array, index)
    recalls = []
    for share in capacities:
        refer = _refer(score_array, index, cut.thresholds(share, share))
        recalls.append(float(w[labels & refer].sum()) / positive)
    return recalls


def _ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator > 0 else float("nan")


def evaluate_at_capacity(
    y_true: np.ndarray,
    scores: np.ndarray,
    posts: np.ndarray | PostIndex,
    capacity: float | Mapping[str, float],
    *,
    weights: np.ndarray | None = None,
    thresholds: Mapping[str, float] | None = None,
    default: float = DEFAULT_CAPACITY,
    probabilities: bool | None = None,
) -> dict[str, float]:
    """Metrics of a score at interview capacity.

    Returns ``pr_auc`` (average precision), ``recall_at_capacity``, ``precision_at_capacity``,
    ``referral_rate``, ``n`` and ``positives`` (unweighted counts), and ``brier`` when the scores
    are probabilities (``probabilities=None`` decides from their range). With ``weights`` every
    rate is weighted (inverse-propensity weights for selective labels). ``thresholds`` default to
    those that fit ``capacity`` on these very scores; pass thresholds computed on all cases when
    ``y_true`` covers only the labelled ones. A rate whose denominator is empty is NaN.
    """
    labels = _labels("y_true", y_true)
    score_array, index = _checked(scores, posts)
    n = _same_length(y_true=labels, scores=score_array)
    if n == 0:
        raise ValueError("y_true is empty: nothing to evaluate")
    w = _weights(weights, n)
    if thresholds is None:
        thresholds = _ScoresByPost.of(score_array, index).thresholds(capacity, default)
    refer = _refer(score_array, index, thresholds)

    positive_weight = float(w[labels].sum())
    referred_weight = float(w[refer].sum())
    caught_weight = float(w[refer & labels].sum())
    positives = int(labels.sum())
    if 0 < positives < n and float(w.sum()) > 0:
        pr_auc = float(average_precision_score(labels, score_array, sample_weight=w))
    else:
        pr_auc = float("nan")  # undefined without both classes
    metrics = {
        "pr_auc": pr_auc,
        "recall_at_capacity": _ratio(caught_weight, positive_weight),
        "precision_at_capacity": _ratio(caught_weight, referred_weight),
        "referral_rate": _ratio(referred_weight, float(w.sum())),
        "n": float(n),
        "positives": float(positives),
    }
    is_probability = (
        bool(score_array.min() >= 0.0 and score_array.max() <= 1.0)
        if probabilities is None
        else probabilities
    )
    if is_probability:
        metrics["brier"] = _ratio(float((w * (score_array - labels) ** 2).sum()), float(w.sum()))
    return metrics


def calibration_table(
    y_true: np.ndarray,
    prob: np.ndarray,
    *,
    n_bins: int = 10,
    weights: np.ndarray | None = None,
    strategy: Literal["uniform", "quantile"] = "uniform",
) -> list[dict[str, float]]:
    """Predicted against observed, by bin of predicted probability; empty bins are left out.

    Each row: ``bin`` (index), ``lower``/``upper`` edges, ``mean_pred``, ``frac_pos`` (both
    weighted when ``weights`` are given), ``n`` (cases in the bin) and ``weight`` (their weight).
    ``strategy="quantile"`` uses equal-count bins, better when probabilities are mostly tiny.
    """
    labels = _labels("y_true", y_true)
    p = _scores("prob", prob)
    n = _same_length(y_true=labels, prob=p)
    if n_bins < 1:
        raise ValueError(f"n_bins is {n_bins}; it must be at least 1")
    if n and (p.min() < 0 or p.max() > 1):
        raise ValueError("prob must be probabilities in [0, 1]")
    w = _weights(weights, n)
    if strategy == "uniform":
        edges = np.linspace(0.0, 1.0, n_bins + 1)
    elif strategy == "quantile":
        edges = np.unique(np.quantile(p, np.linspace(0.0, 1.0, n_bins + 1))) if n else np.zeros(1)
    else:
        raise ValueError(f"strategy is {strategy!r}; use 'uniform' or 'quantile'")
    bins = np.clip(np.searchsorted(edges, p, side="right") - 1, 0, max(edges.size - 2, 0))
    size = max(edges.size - 1, 1)
    count = np.bincount(bins, minlength=size)
    weight = np.bincount(bins, weights=w, minlength=size)
    pred = np.bincount(bins, weights=w * p, minlength=size)
    pos = np.bincount(bins, weights=w * labels, minlength=size)
    rows = []
    last_edge = edges.size - 1
    for b in np.flatnonzero((count > 0) & (weight > 0)).tolist():
        rows.append(
            {
                "bin": int(b),
                "lower": float(edges[b]),
                "upper": float(edges[min(b + 1, last_edge)]),
                "mean_pred": float(pred[b] / weight[b]),
                "frac_pos": float(pos[b] / weight[b]),
                "n": int(count[b]),
                "weight": float(weight[b]),
            }
        )
    return rows


def compare(
    model: Mapping[str, float],
    other: Mapping[str, float],
    keys: Sequence[str] = ("recall_at_capacity", "pr_auc"),
) -> dict[str, float]:
    """Ratios ``model[key] / other[key]`` per key (NaN when the other's value is 0 or NaN).

    ``compare(model, oracle)["recall_at_capacity"] >= 0.9`` reads "within 90% of the oracle".
    """
    missing = [key for key in keys if key not in model or key not in other]
    if missing:
        raise KeyError(f"metrics missing from one side of the comparison: {missing}")
    ratios = {}
    for key in keys:
        denominator = float(other[key])
        ratios[key] = (
            float(model[key]) / denominator
            if denominator and math.isfinite(denominator)
            else float("nan")
        )
    return ratios
