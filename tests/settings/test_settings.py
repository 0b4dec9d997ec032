"""Settings refuse what would be unsafe or meaningless."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from mizugiwa.settings import DEV_SECRET, Settings


def test_local_defaults_are_embedded_stores() -> None:
    settings = Settings(_env_file=None)
    assert settings.database_url.startswith("sqlite:///")
    assert settings.mlflow_tracking_uri.startswith("sqlite:///")
    assert settings.capacity_for("MNL") == pytest.approx(0.03)


def test_the_development_secret_is_refused_in_production() -> None:
    with pytest.raises(ValidationError, match="MIZUGIWA_SECRET_KEY must be set"):
        Settings(_env_file=None, environment="production", secret_key=DEV_SECRET)
    ok = Settings(_env_file=None, environment="production", secret_key="x" * 40)
    assert ok.environment == "production"


def test_fairness_bounds_must_straddle_one() -> None:
    with pytest.raises(ValidationError, match="FAIRNESS_FPR_RATIO_BOUNDS"):
        Settings(_env_file=None, fairness_fpr_ratio_bounds=(1.1, 1.25))


def test_environment_variables_configure_per_post_capacity(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("MIZUGIWA_POST_CAPACITY", '{"MNL": 0.05}')
    settings = Settings(_env_file=None)
    assert settings.capacity_for("MNL") == pytest.approx(0.05)
    assert settings.capacity_for("BKK") == pytest.approx(0.03)
