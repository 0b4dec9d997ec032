"""Evaluation figures: precision-recall, calibration, fairness and recall by capacity.

Each function builds and returns a ``matplotlib.figure.Figure`` without pyplot, so nothing is
kept in global state and no display is needed (the Agg canvas renders PNG). Save with
``fig.savefig(path)`` or ``mlflow.log_figure(fig, "name.png")``. Curves are thinned to a few
hundred points so a million cases plot as fast as a thousand.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from sklearn.metrics import precision_recall_curve

from mizugiwa.training.evaluation import (
    PostIndex,
    _labels,
    _same_length,
    _scores,
    recall_by_capacity,
)
from mizugiwa.training.fairness import FairnessReport

DEFAULT_CAPACITIES = (0.005, 0.01, 0.02, 0.03, 0.05, 0.075, 0.1, 0.15, 0.2)
_MAX_CURVE_POINTS = 500


def _figure(width: float = 6.4, height: float = 4.8) -> Figure:
    figure = Figure(figsize=(width, height), layout="constrained")
    FigureCanvasAgg(figure)
    return figure


def _thin(*arrays: np.ndarray) -> tuple[np.ndarray, ...]:
    size = arrays[0].size
    if size <= _MAX_CURVE_POINTS:
        return arrays
    keep = np.unique(np.linspace(0, size - 1, _MAX_CURVE_POINTS).astype(np.int64))
    return tuple(array[keep] for array in arrays)


def pr_curves(
    curves: Mapping[str, tuple[np.ndarray, np.ndarray]],
    *,
    capacity_points: Mapping[str, tuple[float, float]] | None = None,
    weights: Mapping[str, np.ndarray] | None = None,
    title: str = "Precision-recall",
) -> Figure:
    """Precision-recall curves, one per name -> ``(y_true, scores)``.

    ``capacity_points`` maps a name to its ``(recall, precision)`` at capacity, drawn as a marker
    on its curve; ``weights`` maps a name to inverse-propensity weights for its cases.
    """
    if not curves:
        raise ValueError("curves is empty: give at least one name -> (y_true, scores)")
    figure = _figure()
    axes = figure.add_subplot()
    for name, (y_true, scores) in curves.items():
        labels = _labels(f"curves[{name!r}] y_true", y_true)
        values = _scores(f"curves[{name!r}] scores", scores)
        _same_length(y_true=labels, scores=values)
        if not labels.any():
            raise ValueError(f"curves[{name!r}] has no positive case: no curve to draw")
        precision, recall, _ = precision_recall_curve(
            labels, values, sample_weight=None if weights is None else weights.get(name)
        )
        recall, precision = _thin(recall, precision)
        (line,) = axes.step(recall, precision, where="post", label=name)
        if capacity_points and name in capacity_points:
            point_recall, point_precision = capacity_points[name]
            axes.plot([point_recall], [point_precision], "o", color=line.get_color(), markersize=7)
    if capacity_points:
        axes.plot([], [], "o", color="grey", label="at capacity")
    axes.set(xlabel="Recall", ylabel="Precision", xlim=(0, 1), ylim=(0, 1.02), title=title)
    axes.grid(alpha=0.3)
    axes.legend(loc="upper right")
    return figure


def calibration_plot(
    tables: Mapping[str, Sequence[Mapping[str, float]]], *, title: str = "Calibration"
) -> Figure:
    """Reliability diagram from :func:`training.evaluation.calibration_table` outputs.

    Both axes are logarithmic when every predicted mean is small, since concerns are rare.
    """
    if not tables:
        raise ValueError("tables is empty: give at least one name -> calibration table")
    figure = _figure()
    axes = figure.add_subplot()
    largest = 0.0
    for name, rows in tables.items():
        if not rows:
            continue
        predicted = np.array([row["mean_pred"] for row in rows])
        observed = np.array([row["frac_pos"] for row in rows])
        sizes = np.array([row["n"] for row in rows], dtype=np.float64)
        largest = max(largest, float(predicted.max()), float(observed.max()))
        (line,) = axes.plot(predicted, observed, "-", label=name, alpha=0.8)
        # Marker area grows with the bin's count: sparse bins are visibly less certain.
        axes.scatter(
            predicted, observed, s=10 + 40 * sizes / sizes.max(), color=line.get_color(), alpha=0.8
        )
    top = min(1.0, max(largest * 1.1, 1e-3))
    axes.plot([0, top], [0, top], ":", color="grey", label="perfectly calibrated")
    axes.set(
        xlabel="Mean predicted probability",
        ylabel="Observed share with a concern",
        xlim=(0, top * 1.02),
        ylim=(0, top * 1.02),
        title=title,
    )
    axes.grid(alpha=0.3)
    axes.legend(loc="upper left")
    return figure


def fairness_plot(report: FairnessReport) -> Figure:
    """False-positive-rate ratio per measurable group, one panel per attribute.

    The shaded band is the gate's allowed range; red bars fail it. Groups too small to measure
    are named under each panel instead of drawn.
    """
    attributes = list(report.tables)
    if not attributes:
        raise ValueError("report has no tables: nothing to plot")
    heights = [
        max(1.5, 0.3 * sum(row.measurable for row in report.tables[a]) + 1.2) for a in attributes
    ]
    figure = _figure(7.0, sum(heights))
    panels = figure.subplots(len(attributes), 1, squeeze=False, height_ratios=heights)[:, 0]
    low, high = report.bounds
    for axes, attribute in zip(panels, attributes, strict=True):
        rows = [row for row in report.tables[attribute] if row.measurable]
        small = [row.group for row in report.tables[attribute] if not row.measurable]
        ratios = np.array([row.fpr_ratio if row.fpr_ratio is not None else 0.0 for row in rows])
        colours = ["#c0392b" if row.status == "over-burdened" else "#2e86c1" for row in rows]
        positions = np.arange(len(rows))
        axes.barh(positions, ratios, color=colours)
        axes.set_yticks(positions, [row.group for row in rows])
        axes.invert_yaxis()
        axes.axvspan(low, high, color="#27ae60", alpha=0.15, label="allowed")
        axes.axvline(1.0, color="grey", linewidth=0.8)
        right = max(high * 1.2, float(ratios.max()) * 1.1 if ratios.size else 0.0)
        axes.set_xlim(0, right)
        axes.set_title(f"False-positive-rate ratio by {attribute}", fontsize=10)
        if small:
            shown = ", ".join(small[:8]) + (" ..." if len(small) > 8 else "")
            axes.set_xlabel(f"too small to measure: {shown}", fontsize=8, color="#777777")
    figure.suptitle("Fairness gate: " + ("passed" if report.passed else "FAILED"))
    return figure


def recall_capacity_plot(
    y_true: np.ndarray,
    scores_by_name: Mapping[str, np.ndarray],
    capacities: Sequence[float] = DEFAULT_CAPACITIES,
    *,
    posts: np.ndarray | PostIndex | None = None,
    weights: np.ndarray | None = None,
    marked_capacity: float | None = 0.03,
) -> Figure:
    """Recall when each post refers its top ``capacity`` share, for each scorer.

    Without ``posts`` all cases form one pool. ``marked_capacity`` draws the operating capacity.
    """
    if not scores_by_name:
        raise ValueError("scores_by_name is empty: give at least one name -> scores")
    labels = _labels("y_true", y_true)
    pool = PostIndex.of(np.zeros(labels.size, dtype=np.int8) if posts is None else posts)
    shares = sorted(float(c) for c in capacities)
    figure = _figure()
    axes = figure.add_subplot()
    for name, scores in scores_by_name.items():
        values = _scores(f"scores_by_name[{name!r}]", scores)
        recalls = recall_by_capacity(labels, values, pool, shares, weights=weights)
        axes.plot(np.array(shares) * 100, recalls, "o-", label=name, markersize=4)
    if marked_capacity is not None:
        axes.axvline(marked_capacity * 100, color="grey", linestyle=":", label="capacity")
    axes.set(
        xlabel="Interview capacity (% of cases referred)",
        ylabel="Recall",
        ylim=(0, 1.02),
        title="Recall at capacity",
    )
    axes.grid(alpha=0.3)
    axes.legend(loc="lower right")
    return figure
