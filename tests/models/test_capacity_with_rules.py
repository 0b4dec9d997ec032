"""A post's referrals, rules included, stay within its interview capacity: rules first, then the
model fills what is left; thresholds follow the live risks; imprecise rules are demoted."""

from __future__ import annotations

import math
from types import SimpleNamespace

import lightgbm as lgb
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mizugiwa.features.contract import ModelInfo
from mizugiwa.features.indicators import FEATURES, FeatureMatrix, RuleMatrix
from mizugiwa.features.kinds import kind
from mizugiwa.features.records import CONCERNS
from mizugiwa.models.capacity import (
    hard_rule_referrals,
    refer_after_rules,
    rules_over_capacity,
    thresholds_after_rules,
)
from mizugiwa.models.live_thresholds import RollingThresholds
from mizugiwa.models.scorer import (
    CalibratedModel,
    FeatureSpec,
    ModelSlot,
    ReferencePanel,
    Scorer,
)
from mizugiwa.training.rule_precision import MIN_RULE_CASES, measure_rules

CODES = ["RULE-WATCHLIST-PHONE", "RULE-DOC-REPORTED"]


@settings(max_examples=80, deadline=None)
@given(
    st.integers(50, 2_000),
    st.floats(0.0, 0.2),
    st.floats(0.005, 0.3),
    st.integers(0, 10_000),
)
def test_rules_and_model_together_never_exceed_capacity(
    n: int, rule_rate: float, capacity: float, seed: int
) -> None:
    rng = np.random.default_rng(seed)
    risk = rng.random(n)
    posts = rng.choice(["MNL", "BKK"], n)
    rules = rng.random(n) < rule_rate
    table = thresholds_after_rules(risk, rules, posts, capacity)
    model = refer_after_rules(risk, rules, posts, table)
    assert not (model & rules).any()
    for post in ("MNL", "BKK"):
        mine = posts == post
        allowed = math.floor(capacity * mine.sum() + 1e-9)
        referred = int((mine & (model | rules)).sum())
        assert referred <= max(allowed, int((mine & rules).sum()))  # rules alone may exceed
        if (mine & rules).sum() >= allowed:
            assert not (mine & model).any()  # nothing left for the model
        else:
            assert referred == allowed  # continuous risks: the capacity is filled


def test_rules_alone_over_capacity_are_reported() -> None:
    posts = np.array(["MNL"] * 100 + ["BKK"] * 100)
    rules = np.zeros(200, bool)
    rules[:8] = True  # MNL: 8% by rules
    rules[100:102] = True  # BKK: 2%
    assert rules_over_capacity(rules, posts, 0.03) == {"MNL": 0.08}
    table = thresholds_after_rules(np.linspace(0, 1, 200), rules, posts, 0.03)
    assert table["MNL"] > 1 and math.isfinite(table["MNL"])  # nothing left, JSON-safe
    assert table["BKK"] <= 1  # BKK: room for one more


def test_a_demoted_rule_no_longer_refers_on_its_own() -> None:
    fired = np.array([[True, False], [False, True], [False, False]])
    assert hard_rule_referrals(fired, CODES).tolist() == [True, True, False]
    demoted = frozenset({"RULE-WATCHLIST-PHONE"})
    assert hard_rule_referrals(fired, CODES, demoted).tolist() == [False, True, False]


# ----------------------------------------------------------------------------- the scorer
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


def _rules(n: int, rate: float, seed: int) -> RuleMatrix:
    fired = np.zeros((n, len(CODES)), bool)
    fired[:, 0] = np.random.default_rng(seed).random(n) < rate
    return RuleMatrix(fired=fired, codes=CODES, evidence={c: {} for c in CODES})


@pytest.fixture(scope="module")
def scorer() -> Scorer:
    fm = _matrix(4000, 0)
    graded = ((fm.values[:, 0] + fm.values[:, 1]) / 2) ** 4  # risk rises smoothly
    y = (np.random.default_rng(2).random(4000) < graded).astype(float)
    params = {"objective": "binary", "verbosity": -1, "seed": 1, "num_threads": 1}
    booster = lgb.train(params, lgb.Dataset(fm.values, label=y), num_boost_round=20)
    model = CalibratedModel(booster, 1.0, 0.0, np.full(len(FEATURES), 1.0 / len(FEATURES)))
    slot = ModelSlot(
        FeatureSpec.of(FEATURES),
        dict.fromkeys(CONCERNS, model),
        ReferencePanel(np.zeros(1), np.array(["*"])),
    )
    s = Scorer(
        slots={"application": slot},
        fingerprint="rules-test",
        info=ModelInfo(name="test", version="0", rules_version="rules-test"),
    )
    risk = np.max(np.stack(list(s.predict_proba(fm).values())), axis=0)
    posts = np.array(["MNL", "BKK"] * 2000)
    rules = hard_rule_referrals(_rules(4000, 0.02, 1).fired, CODES)
    slot.reference = ReferencePanel.sample(risk, posts, seed=0, rules=rules)
    s._set_thresholds()
    return s


