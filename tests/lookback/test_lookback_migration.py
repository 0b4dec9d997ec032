"""Revision ``0105_lookback`` creates the look-back tables as the models describe them, admits
the investigator role, and downgrades cleanly, on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect
from sqlalchemy.exc import IntegrityError

from mizugiwa.db.base import Base
from mizugiwa.db.engine import make_engine
from mizugiwa.db.migrate import alembic_config, upgrade
from mizugiwa.service.auth import add_user

TABLES = {"service_lookback_keys", "service_follow_ups", "service_follow_up_outcomes"}


def _table(diff: Any) -> str:
    if isinstance(diff, list):
        diff = diff[0]
    subject = diff[1]
    if hasattr(subject, "columns") and not hasattr(subject, "table"):
        return str(subject.name)
    if hasattr(subject, "table"):
        return str(subject.table.name)
    return str(diff[2])


def test_tables_match_the_models_and_investigators_can_be_added(db_url: str) -> None:
    upgrade(db_url)
    engine = make_engine(db_url)
    try:
        assert set(inspect(engine).get_table_names()) >= TABLES
        with engine.connect() as connection:
            diffs = compare_metadata(MigrationContext.configure(connection), Base.metadata)
        assert [d for d in diffs if _table(d) in TABLES] == []
        add_user(engine, "investigator", "investigator")
    finally:
        engine.dispose()


def test_downgrade_removes_the_tables_and_the_role(db_url: str) -> None:
    upgrade(db_url)
    engine = make_engine(db_url)
    try:
        with engine.begin() as connection:
            config = alembic_config(db_url)
            config.attributes["connection"] = connection
            command.downgrade(config, "0101_service")
        assert not TABLES & set(inspect(engine).get_table_names())
        with pytest.raises(IntegrityError):  # the old check constraint refuses the role
            add_user(engine, "investigator", "investigator")
    finally:
        engine.dispose()
