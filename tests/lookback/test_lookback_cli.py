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


def test_follow_up_outcomes_are_written_as_labels(
    cli: CliRunner, engine: Engine, tmp_path: Path
) -> None:
    from datetime import UTC, datetime

    from mizugiwa.features.records import Outcome, OutcomeKind
    from mizugiwa.service.auth import add_user
    from mizugiwa.service.lookback.worklist import record_follow_up_outcome

    store(engine, application("APP-A"))
    path = tmp_path / "broker.jsonl"
    path.write_bytes(b"".join(orjson.dumps(line) + b"\n" for line in BROKER))
    assert cli.invoke(app, ["db", "load", str(path)]).exit_code == 0
    investigator = add_user(engine, "investigator", "investigator")
    with session_scope(engine) as session:
        follow_up = session.scalars(select(FollowUp)).one()
        record_follow_up_outcome(
            session,
            follow_up.pk,
            outcome=OutcomeKind.TRAFFICKING_VICTIM,
            concluded_at=datetime(2025, 9, 1, tzinfo=UTC),
            victim_support_offered=True,
            recorded_by=investigator.user_id,
            recorded_at=datetime.now(UTC),
        )
    out = tmp_path / "labels" / "outcomes.jsonl"
    result = cli.invoke(app, ["lookback", "--labels", str(out)])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout.strip().splitlines()[-1])["labels"] == 1
    label = Outcome.model_validate_json(out.read_text(encoding="utf-8").strip())
    assert label.case_id == "APP-A" and label.outcome is OutcomeKind.TRAFFICKING_VICTIM
    assert label.victim_support_offered
