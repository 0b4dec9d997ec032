"""Recall without a truth file: the estimate from referred outcomes and the random audit sample
holds the truth within its interval on synthetic worlds, where the older estimates did not."""

from __future__ import annotations

import numpy as np
import pytest

from mizugiwa.training.recall_estimate import audit_rate_for, estimate_recall


def _world(seed: int, n: int = 60_000, audit_rate: float = 0.01) -> dict[str, np.ndarray]:
    """Concerns at 1.5%; a labelling policy that refers 4% (half its referrals right); a model
    that would refer 3%, finding some concerns the policy missed; a random audit of the rest."""
    rng = np.random.default_rng(seed)
    risk = rng.beta(0.3, 12, n)
    concern = rng.random(n) < np.clip(risk * 1.2, 0, 1)
    policy_score = risk + rng.normal(0, 0.05, n)
    referred = policy_score >= np.quantile(policy_score, 0.96)
    model_score = risk + rng.normal(0, 0.03, n)
    model = model_score >= np.quantile(model_score, 0.97)
    audited = ~referred & (rng.random(n) < audit_rate)
    interviewed = referred | audited
    return {
        "model": model,
        "referred": referred,
        "audited": audited,
        "confirmed": concern & interviewed,
        "truth": np.array([(model & concern).sum() / concern.sum()]),
    }


def test_the_interval_holds_the_true_recall_on_most_worlds() -> None:
    covered, widths, naive_errors = 0, [], []
    worlds = 40
    for seed in range(worlds):
        w = _world(seed)
        est = estimate_recall(w["model"], w["referred"], w["audited"], w["confirmed"], seed=seed)
        truth = float(w["truth"][0])
        covered += est.low <= truth <= est.high
        widths.append(est.high - est.low)
        # the audit sample's own recall ignores the referred outcomes
        a = w["audited"]
        found = (w["model"] & a & w["confirmed"]).sum()
        naive = found / max((a & w["confirmed"]).sum(), 1)
        naive_errors.append(abs(naive - truth))
    assert covered >= 0.85 * worlds  # a 95% interval, checked on 40 worlds
    assert np.median(widths) < 0.4
    assert np.median(naive_errors) > 0.1  # what the analyst used to be told


def test_without_audited_positives_the_interval_stays_honest() -> None:
    w = _world(1, audit_rate=0.0005)
    confirmed = w["confirmed"] & ~w["audited"]  # no audited case confirmed
    est = estimate_recall(w["model"], w["referred"], w["audited"], confirmed)
    assert est.audited_positives == (0, 0)
    assert est.low < est.recall <= est.high
    assert est.high - est.low > 0.1  # the small audit shows as uncertainty, not as certainty


def test_the_audit_rate_for_a_wanted_precision() -> None:
    w = _world(2)
    est = estimate_recall(w["model"], w["referred"], w["audited"], w["confirmed"])
    rate = audit_rate_for(est, 0.05)
    assert 0.01 < rate <= 1.0
    assert audit_rate_for(est, 0.10) < rate  # a looser interval needs fewer interviews
    larger = _world(2, audit_rate=min(rate, 1.0))
    again = estimate_recall(
        larger["model"], larger["referred"], larger["audited"], larger["confirmed"]
    )
    assert again.half_width == pytest.approx(0.05, abs=0.02)


def test_mismatched_inputs_are_refused() -> None:
    with pytest.raises(ValueError, match="differ in length"):
        estimate_recall(np.zeros(3, bool), np.zeros(2, bool), np.zeros(3, bool), np.zeros(3, bool))
