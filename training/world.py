"""A training folder read into columns: features as of each record's date, rules, labels, truth.

Reading is the same whoever wrote the files (the synthetic world or an agency's export). The
database snapshot answers every lookup *as of* the case's date, and the network history counts
only strictly earlier applications, so no case learns from what was recorded after it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import orjson

from mizugiwa.features.indicators import (
    ApplicationBatch,
    EntryBatch,
    FeatureContext,
    FeatureMatrix,
    RuleMatrix,
    compute_entry_features,
    compute_features,
    compute_rules,
)
from mizugiwa.features.network import NetworkHistory
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


@dataclass
class CaseSet:
    """One kind of case (applications or entries) as aligned columns."""

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
    files: DataFiles
    ctx: FeatureContext
    applications: CaseSet
    entries: CaseSet | None
    unmatched_outcomes: int


def _read_lines(path: Any) -> list[dict[str, Any]]:
    rows = []
    with open(path, "rb") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                rows.append(orjson.loads(line))
            except orjson.JSONDecodeError as exc:
                raise DatasetError(f"{path.name} line {number}: not JSON ({exc})") from exc
    return rows


def build_context(files: DataFiles) -> FeatureContext:
    """The trafficking database snapshot and watchlist index from ``tipdb.jsonl`` (if any)."""
    from mizugiwa.features.tipdb.snapshot import Snapshot

    if files.tipdb is None:
        return FeatureContext(snapshot=Snapshot.from_entities([]))
    from mizugiwa.features.matching import WatchlistIndex

    lines = _read_lines(files.tipdb)
    return FeatureContext(
        snapshot=Snapshot.from_jsonl(files.tipdb), index=WatchlistIndex.build(lines)
    )


def _groups(protected: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    return {
        "nationality": np.asarray(protected["nationality"], dtype=object),
        "sex": np.asarray(protected["sex"], dtype=object),
        "age_band": age_band(np.asarray(protected["age"], dtype=np.float64)),
    }


def load_world(files: DataFiles, step: Any = None) -> World:
    """Read every file and compute features, rules and labels for applications and entries.

    ``step(name)`` is called before each long step (progress reporting).
    """
    tick = step or (lambda _name: None)
    tick("reading applications")
    rows = _read_lines(files.applications)
    if not rows:
        raise DatasetError(f"{files.applications.name}: no applications")
    batch = ApplicationBatch.from_dicts(rows)
    legacy = legacy_scores(rows)
    tick("reading the trafficking database")
    ctx = build_context(files)
    ctx.history = NetworkHistory.from_batch(batch)
    tick("computing application features")
    fm = compute_features(batch, ctx)
    rm = compute_rules(batch, ctx)
    tick("reading outcomes")
    outcomes = read_outcomes(files.outcomes)
    ids = np.asarray(batch.application_id, dtype=object)
    labels, unmatched_apps = align_labels(ids, outcomes)
    truth = read_truth(files.truth, ids) if files.truth else None
    when = batch.submitted_s.astype("datetime64[s]")
    apps = CaseSet(
        batch,
        ids,
        np.asarray(batch.post_code).astype(str),
        when,
        fm,
        rm,
        legacy,
        labels,
        truth,
        _groups(batch.protected),
    )

    entries = None
    unmatched = unmatched_apps
    if files.entries is not None:
        tick("computing entry features")
        entry_rows = _read_lines(files.entries)
        if entry_rows:
            wanted = {e.get("visa_reference") for e in entry_rows}
            by_id = {r["application_id"]: r for r in rows if r.get("application_id") in wanted}
            ebatch = EntryBatch.from_dicts(entry_rows, by_id)
            efm = compute_entry_features(ebatch, ctx)
            erm = compute_rules(ebatch, ctx)
            eids = np.asarray(ebatch.entry_id, dtype=object)
            elabels, unmatched_entries = align_labels(eids, outcomes)
            # An outcome matches either an application or an entry, never both.
            unmatched = unmatched_apps + unmatched_entries - len(outcomes)
            etruth = read_truth(files.truth, eids) if files.truth else None
            linked_protected = (
                {
                    k: ebatch.linked(np.asarray(v), fill=None if v.dtype == object else np.nan)
                    for k, v in ebatch.applications.protected.items()
                }
                if len(ebatch.applications)
                else {
                    "nationality": np.full(len(ebatch), None, dtype=object),
                    "sex": np.full(len(ebatch), None, dtype=object),
                    "age": np.full(len(ebatch), np.nan),
                }
            )
            entries = CaseSet(
                ebatch,
                eids,
                np.asarray(ebatch.port_code).astype(str),
                ebatch.arrived_s.astype("datetime64[s]"),
                efm,
                erm,
                legacy_entry_scores(entry_rows),
                elabels,
                etruth,
                _groups(linked_protected),
            )
    return World(
        files=files,
        ctx=ctx,
        applications=apps,
        entries=entries,
        unmatched_outcomes=max(unmatched, 0),
    )
