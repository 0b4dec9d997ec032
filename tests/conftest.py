"""Fixtures for the whole suite: databases on SQLite and PostgreSQL.

``db_url`` runs a test once per backend. SQLite gets a fresh file per test. PostgreSQL gets one
database per test run (``mizugiwa_test_<random>``, created through the ``test`` database as
user ``postgres`` and dropped at the end), emptied before each test; where no server answers,
the PostgreSQL variant skips and says why. ``MIZUGIWA_TEST_POSTGRES_URL`` points elsewhere.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import URL, make_url

ADMIN_URL = os.environ.get(
    "MIZUGIWA_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
_unreachable: str | None = None


def _libpq(url: URL) -> dict[str, object]:
    return {
        "host": url.host or "127.0.0.1",
        "port": url.port or 5432,
        "user": url.username or "postgres",
        "password": url.password,
        "dbname": url.database or "test",
        "connect_timeout": 3,
        "autocommit": True,
    }


@pytest.fixture(scope="session")
def _postgres_database() -> Iterator[str]:
    """A database of this test run's own on the PostgreSQL server; skips if none answers."""
    global _unreachable
    import psycopg

    admin = make_url(ADMIN_URL)
    where = f"{admin.host or '127.0.0.1'}:{admin.port or 5432}"
    if _unreachable is not None:
        pytest.skip(_unreachable)
    try:
        connection = psycopg.connect(**_libpq(admin))  # type: ignore[arg-type]
    except psycopg.OperationalError as exc:
        _unreachable = f"PostgreSQL not reachable at {where}: {str(exc).strip()}"
        pytest.skip(_unreachable)
    name = f"mizugiwa_test_{secrets.token_hex(6)}"
    with connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield admin.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(**_libpq(admin)) as connection:  # type: ignore[arg-type]
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _empty_postgres(url: str) -> None:
    import psycopg

    with psycopg.connect(**_libpq(make_url(url))) as connection:  # type: ignore[arg-type]
        connection.execute("DROP SCHEMA public CASCADE")
        connection.execute("CREATE SCHEMA public")


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """A fresh, empty SQLite database file for this test."""
    return f"sqlite:///{tmp_path / 'mizugiwa.sqlite3'}"


@pytest.fixture
def postgres_url(_postgres_database: str) -> str:
    """The test run's PostgreSQL database, emptied for this test."""
    _empty_postgres(_postgres_database)
    return _postgres_database


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest) -> str:
    """An empty database on each backend in turn."""
    name = "sqlite_url" if request.param == "sqlite" else "postgres_url"
    return str(request.getfixturevalue(name))


@pytest.fixture
def migrated_db_url(db_url: str) -> str:
    """``db_url`` upgraded to the latest schema."""
    from mizugiwa.db.migrate import upgrade

    upgrade(db_url)
    return db_url
