"""The analyst notebooks: committed stripped, and each runs top to bottom on a small world.

The five notebooks share one synthetic world and one sandbox MLflow store (generated once per
session), in the order an analyst reads them: 02 registers the challenger that 03 to 05 reuse.
Each notebook ends with a ``conclusion`` dict; the test reads it back from the kernel and checks
it against what the notebook's own story promises.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import nbformat
import pytest

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
NAMES = [
    "01_world_and_data_quality",
    "02_train_and_compare",
    "03_fairness_audit",
    "04_capacity_and_thresholds",
    "05_drift_and_retraining",
]
SEED, APPLICATIONS, ENTRIES = 7, 20_000, 2_000
MARKER = "CONCLUSION="


def test_every_notebook_is_listed_and_stripped() -> None:
    found = sorted(p.stem for p in NOTEBOOKS.glob("*.ipynb"))
    assert found == NAMES
    readme = (NOTEBOOKS / "README.md").read_text()
    for name in NAMES:
        nb = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
        nbformat.validate(nb)
        code = [cell for cell in nb.cells if cell.cell_type == "code"]
        assert code, f"{name} has no code"
        for cell in code:
            assert cell.outputs == [], f"{name} cell {cell.id} has outputs"
            assert cell.execution_count is None, f"{name} cell {cell.id} has an execution count"
        assert nb.cells[-1].cell_type == "markdown", f"{name} does not end with its conclusion"
        assert f"{name}.ipynb" in readme, f"notebooks/README.md does not list {name}"


def test_committed_notebooks_match_their_build_script() -> None:
    run = subprocess.run(
        [sys.executable, str(NOTEBOOKS / "build.py"), "--check"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 0, run.stderr


@pytest.fixture(scope="session")
def notebook_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """One small world and one sandbox MLflow store for every notebook of the session."""
    from mizugiwa.training.synth import generate_world

    root = tmp_path_factory.mktemp("notebooks")
    world = root / "world"
    generate_world(SEED, APPLICATIONS, ENTRIES, world)
    env = {key: value for key, value in os.environ.items() if not key.startswith("MIZUGIWA_")}
    env |= {
        "MIZUGIWA_NOTEBOOK_WORLD": str(world),
        "MIZUGIWA_NOTEBOOK_MLFLOW": str(root / "mlflow"),
    }
    return env


def _execute(nb: nbformat.NotebookNode, cwd: Path, env: dict[str, str]) -> None:
    from nbclient import NotebookClient

    client = NotebookClient(
        nb, kernel_name="python3", timeout=600, resources={"metadata": {"path": str(cwd)}}
    )
    client.execute(env=env)


def _outputs(nb: nbformat.NotebookNode) -> list[Any]:
    return [out for cell in nb.cells if cell.cell_type == "code" for out in cell.outputs]


@pytest.mark.notebooks
@pytest.mark.slow
def test_kernel_runs_this_interpreter(tmp_path: Path, notebook_env: dict[str, str]) -> None:
    """The ``python3`` kernel is this virtualenv's Python, with the project importable."""
    nb = nbformat.v4.new_notebook()
    nb.cells.append(
        nbformat.v4.new_code_cell("import sys, lightgbm, mizugiwa.training; print(sys.executable)")
    )
    _execute(nb, tmp_path, notebook_env)
    printed = "".join(out.get("text", "") for out in _outputs(nb)).strip()
    assert Path(printed).resolve() == Path(sys.executable).resolve()


def _check_01(c: dict[str, Any]) -> None:
    assert c["applications"] == APPLICATIONS
    assert c["invalid_lines"] == 0
    assert 0 < c["interviewed_share"] < 1
    assert c["audited"] > 0
    assert {"rule", "random_audit"} <= set(c["yield_by_source"])
    low, high = c["audit_prevalence_interval"]
    assert 0 <= low <= high <= 1
    assert c["prevalence"]["truth"] > 0


def _check_02(c: dict[str, Any]) -> None:
    recall = c["recall_at_capacity"]
    assert set(recall) == {"model", "logistic", "rules", "oracle"}
    assert all(0 <= r <= 1 for r in recall.values())
    assert c["basis"] == "truth"
    assert c["model_over_rules"] == pytest.approx(recall["model"] / recall["rules"], abs=1e-3)
    assert c["registered_version"] is not None
    assert c["labelled_training_cases"] > 0
    assert c["best_non_oracle"] in recall


def _check_03(c: dict[str, Any]) -> None:
    assert c["fairness_passed"] == (not c["failures"])
    assert c["gates"]["fairness"] == c["fairness_passed"]
    assert set(c["gates"]) == {"fairness", "not_worse"}
    failing = {failure.split(":")[0] for failure in c["failures"]}
    assert set(c["clearly_outside"]) <= failing


def _check_04(c: dict[str, Any]) -> None:
    assert c["posts_measured"]
    assert all(0 <= r <= 1 for r in c["recall_at_3pct"].values())
    # Per-post thresholds never refer more than the capacity; the global one may.
    assert c["max_referral_share_own_thresholds"] <= 0.03 + 1e-9
    assert c["best_post_for_more_capacity"] in c["posts_measured"]


def _check_05(c: dict[str, Any]) -> None:
    assert c["quarters_after_training"]
    assert c["max_psi_after_training"] >= 0
    assert c["retrain_warranted_from"] in (None, *c["quarters_after_training"])
    assert c["new_labels_since_training"] > 0


CHECKS = {"01": _check_01, "02": _check_02, "03": _check_03, "04": _check_04, "05": _check_05}
MIN_FIGURES = {"01": 4, "02": 3, "03": 2, "04": 2, "05": 3}


@pytest.mark.notebooks
@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_notebook_runs(name: str, tmp_path: Path, notebook_env: dict[str, str]) -> None:
    nb = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
    nb.cells.append(
        nbformat.v4.new_code_cell(
            f"import json\nprint({MARKER!r} + json.dumps(conclusion, default=str))"
        )
    )
    _execute(nb, tmp_path, notebook_env)  # raises CellExecutionError on any failing cell

    outputs = _outputs(nb)
    assert not [out for out in outputs if out.output_type == "error"]
    figures = sum("image/png" in out.get("data", {}) for out in outputs)
    assert figures >= MIN_FIGURES[name[:2]], f"{name} drew {figures} figures"
    printed = [
        line
        for out in outputs
        if out.output_type == "stream"
        for line in out.text.splitlines()
        if line.startswith(MARKER)
    ]
    assert len(printed) == 1
    CHECKS[name[:2]](json.loads(printed[0].removeprefix(MARKER)))
