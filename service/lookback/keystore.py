"""Writing the look-back keys of a case when the case is stored (``service_lookback_keys``).

A case's keys are replaced whenever its row is written (a re-scored case may carry another
record), in the same transaction as the row, so the index never disagrees with the cases.
Three paths store cases and each has its writer here: the ORM/Core path (imports, outcomes),
the scoring hot path on a driver transaction, and :func:`reindex` for cases stored before the
index existed.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Connection, Engine, Table, bindparam, delete, insert, select
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session

from mizugiwa.db.engine import session_scope
from mizugiwa.features.lookback.keys import case_keys
from mizugiwa.service.driver_sql import DriverStatement, DriverTransaction
from mizugiwa.service.tables import LookbackKey, StoredCase

_TABLE = cast(Table, LookbackKey.__table__)
_DELETE = delete(_TABLE).where(_TABLE.c.case_pk == bindparam("case_pk"))
_INSERT = insert(_TABLE).values(
    case_pk=bindparam("case_pk"),
    kind=bindparam("kind"),
    key=bindparam("key"),
    field=bindparam("field"),
    case_date=bindparam("case_date"),
)


def key_rows(
    case_pk: int, kind: str, record: Mapping[str, Any], case_date: datetime
) -> list[dict[str, Any]]:
    """The key rows of one case."""
    return [
        {"case_pk": case_pk, "kind": k.kind, "key": k.key, "field": k.field, "case_date": case_date}
        for k in case_keys(kind, record)
    ]


def write_keys(
    session: Session | Connection,
    case_pk: int,
    kind: str,
    record: Mapping[str, Any],
    case_date: datetime,
) -> None:
    """Replace the keys of case ``case_pk`` in the caller's transaction."""
    session.execute(_DELETE, {"case_pk": case_pk})
    rows = key_rows(case_pk, kind, record, case_date)
    if rows:
        session.execute(insert(_TABLE), rows)


def write_many_keys(
    session: Session | Connection,
    cases: Sequence[tuple[int, str, Mapping[str, Any], datetime]],
    chunk: int = 900,
) -> None:
    """Replace the keys of many cases (``(pk, kind, record, case_date)`` each) at once."""
    pks = [case[0] for case in cases]
    for start in range(0, len(pks), chunk):
        session.execute(delete(_TABLE).where(_TABLE.c.case_pk.in_(pks[start : start + chunk])))
    rows = [row for case in cases for row in key_rows(*case)]
    if rows:
        session.execute(insert(_TABLE), rows)


_KEY_COLUMNS = ("case_pk", "kind", "key", "field", "case_date")


@functools.cache
def _driver_delete(dialect: Dialect) -> DriverStatement:
    return DriverStatement(_DELETE, dialect)


@functools.cache
def _driver_insert(dialect: Dialect, rows: int) -> DriverStatement:
    """One multi-row ``INSERT`` of ``rows`` key rows (parameters ``kind_0``, ``key_0``...)."""
    values: list[dict[str, Any]] = [
        {name: bindparam(f"{name}_{i}") for name in _KEY_COLUMNS} for i in range(rows)
    ]
    return DriverStatement(insert(_TABLE).values(values), dialect)


def write_keys_driver(
    transaction: DriverTransaction,
    dialect: Dialect,
    case_pk: int,
    kind: str,
    record: Mapping[str, Any],
    case_date: datetime,
) -> None:
    """:func:`write_keys` for the scoring hot path: two statements (a delete and one
    multi-row insert), compiled once per dialect and row count."""
    transaction.execute(_driver_delete(dialect), {"case_pk": case_pk})
    rows = key_rows(case_pk, kind, record, case_date)
    if not rows:
        return
    values = {f"{name}_{i}": row[name] for i, row in enumerate(rows) for name in _KEY_COLUMNS}
    transaction.execute(_driver_insert(dialect, len(rows)), values)


def reindex(engine: Engine, batch: int = 5000) -> int:
    """Rewrite the keys of every stored case (after an upgrade, or when the key rules
    change); returns how many cases were indexed."""
    count = 0
    with session_scope(engine) as session:
        session.execute(delete(_TABLE))
        query = (
            select(StoredCase.pk, StoredCase.kind, StoredCase.record, StoredCase.case_date)
            .order_by(StoredCase.pk)
            .execution_options(yield_per=batch)
        )
        rows: list[dict[str, Any]] = []
        for pk, kind, record, case_date in session.execute(query):
            rows.extend(key_rows(pk, kind, record, case_date))
            count += 1
            if len(rows) >= batch:
                session.execute(insert(_TABLE), rows)
                rows = []
        if rows:
            session.execute(insert(_TABLE), rows)
    return count
