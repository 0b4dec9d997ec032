"""What a search returns: :class:`Candidate`, and the default match thresholds per kind."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

KINDS = ("person", "organisation", "phone", "address", "travel_document")

#: Score at or above which a candidate is reported as a ``match``, per kind. Names: 0.80 lets a
#: left-out second family name or middle name through (0.83) but not a different given name
#: (0.50) nor the same name with a different year of birth (0.65). Phones and documents are
#: exact keys (1.0 or nothing). See docs/matching.md for how to move them.
DEFAULT_THRESHOLDS: Mapping[str, float] = {
    "person": 0.80,
    "organisation": 0.80,
    "phone": 0.99,
    "address": 0.85,
    "travel_document": 0.99,
}

#: One line of an explanation: feature name, its value or weight, and a sentence for people.
Feature = tuple[str, float, str]


@dataclass(frozen=True, slots=True)
class Candidate:
    """An entity of the trafficking database that may be what was asked for.

    ``score`` is in 0..1; ``match`` is ``score >= threshold`` for the kind; ``explanation``
    lists the features that moved the score, in order; ``names`` the entity's names (or
    number, address) that produced the score, best first; ``entity`` the database record as
    its import-format dict.
    """

    id: str
    kind: str
    score: float
    match: bool
    explanation: tuple[Feature, ...]
    entity: Mapping[str, Any]
    names: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form: ``id``, ``kind``, ``score``, ``match``, ``names``, ``explanation``."""
        return {
            "id": self.id,
            "kind": self.kind,
            "score": round(self.score, 4),
            "match": self.match,
            "names": list(self.names),
            "explanation": [
                {"feature": name, "value": round(value, 4), "text": text}
                for name, value, text in self.explanation
            ],
        }
