"""Figures render to PNG files; the model card carries every section an auditor looks for."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from matplotlib.figure import Figure

from mizugiwa.training.evaluation import calibration_table, evaluate_at_capacity
from mizugiwa.training.fairness import FairnessReport, age_band, fairness_report
from mizugiwa.training.model_card import render_model_card
from mizugiwa.training.plots import calibration_plot, fairness_plot, pr_curves, recall_capacity_plot

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def scored() -> dict[str, np.ndarray]:
    rng = np.random.default_rng(42)
    n = 20_000
    concern = rng.random(n) < 0.03
    model = np.clip(0.02 + 0.5 * concern * rng.random(n) + 0.1 * rng.random(n), 0, 1)
    oracle = np.clip(0.02 + 0.8 * concern * rng.random(n) + 0.05 * rng.random(n), 0, 1)
    rules = (rng.random(n) < 0.02) | (concern & (rng.random(n) < 0.2))
    return {
        "concern": concern,
        "model": model,
        "oracle": oracle,
        "rules": rules.astype(float),
        "posts": rng.choice(["MNL", "BKK", "HAN"], n),
        "nationality": rng.choice(["PHL", "THA", "VNM", "XXA"], n, p=[0.4, 0.3, 0.295, 0.005]),
        "sex": rng.choice(["F", "M"], n),
        "age": rng.uniform(18, 70, n),
    }


@pytest.fixture(scope="module")
def report(scored: dict[str, np.ndarray]) -> FairnessReport:
    metrics_refer = scored["model"] >= np.quantile(scored["model"], 0.97)
    groups = {
        "nationality": scored["nationality"],
        "sex": scored["sex"],
        "age_band": age_band(scored["age"]),
    }
    return fairness_report(metrics_refer, scored["concern"], groups)


def save(figure: Figure, path: Path) -> bytes:
    figure.savefig(path)
    data = path.read_bytes()
    assert data.startswith(PNG_SIGNATURE)
    assert len(data) > 5_000  # a drawn chart, not an empty canvas
    return data


def test_pr_curves_render(scored: dict[str, np.ndarray], tmp_path: Path) -> None:
    figure = pr_curves(
        {name: (scored["concern"], scored[name]) for name in ("model", "oracle", "rules")},
        capacity_points={"model": (0.4, 0.5)},
    )
    save(figure, tmp_path / "pr.png")
    axes = figure.axes[0]
    legend = axes.get_legend()
    assert legend is not None
    assert [t.get_text() for t in legend.get_texts()][:3] == ["model", "oracle", "rules"]
    # Thinned: at most a few hundred points per curve whatever the number of cases.
    assert all(np.asarray(line.get_xdata()).size <= 501 for line in axes.get_lines())


def test_calibration_plot_renders(scored: dict[str, np.ndarray], tmp_path: Path) -> None:
    tables = {
        "model": calibration_table(scored["concern"], scored["model"], strategy="quantile"),
        "oracle": calibration_table(scored["concern"], scored["oracle"]),
    }
    save(calibration_plot(tables), tmp_path / "calibration.png")


def test_fairness_plot_renders(report: FairnessReport, tmp_path: Path) -> None:
    figure = fairness_plot(report)
    save(figure, tmp_path / "fairness.png")
    assert len(figure.axes) == 3


def test_recall_capacity_plot_renders(scored: dict[str, np.ndarray], tmp_path: Path) -> None:
    figure = recall_capacity_plot(
        scored["concern"],
        {name: scored[name] for name in ("model", "oracle")},
        posts=scored["posts"],
    )
    save(figure, tmp_path / "recall.png")
    recall = figure.axes[0].get_lines()[0].get_ydata()
    assert np.all(np.diff(recall) >= 0)  # more capacity never finds fewer


def test_plots_refuse_empty_input() -> None:
    with pytest.raises(ValueError, match="curves is empty"):
        pr_curves({})
    with pytest.raises(ValueError, match="no positive case"):
        pr_curves({"m": (np.zeros(5, bool), np.arange(5.0))})


def card_for(scored: dict[str, np.ndarray], report: FairnessReport, **changes: object) -> str:
    def metrics(name: str) -> dict[str, float]:
        return evaluate_at_capacity(scored["concern"], scored[name], scored["posts"], 0.03)

    arguments: dict[str, object] = {
        "name": "mizugiwa-screening",
        "version": "7",
        "purpose": "Refers visa applications to a secondary interview within capacity.",
        "data": {"source": "synthetic | seed 42", "train period": "2024-01 to 2024-09"},
        "metrics": {"test period": metrics("model"), "audit sample": metrics("oracle")},
        "baselines": {"oracle": metrics("oracle"), "legacy rules": metrics("rules")},
        "fairness": report,
        "features": ["sponsor_prior_foreign_spouses", "broker_phone_match"],
        "limits": ["Trained on a synthetic world.", "Labels exist only for interviewed cases."],
        "extra": {"git commit": "abc123"},
    }
    arguments.update(changes)
    return render_model_card(**arguments)  # type: ignore[arg-type]


def test_model_card_has_the_key_sections(
    scored: dict[str, np.ndarray], report: FairnessReport
) -> None:
    card = card_for(scored, report)
    for heading in (
        "# Model card: mizugiwa-screening (version 7)",
        "## Intended use",
        "## Data",
        "## Features",
        "## Metrics at capacity",
        "### test period",
        "### audit sample",
        "## Comparison with baselines",
        "## Fairness",
        "### By nationality",
        "## Limits",
        "## Further details",
    ):
        assert f"\n{heading}\n" in f"\n{card}", heading
    assert "never refuses anyone" in card
    assert "| legacy rules |" in card
    assert "`broker_phone_match`" in card
    assert "- Labels exist only for interviewed cases." in card
    assert "| source | synthetic \\| seed 42 |" in card  # a pipe cannot break the table
    assert "\n\n\n" not in card
    gate = "Gate: **PASSED**" if report.passed else "Gate: **FAILED**"
    assert gate in card


def test_model_card_states_fairness_failures(
    scored: dict[str, np.ndarray], report: FairnessReport
) -> None:
    n = scored["concern"].size
    refer = (scored["nationality"] == "PHL") & (np.random.default_rng(1).random(n) < 0.1)
    unfair = fairness_report(refer, scored["concern"], {"nationality": scored["nationality"]})
    card = card_for(scored, report, fairness=unfair)
    assert "Gate: **FAILED**" in card
    assert "- nationality=PHL: false-positive rate" in card


def test_model_card_refuses_protected_features(
    scored: dict[str, np.ndarray], report: FairnessReport
) -> None:
    with pytest.raises(ValueError, match="nationality"):
        card_for(scored, report, features=["broker_phone_match", "nationality"])
