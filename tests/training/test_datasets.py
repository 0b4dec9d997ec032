"""Reading outcomes and turning them into labels with inverse-propensity weights."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import orjson
import pytest

from mizugiwa.features.records import Concern
from mizugiwa.training.datasets import (
    DataFiles,
    DatasetError,
    align_labels,
    dataset_digest,
    ipw_weights,
    read_outcomes,
    read_truth,
)


def _write(path: Path, rows: list[dict[str, object]]) -> Path:
    path.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in rows))
    return path


def _outcome(case: str, outcome: str, source: str, when: str = "2024-01-02T00:00:00Z") -> dict:
    return {"case_id": case, "interviewed_at": when, "outcome": outcome, "referral_source": source}


def test_outcomes_become_labels_with_ipw_weights(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "outcomes.jsonl",
        [
            _outcome("A1", "sham_marriage", "rule"),
            _outcome("A2", "forged_document", "random_audit"),
            _outcome("A3", "no_concern", "random_audit"),
            _outcome("A1", "no_concern", "rule", when="2023-12-01T00:00:00Z"),  # older: ignored
            _outcome("ZZ", "no_concern", "rule"),  # no such case
        ],
    )
    outcomes = read_outcomes(path)
    ids = np.array([f"A{i}" for i in range(1, 11)], dtype=object)
    labels, unmatched = align_labels(ids, outcomes)
    assert unmatched == 1
    assert labels.y[Concern.SHAM_MARRIAGE].tolist()[:3] == [True, False, False]
    assert labels.y[Concern.IMPERSONATION][1]  # a forged document is the impersonation concern
    assert labels.interviewed.sum() == 3 and labels.audit.sum() == 2
    # One policy referral stands for itself; two audited stand for the 9 unflagged cases.
    assert labels.weight[0] == 1.0
    assert labels.weight[1] == labels.weight[2] == pytest.approx(4.5)
    assert labels.weight.sum() == pytest.approx(ids.size)


def test_ipw_weights_add_up_to_the_population() -> None:
    rng = np.random.default_rng(0)
    interviewed = rng.random(10_000) < 0.05
    audit = interviewed & (rng.random(10_000) < 0.3)
    assert ipw_weights(interviewed, audit).sum() == pytest.approx(10_000)
    assert (ipw_weights(interviewed, audit)[~interviewed] == 0).all()


def test_a_bad_outcome_names_line_and_field(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "outcomes.jsonl",
        [_outcome("A1", "no_concern", "rule"), _outcome("A2", "guilty", "rule")],
    )
    with pytest.raises(DatasetError, match=r"line 2: outcome"):
        read_outcomes(path)
    path.write_bytes(b"{not json\n")
    with pytest.raises(DatasetError, match="line 1: not JSON"):
        read_outcomes(path)


def test_folder_needs_applications_and_outcomes(tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match=r"applications\.jsonl is missing"):
        DataFiles.find(tmp_path)
    (tmp_path / "applications.jsonl").write_text("")
    (tmp_path / "outcomes.jsonl").write_text("")
    files = DataFiles.find(tmp_path)
    assert files.truth is None and files.entries is None
    digest = dataset_digest(files.training_files())
    (tmp_path / "outcomes.jsonl").write_text("\n")
    assert dataset_digest(files.training_files()) != digest


def test_truth_is_aligned_and_checked(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "truth.jsonl",
        [
            {"case_id": "A2", "concern": "exploitation", "oracle": {"exploitation": 0.7}},
            {"case_id": "A1", "concern": None, "oracle": {"sham_marriage": 0.1}},
        ],
    )
    truth = read_truth(path, np.array(["A1", "A2", "A3"], dtype=object))
    assert truth.known.tolist() == [True, True, False]
    assert truth.any_concern.tolist() == [False, True, False]
    assert truth.oracle_risk.tolist() == pytest.approx([0.1, 0.7, 0.0])
    _write(path, [{"case_id": "A1", "concern": "witchcraft", "oracle": {}}])
    with pytest.raises(DatasetError, match="concern: unknown"):
        read_truth(path, np.array(["A1"], dtype=object))
