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
from typing import Literal

import numpy as np
from sklearn.metrics import average_precision_score

from mizugiwa.models.capacity import (  # re-exported: evaluation cuts scores the same way
    DEFAULT_CAPACITY,
    UNSEEN_POST,
    PostIndex,
    _checked,
    _labels,
    _refer,
    _same_length,
    _scores,
    _ScoresByPost,
    _weights,
    refer_at_capacity,
    refer_exactly,
    thresholds_for_capacity,
    tie_keys,
)

__all__ = [
    "DEFAULT_CAPACITY",
    "UNSEEN_POST",
    "PostIndex",
    "refer_at_capacity",
    "refer_exactly",
    "thresholds_for_capacity",
    "tie_keys",
]


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
    refer: np.ndarray | None = None,
) -> dict[str, float]:
    """Metrics of a score at interview capacity.

    Returns ``pr_auc`` (average precision), ``recall_at_capacity``, ``precision_at_capacity``,
    ``referral_rate``, ``n`` and ``positives`` (unweighted counts), and ``brier`` when the scores
    are probabilities (``probabilities=None`` decides from their range). With ``weights`` every
    rate is weighted (inverse-propensity weights for selective labels). ``thresholds`` default to
    those that fit ``capacity`` on these very scores; pass thresholds computed on all cases when
    ``y_true`` covers only the labelled ones. ``refer`` (the referrals of these cases, e.g. from
    :func:`refer_exactly` on all cases of the period) replaces thresholds altogether. A rate
    whose denominator is empty is NaN.
    """
    labels = _labels("y_true", y_true)
    score_array, index = _checked(scores, posts)
    n = _same_length(y_true=labels, scores=score_array)
    if n == 0:
        raise ValueError("y_true is empty: nothing to evaluate")
    w = _weights(weights, n)
    if refer is not None:
        refer = _labels("refer", refer)
        _same_length(y_true=labels, refer=refer)
    else:
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
