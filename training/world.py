"""A training folder read into columns: features as of each record's date, rules, labels, truth.

Reading is the same whoever wrote the files (the synthetic world or an agency's export), and the
same for every registered kind of case (``mizugiwa.features.kinds``): each kind's records file is
read into its batch, linked to the records of the kind it names, and its indicators and rules
computed. The feature context comes from the one factory: the database snapshot answers every
lookup *as of* the case's date, and the network history counts only strictly earlier cases, so
no case learns from what was recorded after it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from mizugiwa.features.context_factory import feature_context, read_lookups
from mizugiwa.features.indicators import FeatureContext, FeatureMatrix, RuleMatrix
from mizugiwa.features.jsonl import JsonLinesError, read_objects
from mizugiwa.features.kinds import CaseKindSpec, kinds
from mizugiwa.training.datasets import (
    DataFiles,
    DatasetError,
    Labels,
    Truth,
    align_labels,
    read_outcomes,
    read_truth,
)
from mizugiwa.training.fairness import age_band
from mizugiwa.training.legacy_rules import legacy_entry_scores, legacy_scores

#: The checklist each kind of case was screened with before any model (the "rules" baseline);
#: a kind without one scores zero.
LEGACY: dict[str, Callable[[Sequence[Mapping[str, Any]]], np.ndarray]] = {
    "application": legacy_scores,
    "entry": legacy_entry_scores,
}
PRIMARY = "application"


@dataclass
class CaseSet:
    """One kind of case as aligned columns."""

    batch: Any
    ids: np.ndarray
    posts: np.ndarray
    when: np.ndarray  # datetime64[s]
    fm: FeatureMatrix
    rm: RuleMatrix
    legacy: np.ndarray
    labels: Labels
    truth: Truth | None
    groups: dict[str, np.ndarray]

    def __len__(self) -> int:
        return int(self.ids.size)


@dataclass
class World:
    """Every kind of case of a training folder, by kind name, and their shared context."""

    files: DataFiles
    ctx: FeatureContext
    cases: dict[str, CaseSet]
    unmatched_outcomes: int

    @property
    def applications(self) -> CaseSet:
        """The visa applications (every training folder has them)."""
        return self.cases[PRIMARY]

    @property
    def entries(self) -> CaseSet | None:
        return self.cases.get("entry")


def _read(path: Any) -> list[dict[str, Any]]:
    try:
        return read_objects(path)
    except JsonLinesError as exc:
        raise DatasetError(str(exc)) from exc


def build_context(files: DataFiles, batches: Sequence[Any] = ()) -> FeatureContext:
    """The context of a training run: the database of ``tipdb.jsonl`` (if any) and a network
    history of ``batches``."""
    try:
        lookups = read_lookups(tipdb=files.tipdb)
    except JsonLinesError as exc:
        raise DatasetError(str(exc)) from exc
    return feature_context(lookups, batches=batches)


def _groups(protected: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    return {
        "nationality": np.asarray(protected["nationality"], dtype=object),
        "sex": np.asarray(protected["sex"], dtype=object),
        "age_band": age_band(np.asarray(protected["age"], dtype=np.float64)),
    }


def _linked_rows(
    spec: CaseKindSpec, rows: list[dict[str, Any]], read: dict[str, list[dict[str, Any]]]
) -> dict[str, dict[str, Any]]:
    """The records of the linked kind that ``rows`` name, by id."""
    if spec.link is None:
        return {}
    from mizugiwa.features.kinds import kind

    other = kind(spec.link.kind)
    wanted = {r.get(spec.link.field) for r in rows}
    return {
        r[other.id_field]: r for r in read.get(other.name, []) if r.get(other.id_field) in wanted
    }


def load_world(files: DataFiles, step: Any = None) -> World:
    """Read every file and compute features, rules and labels for every kind of case.

    ``step(name)`` is called before each long step (progress reporting).
    """
    tick = step or (lambda _name: None)
    read: dict[str, list[dict[str, Any]]] = {}
    batches: dict[str, Any] = {}
    for spec in kinds():
        path = files.case_file(spec.name)
        if path is None:
            continue
        tick(f"reading {spec.file}")
        rows = _read(path)
        if not rows:
            if spec.name == PRIMARY:
                raise DatasetError(f"{path.name}: no applications")
            continue
        read[spec.name] = rows
        batches[spec.name] = spec.read(rows, _linked_rows(spec, rows, read))
    if PRIMARY not in batches:
        raise DatasetError(f"{files.applications.name}: no applications")
    tick("reading the trafficking database")
    specs = [spec for spec in kinds() if spec.name in batches]
    ctx = build_context(files, [batches[s.name] for s in specs if s.feeds_history])
    tick("reading outcomes")
    outcomes = read_outcomes(files.outcomes)
    cases: dict[str, CaseSet] = {}
    unmatched = 0
    for spec in specs:
        tick(f"computing {spec.name} features")
        batch = batches[spec.name]
        ids = np.asarray(getattr(batch, spec.id_field), dtype=object)
        labels, unmatched_here = align_labels(ids, outcomes)
        unmatched += unmatched_here
        legacy = LEGACY.get(spec.name)
        cases[spec.name] = CaseSet(
            batch,
            ids,
            np.asarray(getattr(batch, spec.post_field)).astype(str),
            batch.when_s.astype("datetime64[s]"),
            spec.features(batch, ctx),
            spec.rule_matrix(batch, ctx),
            legacy(read[spec.name]) if legacy else np.zeros(len(batch)),
            labels,
            read_truth(files.truth, ids) if files.truth else None,
            _groups(batch.protected),
        )
    # An outcome matches at most one case of one kind.
    unmatched -= (len(cases) - 1) * len(outcomes)
    return World(files=files, ctx=ctx, cases=cases, unmatched_outcomes=max(unmatched, 0))
