"""Checks ``train`` makes before any work, so that a run fails in seconds, not after an hour.

Training a million applications takes minutes to hours; everything that can be known to fail
before that is checked first, and the error says which file or store and what is wrong:

- the data folder's files exist, are regular files that can be read (a symbolic link is
  followed; a broken one is an error), and each begins with a JSON object;
- ``outcomes.jsonl`` is valid throughout and confirms at least
  :data:`~training.fit.MIN_POSITIVES` cases of every concern (fewer in the whole file means fewer
  in the training months, where the model would refuse to learn);
- the capacity is a share in (0, 1];
- when the run is to be registered, the MLflow tracking store answers and a local artifact
  root can be written.

A file reached through a symbolic link to somewhere outside the data folder is fine to read, but
MLflow refuses to copy an artifact whose resolved path leaves the folder it is logged from
("resolved path is outside the artifact directory"); :func:`stage_artifact` copies such a file
into the run's own staging folder first, so it is logged like any other.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import orjson

from mizugiwa.features.records import CONCERNS
from mizugiwa.settings import Settings
from mizugiwa.training.datasets import (
    APPLICATIONS,
    ENTRIES,
    OUTCOMES,
    TIPDB,
    TRUTH,
    DataFiles,
    DatasetError,
    read_outcomes,
)
from mizugiwa.training.fit import MIN_POSITIVES


class PreflightError(DatasetError):
    """Something ``train`` would fail on later; the message names it and what is wrong."""


@dataclass(frozen=True)
class Preflight:
    """What the checks found: the data files, and the ones reached through a link."""

    files: DataFiles
    linked: tuple[Path, ...]


def _check_file(path: Path, root: Path) -> bool:
    """Raise for a file that cannot be read as JSON Lines; True when it is a link out of root."""
    if path.is_symlink() and not path.exists():
        raise PreflightError(f"{path.name}: symbolic link to {os.readlink(path)}, which is missing")
    resolved = path.resolve()
    if not resolved.is_file():
        raise PreflightError(f"{path.name}: {resolved} is not a regular file")
    try:
        with resolved.open("rb") as handle:
            first = b""
            for line in handle:
                if line.strip():
                    first = line
                    break
    except OSError as error:
        raise PreflightError(f"{path.name}: cannot be read ({error.strerror})") from error
    if first:
        try:
            parsed = orjson.loads(first)
        except orjson.JSONDecodeError as error:
            raise PreflightError(f"{path.name}, line 1: not JSON ({error})") from error
        if not isinstance(parsed, dict):
            raise PreflightError(f"{path.name}, line 1: not a JSON object")
    return not resolved.is_relative_to(root.resolve())


def _check_mlflow(settings: Settings) -> None:
    """The tracking store answers and a local artifact root is writable."""
    import mlflow

    try:
        mlflow.MlflowClient(settings.mlflow_tracking_uri).search_experiments(max_results=1)
    except Exception as error:  # any failure of the store (MLflow, SQLAlchemy, OS) stops here
        raise PreflightError(
            f"MLflow tracking store {settings.mlflow_tracking_uri!r} does not answer: {error}"
        ) from error
    root = settings.mlflow_artifact_root
    parsed = urlparse(root)
    if parsed.scheme in ("", "file"):
        folder = Path(parsed.path if parsed.scheme else root)
        existing = next((p for p in (folder, *folder.parents) if p.exists()), None)
        if existing is None or not os.access(existing, os.W_OK):
            raise PreflightError(f"MLflow artifact root {root!r} cannot be written")


def preflight(
    data: Path, settings: Settings, *, capacity: float | None = None, register: bool = True
) -> Preflight:
    """Every check above; raises :class:`PreflightError` (a ``DatasetError``) on the first."""
    if capacity is not None and not 0 < capacity <= 1:
        raise PreflightError(f"--capacity is {capacity}; a capacity is a share in (0, 1]")
    for name in (APPLICATIONS, OUTCOMES, ENTRIES, TIPDB, TRUTH):
        path = Path(data) / name
        if path.is_symlink() and not path.exists():  # else taken for an absent optional file
            raise PreflightError(f"{name}: symbolic link to {os.readlink(path)}, which is missing")
    files = DataFiles.find(data)
    linked = tuple(path for path in files.training_files() if _check_file(path, files.root))
    if files.truth is not None:
        _check_file(files.truth, files.root)
    confirmed = read_outcomes(files.outcomes).concern
    for concern in CONCERNS:
        count = int((confirmed == concern.value).sum())
        if count < MIN_POSITIVES:
            raise PreflightError(
                f"{files.outcomes.name}: {count} confirmed {concern.value} cases in the whole "
                f"file; at least {MIN_POSITIVES} are needed in the training months to learn it"
            )
    if register:
        _check_mlflow(settings)
    return Preflight(files=files, linked=linked)


def stage_artifact(path: Path, folder: Path) -> Path:
    """``path`` as MLflow can log it: itself when it is a plain file inside its folder, else a
    copy of what it points to in ``folder`` (the run's staging folder), under the same name."""
    if not path.is_symlink():
        return path
    folder.mkdir(parents=True, exist_ok=True)
    copy = folder / path.name
    shutil.copyfile(path.resolve(), copy)
    return copy
