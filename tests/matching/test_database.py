"""The index built from the trafficking database, kept fresh, and `mizugiwa db search`."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from mizugiwa.commands.db import app
from mizugiwa.db.engine import make_engine
from mizugiwa.features.matching import RefreshingIndex, WatchlistIndex
from mizugiwa.features.tipdb.loader import load_file
from mizugiwa.settings import get_settings

FIRST = [
    {
        "entity_type": "person",
        "id": "P-17",
        "names": ["SATO KENICHI", "佐藤健一"],
        "date_of_birth": "1961-04-02",
        "nationality": "JPN",
        "role": "broker",
        "source": "police",
        "recorded_at": "2024-03-01",
    },
    {
        "entity_type": "organisation",
        "id": "O-3",
        "names": ["Club Paradise Roppongi"],
        "org_type": "establishment",
        "establishment_type": "adult_entertainment",
        "source": "police",
        "recorded_at": "2023-11-20",
    },
    {
        "entity_type": "phone",
        "id": "T-9",
        "number": "+63 917 123 4567",
        "linked_to": ["P-17"],
        "source": "mofa_post",
        "recorded_at": "2024-05-02",
    },
]
SECOND = [
    {
        "entity_type": "person",
        "id": "P-18",
        "names": ["DELA CRUZ MARIA"],
        "role": "broker",
        "source": "police",
        "recorded_at": "2024-06-01",
    },
]


def _write(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows))
    return path


@pytest.fixture
def engine(migrated_db_url: str, tmp_path: Path) -> Iterator[Any]:
    engine = make_engine(migrated_db_url)
    load_file(engine, _write(tmp_path / "first.jsonl", FIRST))
    yield engine
    engine.dispose()


def test_index_from_database(engine: Any) -> None:
    index = WatchlistIndex.from_database(engine)
    assert index.version
    assert index.search("person", "Satoh Ken'ichi")[0].id == "P-17"
    assert index.match_phone("+639171234567")[0].id == "T-9"
    assert index.search("organisation", "Club Paradise")[0].match


def test_refreshing_index_rebuilds_when_the_database_changes(engine: Any, tmp_path: Path) -> None:
    now = [0.0]
    live = RefreshingIndex.for_database(engine, check_seconds=60, clock=lambda: now[0])
    assert not live.search("person", "Maria Dela Cruz")
    load_file(engine, _write(tmp_path / "second.jsonl", SECOND))
    now[0] = 30.0  # not yet due: the old index answers
    assert not live.search("person", "Maria Dela Cruz")
    now[0] = 61.0
    assert live.search("person", "Maria Dela Cruz")[0].id == "P-18"
    assert live.rebuilds == 2
    now[0] = 200.0  # due, but nothing changed: no rebuild
    live.search("person", "Maria Dela Cruz")
    assert live.rebuilds == 2


@pytest.fixture
def runner(
    engine: Any, migrated_db_url: str, monkeypatch: pytest.MonkeyPatch
) -> Iterator[CliRunner]:
    monkeypatch.setenv("MIZUGIWA_DATABASE_URL", migrated_db_url)
    get_settings.cache_clear()
    yield CliRunner()
    get_settings.cache_clear()


def test_cli_search_json(runner: CliRunner) -> None:
    result = runner.invoke(
        app,
        [
            "search",
            "--kind",
            "person",
            "--query",
            "さとう けんいち",
            "--dob",
            "1961-04-02",
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert rows[0]["id"] == "P-17" and rows[0]["match"] is True
    assert {"id", "score", "match", "explanation", "kind", "names"} == set(rows[0])


def test_cli_search_as_of_and_table(runner: CliRunner) -> None:
    early = runner.invoke(
        app,
        [
            "search",
            "--kind",
            "phone",
            "--query",
            "+63 917 123 4567",
            "--as-of",
            "2024-01-01",
            "--json",
        ],
    )
    assert early.exit_code == 0 and json.loads(early.stdout) == []
    table = runner.invoke(app, ["search", "--kind", "organisation", "--query", "Club Paradise"])
    assert table.exit_code == 0 and "O-3" in table.stdout


def test_cli_bad_input_names_the_option(runner: CliRunner) -> None:
    result = runner.invoke(app, ["search", "--kind", "person", "--query", "x", "--dob", "soon"])
    assert result.exit_code == 2 and "--dob" in result.output
    result = runner.invoke(app, ["search", "--kind", "ship", "--query", "x"])
    assert result.exit_code == 2 and "--kind" in result.output
    result = runner.invoke(app, ["search", "--kind", "phone", "--query", "12"])
    assert result.exit_code == 2 and "query" in result.output


ALONE = [
    {
        "entity_type": "phone",
        "id": "T-1",
        "number": "09171234567",
        "country": "PHL",
        "source": "police",
        "recorded_at": "2024-01-10",
    },
    {
        "entity_type": "phone",
        "id": "T-2",
        "number": "03-5555-1234",
        "country": "JPN",
        "source": "police",
        "recorded_at": "2024-01-10",
    },
    {
        "entity_type": "phone",
        "id": "T-3",
        "number": "080-2222-3333",
        "source": "police",
        "recorded_at": "2024-01-10",
    },
    {
        "entity_type": "address",
        "id": "A-1",
        "address": "東京都新宿区歌舞伎町1丁目5-8",
        "source": "police",
        "recorded_at": "2024-01-10",
    },
]


def _search_json(runner: CliRunner, kind: str, query: str, *extra: str) -> list[dict[str, Any]]:
    result = runner.invoke(app, ["search", "--kind", kind, "--query", query, "--json", *extra])
    assert result.exit_code == 0, result.output
    rows: list[dict[str, Any]] = json.loads(result.stdout)
    return [row for row in rows if row["match"]]


@pytest.mark.parametrize(
    ("query", "extra", "expected"),
    [
        ("+63 917 123 4567", (), "T-1"),  # recorded national with its country
        ("0917-123-4567", ("--region", "PH"), "T-1"),
        ("+81-3-5555-1234", (), "T-2"),  # a Tokyo landline recorded as 03-...
        ("(03) 5555-1234", ("--region", "JP"), "T-2"),
        ("+81 80 2222 3333", (), "T-3"),  # recorded national, no country: national number
    ],
)
def test_cli_finds_a_phone_recorded_alone(
    runner: CliRunner,
    engine: Any,
    tmp_path: Path,
    query: str,
    extra: tuple[str, ...],
    expected: str,
) -> None:
    load_file(engine, _write(tmp_path / "alone.jsonl", ALONE))
    assert expected in [row["id"] for row in _search_json(runner, "phone", query, *extra)]


def test_cli_another_line_is_not_a_match(runner: CliRunner, engine: Any, tmp_path: Path) -> None:
    load_file(engine, _write(tmp_path / "alone.jsonl", ALONE))
    assert _search_json(runner, "phone", "+81-3-5555-1235") == []
    assert _search_json(runner, "phone", "+63 3 5555 1234") == []  # same digits, Philippines


def test_cli_finds_an_address_recorded_alone(
    runner: CliRunner, engine: Any, tmp_path: Path
) -> None:
    load_file(engine, _write(tmp_path / "alone.jsonl", ALONE))
    rows = _search_json(runner, "address", "1-5-8 Kabukicho, Shinjuku-ku, Tokyo")
    assert [row["id"] for row in rows] == ["A-1"]
