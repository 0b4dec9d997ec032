"""A registered champion without a training run: small LightGBM models on seeded random
features for every registered kind, logged as the MLflow pyfunc exactly as training logs it.

Its reference panels put every threshold just above zero, so every case is referred and carries
its reasons: what the tests compare across ways of scoring.
"""

from __future__ import annotations

import pickle
from pathlib import Path

import lightgbm as lgb
import mlflow
import mlflow.pyfunc
import numpy as np

from mizugiwa.features.contract import ModelInfo
from mizugiwa.features.fingerprint import running_fingerprint
from mizugiwa.features.kinds import kinds
from mizugiwa.models import pyfunc
from mizugiwa.models.registry import CHAMPION, SCORER_ARTIFACT, mlflow_session, register, set_alias
from mizugiwa.models.scorer import CalibratedModel, FeatureSpec, ModelSlot, ReferencePanel, Scorer
from mizugiwa.settings import Settings


def _model(names: list[str], seed: int) -> CalibratedModel:
    """A model that leans on the sponsor's cross-post count where the kind has it, so the
    network history moves the probabilities."""
    rng = np.random.default_rng(seed)
    n_features = len(names)
    x = rng.random((400, n_features), dtype=np.float32) * 2
    j = names.index("sponsor_other_posts") if "sponsor_other_posts" in names else -1
    y = (x[:, 0] + x[:, j] > 2.0).astype(float)
    params = {"objective": "binary", "verbosity": -1, "seed": seed, "num_threads": 1}
    booster = lgb.train(params, lgb.Dataset(x, label=y), num_boost_round=10)
    return CalibratedModel(booster, 1.0, 0.0, np.full(n_features, 1.0 / n_features))


def toy_scorer(seed: int = 0) -> Scorer:
    """A scorer with a slot for every registered kind (models for each kind's concerns)."""
    reference = ReferencePanel(np.zeros(1000), np.full(1000, "*"))
    slots = {
        spec.name: ModelSlot(
            FeatureSpec.of(spec.indicators),
            {
                c: _model([ind.name for ind in spec.indicators], seed + k)
                for k, c in enumerate(spec.concerns)
            },
            reference,
        )
        for spec in kinds()
    }
    fingerprint = running_fingerprint()
    return Scorer(
        slots=slots,
        fingerprint=fingerprint,
        info=ModelInfo(name="unregistered", version="0", rules_version=fingerprint),
    )


def register_champion(scorer: Scorer, tipdb: Path, settings: Settings, tmp: Path) -> str:
    """Log ``scorer`` as the pyfunc model with ``tipdb`` as its database, register it and
    point ``champion`` at it; returns the version."""
    tmp.mkdir(parents=True, exist_ok=True)
    scorer_path = tmp / SCORER_ARTIFACT
    with scorer_path.open("wb") as handle:
        pickle.dump(scorer, handle, protocol=pickle.HIGHEST_PROTOCOL)
    with mlflow_session(settings), mlflow.start_run() as run:
        logged = mlflow.pyfunc.log_model(
            name="model",
            python_model=pyfunc.MizugiwaModel(),
            artifacts={"scorer": str(scorer_path), "tipdb": str(tipdb)},
            code_paths=[str(pyfunc.stage_serving_code(tmp / "code"))],
            signature=pyfunc.signature(),
        )
        version = register(logged.model_uri, run_id=run.info.run_id, settings=settings)
    set_alias(CHAMPION, version.version, settings=settings)
    return str(version.version)
