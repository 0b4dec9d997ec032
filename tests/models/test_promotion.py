"""Promotion gates against a real (temporary) MLflow tracking store and registry."""

from __future__ import annotations

from pathlib import Path

import pytest

from mizugiwa.models.promotion import (
    CHAMPION_METRIC,
    FAIRNESS_METRIC,
    GATE_METRIC,
    TAG_COMPARED_CHAMPION,
    TAG_DATASET,
    TAG_TEST_PERIOD,
    PromotionError,
    promote,
)
from mizugiwa.models.registry import (
    CHALLENGER,
    CHAMPION,
    RegistryError,
    alias_version,
    client,
    get_version,
    mlflow_session,
    register,
)
from mizugiwa.settings import Settings

pytestmark = pytest.mark.slow  # creating an MLflow store takes seconds


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One MLflow store for the module (creating its tables is the slow part)."""
    return tmp_path_factory.mktemp("mlflow")


@pytest.fixture()
def settings(store: Path, request: pytest.FixtureRequest) -> Settings:
    """Each test registers its own model name in the shared store."""
    return Settings(
        environment="test",
        mlflow_tracking_uri=f"sqlite:///{store}/mlflow.db",
        mlflow_artifact_root=(store / "artifacts").as_uri(),
        registered_model_name=f"model-{request.node.name}"[:60],
    )


def _version(
    settings: Settings,
    *,
    recall: float,
    fair: bool = True,
    compared: tuple[str, float] | None = None,
    period: str = "2024-01-01..2024-06-30",
) -> str:
    """A training run with the gate metrics, registered as a new version (alias challenger)."""
    c = client(settings)
    with mlflow_session(settings) as experiment_id:
        run = c.create_run(experiment_id)
    run_id = run.info.run_id
    c.log_metric(run_id, GATE_METRIC, recall)
    c.log_metric(run_id, FAIRNESS_METRIC, 1.0 if fair else 0.0)
    c.set_tag(run_id, TAG_TEST_PERIOD, period)
    c.set_tag(run_id, TAG_DATASET, "digest-1")
    if compared is not None:
        c.set_tag(run_id, TAG_COMPARED_CHAMPION, compared[0])
        c.log_metric(run_id, CHAMPION_METRIC, compared[1])
    c.set_terminated(run_id)
    version = register(f"runs:/{run_id}/model", run_id=run_id, settings=settings)
    return str(version.version)


def test_first_fair_version_becomes_champion(settings: Settings) -> None:
    assert alias_version(CHAMPION, settings=settings) is None
    v1 = _version(settings, recall=0.5)
    assert alias_version(CHALLENGER, settings=settings) == v1
    result = promote(v1, settings=settings)
    assert result.promoted and not result.forced and result.gates_passed
    assert alias_version(CHAMPION, settings=settings) == v1
    with pytest.raises(PromotionError, match="already the champion"):
        promote(v1, settings=settings)


def test_worse_than_champion_on_same_period_is_refused(settings: Settings) -> None:
    v1 = _version(settings, recall=0.6)
    promote(v1, settings=settings)
    worse = _version(settings, recall=0.55, compared=(v1, 0.6))
    result = promote(worse, settings=settings)
    assert not result.promoted
    gate = {g.name: g for g in result.gates}["not_worse"]
    assert not gate.passed and "worse than 0.6000" in gate.detail
    assert alias_version(CHAMPION, settings=settings) == v1
    better = _version(settings, recall=0.62, compared=(v1, 0.6))
    assert promote(better, settings=settings).promoted
    assert alias_version(CHAMPION, settings=settings) == better


def test_champion_own_run_counts_only_on_same_period(settings: Settings) -> None:
    v1 = _version(settings, recall=0.6)
    promote(v1, settings=settings)
    same = _version(settings, recall=0.61)  # same test period and data as v1's run
    assert promote(same, settings=settings).promoted
    other = _version(settings, recall=0.9, period="2025-01-01..2025-06-30")
    result = promote(other, settings=settings)
    assert not result.promoted
    assert "not evaluated on this run's test period" in result.gates[1].detail


def test_unfair_version_is_refused_and_force_records_the_reason(settings: Settings) -> None:
    v1 = _version(settings, recall=0.7, fair=False)
    result = promote(v1, settings=settings)
    assert not result.promoted
    assert not {g.name: g for g in result.gates}["fairness"].passed
    assert alias_version(CHAMPION, settings=settings) is None
    with pytest.raises(PromotionError, match="needs --reason"):
        promote(v1, force=True, settings=settings)
    with pytest.raises(PromotionError, match="needs --reason"):
        promote(v1, force=True, reason="   ", settings=settings)
    forced = promote(v1, force=True, reason="pilot at one post, reviewed", settings=settings)
    assert forced.promoted and forced.forced
    mv = get_version(v1, settings=settings)
    assert mv.tags["promotion.forced"] == "true"
    assert mv.tags["promotion.reason"] == "pilot at one post, reviewed"
    assert "fairness" in mv.tags["promotion.failed_gates"]
    assert "pilot at one post, reviewed" in (mv.description or "")
    assert alias_version(CHAMPION, settings=settings) == v1


def test_unknown_version_is_a_clear_error(settings: Settings) -> None:
    _version(settings, recall=0.5)
    with pytest.raises(RegistryError, match="no version '42'"):
        promote("42", settings=settings)
