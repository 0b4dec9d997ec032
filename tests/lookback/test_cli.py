"""``mizugiwa db load`` looks back after each accepted file; ``mizugiwa lookback --since D``
looks back over a period; bad dates are refused and change nothing."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest
from conftest_helpers import application, store
from sqlalchemy import Engine, func, select
from typer.testing import CliRunner

from mizugiwa.cli import app
from mizugiwa.db.engine import session_scope
from mizugiwa.service.tables import FollowUp
from mizugiwa.settings import get_settings

BROKER = [
    {
        "entity_type": "person",
        "id": "P-18",
        "names": ["SATO KENICHI"],
        "role": "broker",
        "source": "police",
        "recorded_at": "2025-08-01",
    },
    {
        "entity_type": "phone",
        "id": "T-9",
        "number": "+81 90 1234 5678",
        "linked_to": ["P-18"],
        "source": "police",
        "recorded_at": "2025-08-01",
    },
]


@pytest.fixture
def cli(migrated_db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[CliRunner]:
    monkeypatch.setenv("MIZUGIWA_DATABASE_URL", migrated_db_url)
    monkeypatch.setenv("MIZUGIWA_ENVIRONMENT", "test")
    get_settings.cache_clear()
    yield CliRunner()
    get_settings.cache_clear()


def _count(engine: Engine) -> int:
    with session_scope(engine) as session:
        return int(session.scalar(select(func.count()).select_from(FollowUp)) or 0)


def test_db_load_looks_back_and_lookback_since_is_idempotent(
    cli: CliRunner, engine: Engine, tmp_path: Path
) -> None:
    store(engine, application("APP-A"), application("APP-B", sponsor={"phone": "090-1234-5678"}))
    path = tmp_path / "broker.jsonl"
    path.write_bytes(b"".join(orjson.dumps(line) + b"\n" for line in BROKER))
    result = cli.invoke(app, ["db", "load", str(path)])
    assert result.exit_code == 0, result.output
    assert "2 new follow-ups" in result.stdout
    assert _count(engine) == 2
    result = cli.invoke(app, ["lookback", "--since", "2025-08-01"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert summary["facts"] == 1 and summary["follow_ups_created"] == 0
    assert summary["horizon_years"] == 5.0
    result = cli.invoke(app, ["lookback", "--since", "2025-08-02"])
    assert json.loads(result.stdout.strip().splitlines()[-1])["facts"] == 0


@pytest.mark.parametrize(
    "args",
    [
        ["lookback"],
        ["lookback", "--since", "yesterday"],
        ["lookback", "--since", "2025-08-01", "--until", "2025-01-01"],
    ],
)
def test_bad_dates_are_refused_and_change_nothing(
    cli: CliRunner, engine: Engine, args: list[str]
) -> None:
    store(engine, application("APP-A"))
    result = cli.invoke(app, args)
    assert result.exit_code == 2
    assert "--since" in result.output or "--until" in result.output
    assert _count(engine) == 0


def test_reindex(cli: CliRunner, engine: Engine) -> None:
    store(engine, application("APP-A"))
    result = cli.invoke(app, ["lookback", "--reindex"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout.strip().splitlines()[-1])["reindexed_cases"] == 1
