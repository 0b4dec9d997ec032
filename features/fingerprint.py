"""One fingerprint of all the code that computes a feature.

A model learns from feature values; if the code computing them changes (an indicator, a database
lookup, name matching, phone or address normalisation, how records are read into columns), the
same case gets other values and the model's output means nothing any more. The fingerprint is a
digest of the source of every module that takes part, plus the code of any indicator, rule or
reader a registered kind brings from outside them; a scorer records the fingerprint it was
trained with and refuses to run under another (``mizugiwa.models.scorer.FeatureMismatchError``).

Source text, not bytecode: the digest is the same on every Python version and machine, and a
change anywhere in those modules (a constant, a helper, a table of transliterations) counts.
"""

from __future__ import annotations

import hashlib
import types
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

#: What computes a feature, relative to the ``features`` package: folders are taken whole.
FINGERPRINTED: tuple[str, ...] = (
    "indicators",
    "matching",
    "normalise",
    "paxlst",
    "record_values.py",
    "tipdb/identifiers.py",
    "tipdb/entities.py",
    "tipdb/snapshot.py",
    "context_factory.py",
    "jsonl.py",
    "kinds.py",
    "mrz_check.py",
    "network.py",
    "records.py",
)

FEATURES_ROOT = Path(__file__).resolve().parent


def source_files(root: Path = FEATURES_ROOT) -> list[Path]:
    """The fingerprinted source files under ``root`` (a ``features`` folder), sorted."""
    files: list[Path] = []
    for part in FINGERPRINTED:
        path = root / part
        if path.is_dir():
            files.extend(p for p in path.rglob("*.py") if "__pycache__" not in p.parts)
        elif path.exists():
            files.append(path)
    return sorted(files)


def _hash_code(h: Any, code: types.CodeType) -> None:
    """Feed a code object into a hash: bytecode, names and constants (nested code recursed, so
    no memory address enters the digest)."""
    h.update(code.co_code)
    h.update(repr(code.co_names).encode())
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            _hash_code(h, const)
        else:
            h.update(repr(const).encode())


def _outside(functions: Iterable[Any], root: Path) -> list[Any]:
    """The functions defined outside the fingerprinted files (a kind plugged in from elsewhere)."""
    inside = {str(p) for p in source_files(root)}
    out = []
    for fn in functions:
        code = getattr(fn, "__code__", None)
        if code is not None and str(Path(code.co_filename).resolve()) not in inside:
            out.append(fn)
    return out


def _kind_functions() -> list[Any]:
    from mizugiwa.features.kinds import kinds

    functions: list[Any] = []
    for spec in kinds():
        functions += [spec.read, spec.victims]
        functions += [f for ind in spec.indicators for f in (ind.compute, ind.fires)]
        functions += [rule.check for rule in spec.rules]
    return functions


def fingerprint(root: Path = FEATURES_ROOT, *, functions: Iterable[Any] | None = None) -> str:
    """The digest of the feature code under ``root`` and of ``functions`` defined elsewhere
    (default: the registered kinds' indicators, rules and readers)."""
    h = hashlib.sha256()
    for path in source_files(root):
        h.update(path.relative_to(root).as_posix().encode() + b"\0")
        h.update(path.read_bytes())
        h.update(b"\0")
    extra = _outside(_kind_functions() if functions is None else functions, root)
    for fn in extra:
        h.update(f"{fn.__module__}.{fn.__qualname__}".encode())
        _hash_code(h, fn.__code__)
    return "code-" + h.hexdigest()[:16]


@cache
def _files_digest(root: Path) -> str:
    return fingerprint(root, functions=())


def running_fingerprint() -> str:
    """The fingerprint of the code running now (the files read once per process)."""
    extra = _outside(_kind_functions(), FEATURES_ROOT)
    if not extra:
        return _files_digest(FEATURES_ROOT)
    return fingerprint(FEATURES_ROOT)
