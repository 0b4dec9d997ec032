"""`mizugiwa db upgrade | load | stats` against the database of MIZUGIWA_DATABASE_URL."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from tipdb_helpers import EXAMPLE, example_lines, write_jsonl
from typer.testing import CliRunner

from mizugiwa.commands.db import app
from mizugiwa.settings import get_settings


@pytest.fixture
def runner(db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[CliRunner]:
    monkeypatch.setenv("MIZUGIWA_DATABASE_URL", db_url)
    get_settings.cache_clear()
    yield CliRunner()
    get_settings.cache_clear()


def _stats(runner: CliRunner) -> dict[str, int]:
    result = runner.invoke(app, ["stats", "--json"])
    assert result.exit_code == 0, result.output
    return dict(json.loads(result.stdout)["counts"])


def test_upgrade_load_stats(runner: CliRunner) -> None:
    result = runner.invoke(app, ["load", str(EXAMPLE)])
    assert result.exit_code == 1
    assert "mizugiwa db upgrade" in result.stderr

    result = runner.invoke(app, ["upgrade"])
    assert result.exit_code == 0, result.output
    assert "at revision" in result.stdout

    result = runner.invoke(app, ["load", str(EXAMPLE)])
    assert result.exit_code == 0, result.output
    assert f"{len(example_lines())} inserted" in result.stdout
    counts = _stats(runner)
    assert counts["imports"] == 1 and counts["protected_persons"] == 2

    result = runner.invoke(app, ["stats"])
    assert result.exit_code == 0 and "protected_persons" in result.stdout


def test_rejected_file_exits_1_with_line_field_reason(runner: CliRunner, tmp_path: Path) -> None:
    assert runner.invoke(app, ["upgrade"]).exit_code == 0
    lines = example_lines()
    lines[4] = {**lines[4], "issuing_state": "XYZ"}
    bad = write_jsonl(tmp_path / "bad.jsonl", lines)
    result = runner.invoke(app, ["load", str(bad), str(EXAMPLE)])
    assert result.exit_code == 1
    assert "bad.jsonl: rejected, 1 error(s)" in result.stderr
    assert "line 5, field issuing_state:" in result.stderr
    assert "XYZ" in result.stderr
    # The good file after it was still loaded, the bad one not at all.
    assert f"{len(example_lines())} inserted" in result.stdout
    assert _stats(runner)["imports"] == 1
