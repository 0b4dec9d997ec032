"""One JSON Lines reader: blank lines skipped, every problem one error type that names the
file, the line and the field, whichever reader of records or entities meets it."""

from __future__ import annotations

from pathlib import Path

import pytest

from mizugiwa.features.indicators import ApplicationBatch
from mizugiwa.features.jsonl import JsonLinesError, read_objects
from mizugiwa.features.tipdb.loader import LoadError
from mizugiwa.features.tipdb.snapshot import Snapshot
from mizugiwa.training.batch_score import BatchScoreError
from mizugiwa.training.datasets import DatasetError, read_outcomes


def test_objects_and_blank_lines(tmp_path: Path) -> None:
    path = tmp_path / "x.jsonl"
    path.write_text('{"a": 1}\n\n   \n{"a": 2}\n')
    assert read_objects(path) == [{"a": 1}, {"a": 2}]


@pytest.mark.parametrize(
    ("text", "line", "problem"),
    [
        ('{"a": 1}\n{not json}\n', 2, "not JSON"),
        ('{"a": 1}\n\n[1, 2]\n', 3, "not a JSON object"),
    ],
)
def test_a_bad_line_is_named(tmp_path: Path, text: str, line: int, problem: str) -> None:
    path = tmp_path / "records.jsonl"
    path.write_text(text)
    with pytest.raises(JsonLinesError) as caught:
        read_objects(path)
    assert caught.value.line == line and caught.value.path == path
    assert str(caught.value).startswith(f"records.jsonl line {line}: {problem}")


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(JsonLinesError, match="cannot read"):
        read_objects(tmp_path / "absent.jsonl")


def test_every_reader_raises_the_one_error_type(tmp_path: Path) -> None:
    """Applications, outcomes, the database import file and the snapshot: one ``except``."""
    path = tmp_path / "bad.jsonl"
    path.write_text('{"application_id": "A"}\n{oops\n')
    broken = tmp_path / "broken.jsonl"
    broken.write_text("\n{oops\n")
    with pytest.raises(JsonLinesError, match=r"broken\.jsonl line 2: not JSON"):
        ApplicationBatch.from_jsonl(broken)
    with pytest.raises(JsonLinesError, match=r"bad\.jsonl line 1: post_code"):
        ApplicationBatch.from_jsonl(path, validate=True)
    with pytest.raises(JsonLinesError, match=r"broken\.jsonl line 2: not JSON"):
        Snapshot.from_jsonl(broken)
    with pytest.raises(DatasetError) as dataset:
        read_outcomes(path)
    assert isinstance(dataset.value, JsonLinesError) and dataset.value.line == 1
    assert dataset.value.field == "interviewed_at" or dataset.value.field
    from mizugiwa.db.engine import make_engine
    from mizugiwa.db.migrate import upgrade
    from mizugiwa.features.tipdb.loader import load_file

    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    upgrade(url)
    engine = make_engine(url)
    try:
        with pytest.raises(LoadError) as load:
            load_file(engine, path)
    finally:
        engine.dispose()
    assert isinstance(load.value, JsonLinesError)
    assert {(e.line, e.field) for e in load.value.errors} >= {(2, "-")}
    assert issubclass(BatchScoreError, JsonLinesError)
