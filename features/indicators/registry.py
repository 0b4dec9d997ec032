"""How an indicator or a rule is declared, and the matrices they fill.

An :class:`Indicator` is one small pure function from a batch (and the as-of context) to one
column, with what an officer reads beside it: a stable reason code, the concern it supports, a
sentence in English and in Japanese, a vectorised ``fires`` threshold that decides when it is shown
as a reason, and an evidence formatter. The function's docstring is the feature's documentation,
including what ``NaN`` means for it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

import numpy as np

from mizugiwa.features.records import Concern

B = TypeVar("B")
Details = dict[int, dict[str, Any]]


@dataclass(frozen=True)
class Column:
    """An indicator's values and, for some rows, the records behind them (ids, not names)."""

    values: np.ndarray
    details: Details = field(default_factory=dict)


def _value_evidence(name: str, value: float, details: Mapping[str, Any]) -> dict[str, Any]:
    rounded: float | int = round(value, 3)
    if float(rounded).is_integer():
        rounded = int(rounded)
    return {name: rounded, **details}


@dataclass(frozen=True)
class Indicator(Generic[B]):
    """One feature column with its reason text (see the module doc)."""

    name: str
    code: str
    concern: Concern | None
    text_en: str
    text_ja: str
    compute: Callable[[B, Any], np.ndarray | Column]
    fires: Callable[[np.ndarray], np.ndarray] | None
    evidence: Callable[[str, float, Mapping[str, Any]], dict[str, Any]] = _value_evidence

    @property
    def doc(self) -> str:
        """The function's docstring: what it measures and what NaN means."""
        return " ".join((self.compute.__doc__ or "").split())

    def fired(self, values: np.ndarray) -> np.ndarray:
        """Where the indicator is shown as a reason (never where the value is NaN)."""
        if self.fires is None:
            return np.zeros(values.shape, dtype=bool)
        with np.errstate(invalid="ignore"):
            return np.asarray(self.fires(values), dtype=bool) & ~np.isnan(values)


@dataclass(frozen=True)
class Rule:
    """A rule refers regardless of any model. ``check`` computes, for a batch of the kind of
    case the rule belongs to, a column that is 1 where the rule fires, with the evidence.

    A rule belongs to one kind of case (its spec lists it); a check that applies to two kinds is
    two rules sharing a code and texts, one per kind (:meth:`for_kind`)."""

    code: str
    concern: Concern | None
    text_en: str
    text_ja: str
    check: Callable[[Any, Any], Column]

    @property
    def doc(self) -> str:
        """The docstring of its check."""
        return " ".join((self.check.__doc__ or "").split())

    def with_check(self, check: Callable[[Any, Any], Column]) -> Rule:
        """The same rule (code and texts) checked by ``check``: for another kind of case."""
        return Rule(self.code, self.concern, self.text_en, self.text_ja, check)


def indicator(
    registry: list[Indicator[Any]],
    *,
    code: str,
    concern: Concern | None,
    en: str,
    ja: str,
    fires: Callable[[np.ndarray], np.ndarray] | None,
) -> Callable[[Callable[[B, Any], np.ndarray | Column]], Callable[[B, Any], np.ndarray | Column]]:
    """Declare the decorated function as an indicator named after it, appended to ``registry``."""

    def register(
        fn: Callable[[B, Any], np.ndarray | Column],
    ) -> Callable[[B, Any], np.ndarray | Column]:
        registry.append(
            Indicator(
                name=fn.__name__,
                code=code,
                concern=concern,
                text_en=en,
                text_ja=ja,
                compute=fn,
                fires=fires,
            )
        )
        return fn

    return register


@dataclass(frozen=True)
class FeatureMatrix:
    """Indicator values: ``values`` float32 ``[n, k]`` in the order of ``names``.

    ``details`` keeps, per indicator name and row, the database records behind a value;
    ``victim_match`` flags rows matching a known victim (protection guidance only, never a
    feature) with ``victim_details`` beside it.
    """

    values: np.ndarray
    names: list[str]
    codes: list[str]
    details: dict[str, Details]
    victim_match: np.ndarray
    victim_details: Details = field(default_factory=dict)

    def column(self, name: str) -> np.ndarray:
        """One indicator's values."""
        return self.values[:, self.names.index(name)]

    def row(self, i: int) -> dict[str, float]:
        """One case's values by indicator name."""
        return dict(zip(self.names, self.values[i].tolist(), strict=True))


@dataclass(frozen=True)
class RuleMatrix:
    """Where each rule fired: ``fired`` bool ``[n, r]`` in the order of ``codes``, with the
    evidence per rule code and row."""

    fired: np.ndarray
    codes: list[str]
    evidence: dict[str, Details]

    def any(self) -> np.ndarray:
        """Rows referred by at least one rule."""
        return np.asarray(self.fired.any(axis=1))
