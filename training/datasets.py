"""Training data from a folder of JSON Lines files, whoever wrote them.

The folder holds the files docs/design.md documents: ``applications.jsonl`` (required),
``outcomes.jsonl`` (required: the labels), ``entries.jsonl`` and ``tipdb.jsonl`` (optional), and,
for synthetic worlds only, ``truth.jsonl`` (used for evaluation, never for training).

Labels exist only for interviewed cases (selective labels). Interviews come from two kinds of
referral: a *policy* (rules, officers, earlier models), which interviews the cases it flags, and a
*random audit* of the cases nobody flagged. :func:`ipw_weights` turns that into inverse-propensity
weights so that the labelled cases stand for the whole population: a policy referral stands for
itself (weight 1), an audited case for every unflagged case it was drawn from.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import ValidationError

from mizugiwa.features.jsonl import JsonLinesError, field_error, iter_objects
from mizugiwa.features.records import CONCERNS, Concern, Outcome, ReferralSource

APPLICATIONS = "applications.jsonl"
ENTRIES = "entries.jsonl"
OUTCOMES = "outcomes.jsonl"
TIPDB = "tipdb.jsonl"
TRUTH = "truth.jsonl"


class DatasetError(JsonLinesError):
    """A training file is missing or malformed; the message names the file, line and field."""


@dataclass(frozen=True)
class DataFiles:
    """The files of a training folder (optional ones are ``None`` when absent)."""

    root: Path
    applications: Path
    outcomes: Path
    entries: Path | None
    tipdb: Path | None
    truth: Path | None

    @classmethod
    def find(cls, root: Path) -> DataFiles:
        """Locate the files in ``root``; refuse a folder without applications or outcomes."""
        root = Path(root)
        if not root.is_dir():
            raise DatasetError(f"--data {root}: not a folder")
        for required in (APPLICATIONS, OUTCOMES):
            if not (root / required).is_file():
                raise DatasetError(f"--data {root}: {required} is missing")

        def optional(name: str) -> Path | None:
            path = root / name
            return path if path.is_file() else None

        return cls(
            root=root,
            applications=root / APPLICATIONS,
            outcomes=root / OUTCOMES,
            entries=optional(ENTRIES),
            tipdb=optional(TIPDB),
            truth=optional(TRUTH),
        )

    def case_file(self, name: str) -> Path | None:
        """The records file of a registered kind of case (its spec's ``file``), if present."""
        from mizugiwa.features.kinds import kind

        file = kind(name).file
        path = self.root / file if file else None
        return path if path is not None and path.is_file() else None

    def training_files(self) -> list[Path]:
        """The files the model learns from (truth excluded: it only evaluates)."""
        from mizugiwa.features.kinds import kinds

        cases = [self.case_file(spec.name) for spec in kinds()]
        return [p for p in (*cases, self.outcomes, self.tipdb) if p]


def dataset_digest(paths: list[Path]) -> str:
    """SHA-256 over the files' names and bytes: which data a run learnt from."""
    digest = hashlib.sha256()
    for path in sorted(paths, key=lambda p: p.name):
        digest.update(path.name.encode())
        with path.open("rb") as handle:
            while chunk := handle.read(1 << 22):
                digest.update(chunk)
    return digest.hexdigest()


def _json_lines(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """Each non-blank line's object (:mod:`mizugiwa.features.jsonl`), errors as
    :class:`DatasetError`."""
    try:
        yield from iter_objects(path)
    except DatasetError:
        raise
    except JsonLinesError as exc:
        raise DatasetError(path, exc.line, exc.problem, exc.field) from exc


@dataclass(frozen=True)
class Outcomes:
    """Interview outcomes as columns; the latest interview wins when a case has several."""

    case_id: np.ndarray  # object (str)
    interviewed_at: np.ndarray  # datetime64[s]
    concern: np.ndarray  # object: Concern value or ""
    source: np.ndarray  # object: ReferralSource value

    def __len__(self) -> int:
        return int(self.case_id.size)


def read_outcomes(path: Path) -> Outcomes:
    """Read and validate ``outcomes.jsonl``; an invalid line raises with its number and field."""
    latest: dict[str, Outcome] = {}
    for number, row in _json_lines(path):
        try:
            outcome = Outcome.model_validate(row)
        except ValidationError as exc:
            err = field_error(path, number, exc)
            raise DatasetError(path, number, err.problem, err.field) from exc
        seen = latest.get(outcome.case_id)
        if seen is None or outcome.interviewed_at >= seen.interviewed_at:
            latest[outcome.case_id] = outcome
    rows = list(latest.values())
    return Outcomes(
        case_id=np.array([o.case_id for o in rows], dtype=object),
        interviewed_at=np.array(
            [np.datetime64(o.interviewed_at.replace(tzinfo=None), "s") for o in rows],
            dtype="datetime64[s]",
        ),
        concern=np.array([o.concern.value if o.concern else "" for o in rows], dtype=object),
        source=np.array([o.referral_source.value for o in rows], dtype=object),
    )


@dataclass(frozen=True)
class Labels:
    """Labels aligned with a list of case ids (one row per case, labelled or not)."""

    interviewed: np.ndarray  # bool
    audit: np.ndarray  # bool: interviewed through the random audit
    y: dict[Concern, np.ndarray]  # bool per concern (False where not interviewed)
    weight: np.ndarray  # float64: inverse-propensity weight (0 where not interviewed)

    @property
    def any_concern(self) -> np.ndarray:
        """True where the interview confirmed any concern."""
        return np.logical_or.reduce([self.y[c] for c in CONCERNS])


def align_labels(case_ids: np.ndarray, outcomes: Outcomes) -> tuple[Labels, int]:
    """Match outcomes to cases by id; returns the labels and how many outcomes matched no case."""
    ids = np.asarray(case_ids, dtype=object)
    position = {cid: i for i, cid in enumerate(ids.tolist())}
    rows = np.array([position.get(cid, -1) for cid in outcomes.case_id.tolist()], dtype=np.int64)
    matched = rows >= 0
    rows, concern, source = rows[matched], outcomes.concern[matched], outcomes.source[matched]
    n = ids.size
    interviewed = np.zeros(n, dtype=bool)
    interviewed[rows] = True
    audit = np.zeros(n, dtype=bool)
    audit[rows[source == ReferralSource.RANDOM_AUDIT.value]] = True
    y = {}
    for c in CONCERNS:
        col = np.zeros(n, dtype=bool)
        col[rows[concern == c.value]] = True
        y[c] = col
    labels = Labels(
        interviewed=interviewed, audit=audit, y=y, weight=ipw_weights(interviewed, audit)
    )
    return labels, int((~matched).sum())


def ipw_weights(interviewed: np.ndarray, audit: np.ndarray) -> np.ndarray:
    """Inverse-propensity weights for the labelled cases (0 for the others).

    Policy referrals are interviewed with certainty (weight 1). The audit draws uniformly from
    the cases no policy referred, so each audited case has propensity
    ``audited / (cases - policy referrals)`` and stands for ``1 / propensity`` of them.
    """
    interviewed = np.asarray(interviewed, dtype=bool)
    audit = np.asarray(audit, dtype=bool) & interviewed
    policy = interviewed & ~audit
    weight = np.where(policy, 1.0, 0.0)
    unflagged = interviewed.size - int(policy.sum())
    n_audit = int(audit.sum())
    if n_audit:
        weight[audit] = unflagged / n_audit
    return weight


@dataclass(frozen=True)
class Truth:
    """A synthetic world's truth, aligned with case ids: the concern and the oracle's risk."""

    known: np.ndarray  # bool: the case appears in the truth file
    concern: np.ndarray  # object: Concern value or ""
    oracle: dict[Concern, np.ndarray]  # float64 per concern

    @property
    def any_concern(self) -> np.ndarray:
        return self.concern != ""

    def y(self, concern: Concern) -> np.ndarray:
        return self.concern == concern.value

    @property
    def oracle_risk(self) -> np.ndarray:
        return np.max(np.stack([self.oracle[c] for c in CONCERNS]), axis=0)


def read_truth(path: Path, case_ids: np.ndarray) -> Truth:
    """Read ``truth.jsonl`` and align it with ``case_ids`` (cases it lacks are ``known=False``)."""
    ids = np.asarray(case_ids, dtype=object)
    position = {cid: i for i, cid in enumerate(ids.tolist())}
    n = ids.size
    known = np.zeros(n, dtype=bool)
    concern = np.full(n, "", dtype=object)
    oracle = {c: np.zeros(n, dtype=np.float64) for c in CONCERNS}
    valid = {c.value for c in CONCERNS}
    for number, row in _json_lines(path):
        try:
            cid = row["case_id"]
            value = row.get("concern") or ""
            probs = row.get("oracle") or {}
        except (KeyError, AttributeError) as exc:
            raise DatasetError(path, number, "needs case_id, concern, oracle") from exc
        if value and value not in valid:
            raise DatasetError(path, number, f"unknown {value!r}", "concern")
        i = position.get(cid)
        if i is None:
            continue
        known[i] = True
        concern[i] = value
        for c in CONCERNS:
            oracle[c][i] = float(probs.get(c.value, 0.0))
    return Truth(known=known, concern=concern, oracle=oracle)
