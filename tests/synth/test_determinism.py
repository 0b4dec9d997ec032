"""The same seed gives byte-identical files, however many processes write them."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from mizugiwa.cli import app
from mizugiwa.training.synth import FILES, generate_world


def _bytes(folder: Path) -> dict[str, bytes]:
    return {name: (folder / name).read_bytes() for name in (*FILES, "manifest.json")}


def test_same_seed_same_bytes_whatever_the_workers(tmp_path: Path) -> None:
    generate_world(11, 2500, 1500, tmp_path / "a", workers=1)
    generate_world(11, 2500, 1500, tmp_path / "b", workers=2)
    assert _bytes(tmp_path / "a") == _bytes(tmp_path / "b")


def test_another_seed_another_world(tmp_path: Path) -> None:
    generate_world(11, 500, 300, tmp_path / "a")
    generate_world(12, 500, 300, tmp_path / "b")
    assert (tmp_path / "a" / "applications.jsonl").read_bytes() != (
        tmp_path / "b" / "applications.jsonl"
    ).read_bytes()


def test_command_line_writes_the_world(tmp_path: Path) -> None:
    out = tmp_path / "w"
    args = ["synth", "--seed", "5", "--applications", "300", "--entries", "200", "--out", str(out)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert '"applications":300' in result.output
    # the world's files, and a folder of one airline passenger list (PAXLST) per flight
    assert sorted(p.name for p in out.iterdir()) == sorted(
        (*FILES, "manifest.json", "passenger-lists")
    )
    assert '"passenger_lists":' in result.output


def test_bad_counts_are_refused_and_name_the_option(tmp_path: Path) -> None:
    args = ["synth", "--seed", "5", "--applications", "-1", "--out", str(tmp_path / "w")]
    result = CliRunner().invoke(app, args)
    assert result.exit_code != 0
    assert "applications" in result.output
    assert not (tmp_path / "w").exists()
    with pytest.raises(ValueError, match="seed"):
        generate_world(-1, 10, 10, tmp_path / "x")
