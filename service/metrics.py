"""Prometheus metrics, in a registry of the app's own (so that tests can build many apps)."""

from __future__ import annotations

from dataclasses import dataclass, field

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

_LATENCY_BUCKETS = (0.001, 0.002, 0.003, 0.005, 0.0075, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0)


@dataclass
class Metrics:
    """The service's metrics; ``registry`` is what ``GET /metrics`` exposes."""

    registry: CollectorRegistry = field(default_factory=CollectorRegistry)

    def __post_init__(self) -> None:
        r = self.registry
        self.latency = Histogram(
            "mizugiwa_request_seconds",
            "Request latency by route and status class.",
            ["route", "method", "status"],
            buckets=_LATENCY_BUCKETS,
            registry=r,
        )
        self.scores = Counter(
            "mizugiwa_scores_total", "Scores returned, by kind.", ["kind"], registry=r
        )
        self.referrals = Counter(
            "mizugiwa_referrals_total",
            "Scores that referred to interview, by kind and by what referred.",
            ["kind", "by"],
            registry=r,
        )
        self.rule_hits = Counter(
            "mizugiwa_rule_hits_total", "Rules fired, by rule code.", ["rule"], registry=r
        )
        self.degraded = Counter(
            "mizugiwa_degraded_scores_total", "Scores answered in degraded mode.", registry=r
        )
        self.model_version = Gauge(
            "mizugiwa_model_info",
            "The model in service (value 1), labelled with its name and version.",
            ["name", "version"],
            registry=r,
        )
        self.rule_share = Gauge(
            "mizugiwa_rule_referral_share",
            "Share of a post's recent cases (rolling window) referred by rules alone.",
            ["kind", "post"],
            registry=r,
        )
        self.rules_over_capacity = Gauge(
            "mizugiwa_rules_over_capacity",
            "1 when rules alone refer more of a post's recent cases than it can interview "
            "(the model then refers none there), else 0.",
            ["kind", "post"],
            registry=r,
        )
        self.model_reloads = Counter(
            "mizugiwa_model_reloads_total", "Champion reloads, by result.", ["result"], registry=r
        )

    def set_rule_share(self, kind: str, post: str, share: float, capacity: float) -> None:
        """Record a post's rule referral share and whether it exceeds its capacity."""
        self.rule_share.labels(kind=kind, post=post).set(share)
        self.rules_over_capacity.labels(kind=kind, post=post).set(float(share > capacity))

    def set_model(self, name: str, version: str) -> None:
        """Label the model in service (only one series is kept)."""
        self.model_version.clear()
        self.model_version.labels(name=name, version=version).set(1)
