"""Migrations create the schema the models describe, on both backends, and re-run safely."""

from __future__ import annotations

from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from mizugiwa.db.base import Base
from mizugiwa.db.engine import make_engine
from mizugiwa.db.migrate import current_revision, head_revision, upgrade


def _table_of(diff: Any) -> str:
    """Table a ``compare_metadata`` difference is about (a list groups column changes)."""
    if isinstance(diff, list):
        diff = diff[0]
    subject = diff[1]
    if hasattr(subject, "name") and hasattr(subject, "columns") and not hasattr(subject, "table"):
        return str(subject.name)  # a Table
    if hasattr(subject, "table"):
        return str(subject.table.name)  # an Index or a constraint
    return str(diff[2])  # (op, schema, table name, ...)


def test_upgrade_creates_tables_matching_the_models(db_url: str) -> None:
    assert upgrade(db_url) == head_revision()
    assert upgrade(db_url) == head_revision()  # a second run changes nothing
    engine = make_engine(db_url)
    try:
        tables = set(inspect(engine).get_table_names())
        assert {name for name in Base.metadata.tables if name.startswith("tipdb_")} <= tables
        with engine.connect() as connection:
            diffs = compare_metadata(MigrationContext.configure(connection), Base.metadata)
        tipdb_diffs = [d for d in diffs if _table_of(d).startswith("tipdb_")]
        assert tipdb_diffs == []
        assert current_revision(engine) == head_revision()
    finally:
        engine.dispose()
