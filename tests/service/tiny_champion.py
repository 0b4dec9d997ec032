"""A small champion built in a second (a LightGBM model on random features), for tests that
need the service to score but not a trained model: outages, start-up, the API contract."""

from __future__ import annotations

import pickle
from pathlib import Path

import numpy as np


def tiny_scorer(seed: int = 0):  # type: ignore[no-untyped-def]
    """A :class:`Scorer` with a slot for every registered kind, over the features the code
    defines, calibrated on random data, its thresholds from a random reference."""
    import lightgbm as lgb

    from mizugiwa.features.contract import ModelInfo
    from mizugiwa.features.fingerprint import running_fingerprint
    from mizugiwa.features.kinds import kinds
    from mizugiwa.models.scorer import (
        CalibratedModel,
        FeatureSpec,
        ModelSlot,
        ReferencePanel,
        Scorer,
    )

    rng = np.random.default_rng(seed)
    params = {"objective": "binary", "verbosity": -1, "seed": seed, "num_threads": 1}
    reference = ReferencePanel.sample(rng.random(2000), np.array(["MNL", "BKK"] * 1000), seed)
    slots = {}
    for spec in kinds():
        n = len(spec.indicators)
        values = rng.random((2000, n), dtype=np.float32)
        labels = (values[:, 0] + values[:, min(1, n - 1)] > 1.4).astype(float)
        booster = lgb.train(params, lgb.Dataset(values, label=labels), num_boost_round=10)
        model = CalibratedModel(booster, 1.0, 0.0, np.full(n, 1.0 / n))
        slots[spec.name] = ModelSlot(
            FeatureSpec.of(spec.indicators), dict.fromkeys(spec.concerns, model), reference
        )
    fingerprint = running_fingerprint()
    scorer = Scorer(
        slots=slots,
        fingerprint=fingerprint,
        info=ModelInfo(name="mizugiwa-screening", version="7", rules_version=fingerprint),
    )
    scorer._set_thresholds()
    return scorer


def write_cached_champion(runtime_cache_path: Path, seed: int = 0) -> None:
    """Put a tiny champion where the service looks for its cached one."""
    runtime_cache_path.parent.mkdir(parents=True, exist_ok=True)
    runtime_cache_path.write_bytes(pickle.dumps(tiny_scorer(seed)))
