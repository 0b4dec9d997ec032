"""A small champion built in a second (a LightGBM model on random features), for tests that
need the service to score but not a trained model: outages, start-up, the API contract."""

from __future__ import annotations

import pickle
from pathlib import Path

import numpy as np


def tiny_scorer(seed: int = 0):  # type: ignore[no-untyped-def]
    """A :class:`Scorer` over the features the code defines, calibrated on random data."""
    import lightgbm as lgb

    from mizugiwa.features.contract import ModelInfo
    from mizugiwa.features.indicators import ENTRY_FEATURES, FEATURES
    from mizugiwa.features.records import CONCERNS
    from mizugiwa.models.scorer import CalibratedModel, FeatureSpec, ReferencePanel, Scorer

    rng = np.random.default_rng(seed)
    values = rng.random((2000, len(FEATURES)), dtype=np.float32)
    labels = (values[:, 0] + values[:, 1] > 1.4).astype(float)
    params = {"objective": "binary", "verbosity": -1, "seed": seed, "num_threads": 1}
    booster = lgb.train(params, lgb.Dataset(values, label=labels), num_boost_round=10)
    model = CalibratedModel(booster, 1.0, 0.0, np.full(len(FEATURES), 1.0 / len(FEATURES)))
    scorer = Scorer(
        features=FeatureSpec.of(FEATURES),
        entry_features=FeatureSpec.of(ENTRY_FEATURES),
        rules_version="rules-test",
        models=dict.fromkeys(CONCERNS, model),
        entry_model=None,
        reference=ReferencePanel.sample(
            rng.random(2000), np.array(["MNL", "BKK"] * 1000), seed=seed
        ),
        entry_reference=None,
        info=ModelInfo(name="mizugiwa-screening", version="7", rules_version="rules-test"),
    )
    scorer._set_thresholds()
    return scorer


def write_cached_champion(runtime_cache_path: Path, seed: int = 0) -> None:
    """Put a tiny champion where the service looks for its cached one."""
    runtime_cache_path.parent.mkdir(parents=True, exist_ok=True)
    runtime_cache_path.write_bytes(pickle.dumps(tiny_scorer(seed)))
