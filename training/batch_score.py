"""Batch scoring of a JSON Lines file with a registered model (``mizugiwa score``).

The whole file is one vectorised batch: features, rules, models and thresholds run over arrays,
and only the referred cases get reasons. The output is written to a temporary file and renamed
at the end, so a failure leaves no half-written result.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import orjson

from mizugiwa.settings import Settings, get_settings

CHUNK = 50_000


class BatchScoreError(ValueError):
    """The input cannot be scored; the message names the file, record and field."""


def _rows(path: Path) -> list[dict[str, Any]]:
    rows = []
    try:
        with path.open("rb") as handle:
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                try:
                    row = orjson.loads(line)
                except orjson.JSONDecodeError as exc:
                    raise BatchScoreError(f"{path.name} line {number}: not JSON ({exc})") from exc
                if not isinstance(row, dict):
                    raise BatchScoreError(f"{path.name} line {number}: not a JSON object")
                rows.append(row)
    except OSError as exc:
        raise BatchScoreError(f"{path}: cannot read ({exc.strerror})") from exc
    return rows


def _first_row(path: Path) -> dict[str, Any]:
    """The first record, to tell applications from entries without reading the whole file."""
    try:
        with path.open("rb") as handle:
            for number, line in enumerate(handle, start=1):
                if line.strip():
                    return _parse(path, number, line)
    except OSError as exc:
        raise BatchScoreError(f"{path}: cannot read ({exc.strerror})") from exc
    raise BatchScoreError(f"{path.name}: no records to score")


def _parse(path: Path, number: int, line: bytes) -> dict[str, Any]:
    try:
        row = orjson.loads(line)
    except orjson.JSONDecodeError as exc:
        raise BatchScoreError(f"{path.name} line {number}: not JSON ({exc})") from exc
    if not isinstance(row, dict):
        raise BatchScoreError(f"{path.name} line {number}: not a JSON object")
    return row


def _application_batch(path: Path) -> Any:
    """Applications read straight into columns: one pass, no list of dicts in between."""
    from mizugiwa.features.indicators import ApplicationBatch
    from mizugiwa.features.indicators.reading import application_columns, raw_columns

    where = [0]

    def lines(handle: Any) -> Iterable[bytes]:
        for number, line in enumerate(handle, start=1):
            if line.strip():
                where[0] = number
                yield line

    def parse(line: bytes) -> dict[str, Any]:
        return _parse(path, where[0], line)

    with path.open("rb") as handle:
        return ApplicationBatch(**application_columns(raw_columns(lines(handle), parse)))


def _context(tipdb: Path | None, settings: Settings) -> Any:
    from mizugiwa.features.indicators import FeatureContext
    from mizugiwa.features.matching import WatchlistIndex
    from mizugiwa.features.tipdb.snapshot import Snapshot

    if tipdb is not None:
        lines = _rows(tipdb)
        return FeatureContext(
            snapshot=Snapshot.from_entities(lines), index=WatchlistIndex.build(lines)
        )
    from sqlalchemy import create_engine
    from sqlalchemy.exc import SQLAlchemyError

    engine = create_engine(settings.database_url)
    try:
        return FeatureContext(
            snapshot=Snapshot.from_database(engine), index=WatchlistIndex.from_database(engine)
        )
    except SQLAlchemyError as exc:
        raise BatchScoreError(
            "the trafficking database cannot be read (run `mizugiwa db upgrade` and "
            f"`mizugiwa db load`, or pass --tipdb): {exc.__class__.__name__}"
        ) from exc
    finally:
        engine.dispose()


def _write(out: Path, rows: Iterable[dict[str, Any]]) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    try:
        with tmp.open("wb") as handle:
            for row in rows:
                handle.write(orjson.dumps(row))
                handle.write(b"\n")
        tmp.replace(out)
    finally:
        if tmp.exists():
            tmp.unlink()


def score_file(
    path: Path,
    out: Path,
    *,
    alias: str = "champion",
    tipdb: Path | None = None,
    applications: Path | None = None,
    settings: Settings | None = None,
) -> dict[str, Any]:
    """Score the applications or entries of ``path`` into ``out`` (one Score JSON per line)."""
    from mizugiwa.features.indicators import BatchError, EntryBatch
    from mizugiwa.features.network import NetworkHistory
    from mizugiwa.models.registry import RegistryError, load_scorer
    from mizugiwa.models.scorer import FeatureMismatchError

    s = settings if settings is not None else get_settings()
    kind = "entry" if "entry_id" in _first_row(path) else "application"
    try:
        scorer = load_scorer(alias, settings=s)
    except (RegistryError, FeatureMismatchError) as exc:
        raise BatchScoreError(str(exc)) from exc
    ctx = _context(tipdb, s)
    try:
        if kind == "application":
            batch: Any = _application_batch(path)
            ctx.history = NetworkHistory.from_batch(batch)
            scored, fm, rm = scorer.score_application_batch(batch, ctx)
        else:
            linked = {r["application_id"]: r for r in _rows(applications)} if applications else {}
            batch = EntryBatch.from_dicts(_rows(path), linked)
            scored, fm, rm = scorer.score_entry_batch(batch, ctx)
    except (BatchError, KeyError) as exc:
        raise BatchScoreError(f"{path.name}: {exc}") from exc

    def chunks() -> Iterable[dict[str, Any]]:
        # Score rows are built a chunk at a time so memory stays flat on large files.
        for start in range(0, len(batch), CHUNK):
            part = _slice(scored, start, start + CHUNK)
            yield from scorer.score_dicts(part, batch, fm, rm, offset=start)

    _write(out, chunks())
    return {
        "kind": kind,
        "scored": int(scored.case_id.size),
        "referred": int(scored.refer.sum()),
        "model_version": scorer.info.version,
    }


def _slice(scored: Any, start: int, stop: int) -> Any:
    from dataclasses import replace

    return replace(
        scored,
        case_id=scored.case_id[start:stop],
        post=scored.post[start:stop],
        probabilities={c: p[start:stop] for c, p in scored.probabilities.items()},
        risk=scored.risk[start:stop],
        threshold=scored.threshold[start:stop],
        capacity=scored.capacity[start:stop],
        model_refer=scored.model_refer[start:stop],
        rule_refer=scored.rule_refer[start:stop],
    )
