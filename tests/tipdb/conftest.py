"""Fixtures of the trafficking-database tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine
from tipdb_helpers import EXAMPLE


@pytest.fixture
def engine(migrated_db_url: str) -> Iterator[Engine]:
    """An engine on a migrated, empty database (each backend in turn)."""
    from mizugiwa.db.engine import make_engine

    created = make_engine(migrated_db_url)
    yield created
    created.dispose()


@pytest.fixture
def loaded_engine(engine: Engine) -> Engine:
    """``engine`` with the example file loaded."""
    from mizugiwa.features.tipdb.loader import load_file

    load_file(engine, EXAMPLE)
    return engine
