"""Metrics at capacity, calibration and comparisons on cases computed by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest
from sklearn.metrics import average_precision_score, brier_score_loss

from mizugiwa.training.evaluation import calibration_table, compare, evaluate_at_capacity

# Ten cases at one post, capacity 30%: the top three (scores 0.9, 0.8, 0.7) are referred.
SCORES = np.array([0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0.05])
LABELS = np.array([1, 0, 1, 1, 0, 0, 0, 0, 0, 1], dtype=bool)
POSTS = np.full(10, "MNL")


def test_recall_and_precision_at_capacity_by_hand() -> None:
    metrics = evaluate_at_capacity(LABELS, SCORES, POSTS, 0.3)
    assert metrics["referral_rate"] == pytest.approx(0.3)
    assert metrics["recall_at_capacity"] == pytest.approx(2 / 4)  # 2 of the 4 concerns referred
    assert metrics["precision_at_capacity"] == pytest.approx(2 / 3)
    assert metrics["n"] == 10
    assert metrics["positives"] == 4
    # Average precision by hand: hits at ranks 1, 3, 4, 10.
    assert metrics["pr_auc"] == pytest.approx((1 / 1 + 2 / 3 + 3 / 4 + 4 / 10) / 4)
    assert metrics["brier"] == pytest.approx(brier_score_loss(LABELS, SCORES))


def test_weights_reweight_the_labelled_sample() -> None:
    # The concern ranked 10th comes from the audit sample and stands for 5 such cases.
    weights = np.array([1, 1, 1, 1, 1, 1, 1, 1, 1, 5], dtype=float)
    thresholds = {"*": 0.7}
    plain = evaluate_at_capacity(LABELS, SCORES, POSTS, 0.3, thresholds=thresholds)
    weighted = evaluate_at_capacity(
        LABELS, SCORES, POSTS, 0.3, thresholds=thresholds, weights=weights
    )
    assert plain["recall_at_capacity"] == pytest.approx(2 / 4)
    assert weighted["recall_at_capacity"] == pytest.approx(2 / 8)  # missed weight grows to 6
    assert weighted["precision_at_capacity"] == pytest.approx(2 / 3)  # referred cases unchanged
    assert weighted["referral_rate"] == pytest.approx(3 / 14)
    assert weighted["pr_auc"] == pytest.approx(
        average_precision_score(LABELS, SCORES, sample_weight=weights)
    )
    assert weighted["pr_auc"] < plain["pr_auc"]


def test_given_thresholds_are_used_instead_of_the_sample_quantile() -> None:
    metrics = evaluate_at_capacity(LABELS, SCORES, POSTS, 0.3, thresholds={"MNL": 0.55})
    assert metrics["referral_rate"] == pytest.approx(0.4)
    assert metrics["recall_at_capacity"] == pytest.approx(3 / 4)


def test_scores_that_are_not_probabilities_get_no_brier() -> None:
    metrics = evaluate_at_capacity(LABELS, SCORES * 10, POSTS, 0.3)
    assert "brier" not in metrics
    assert metrics["recall_at_capacity"] == pytest.approx(0.5)


def test_a_sample_without_concerns_has_undefined_recall() -> None:
    metrics = evaluate_at_capacity(np.zeros(10, bool), SCORES, POSTS, 0.3)
    assert math.isnan(metrics["recall_at_capacity"])
    assert math.isnan(metrics["pr_auc"])
    assert metrics["precision_at_capacity"] == 0.0


def test_labels_must_be_binary() -> None:
    with pytest.raises(ValueError, match=r"y_true\[0\]"):
        evaluate_at_capacity(np.full(10, 2), SCORES, POSTS, 0.3)
    with pytest.raises(ValueError, match="weights"):
        evaluate_at_capacity(LABELS, SCORES, POSTS, 0.3, weights=-np.ones(10))


def test_calibration_table_by_hand() -> None:
    prob = np.array([0.05, 0.15, 0.15, 0.85, 0.95])
    labels = np.array([0, 0, 1, 1, 1], dtype=bool)
    table = calibration_table(labels, prob, n_bins=2)
    assert [row["bin"] for row in table] == [0, 1]
    assert table[0]["n"] == 3
    assert table[0]["mean_pred"] == pytest.approx(0.35 / 3)
    assert table[0]["frac_pos"] == pytest.approx(1 / 3)
    assert table[1]["frac_pos"] == 1.0
    weighted = calibration_table(labels, prob, n_bins=2, weights=np.array([2, 1, 1, 1, 1.0]))
    assert weighted[0]["frac_pos"] == pytest.approx(1 / 4)
    assert weighted[0]["n"] == 3


def test_calibration_quantile_bins_hold_similar_counts() -> None:
    rng = np.random.default_rng(7)
    prob = rng.beta(0.5, 20, size=5000)
    labels = rng.random(5000) < prob
    table = calibration_table(labels, prob, n_bins=5, strategy="quantile")
    assert len(table) == 5
    assert all(900 <= row["n"] <= 1100 for row in table)
    # Well calibrated by construction: observed follows predicted in the top bin.
    assert table[-1]["frac_pos"] == pytest.approx(table[-1]["mean_pred"], abs=0.03)


def test_compare_gives_ratios_and_nan_against_zero() -> None:
    model = {"recall_at_capacity": 0.45, "pr_auc": 0.30}
    ratios = compare(model, {"recall_at_capacity": 0.5, "pr_auc": 0.0})
    assert ratios["recall_at_capacity"] == pytest.approx(0.9)
    assert math.isnan(ratios["pr_auc"])
    with pytest.raises(KeyError, match="brier"):
        compare(model, model, keys=("brier",))
