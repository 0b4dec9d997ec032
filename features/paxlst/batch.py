"""A passenger list as columns, for indicators that compute over the whole list at once.

Each row is one person; the as-of date of every lookup is the arrival date of the person's leg
(UTC day), so the trafficking database answers as it stood when the person lands.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any, TypeVar

import numpy as np

from mizugiwa.features.normalise import document_key, document_number, sponsor_key
from mizugiwa.features.paxlst.model import PassengerList

_T = TypeVar("_T")
_EPOCH = date(1970, 1, 1)


def _days(value: date | None) -> float:
    return float((value - _EPOCH).days) if value is not None else np.nan


def _objects(values: list[Any]) -> np.ndarray:
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


@dataclass
class PassengerBatch:
    """The persons of one list, column by column (see the module doc)."""

    pax: PassengerList
    family_name: np.ndarray
    given_names: np.ndarray
    birth_day: np.ndarray  # float days since 1970, NaN unknown
    day: np.ndarray  # arrival day of the person's leg
    departure_day: np.ndarray  # departure day of the person's first leg (NaN unknown)
    document_key: np.ndarray  # number|state, None without a document
    document_number: np.ndarray  # normalised number, None without a document
    expiry_day: np.ndarray
    booking: np.ndarray  # booking reference (RFF+AVF), None without one
    crew: np.ndarray  # bool
    leg: np.ndarray  # int, index into pax.legs
    _memo: dict[Any, Any] = field(default_factory=dict, repr=False)

    def __len__(self) -> int:
        return len(self.family_name)

    def memo(self, key: Any, compute: Callable[[], _T]) -> _T:
        """Compute a derived value once per list (shared by several indicators)."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    def person_key(self) -> np.ndarray:
        """Name and birth date as the watchlist's exact key; None without a birth date."""

        def compute() -> np.ndarray:
            keys: list[str | None] = []
            for family, given, born in zip(
                self.family_name, self.given_names, self.birth_day, strict=True
            ):
                if np.isnan(born):
                    keys.append(None)
                else:
                    dob = date.fromordinal(_EPOCH.toordinal() + int(born))
                    keys.append(sponsor_key([family, given], dob))
            return _objects(keys)

        return self.memo("person_key", compute)

    @property
    def age(self) -> np.ndarray:
        """Age in whole years on arrival (NaN without a birth date)."""
        return np.floor((self.day - self.birth_day) / 365.2425)

    @classmethod
    def from_list(cls, pax: PassengerList) -> PassengerBatch:
        n = len(pax.persons)
        first_departure = next((leg.departs for leg in pax.legs if leg.departs), None)
        legs = [pax.leg_of(person) for person in pax.persons]

        def arrival_day(k: int) -> float:
            leg = pax.legs[k]
            when: datetime = leg.arrives or leg.departs or pax.prepared_at
            return _days(when.astimezone(UTC).date())

        docs = [person.document for person in pax.persons]
        return cls(
            pax=pax,
            family_name=_objects([p.family_name for p in pax.persons]),
            given_names=_objects([p.given_names for p in pax.persons]),
            birth_day=np.array([_days(p.date_of_birth) for p in pax.persons], dtype=np.float64),
            day=np.array([arrival_day(k) for k in legs], dtype=np.float64).reshape(n),
            departure_day=np.full(n, _days(first_departure.date()) if first_departure else np.nan),
            document_key=_objects(
                [document_key(d.number, d.issuing_state or "") if d else None for d in docs]
            ),
            document_number=_objects([document_number(d.number) if d else None for d in docs]),
            expiry_day=np.array([_days(d.expiry if d else None) for d in docs], dtype=np.float64),
            booking=_objects([p.booking_reference for p in pax.persons]),
            crew=np.array([p.is_crew for p in pax.persons], dtype=bool),
            leg=np.array(legs, dtype=np.int64),
        )
