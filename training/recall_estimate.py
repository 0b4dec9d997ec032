"""How good is the model without a truth file? Recall at capacity from the outcomes an agency has.

An agency knows the outcome of every case it **referred** (every referral is interviewed) and of
a small **random audit sample** of the cases it did not refer. Nothing else. A model's recall at
capacity (the share of all cases with a concern that the model would refer) is then estimated
by stratifying the cases:

- ``R``, referred by the policy that produced the labels: every outcome known, counted exactly;
- ``U & M``, not referred, but the model would refer them: estimated from their audited cases;
- ``U - M``, not referred and the model would not refer them: estimated from their audited cases.

``recall = (pos(R & M) + |U & M| p1) / (pos(R) + |U & M| p1 + |U - M| p2)``, where ``p1`` and
``p2`` are the confirmed shares among the audited cases of the two unreferred strata. The
interval is the 2.5-97.5% range of that ratio when ``p1`` and ``p2`` are drawn from their
Jeffreys posteriors (``Beta(x + 1/2, n - x + 1/2)``): the referred counts carry no sampling
error, the audit's small counts carry all of it. With no audited positive the interval says
so honestly (a wide upper range for the unreferred concerns), where an inverse-propensity
estimate reads 0.

Why not the inverse-propensity weighted recall over labelled cases: it is the same estimator
without the stratification by the model's referrals, so a handful of heavily weighted audit
cases decide both numerator and denominator; and the audit sample's own recall ignores the
referred outcomes altogether (0.0 on a world where the truth was 0.43).

:func:`audit_rate_for` answers the design question: which audit rate gives an interval of a
wanted half-width, at the prevalences estimated now.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from mizugiwa.models.capacity import refer_exactly, tie_keys

_DRAWS = 20_000


@dataclass(frozen=True)
class RecallEstimate:
    recall: float
    low: float
    high: float
    referred_in_model: int  # pos(R & M)
    referred_positives: int  # pos(R)
    audited: tuple[int, int]  # audited cases in U & M, U - M
    audited_positives: tuple[int, int]
    unreferred: tuple[int, int]  # |U & M|, |U - M|

    @property
    def half_width(self) -> float:
        return (self.high - self.low) / 2


def _recall(
    r_m: float, r_all: float, u_m: float, u_rest: float, p1: np.ndarray, p2: np.ndarray
) -> np.ndarray:
    found = r_m + u_m * p1
    total = r_all + u_m * p1 + u_rest * p2
    out: np.ndarray = np.where(total > 0, found / np.where(total > 0, total, 1.0), np.nan)
    return out


def estimate_recall(
    model_refer: np.ndarray,
    referred: np.ndarray,
    audited: np.ndarray,
    confirmed: np.ndarray,
    *,
    seed: int = 0,
    level: float = 0.95,
) -> RecallEstimate:
    """Recall of ``model_refer`` with its interval, from the outcomes of the ``referred`` cases
    (all interviewed) and of the ``audited`` cases (a random sample of the others).
    ``confirmed`` is whether the interview confirmed a concern (ignored where not interviewed).
    """
    m = np.asarray(model_refer, dtype=bool)
    r = np.asarray(referred, dtype=bool)
    a = np.asarray(audited, dtype=bool)
    y = np.asarray(confirmed, dtype=bool)
    if not (m.shape == r.shape == a.shape == y.shape):
        raise ValueError("model_refer, referred, audited and confirmed differ in length")
    a = a & ~r  # the audit samples the unreferred
    u = ~r
    r_all = int((r & y).sum())
    r_m = int((r & m & y).sum())
    n1, n2 = int((a & m).sum()), int((a & ~m).sum())
    x1, x2 = int((a & m & y).sum()), int((a & ~m & y).sum())
    u_m, u_rest = int((u & m).sum()), int((u & ~m).sum())
    if n2 == 0 and u_rest > 0:
        raise ValueError("no audited case among the unreferred ones the model would not refer")
    rng = np.random.default_rng(seed)
    p1 = rng.beta(x1 + 0.5, n1 - x1 + 0.5, _DRAWS) if n1 else np.zeros(_DRAWS)
    p2 = rng.beta(x2 + 0.5, n2 - x2 + 0.5, _DRAWS) if n2 else np.zeros(_DRAWS)
    draws = _recall(r_m, r_all, u_m, u_rest, p1, p2)
    shares = np.array([x1 / n1 if n1 else 0.0]), np.array([x2 / n2 if n2 else 0.0])
    point = float(_recall(r_m, r_all, u_m, u_rest, *shares)[0])
    tail = (1 - level) / 2
    low, high = np.nanquantile(draws, [tail, 1 - tail]).tolist()
    return RecallEstimate(
        recall=point,
        referred_in_model=r_m,
        low=float(low),
        high=float(high),
        referred_positives=r_all,
        audited=(n1, n2),
        audited_positives=(x1, x2),
        unreferred=(u_m, u_rest),
    )


def _expected_half_width(est: RecallEstimate, rate: float, seed: int) -> float:
    """Half-width of the interval if the audit rate were ``rate``, at today's estimates."""
    n1, n2 = est.audited
    x1, x2 = est.audited_positives
    p1 = (x1 + 0.5) / (n1 + 1) if n1 else 0.0
    p2 = (x2 + 0.5) / (n2 + 1)
    u_m, u_rest = est.unreferred
    m1, m2 = max(rate * u_m, 0.0), max(rate * u_rest, 1.0)
    rng = np.random.default_rng(seed)
    d1 = rng.beta(p1 * m1 + 0.5, (1 - p1) * m1 + 0.5, _DRAWS) if u_m else np.zeros(_DRAWS)
    d2 = rng.beta(p2 * m2 + 0.5, (1 - p2) * m2 + 0.5, _DRAWS)
    # the referred counts are exact: they do not change with the audit rate
    draws = _recall(est.referred_in_model, est.referred_positives, u_m, u_rest, d1, d2)
    low, high = np.nanquantile(draws, [0.025, 0.975]).tolist()
    return float((high - low) / 2)


