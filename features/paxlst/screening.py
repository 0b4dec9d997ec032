"""Screening a passenger list: every person's reasons and whether to refer them on arrival.

There is no model for pre-arrival passengers yet: a person is referred when one of the
referring indicators of :mod:`features.paxlst.indicators` fires (the booth's rules, plus the
links only a list shows), and every indicator that fires is a reason with its evidence. The
answer is a plain record per person, ready to store and to hand to the booth.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from mizugiwa.features.contract import Reason
from mizugiwa.features.indicators.registry import Column
from mizugiwa.features.paxlst.batch import PassengerBatch
from mizugiwa.features.paxlst.indicators import (
    PASSENGER_FEATURES,
    REFERRING,
    ScreeningContext,
)
from mizugiwa.features.paxlst.model import PassengerList


@dataclass(frozen=True)
class PersonScreen:
    """One person's screening: ``refer``, the ``reasons`` (every indicator that fired, the
    referring ones first) and the codes that referred (``rule_codes``)."""

    refer: bool
    reasons: list[Reason] = field(default_factory=list)
    rule_codes: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "refer": self.refer,
            "rule_codes": self.rule_codes,
            "reasons": [reason.model_dump(mode="json") for reason in self.reasons],
        }


@dataclass(frozen=True)
class ListScreen:
    """The screening of a list: one :class:`PersonScreen` per person, in list order;
    ``degraded`` says what could not be looked up."""

    persons: list[PersonScreen]
    degraded: list[str] = field(default_factory=list)


def screen_list(pax: PassengerList, ctx: ScreeningContext) -> ListScreen:
    """Every person of ``pax`` screened (see the module doc)."""
    batch = PassengerBatch.from_list(pax)
    n = len(batch)
    reasons: list[list[Reason]] = [[] for _ in range(n)]
    for ind in PASSENGER_FEATURES:
        result = ind.compute(batch, ctx)
        column = result if isinstance(result, Column) else Column(result)
        for i in np.flatnonzero(ind.fired(column.values)):
            value = float(column.values[i])
            reasons[int(i)].append(
                Reason(
                    code=ind.code,
                    concern=ind.concern,
                    text_en=ind.text_en,
                    text_ja=ind.text_ja,
                    evidence=ind.evidence(ind.name, value, column.details.get(int(i), {})),
                    weight=1.0 if ind.code in REFERRING else 0.0,
                )
            )
    persons = []
    for found in reasons:
        found.sort(key=lambda reason: -reason.weight)
        rules = [reason.code for reason in found if reason.code in REFERRING]
        persons.append(PersonScreen(refer=bool(rules), reasons=found, rule_codes=rules))
    degraded = [] if ctx.features is not None else ["trafficking database not loaded"]
    return ListScreen(persons=persons, degraded=degraded)
