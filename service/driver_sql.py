"""Core statements compiled once and run on the database driver's own connection, for the two
writes every scoring request makes (its case row and its decision-log entry).

SQLAlchemy's execution layer costs more per statement than SQLite takes to run one; here a
statement is compiled once per dialect, its values pass through SQLAlchemy's own bind
processors (so they are stored exactly as through Core or the ORM), and the driver runs it.
Driver errors are raised as SQLAlchemy's :class:`~sqlalchemy.exc.DBAPIError`, as elsewhere, and
a connection the driver reports as lost is dropped from the pool.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from typing import Any, cast

from sqlalchemy import Engine
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql import ClauseElement
from sqlalchemy.sql.compiler import SQLCompiler


class DriverStatement:
    """A statement compiled for one dialect, with the bind processors of its parameters."""

    def __init__(
        self, statement: ClauseElement, dialect: Dialect, columns: Sequence[str] | None = None
    ) -> None:
        compiled = cast(
            SQLCompiler,
            statement.compile(dialect=dialect, column_keys=list(columns or ()) or None),
        )
        self.sql = compiled.string
        self.returns_rows = bool(getattr(compiled, "effective_returning", None))
        self._positional = compiled.positional
        names = list(compiled.positiontup or ()) if compiled.positional else list(compiled.binds)
        self._names = names
        # The dialect's own implementation of each type (PostgreSQL's JSON, SQLite's dates).
        self._processors = {
            name: compiled.binds[name].type.dialect_impl(dialect).bind_processor(dialect)
            for name in names
        }

    def parameters(self, values: Mapping[str, Any]) -> Sequence[Any] | dict[str, Any]:
        """The driver's parameters for ``values`` (positional or named, as the driver wants)."""
        out: dict[str, Any] = {}
        for name in self._names:
            value = values[name]
            process = self._processors[name]
            out[name] = process(value) if process is not None and value is not None else value
        return [out[name] for name in self._names] if self._positional else out


class DriverTransaction:
    """One transaction on a driver connection."""

    def __init__(self, cursor: Any) -> None:
        self._cursor = cursor

    def execute(self, statement: DriverStatement, values: Mapping[str, Any]) -> Any:
        """Run ``statement``; returns its first row when it returns rows, else ``None``."""
        self._cursor.execute(statement.sql, statement.parameters(values))
        return self._cursor.fetchone() if statement.returns_rows else None

    def query(self, sql: str, parameters: Sequence[Any] = ()) -> Any:
        """Run literal driver SQL (the driver's parameter style); returns its first row."""
        self._cursor.execute(sql, parameters)
        return self._cursor.fetchone()


@contextmanager
def driver_transaction(engine: Engine) -> Iterator[DriverTransaction]:
    """A transaction on a pooled driver connection: committed when the block ends, rolled
    back if it raises."""
    dialect = engine.dialect
    error: type[Exception] = dialect.loaded_dbapi.Error
    try:
        raw = engine.raw_connection()
    except error as exc:
        raise DBAPIError.instance(None, None, exc, error, dialect=dialect) from exc
    try:
        cursor = raw.cursor()
        try:
            if dialect.name == "sqlite":
                # The engine hands transaction control to SQLAlchemy (autocommit driver).
                cursor.execute("BEGIN")
            yield DriverTransaction(cursor)
            raw.commit()
        except error as exc:
            _rollback(raw)
            if dialect.is_disconnect(exc, raw, cursor):  # type: ignore[arg-type]
                raw.invalidate(exc)
            raise DBAPIError.instance(None, None, exc, error, dialect=dialect) from exc
        except BaseException:
            _rollback(raw)
            raise
        finally:
            cursor.close()
    finally:
        raw.close()


def _rollback(raw: Any) -> None:
    with suppress(Exception):  # the connection is gone: nothing to undo
        raw.rollback()
