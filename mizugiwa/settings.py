"""Settings: one typed class, read from ``MIZUGIWA_*`` environment variables (or ``.env``).

Defaults are the embedded, single-machine set-up (SQLite and a local MLflow store under
``var/``). Outside ``environment=local`` the class refuses the development secret, so a
deployment cannot start with a key that is published in this repository.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parent.parent
DEV_SECRET = "mizugiwa-local-development-secret-do-not-deploy"


def _var(*parts: str) -> Path:
    return REPO_ROOT.joinpath("var", *parts)


class Settings(BaseSettings):
    """Everything an operator can configure; each field is ``MIZUGIWA_<NAME>``."""

    model_config = SettingsConfigDict(
        env_prefix="MIZUGIWA_", env_file=".env", extra="ignore", frozen=True
    )

    environment: Literal["local", "test", "staging", "production"] = "local"
    database_url: str = Field(
        default_factory=lambda: f"sqlite:///{_var('mizugiwa.sqlite3')}",
        description="SQLAlchemy URL of the trafficking database and service tables.",
    )
    mlflow_tracking_uri: str = Field(
        default_factory=lambda: f"sqlite:///{_var('mlflow.sqlite3')}",
        description="MLflow tracking store (a local SQLite store by default, or a server URL).",
    )
    mlflow_registry_uri: str | None = Field(
        default=None, description="MLflow model registry; the tracking URI when unset."
    )
    mlflow_artifact_root: str = Field(
        default_factory=lambda: _var("mlruns").as_uri(),
        description="Where new MLflow experiments keep artifacts.",
    )
    mlflow_ui_url: str = Field(
        default="http://127.0.0.1:5000",
        description="Where analysts open the MLflow UI (`mlflow ui` on the tracking store).",
    )
    experiment_name: str = "mizugiwa"
    registered_model_name: str = "mizugiwa-screening"
    secret_key: str = Field(
        default=DEV_SECRET,
        description="Key for session cookies and log pseudonyms; must be set outside local use.",
    )
    default_interview_capacity: float = Field(
        default=0.03, gt=0, le=1, description="Share of a post's cases it can interview."
    )
    post_capacity: dict[str, float] = Field(
        default_factory=dict, description='Per-post capacity overrides, e.g. {"MNL": 0.05}.'
    )
    threshold_window: int = Field(
        default=5_000,
        ge=1,
        description="Recent cases per post whose risks set its live threshold (rolling window).",
    )
    threshold_min_cases: int = Field(
        default=500,
        ge=1,
        description="Cases a post's window needs before its live threshold replaces training's.",
    )
    fairness_fpr_ratio_bounds: tuple[float, float] = (0.8, 1.25)
    fairness_min_group_size: int = Field(default=200, ge=1)
    fairness_gate: Literal["interval", "point"] = Field(
        default="interval",
        description="Fail a group when its whole 95% interval is outside the bounds, or when "
        "its point estimate is.",
    )
    host: str = "127.0.0.1"
    port: int = 8000
    max_body_bytes: int = Field(default=256 * 1024, gt=0)
    model_reload_seconds: float = Field(default=30.0, gt=0)
    model_cache_dir: Path = Field(
        default_factory=lambda: _var("model-cache"),
        description="Where the service keeps the last champion it loaded (served when the "
        "registry is unreachable at start); must be writable by the service.",
    )
    decision_spool_path: Path = Field(
        default_factory=lambda: _var("decision-log.spool.jsonl"),
        description="Local file for decisions made while the database is unreachable; chained "
        "into the decision log when it answers again. Must be writable and survive restarts.",
    )
    audit_key: str | None = Field(
        default=None,
        description="HMAC key of the decision log's hash chain (the secret key when unset). "
        "Whoever holds it can rebuild the chain: keep it from those who can write the database.",
    )
    audit_checkpoint_path: Path | None = Field(
        default_factory=lambda: _var("decision-log.checkpoint.json"),
        description="File, outside the database, where the service records the head of the "
        "decision log after each append, for `mizugiwa audit verify --checkpoint`.",
    )
    registry_timeout_seconds: float = Field(
        default=3.0,
        gt=0,
        description="Bound on one model-registry call at start and on reload; past it the "
        "cached champion serves and the registry is retried in the background.",
    )
    startup_wait_seconds: float = Field(
        default=2.0,
        ge=0,
        description="How long start-up may hold the port closed; what is not loaded by then "
        "(the network history of a large store, the registry) loads in the background while "
        "/readyz answers 503.",
    )
    log_level: str = "INFO"
    log_json: bool = False
    lookback_horizon_years: float = Field(
        default=5.0,
        gt=0,
        le=30,
        description="How far before a new fact a look-back searches stored cases, in years.",
    )

    @model_validator(mode="after")
    def _refuse_unsafe_defaults(self) -> Settings:
        if self.environment not in ("local", "test") and self.secret_key == DEV_SECRET:
            raise ValueError(
                "MIZUGIWA_SECRET_KEY must be set: the development secret is refused "
                f"when MIZUGIWA_ENVIRONMENT={self.environment}"
            )
        low, high = self.fairness_fpr_ratio_bounds
        if not 0 < low <= 1 <= high:
            raise ValueError(
                "MIZUGIWA_FAIRNESS_FPR_RATIO_BOUNDS must be [low, high] with 0 < low <= 1 <= high,"
                f" got {list(self.fairness_fpr_ratio_bounds)}"
            )
        if self.environment not in ("local", "test") and len(self.secret_key) < 32:
            raise ValueError("MIZUGIWA_SECRET_KEY must be at least 32 characters")
        return self

    def capacity_for(self, post_code: str) -> float:
        """Share of cases the post can interview (``post_capacity`` or the default)."""
        return self.post_capacity.get(post_code, self.default_interview_capacity)

    @property
    def hmac_key(self) -> bytes:
        """The key of the decision log's chain."""
        return (self.audit_key or self.secret_key).encode("utf-8")

    @property
    def var_dir(self) -> Path:
        """Folder for embedded stores; created on first use."""
        path = _var()
        path.mkdir(parents=True, exist_ok=True)
        return path


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process's settings, read once. Tests build ``Settings(...)`` directly instead."""
    return Settings()
