"""One fingerprint over all the code that computes a feature: it moves when any of it changes
(indicators, lookups, matching, normalisation, records reading), and a model trained under
another fingerprint is refused with a message that says what to do."""

from __future__ import annotations

import pickle
import shutil
from pathlib import Path

import pytest
from champion_helpers import toy_scorer

from mizugiwa.features.fingerprint import (
    FEATURES_ROOT,
    fingerprint,
    running_fingerprint,
    source_files,
)
from mizugiwa.models.loader import ModelFileError, load_scorer_file
from mizugiwa.models.scorer import FeatureMismatchError

CHANGED = [
    "indicators/sham_marriage.py",  # an indicator
    "indicators/lookups.py",  # database lookups
    "matching/names.py",  # name matching
    "normalise/phones.py",  # phone normalisation
    "normalise/addresses.py",  # address normalisation
    "tipdb/snapshot.py",  # the as-of snapshot
    "indicators/reading.py",  # records read into columns
    "jsonl.py",  # the file reader
    "mrz_check.py",
    "network.py",
]


@pytest.fixture(scope="module")
def copy_of_features(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("code") / "features"
    shutil.copytree(FEATURES_ROOT, root, ignore=shutil.ignore_patterns("__pycache__"))
    return root


def test_the_same_code_anywhere_has_the_same_fingerprint(copy_of_features: Path) -> None:
    assert fingerprint(copy_of_features, functions=()) == running_fingerprint()
    names = {p.relative_to(FEATURES_ROOT).as_posix() for p in source_files()}
    assert set(CHANGED) <= names
    assert "contract.py" not in names  # the output schema is not feature code


@pytest.mark.parametrize("relative", CHANGED)
def test_a_change_to_feature_code_changes_the_fingerprint(
    copy_of_features: Path, relative: str
) -> None:
    path = copy_of_features / relative
    before = path.read_bytes()
    try:
        path.write_bytes(before.replace(b"\n", b"\n# changed\n", 1))
        assert fingerprint(copy_of_features, functions=()) != running_fingerprint()
    finally:
        path.write_bytes(before)
    assert fingerprint(copy_of_features, functions=()) == running_fingerprint()


def test_a_kind_defined_elsewhere_counts_in_the_fingerprint() -> None:
    def outside(batch: object, ctx: object) -> float:
        return 1.0

    def changed(batch: object, ctx: object) -> float:
        return 2.0

    base = fingerprint(functions=())
    assert fingerprint(functions=[outside]) != base
    assert fingerprint(functions=[outside]) != fingerprint(functions=[changed])


def test_a_champion_of_other_feature_code_is_refused(tmp_path: Path) -> None:
    scorer = toy_scorer()
    scorer.fingerprint = "code-0123456789abcdef"
    path = tmp_path / "scorer.pkl"
    path.write_bytes(pickle.dumps(scorer))
    with pytest.raises(FeatureMismatchError) as refused:
        load_scorer_file(path)
    message = str(refused.value)
    assert "code-0123456789abcdef" in message and running_fingerprint() in message
    assert "redefined" in message and "mizugiwa train" in message and "promote" in message
    scorer.fingerprint = running_fingerprint()
    path.write_bytes(pickle.dumps(scorer))
    assert load_scorer_file(path).fingerprint == running_fingerprint()
    path.write_bytes(pickle.dumps({"not": "a scorer"}))
    with pytest.raises(ModelFileError, match="not a Scorer"):
        load_scorer_file(path)
