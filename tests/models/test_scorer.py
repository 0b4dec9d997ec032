"""The scorer's vectorised core: calibrated probabilities, capacity thresholds, feature checks."""

from __future__ import annotations

from dataclasses import replace

import lightgbm as lgb
import numpy as np
import pytest

from mizugiwa.features.contract import ModelInfo
from mizugiwa.features.fingerprint import running_fingerprint
from mizugiwa.features.indicators import ENTRY_FEATURES, FEATURES, FeatureMatrix
from mizugiwa.features.records import CONCERNS
from mizugiwa.models.scorer import (
    CalibratedModel,
    FeatureMismatchError,
    FeatureSpec,
    ModelSlot,
    ReferencePanel,
    Scorer,
)
from mizugiwa.settings import Settings


def _matrix(n: int, seed: int) -> FeatureMatrix:
    rng = np.random.default_rng(seed)
    names = [ind.name for ind in FEATURES]
    return FeatureMatrix(
        values=rng.random((n, len(names)), dtype=np.float32),
        names=names,
        codes=[ind.code for ind in FEATURES],
        details={name: {} for name in names},
        victim_match=np.zeros(n, dtype=bool),
    )


@pytest.fixture(scope="module")
def scorer() -> Scorer:
    fm = _matrix(3000, 0)
    y = (fm.values[:, 0] + fm.values[:, 1] > 1.4).astype(float)
    params = {"objective": "binary", "verbosity": -1, "seed": 1, "num_threads": 1}
    booster = lgb.train(params, lgb.Dataset(fm.values, label=y), num_boost_round=20)
    model = CalibratedModel(booster, 1.0, 0.0, np.full(len(FEATURES), 1.0 / len(FEATURES)))
    posts = np.array(["MNL", "BKK"] * 1500)
    s = Scorer(
        slots={
            "application": ModelSlot(
                FeatureSpec.of(FEATURES),
                dict.fromkeys(CONCERNS, model),
                ReferencePanel(np.zeros(1), np.array(["*"])),
            ),
            "entry": ModelSlot(FeatureSpec.of(ENTRY_FEATURES)),
        },
        fingerprint=running_fingerprint(),
        info=ModelInfo(name="test", version="0", rules_version=running_fingerprint()),
    )
    risk = np.max(np.stack(list(s.predict_proba(fm).values())), axis=0)
    s.slots["application"].reference = ReferencePanel.sample(risk, posts, seed=0)
    s._set_thresholds()
    return s


def test_probabilities_are_calibrated_log_odds(scorer: Scorer) -> None:
    fm = _matrix(500, 1)
    probs = scorer.predict_proba(fm)
    raw = scorer.slot("application").models[CONCERNS[0]].booster.predict(fm.values)
    assert probs[CONCERNS[0]] == pytest.approx(raw)  # slope 1, intercept 0: the booster's own
    assert all(((p >= 0) & (p <= 1)).all() for p in probs.values())


def test_thresholds_follow_the_configured_capacity(scorer: Scorer) -> None:
    fm = _matrix(4000, 2)
    risk = np.max(np.stack(list(scorer.predict_proba(fm).values())), axis=0)

    def share(s: Scorer, post: str) -> float:
        table = s.thresholds["application"]
        return float((risk >= table.get(post, table["*"])).mean())

    low = scorer.with_capacity(Settings(environment="test", default_interview_capacity=0.03))
    high = scorer.with_capacity(
        Settings(environment="test", default_interview_capacity=0.03, post_capacity={"MNL": 0.2})
    )
    assert share(low, "MNL") < 0.06
    assert 0.12 < share(high, "MNL") < 0.28
    assert high.capacity_for("MNL") == 0.2 and high.capacity_for("BKK") == 0.03
    assert scorer.capacity == 0.03  # copies: the loaded scorer is unchanged


def test_reordered_or_other_features_are_refused(scorer: Scorer) -> None:
    fm = _matrix(10, 3)
    reordered = replace(fm, names=list(reversed(fm.names)))
    with pytest.raises(FeatureMismatchError, match="columns differ"):
        scorer.predict_proba(reordered)
    spec = FeatureSpec.of(FEATURES)
    assert spec == FeatureSpec.of(list(FEATURES))  # stable digest
    with pytest.raises(FeatureMismatchError, match="reordered"):
        spec.check(FeatureSpec.of(list(reversed(FEATURES))), "application")
    with pytest.raises(FeatureMismatchError, match="missing"):
        spec.check(FeatureSpec.of(FEATURES[1:]), "application")
