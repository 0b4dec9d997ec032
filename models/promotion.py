"""Promotion of a registered version to ``champion``, behind two gates.

1. **Fairness**: the version's run passed the fairness report (false-positive-rate ratios of every
   measurable nationality, sex and age-band group within bounds).
2. **Not worse**: its recall at capacity is not below the current champion's *on the same test
   period*. ``mizugiwa train`` scores the champion of the day on the new run's test period and logs
   that figure next to the challenger's, so the comparison is like for like. When the champion has
   changed since, the champion's own run is used only if it was tested on the same period and data.

``--force`` overrides failed gates only with a reason, which is kept on the version (tags and
description) so an auditor sees who overrode what and why.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from mizugiwa.models.registry import CHAMPION, client, get_version, set_alias, version_for_alias
from mizugiwa.settings import Settings, get_settings

if TYPE_CHECKING:
    from mlflow.entities import Run

# Metric and tag names a training run logs for the gates (see training/train.py).
GATE_METRIC = "gate.recall_at_capacity"
CHAMPION_METRIC = "champion.recall_at_capacity"
FAIRNESS_METRIC = "fairness.passed"
TAG_COMPARED_CHAMPION = "mizugiwa.compared_champion_version"
TAG_TEST_PERIOD = "mizugiwa.test_period"
TAG_DATASET = "mizugiwa.dataset_digest"
TAG_FAIRNESS_FAILURES = "mizugiwa.fairness_failures"


class PromotionError(ValueError):
    """The promotion request itself is invalid (unknown version, --force without a reason)."""


@dataclass(frozen=True)
class GateCheck:
    name: str
    passed: bool
    detail: str


@dataclass(frozen=True)
class PromotionResult:
    version: str
    promoted: bool
    forced: bool
    previous_champion: str | None
    gates: list[GateCheck] = field(default_factory=list)

    @property
    def gates_passed(self) -> bool:
        return all(g.passed for g in self.gates)

    def to_dict(self) -> dict[str, object]:
        return {
            "version": self.version,
            "promoted": self.promoted,
            "forced": self.forced,
            "previous_champion": self.previous_champion,
            "gates_passed": self.gates_passed,
            "gates": [g.__dict__ for g in self.gates],
        }


def _metric(run: Run, key: str) -> float | None:
    value = run.data.metrics.get(key)
    return None if value is None or math.isnan(value) else float(value)


def fairness_gate(run: Run) -> GateCheck:
    """Passed when the run's fairness report passed."""
    value = _metric(run, FAIRNESS_METRIC)
    if value is None:
        return GateCheck("fairness", False, "the run logged no fairness result")
    if value >= 1.0:
        return GateCheck("fairness", True, "every measurable group within bounds")
    failures = run.data.tags.get(TAG_FAIRNESS_FAILURES, "see fairness_report.md")
    return GateCheck("fairness", False, f"outside bounds: {failures}")


def not_worse_gate(
    candidate: Run,
    champion_version: str | None,
    champion_run: Run | None,
    *,
    tolerance: float = 0.0,
) -> GateCheck:
    """Passed when the candidate's recall at capacity is not below the champion's, like for like."""
    mine = _metric(candidate, GATE_METRIC)
    if mine is None:
        return GateCheck("not_worse", False, f"the run logged no {GATE_METRIC}")
    if champion_version is None:
        return GateCheck("not_worse", True, "no champion yet")
    if candidate.data.tags.get(TAG_COMPARED_CHAMPION) == champion_version:
        theirs = _metric(candidate, CHAMPION_METRIC)
        where = f"champion v{champion_version} scored on this run's test period"
    elif champion_run is not None and all(
        champion_run.data.tags.get(t) is not None
        and champion_run.data.tags.get(t) == candidate.data.tags.get(t)
        for t in (TAG_TEST_PERIOD, TAG_DATASET)
    ):
        theirs = _metric(champion_run, GATE_METRIC)
        where = f"champion v{champion_version}'s run on the same test period and data"
    else:
        return GateCheck(
            "not_worse",
            False,
            f"champion v{champion_version} was not evaluated on this run's test period; "
            "retrain while it is champion to compare them",
        )
    if theirs is None:
        return GateCheck("not_worse", False, f"no recall at capacity for {where}")
    passed = mine >= theirs - tolerance
    verdict = "not worse than" if passed else "worse than"
    return GateCheck(
        "not_worse", passed, f"recall at capacity {mine:.4f} {verdict} {theirs:.4f} ({where})"
    )


def promote(
    version: str | int,
    *,
    force: bool = False,
    reason: str | None = None,
    settings: Settings | None = None,
    tolerance: float = 0.0,
) -> PromotionResult:
    """Move ``champion`` to ``version`` when the gates pass (or when forced, with a reason)."""
    s = settings if settings is not None else get_settings()
    reason = (reason or "").strip()
    if force and not reason:
        raise PromotionError("--force needs --reason: say why the gates are overridden")
    c = client(s)
    mv = get_version(version, settings=s)
    version = str(mv.version)
    if mv.run_id is None:
        raise PromotionError(f"version {version} has no training run; it cannot be gated")
    candidate = c.get_run(mv.run_id)
    current = version_for_alias(CHAMPION, settings=s)
    current_version = None if current is None else str(current.version)
    if current_version == version:
        raise PromotionError(f"version {version} is already the champion")
    champion_run = c.get_run(current.run_id) if current is not None and current.run_id else None

    gates = [
        fairness_gate(candidate),
        not_worse_gate(candidate, current_version, champion_run, tolerance=tolerance),
    ]
    passed = all(g.passed for g in gates)
    if not passed and not force:
        return PromotionResult(version, False, False, current_version, gates)

    name = s.registered_model_name
    now = datetime.now(UTC).isoformat(timespec="seconds")
    set_alias(CHAMPION, version, settings=s)
    forced = not passed
    c.set_model_version_tag(name, version, "promotion.at", now)
    c.set_model_version_tag(name, version, "promotion.previous_champion", current_version or "")
    c.set_model_version_tag(name, version, "promotion.forced", str(forced).lower())
    if forced:
        failed = "; ".join(f"{g.name}: {g.detail}" for g in gates if not g.passed)
        c.set_model_version_tag(name, version, "promotion.reason", reason)
        c.set_model_version_tag(name, version, "promotion.failed_gates", failed)
        note = f"Forced to champion on {now}. Reason: {reason}. Gates overridden: {failed}"
        description = f"{mv.description}\n\n{note}" if mv.description else note
        c.update_model_version(name, version, description=description)
    elif reason:
        c.set_model_version_tag(name, version, "promotion.reason", reason)
    return PromotionResult(version, True, forced, current_version, gates)
