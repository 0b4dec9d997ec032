"""Quality of the matcher on labelled pairs: precision and recall at the default thresholds.

A pair file holds one JSON object per line: ``kind``, ``query``, optional ``dob``,
``nationality``, ``issuing_state``, ``default_region``, the candidate ``entity`` (import
format), ``label`` (true when the query names that entity) and ``category`` (the variant or
hard non-match it exercises); the pairs of ``tests/data/`` also carry ``language``, ``system``
and ``reason``, and the report gives precision and recall per language and kind. All
entities are indexed together, so every query also meets the other pairs' entities, as it
would in the database; a pair is predicted a match when its entity comes back with ``match``
true.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mizugiwa.features.jsonl import JsonLinesError, iter_objects
from mizugiwa.features.matching.index import WatchlistIndex


@dataclass
class PairOutcome:
    """One pair's label, prediction and score."""

    pair_id: str
    category: str
    label: bool
    predicted: bool
    score: float
    group: str = ""


@dataclass
class QualityReport:
    """Confusion counts, precision and recall, and the pairs that were wrong."""

    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0
    true_negatives: int = 0
    errors: list[PairOutcome] = field(default_factory=list)
    by_category: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    #: confusion counts [tp, fp, fn, tn] per "language/kind" of the pairs
    by_group: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0] * 4))

    @property
    def precision(self) -> float:
        """Share of predicted matches that are labelled matches (1.0 when none predicted)."""
        predicted = self.true_positives + self.false_positives
        return self.true_positives / predicted if predicted else 1.0

    @property
    def recall(self) -> float:
        """Share of labelled matches that were predicted (1.0 when none labelled)."""
        actual = self.true_positives + self.false_negatives
        return self.true_positives / actual if actual else 1.0

    def summary(self) -> dict[str, Any]:
        """JSON-ready figures."""
        return {
            "pairs": self.true_positives
            + self.false_positives
            + self.false_negatives
            + self.true_negatives,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "tp": self.true_positives,
            "fp": self.false_positives,
            "fn": self.false_negatives,
            "tn": self.true_negatives,
            "by_group": {group: _rates(*counts) for group, counts in sorted(self.by_group.items())},
            "errors": [
                {
                    "pair": e.pair_id,
                    "group": e.group,
                    "category": e.category,
                    "label": e.label,
                    "score": e.score,
                }
                for e in self.errors
            ],
        }


def _rates(tp: int, fp: int, fn: int, tn: int) -> dict[str, Any]:
    """Pairs, precision and recall of one group's confusion counts."""
    return {
        "pairs": tp + fp + fn + tn,
        "precision": round(tp / (tp + fp), 4) if tp + fp else 1.0,
        "recall": round(tp / (tp + fn), 4) if tp + fn else 1.0,
        "fp": fp,
        "fn": fn,
    }


def read_pairs(path: str | Path) -> list[dict[str, Any]]:
    """The pairs of a JSON Lines file (raises :class:`~mizugiwa.features.jsonl.JsonLinesError`,
    a ``ValueError``, naming the line and the field of a bad one)."""
    pairs = []
    for number, pair in iter_objects(path):
        for name in ("kind", "query", "entity", "label"):
            if name not in pair:
                raise JsonLinesError(f"{path}:{number}: field '{name}' is missing")
        pairs.append(pair)
    return pairs


def evaluate(
    pairs: list[dict[str, Any]], thresholds: Mapping[str, float] | None = None
) -> QualityReport:
    """Index every pair's entity, run every query, and count agreements with the labels."""
    index = WatchlistIndex.build((p["entity"] for p in pairs), thresholds=thresholds)
    report = QualityReport()
    for pair in pairs:
        options = {
            name: pair[name]
            for name in ("dob", "nationality", "issuing_state", "default_region")
            if pair.get(name)
        }
        found = index.search(pair["kind"], pair["query"], limit=100, **options)
        target = next((c for c in found if c.id == pair["entity"]["id"]), None)
        predicted = target is not None and target.match
        label = bool(pair["label"])
        outcome = PairOutcome(
            str(pair.get("pair_id", "")),
            str(pair.get("category", "")),
            label,
            predicted,
            round(target.score, 4) if target else 0.0,
            f"{pair.get('language', pair['kind'])}/{pair['kind']}",
        )
        counts = report.by_category[outcome.category]
        counts[0] += 1
        cell = 0 if predicted and label else 1 if predicted else 2 if label else 3
        report.by_group[outcome.group][cell] += 1
        if cell == 0:
            report.true_positives += 1
        elif cell == 1:
            report.false_positives += 1
        elif cell == 2:
            report.false_negatives += 1
        else:
            report.true_negatives += 1
        if predicted != label:
            counts[1] += 1
            report.errors.append(outcome)
    return report


_SAME_NAME_PAIRINGS = frozenset(
    ["token_exact", "token_variant", "token_script_variant", "token_joined"]
)


def _same_name(candidate: Any) -> bool:
    """Every token paired as equal or a romanisation variant, nothing left over: a namesake."""
    names = {name for name, _, _ in candidate.explanation}
    pairings = {name for name in names if name.startswith("token_")}
    return bool(pairings) and pairings <= _SAME_NAME_PAIRINGS


def sponsor_screening(
    index: WatchlistIndex, applications: Iterable[Mapping[str, Any]]
) -> dict[str, Any]:
    """How many applications' sponsor persons come back as a person ``match``.

    Every distinct sponsor (family name, given names, date of birth) is searched once without
    and once with its date of birth (when the application gives one); matches are split into
    namesakes (same name up to romanisation: only a date of birth can tell them apart) and
    other names (a different or partial name declared the same person).
    """
    sponsors: dict[tuple[str, str, str], int] = defaultdict(int)
    total = 0
    for application in applications:
        total += 1
        sponsor = application.get("sponsor") or {}
        if sponsor.get("family_name") and sponsor.get("given_names"):
            key = (sponsor["family_name"], sponsor["given_names"], sponsor.get("date_of_birth", ""))
            sponsors[key] += 1
    with_person = sum(sponsors.values())
    out: dict[str, Any] = {"applications": total, "with_sponsor_person": with_person}
    for mode in ("without_dob", "with_dob"):
        namesake = other = 0
        examples: list[str] = []
        for (family, given, dob), count in sponsors.items():
            query_dob = dob if mode == "with_dob" and dob else None
            found = index.search("person", f"{given} {family}", dob=query_dob)
            matches = [c for c in found if c.match]
            if not matches:
                continue
            if all(_same_name(c) for c in matches):
                namesake += count
            else:
                other += count
                if len(examples) < 8:
                    worst = next(c for c in matches if not _same_name(c))
                    examples.append(f"{given} {family} ~ {worst.names[0]} ({worst.score:.3f})")
        out[mode] = {
            "applications_matched": namesake + other,
            "share_of_applications": round((namesake + other) / max(1, total), 4),
            "namesakes": namesake,
            "other_names": other,
            "other_name_examples": examples,
        }
    return out
