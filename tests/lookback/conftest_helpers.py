"""Fixtures for the look-back tests: a migrated database on each backend, with helpers to
store cases and load trafficking-database lines."""

from __future__ import annotations

import copy
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest
from sqlalchemy import Engine

from mizugiwa.db.engine import make_engine, session_scope
from mizugiwa.features.records import BorderEntry, VisaApplication
from mizugiwa.features.tipdb.loader import LoadReport, load_file
from mizugiwa.service.cases import store_scored
from mizugiwa.settings import Settings

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "service"))
from service_samples import APPLICATION, ENTRY


@pytest.fixture
def engine(migrated_db_url: str) -> Iterator[Engine]:
    built = make_engine(migrated_db_url)
    yield built
    built.dispose()


@pytest.fixture
def settings(migrated_db_url: str) -> Settings:
    return Settings(environment="test", database_url=migrated_db_url)


def application(case_id: str, **changes: Any) -> dict[str, Any]:
    """The sample application under another id, with nested ``changes`` merged in."""
    record = copy.deepcopy(APPLICATION)
    record["application_id"] = case_id
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(record.get(key), dict):
            record[key] = {**record[key], **value}
        elif value is None:
            record.pop(key, None)
        else:
            record[key] = value
    return record


def entry(case_id: str, **changes: Any) -> dict[str, Any]:
    record = copy.deepcopy(ENTRY)
    record["entry_id"] = case_id
    record.update(changes)
    return record


def store(engine: Engine, *records: dict[str, Any]) -> None:
    """Store records as imported (unscored) cases, through the service's one store path."""
    from datetime import UTC, datetime

    with session_scope(engine) as session:
        for record in records:
            if "application_id" in record:
                model: Any = VisaApplication.model_validate(record)
                kind = "application"
            else:
                model = BorderEntry.model_validate(record)
                kind = "entry"
            store_scored(
                session,
                kind=kind,
                record=model,
                score=None,
                request_id=None,
                scored_at=datetime.now(UTC),
            )


def load_lines(
    engine: Engine, tmp_path: Path, name: str, lines: list[dict[str, Any]]
) -> LoadReport:
    path = tmp_path / name
    path.write_bytes(b"".join(orjson.dumps(line) + b"\n" for line in lines))
    return load_file(engine, path)
