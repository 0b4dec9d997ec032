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

from mizugiwa.features.jsonl import JsonLinesError
from mizugiwa.settings import Settings, get_settings

CHUNK = 50_000


class BatchScoreError(JsonLinesError):
    """The input cannot be scored; the message names the file, record and field."""


def _batch(spec: Any, path: Path, linked: dict[str, Any]) -> Any:
    """The file's cases as one batch: straight from the lines into columns where the kind can
    (``read_lines``), else through the records' JSON form."""
    from mizugiwa.features.jsonl import read_fast

    if spec.read_lines is not None and not linked:
        return read_fast(path, lambda lines: spec.read_lines(lines, orjson.loads))
    from mizugiwa.features.jsonl import read_objects

    return spec.read(read_objects(path), linked)


def _lookups(tipdb: Path | None, settings: Settings) -> Any:
    """The trafficking database from ``--tipdb`` or the configured database."""
    from mizugiwa.features.context_factory import read_lookups

    if tipdb is not None:
        try:
            return read_lookups(tipdb=tipdb)
        except JsonLinesError as exc:
            raise BatchScoreError(str(exc)) from exc
    from sqlalchemy import create_engine
    from sqlalchemy.exc import SQLAlchemyError

    engine = create_engine(settings.database_url)
    try:
        return read_lookups(engine=engine)
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


def _first_row(path: Path) -> dict[str, Any]:
    """The first record, to tell its kind without reading the whole file."""
    from mizugiwa.features.jsonl import iter_objects

    for _, row in iter_objects(path):
        return row
    raise BatchScoreError(f"{path.name}: no records to score")


def score_file(
    path: Path,
    out: Path,
    *,
    alias: str = "champion",
    tipdb: Path | None = None,
    applications: Path | None = None,
    settings: Settings | None = None,
) -> dict[str, Any]:
    """Score the cases of ``path`` into ``out`` (one Score JSON per line).

    The kind of case is the first record's (explicit ``kind`` or recognised by its id field);
    ``applications`` holds the records the cases link to (the visa applications of a file of
    border entries). The feature context comes from the one factory: the database, and a
    network history of the file's cases when their kind feeds it.
    """
    from mizugiwa.features.context_factory import feature_context
    from mizugiwa.features.indicators import BatchError
    from mizugiwa.features.jsonl import read_objects
    from mizugiwa.features.kinds import UnknownKindError, kind, kind_of_record
    from mizugiwa.models.registry import RegistryError, load_scorer
    from mizugiwa.models.scorer import FeatureMismatchError

    s = settings if settings is not None else get_settings()
    try:
        spec = kind_of_record(_first_row(path))
    except JsonLinesError as exc:
        raise BatchScoreError(str(exc)) from exc
    except UnknownKindError as exc:
        raise BatchScoreError(f"{path.name}: {exc}") from exc
    try:
        scorer = load_scorer(alias, settings=s)
    except (RegistryError, FeatureMismatchError) as exc:
        raise BatchScoreError(str(exc)) from exc
    lookups = _lookups(tipdb, s)
    try:
        linked: dict[str, Any] = {}
        history = []
        if spec.link is not None and applications is not None:
            other = kind(spec.link.kind)
            rows = read_objects(applications)
            linked = {str(r.get(other.id_field)): r for r in rows}
            if other.feeds_history:  # the linked cases see the same earlier cases as elsewhere
                history.append(other.read(rows, {}))
        batch: Any = _batch(spec, path, linked)
        if spec.feeds_history:
            history.append(batch)
        ctx = feature_context(lookups, batches=history)
        scored, fm, rm = scorer.score_batch(spec.name, batch, ctx)
    except JsonLinesError as exc:
        raise BatchScoreError(str(exc)) from exc
    except (BatchError, KeyError) as exc:
        raise BatchScoreError(f"{path.name}: {exc}") from exc

    def chunks() -> Iterable[dict[str, Any]]:
        # Score rows are built a chunk at a time so memory stays flat on large files.
        for start in range(0, len(batch), CHUNK):
            part = _slice(scored, start, start + CHUNK)
            yield from scorer.score_dicts(part, batch, fm, rm, offset=start)

    _write(out, chunks())
    return {
        "kind": spec.name,
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