def _decide(s: Scorer, fm: FeatureMatrix, posts: np.ndarray, rm: RuleMatrix) -> np.ndarray:
    spec = kind("application")
    batch = SimpleNamespace(**{spec.id_field: np.arange(len(posts)), spec.post_field: posts})
    scored = s._decide(spec, batch, s.predict_proba(fm), rm)
    assert not (scored.model_refer & scored.rule_refer).any()
    return np.asarray(scored.refer)


def test_the_scorer_keeps_rules_and_model_within_capacity(scorer: Scorer) -> None:
    fm = _matrix(8000, 5)
    posts = np.array(["MNL", "BKK"] * 4000)
    refer = _decide(scorer, fm, posts, _rules(8000, 0.02, 6))
    for post in ("MNL", "BKK"):
        assert refer[posts == post].mean() == pytest.approx(0.03, abs=0.008)


def test_live_thresholds_follow_a_shifted_population(scorer: Scorer) -> None:
    # Served on another population: the training thresholds miss the capacity by far.
    fm = _matrix(6000, 7)
    fm.values[:, :2] *= 0.85
    posts = np.full(6000, "MNL")
    rm = _rules(6000, 0.01, 8)
    fixed = _decide(scorer, fm, posts, rm)
    assert fixed.mean() < 0.015
    live = scorer.with_info()
    live.rolling = RollingThresholds(window=3000, min_cases=500, refresh_every=100)
    for part in np.array_split(np.arange(6000), 30):  # requests in small batches
        _decide(live, _sub(fm, part), posts[part], _sub_rules(rm, part))
    again = _decide(live, fm, posts, rm)
    assert again.mean() == pytest.approx(0.03, abs=0.01)
    assert live.rolling.rules_share("application", "MNL") == pytest.approx(0.01, abs=0.006)


def _sub(fm: FeatureMatrix, rows: np.ndarray) -> FeatureMatrix:
    return FeatureMatrix(
        values=fm.values[rows],
        names=fm.names,
        codes=fm.codes,
        details=fm.details,
        victim_match=fm.victim_match[rows],
    )


def _sub_rules(rm: RuleMatrix, rows: np.ndarray) -> RuleMatrix:
    return RuleMatrix(fired=rm.fired[rows], codes=rm.codes, evidence=rm.evidence)


# ----------------------------------------------------------------------------- rule precision
def test_an_imprecise_rule_is_demoted_and_a_document_rule_never() -> None:
    rng = np.random.default_rng(11)
    n = 20_000
    fired = np.zeros((n, 2), bool)
    fired[:, 0] = rng.random(n) < 0.03  # phone watchlist: fires on 3%
    fired[:, 1] = rng.random(n) < 0.005  # reported document: fires on 0.5%
    labelled = fired.any(axis=1) | (rng.random(n) < 0.02)
    y = np.where(fired[:, 0], rng.random(n) < 0.2, rng.random(n) < 0.05)
    y[fired[:, 1]] = rng.random(int(fired[:, 1].sum())) < 0.1  # imprecise, but a document
    report = measure_rules(fired, CODES, labelled, y & labelled, model_precision=0.45)
    phone, document = report.rules
    assert phone.interviewed >= MIN_RULE_CASES and phone.high < 0.45 and phone.demoted
    assert not document.demoted
    assert report.demoted == {"RULE-WATCHLIST-PHONE"}
    metrics = report.metrics()
    assert metrics["rule.RULE-WATCHLIST-PHONE.precision"] == pytest.approx(0.2, abs=0.03)
    assert "RULE-WATCHLIST-PHONE" in report.markdown()
    precise = measure_rules(fired, CODES, labelled, y & labelled, model_precision=0.1)
    assert precise.demoted == frozenset()