def audit_rate_for(est: RecallEstimate, half_width: float, *, seed: int = 0) -> float:
    """The smallest audit rate (share of unreferred cases interviewed at random) whose 95%
    interval of recall has at most ``half_width``, at the prevalences estimated now; 1.0 when
    even auditing everyone would not reach it (the referred counts then dominate)."""
    if not 0 < half_width < 1:
        raise ValueError(f"half_width is {half_width}; expected a share in (0, 1)")
    low, high = 1e-4, 1.0
    if _expected_half_width(est, high, seed) > half_width:
        return 1.0
    for _ in range(30):  # bisection on a monotone curve, to a relative precision of 1e-9
        mid = math.sqrt(low * high)
        if _expected_half_width(est, mid, seed) <= half_width:
            high = mid
        else:
            low = mid
    return high


def estimate_for_cases(
    cases: Any,
    mask: np.ndarray,
    risk: np.ndarray,
    capacity: float | dict[str, float],
    default: float,
    *,
    seed: int = 0,
) -> RecallEstimate:
    """:func:`estimate_recall` of a score's referrals at capacity (each post filled exactly)
    over a ``CaseSet``'s ``mask`` rows, from its labels alone (never the truth)."""
    labels = cases.labels
    posts, ids = cases.posts[mask], cases.ids[mask]
    refer = refer_exactly(risk[mask], posts, capacity, keys=tie_keys(ids), default=default)
    audited = labels.audit[mask]
    referred = labels.interviewed[mask] & ~audited
    return estimate_recall(refer, referred, audited, labels.any_concern[mask], seed=seed)


def estimate_metrics(est: RecallEstimate, seed: int = 0) -> dict[str, float]:
    """Flat MLflow metrics of an estimate, with the audit rate for a +/-0.05 interval."""
    return {
        "estimate.recall_at_capacity": est.recall,
        "estimate.recall_at_capacity.low": est.low,
        "estimate.recall_at_capacity.high": est.high,
        "estimate.audit_rate_for_half_width_0.05": audit_rate_for(est, 0.05, seed=seed),
    }
