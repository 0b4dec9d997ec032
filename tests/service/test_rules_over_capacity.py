"""When rules alone refer more of a post's cases than it can interview, ``/metrics`` says so."""

from __future__ import annotations

import numpy as np
from fastapi.testclient import TestClient
from service_samples import bearer

from mizugiwa.models.live_thresholds import RollingThresholds
from mizugiwa.service import scoring
from mizugiwa.service.runtime import LoadedModel, ServiceRuntime


class _Scorer:
    """Only what the metrics read: the rolling windows of the scorer in service."""

    def __init__(self) -> None:
        self.rolling = RollingThresholds(window=1_000, min_cases=100)


def test_metrics_flag_a_post_whose_rules_exceed_its_capacity(
    client: TestClient, runtime: ServiceRuntime, tokens: dict[str, str]
) -> None:
    scorer = _Scorer()
    rng = np.random.default_rng(0)
    for post, rule_rate in (("MNL", 0.12), ("BKK", 0.01)):
        rules = np.zeros(1_000, bool)
        rules[: int(rule_rate * 1_000)] = True
        scorer.rolling.observe("application", np.full(1_000, post), rng.random(1_000), rules)
    runtime.model = LoadedModel(scorer, "1", None, "registry")  # type: ignore[arg-type]
    for post in ("MNL", "BKK"):
        row = {"post_code": post, "refer": False, "referred_by": [], "rules_fired": []}
        scoring._count(runtime, "application", {**row, "capacity": 0.03}, False)
    text = client.get("/metrics", headers=bearer(tokens["analyst"])).text
    assert 'mizugiwa_rules_over_capacity{kind="application",post="MNL"} 1.0' in text
    assert 'mizugiwa_rules_over_capacity{kind="application",post="BKK"} 0.0' in text
    assert 'mizugiwa_rule_referral_share{kind="application",post="MNL"} 0.12' in text
