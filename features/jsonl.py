"""JSON Lines files: records and database entities, one JSON object per line.

Every file Mizugiwa reads (applications, entries, outcomes, the truth of a synthetic world, the
trafficking-database import) is JSON Lines, whoever wrote it. This is the one reader: blank
lines are skipped, each line must be a JSON object, and every problem is a
:class:`JsonLinesError` naming the file, the line and, where there is one, the field.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import orjson

_T = TypeVar("_T")


class JsonLinesError(ValueError):
    """A JSON Lines file cannot be read: the message names the file, the line and the field.

    ``path``, ``line`` (1-based; ``None`` for the file as a whole), ``field`` (dotted; ``None``
    when the line is not JSON at all) and ``problem`` are kept for callers that show them apart;
    ``errors`` holds every bad line when a reader reports them all at once (an import is all or
    nothing). Callers that add their own context subclass it (``DatasetError``,
    ``BatchScoreError``, ``LoadError``), so one ``except JsonLinesError`` catches them all.
    Built with only a message, it is about a file or folder as a whole.
    """

    def __init__(
        self,
        path: Path | str,
        line: int | None = None,
        problem: str | None = None,
        field: str | None = None,
        *,
        errors: list[JsonLinesError] | None = None,
    ) -> None:
        self.line = line
        self.field = field
        self.errors = errors or []
        if problem is None:  # a message already saying what it is about
            self.path = None
            self.problem = str(path)
            super().__init__(str(path))
            return
        self.path = Path(path)
        self.problem = problem
        where = self.path.name if line is not None else str(self.path)
        if line is not None:
            where += f" line {line}"
        if field:
            where += f": {field}"
        super().__init__(f"{where}: {problem}")

    @property
    def message(self) -> str:
        """What is wrong, without where."""
        return self.problem


def iter_lines(path: Path | str) -> Iterator[tuple[int, bytes]]:
    """``(line number, bytes)`` of each non-blank line."""
    path = Path(path)
    try:
        with path.open("rb") as handle:
            for number, line in enumerate(handle, start=1):
                if line.strip():
                    yield number, line
    except OSError as exc:
        raise JsonLinesError(path, None, f"cannot read ({exc.strerror})") from exc


def parse_line(path: Path | str, number: int, line: bytes | str) -> dict[str, Any]:
    """One line as a JSON object."""
    try:
        row = orjson.loads(line)
    except orjson.JSONDecodeError as exc:
        raise JsonLinesError(path, number, f"not JSON ({exc})") from exc
    if not isinstance(row, dict):
        raise JsonLinesError(path, number, "not a JSON object")
    return row


def iter_objects(path: Path | str) -> Iterator[tuple[int, dict[str, Any]]]:
    """``(line number, object)`` of each non-blank line."""
    for number, line in iter_lines(path):
        yield number, parse_line(path, number, line)


def read_objects(path: Path | str) -> list[dict[str, Any]]:
    """Every object of the file, in order."""
    return [row for _, row in iter_objects(path)]


def read_fast(path: Path | str, read: Callable[[Iterator[bytes]], _T]) -> _T:
    """``read(lines)`` over the file's non-blank lines as bytes, for readers that parse a
    million lines themselves (``orjson.loads`` straight into columns, no line numbers kept):
    when ``read`` fails, the file is read again with :func:`iter_objects` so that a line that is
    not a JSON object raises :class:`JsonLinesError` naming it; any other failure (a field the
    records lack) is re-raised as it is."""
    path = Path(path)
    try:
        with path.open("rb") as handle:
            return read(line for line in handle if line.strip())
    except OSError as exc:
        raise JsonLinesError(path, None, f"cannot read ({exc.strerror})") from exc
    except (ValueError, TypeError, KeyError, AttributeError):
        for _ in iter_objects(path):
            pass
        raise


def field_error(
    path: Path | str, number: int, exc: Exception, *, prefix: str = ""
) -> JsonLinesError:
    """A pydantic ``ValidationError`` (or any error) on line ``number`` as a
    :class:`JsonLinesError` naming the first failing field."""
    errors = getattr(exc, "errors", None)
    if callable(errors):
        first = errors()[0]
        field = ".".join(str(p) for p in first["loc"]) or "record"
        return JsonLinesError(path, number, str(first["msg"]), field=prefix + field)
    return JsonLinesError(path, number, str(exc))
