"""Thresholds that track the live score distribution of each post (a rolling window).

A scorer's thresholds are first set from the risks of its training world's latest months. Served
on another population (another year, another mix of visa categories, a new recruitment
corridor), the same thresholds refer a different share: one post of an independently generated
world referred 14.5% against a capacity of 3%. The service therefore keeps, per kind of case and
post, the last :attr:`RollingThresholds.window` decided cases (their risk and whether a hard rule
referred them) and recomputes the post's model threshold from them with
:func:`~models.capacity.thresholds_after_rules`: the rules take their share of the post's
capacity first and the model fills what is left.

- A post uses its rolling threshold once its window holds :attr:`min_cases` cases; before that,
  the training threshold (a post with 40 cases a week has no distribution to cut at 3%).
- Thresholds are recomputed every :attr:`refresh_every` new cases of the post, not per request.
- The window is per service process; several processes each track the traffic they see, which
  behind a load balancer is a random share of the same distribution.
- The window holds risks and rule flags only: no identifier or personal data.

:meth:`rules_share` gives, per post, the share of the window referred by rules alone; the
service's ``/metrics`` exposes it and flags posts where it exceeds capacity.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Mapping

import numpy as np

from mizugiwa.models.capacity import thresholds_after_rules

DEFAULT_WINDOW = 5_000
DEFAULT_MIN_CASES = 500
DEFAULT_REFRESH_EVERY = 100


class _PostWindow:
    __slots__ = ("fresh", "risk", "ruled", "rules", "threshold")

    def __init__(self, window: int) -> None:
        self.risk: deque[float] = deque(maxlen=window)
        self.rules: deque[bool] = deque(maxlen=window)
        self.ruled = 0  # how many of ``rules`` are True
        self.fresh = 0  # cases seen since the threshold was last computed
        self.threshold: float | None = None

    def add(self, risk: float, ruled: bool) -> None:
        if len(self.rules) == self.rules.maxlen and self.rules[0]:
            self.ruled -= 1
        self.risk.append(risk)
        self.rules.append(ruled)
        self.ruled += ruled
        self.fresh += 1


class RollingThresholds:
    """Per (kind, post) rolling windows of decided cases; see the module doc."""

    def __init__(
        self,
        *,
        window: int = DEFAULT_WINDOW,
        min_cases: int = DEFAULT_MIN_CASES,
        refresh_every: int = DEFAULT_REFRESH_EVERY,
    ) -> None:
        if not 0 < min_cases <= window:
            raise ValueError(f"min_cases {min_cases} must be in 1..window ({window})")
        self.window = window
        self.min_cases = min_cases
        self.refresh_every = max(1, refresh_every)
        self._posts: dict[tuple[str, str], _PostWindow] = {}
        self._lock = threading.Lock()

    def observe(
        self, kind: str, posts: np.ndarray, risk: np.ndarray, rule_refer: np.ndarray
    ) -> None:
        """Add decided cases to their posts' windows."""
        with self._lock:
            for post, r, ruled in zip(
                np.asarray(posts).tolist(),
                np.asarray(risk, dtype=float).tolist(),
                np.asarray(rule_refer, dtype=bool).tolist(),
                strict=True,
            ):
                w = self._posts.get((kind, post))
                if w is None:
                    w = self._posts[(kind, post)] = _PostWindow(self.window)
                w.add(r, ruled)

    def table(
        self, kind: str, fallback: Mapping[str, float], capacity_for: Callable[[str], float]
    ) -> dict[str, float]:
        """``fallback`` (the training thresholds) with each post whose window is full enough
        replaced by its rolling threshold."""
        out = dict(fallback)
        with self._lock:
            for (k, post), w in self._posts.items():
                if k != kind or len(w.risk) < self.min_cases:
                    continue
                if w.threshold is None or w.fresh >= self.refresh_every:
                    risk = np.fromiter(w.risk, dtype=np.float64, count=len(w.risk))
                    rules = np.fromiter(w.rules, dtype=bool, count=len(w.rules))
                    share = capacity_for(post)
                    cut = thresholds_after_rules(
                        risk, rules, np.full(risk.size, post), share, default=share
                    )
                    w.threshold, w.fresh = cut[post], 0
                out[post] = w.threshold
        return out

    def rules_share(self, kind: str, post: str) -> float | None:
        """The share of the post's window referred by rules alone (None before any case)."""
        with self._lock:
            w = self._posts.get((kind, post))
            return w.ruled / len(w.rules) if w is not None and w.rules else None
