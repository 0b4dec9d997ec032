"""Referral rates against capacity and recall against the oracle, before and after rules were
counted within capacity, on a synthetic world's test months.

    python benchmarks/capacity_figures.py --data DIR [--seed 0] [--capacity 0.03]

Trains the models as ``mizugiwa train`` does (nothing is logged or registered), then on the test
months compares three policies:

- ``before``: the model refers at the post's threshold (set from risks alone) and every rule
  refers on top of it;
- ``after``: rules measured imprecise are demoted; the remaining rules refer first and the model
  fills what is left of each post's capacity (the scorer's thresholds);
- ``oracle``: the truth's own probabilities, each post's capacity filled exactly.

Prints a JSON report: per post the referral rate (rules included) of each policy and the
capacity; recall overall and per concern, and each policy's ratio to the oracle.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import numpy as np

from mizugiwa.features.records import CONCERNS
from mizugiwa.models.capacity import (
    hard_rule_referrals,
    refer_after_rules,
    refer_at_capacity,
    refer_exactly,
    thresholds_for_capacity,
    tie_keys,
)
from mizugiwa.training.datasets import DataFiles
from mizugiwa.training.fit import BoosterParams
from mizugiwa.training.recall_estimate import audit_rate_for, estimate_for_cases
from mizugiwa.training.split import time_split
from mizugiwa.training.train import _risk, fit_models
from mizugiwa.training.world import load_world


def _recalls(refer: np.ndarray, truth: Any, rows: np.ndarray) -> dict[str, float]:
    out = {"any": float(refer[truth.any_concern[rows]].mean())}
    for c in CONCERNS:
        y = truth.y(c)[rows]
        out[c.value] = float(refer[y].mean()) if y.any() else float("nan")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--capacity", type=float, default=0.03)
    args = parser.parse_args()
    world = load_world(DataFiles.find(args.data))
    apps = world.applications
    split = time_split(apps.when)
    fitted = fit_models(world, split, args.seed, args.capacity, {}, BoosterParams())
    scorer = fitted.scorer
    test = split.test & apps.truth.known
    rows = np.flatnonzero(test)
    risk = _risk(fitted.probabilities)[rows]
    posts = apps.posts[rows].astype(str)
    fired = apps.rm.fired[rows]
    codes = list(apps.rm.codes)

    every_rule = hard_rule_referrals(fired, codes)
    alone = thresholds_for_capacity(scorer.reference.risk, scorer.reference.posts, args.capacity)
    before = refer_at_capacity(risk, posts, alone) | every_rule
    hard = hard_rule_referrals(fired, codes, scorer.demoted_rules)
    after = refer_after_rules(risk, hard, posts, scorer.thresholds) | hard
    oracle_risk = apps.truth.oracle_risk[rows]
    oracle = refer_exactly(oracle_risk, posts, args.capacity, keys=tie_keys(apps.ids[rows]))

    per_post = {}
    for post in np.unique(posts).tolist():
        mine = posts == post
        per_post[post] = {
            "cases": int(mine.sum()),
            "capacity": args.capacity,
            "before": round(float(before[mine].mean()), 4),
            "after": round(float(after[mine].mean()), 4),
            "rules_alone_before": round(float(every_rule[mine].mean()), 4),
            "rules_alone_after": round(float(hard[mine].mean()), 4),
        }
    recall = {
        name: _recalls(refer, apps.truth, rows)
        for name, refer in (("before", before), ("after", after), ("oracle", oracle))
    }
    ratios = {
        name: {k: round(v / recall["oracle"][k], 3) for k, v in recall[name].items()}
        for name in ("before", "after")
    }
    # item 4: recall of the model at capacity estimated from labels alone, against the truth
    full_risk = _risk(fitted.probabilities)
    estimate = estimate_for_cases(apps, test, full_risk, args.capacity, args.capacity)
    alone_refer = refer_exactly(risk, posts, args.capacity, keys=tie_keys(apps.ids[rows]))
    true_recall = float(alone_refer[apps.truth.any_concern[rows]].mean())
    report = {
        "recall_estimate": {
            "estimate": round(estimate.recall, 3),
            "interval": [round(estimate.low, 3), round(estimate.high, 3)],
            "truth": round(true_recall, 3),
            "within_interval": estimate.low <= true_recall <= estimate.high,
            "audited": estimate.audited,
            "audited_positives": estimate.audited_positives,
            "audit_rate_for_half_width_0.05": round(audit_rate_for(estimate, 0.05), 4),
        },
        "test_cases": int(rows.size),
        "referral_rate": {
            "before": round(float(before.mean()), 4),
            "after": round(float(after.mean()), 4),
            "oracle": round(float(oracle.mean()), 4),
        },
        "rules": [
            {
                "code": r.code,
                "fired_share": round(r.fired_share, 4),
                "precision": round(r.precision, 3),
                "interval": [round(r.low, 3), round(r.high, 3)],
                "demoted": r.demoted,
            }
            for r in (fitted.rules.rules if fitted.rules is not None else [])
        ],
        "model_precision_at_capacity": fitted.rules.model_precision if fitted.rules else None,
        "per_post": per_post,
        "recall_at_capacity": {
            k: {c: round(v, 3) for c, v in r.items()} for k, r in recall.items()
        },
        "ratio_to_oracle": ratios,
    }
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
