"""Each rule's precision on the labelled data, and which rules are demoted to model features.

A rule refers a case on its own, ahead of the model, and so spends the post's interview capacity
before the model ranks anything. That is right for a rule that is nearly always right; it is
wrong for one that is not: the phone watchlist rule of an independently written world fired on
2.6% of cases at 25% precision (every intern whose recruitment agency's phone belongs to a
recorded recruiter), crowding out cases the model ranked higher.

For every rule, on the training and validation months: how often it fired (share of all cases),
how many of those were interviewed, and the share confirmed with any concern, with a Wilson 95%
interval. A rule is **demoted** (it no longer refers by itself; its signal still reaches the
model through the indicators it shares with it, e.g. ``NW-CONTACT-LINKED``, and the reasons)
when all of these hold:

1. it fired on at least :data:`MIN_RULE_CASES` interviewed cases (else too little is known);
2. the *upper* bound of its precision interval is below the model's precision at capacity on
   the validation months (the share of the model's own referrals that confirm a concern, IPW):
   even at its most favourable, the rule's referrals are worse than the cases the model would
   put in the same interview slots;
3. it is not a document rule (:data:`NEVER_DEMOTED`: a passport reported lost, stolen or forged,
   or failing MRZ check digits), which the action plan treats as grounds for an interview in
   themselves, whatever their measured precision.

The report is logged to MLflow (``rule.<code>.precision`` and friends) and in the model card.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy.stats import binomtest

from mizugiwa.models.capacity import refer_exactly, tie_keys

MIN_RULE_CASES = 30
NEVER_DEMOTED = frozenset({"RULE-DOC-REPORTED", "RULE-MRZ-CHECK"})


@dataclass(frozen=True)
class RulePrecision:
    code: str
    fired_share: float  # share of all cases in the months measured
    interviewed: int  # cases it fired on that have an outcome
    confirmed: int  # of those, with any concern confirmed
    precision: float
    low: float  # Wilson 95% interval
    high: float
    demoted: bool


@dataclass(frozen=True)
class RuleReport:
    rules: list[RulePrecision]
    model_precision: float  # at capacity, validation months, IPW
    demoted: frozenset[str] = field(default_factory=frozenset)

    def metrics(self) -> dict[str, float]:
        """Flat MLflow metrics."""
        out = {"rules.model_precision_at_capacity": self.model_precision}
        for r in self.rules:
            out.update(
                {
                    f"rule.{r.code}.fired_share": r.fired_share,
                    f"rule.{r.code}.interviewed": float(r.interviewed),
                    f"rule.{r.code}.precision": r.precision,
                    f"rule.{r.code}.precision_low": r.low,
                    f"rule.{r.code}.precision_high": r.high,
                    f"rule.{r.code}.demoted": float(r.demoted),
                }
            )
        return out

    def markdown(self) -> str:
        """The model card's section."""
        lines = [
            "## Rules: precision on the labelled data",
            "",
            "Training and validation months; precision = share of interviewed cases the rule "
            "fired on that confirmed a concern (Wilson 95% interval). A rule is demoted to a "
            "model feature when its interval lies wholly below the model's precision at capacity "
            f"({self.model_precision:.3f}, validation months) on at least {MIN_RULE_CASES} "
            "interviewed cases; document rules never are.",
            "",
            "| rule | fired on | interviewed | precision | 95% interval | refers on its own |",
            "|---|---|---|---|---|---|",
        ]
        for r in self.rules:
            lines.append(
                f"| `{r.code}` | {r.fired_share:.2%} | {r.interviewed} | {_f(r.precision)} | "
                f"{_f(r.low)}-{_f(r.high)} | {'no (demoted)' if r.demoted else 'yes'} |"
            )
        return "\n".join(lines) + "\n"


def _f(value: float) -> str:
    return "n/a" if math.isnan(value) else f"{value:.3f}"


def model_precision_at_capacity(
    risk: np.ndarray,
    posts: np.ndarray,
    ids: np.ndarray,
    labelled: np.ndarray,
    y: np.ndarray,
    weight: np.ndarray,
    capacity: float | dict[str, float],
    default: float,
) -> float:
    """IPW precision of the model's referrals at capacity (every post filled exactly)."""
    refer = refer_exactly(risk, posts, capacity, keys=tie_keys(ids), default=default)
    referred = refer & labelled
    total = float(weight[referred].sum())
    return float(weight[referred & y].sum()) / total if total > 0 else math.nan


def measure_rules(
    fired: np.ndarray,
    codes: list[str],
    labelled: np.ndarray,
    y: np.ndarray,
    model_precision: float,
) -> RuleReport:
    """Precision of each rule over the given cases (see the module doc for the demotion)."""
    fired = np.asarray(fired, dtype=bool)
    n = max(int(fired.shape[0]), 1)
    rows = []
    for k, code in enumerate(codes):
        hit = fired[:, k]
        interviewed = int((hit & labelled).sum())
        confirmed = int((hit & labelled & y).sum())
        if interviewed:
            interval = binomtest(confirmed, interviewed).proportion_ci(method="wilson")
            precision, low, high = confirmed / interviewed, interval.low, interval.high
        else:
            precision = low = high = math.nan
        demoted = bool(
            code not in NEVER_DEMOTED
            and interviewed >= MIN_RULE_CASES
            and math.isfinite(model_precision)
            and high < model_precision
        )
        rows.append(
            RulePrecision(
                code=code,
                fired_share=float(hit.sum()) / n,
                interviewed=interviewed,
                confirmed=confirmed,
                precision=precision,
                low=float(low),
                high=float(high),
                demoted=demoted,
            )
        )
    return RuleReport(
        rules=rows,
        model_precision=model_precision,
        demoted=frozenset(r.code for r in rows if r.demoted),
    )


def report_for_cases(
    cases: Any,
    measured: np.ndarray,
    valid: np.ndarray,
    risk: np.ndarray,
    capacity: float | dict[str, float],
    default: float,
) -> RuleReport:
    """:func:`measure_rules` over a ``CaseSet``'s ``measured`` rows, against the model's
    precision at capacity on its ``valid`` rows."""
    labels = cases.labels
    y = labels.any_concern
    model = model_precision_at_capacity(
        risk[valid],
        cases.posts[valid],
        cases.ids[valid],
        labels.interviewed[valid],
        y[valid],
        labels.weight[valid],
        capacity,
        default,
    )
    return measure_rules(
        cases.rm.fired[measured],
        list(cases.rm.codes),
        labels.interviewed[measured],
        y[measured],
        model,
    )
