"""Helpers of the trafficking-database tests (importable: pytest puts this folder on the path)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select

from mizugiwa.db.base import Base

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "tipdb.jsonl"


def example_lines() -> list[dict[str, Any]]:
    """The example import file, decoded."""
    return [json.loads(line) for line in EXAMPLE.read_text(encoding="utf-8").splitlines()]


def write_jsonl(path: Path, lines: list[dict[str, Any]]) -> Path:
    """Write ``lines`` as a JSON Lines file and return its path."""
    path.write_text(
        "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines), encoding="utf-8"
    )
    return path


def dump_tables(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every trafficking-database table, in primary-key order."""
    dump: dict[str, list[tuple[Any, ...]]] = {}
    with engine.connect() as connection:
        for name, table in Base.metadata.tables.items():
            if not name.startswith("tipdb_"):
                continue
            order = list(table.primary_key.columns)
            dump[name] = [tuple(row) for row in connection.execute(select(table).order_by(*order))]
    return dump
