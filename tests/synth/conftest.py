"""A small synthetic world, generated once for the module that asks for it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest

from mizugiwa.training.synth import generate_world

SEED = 20240601
APPLICATIONS = 6000
ENTRIES = 3000


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open("rb") as handle:
        return [orjson.loads(line) for line in handle]


@pytest.fixture(scope="session")
def world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("world")
    generate_world(SEED, APPLICATIONS, ENTRIES, out, workers=1)
    return out


@pytest.fixture(scope="session")
def files(world: Path) -> dict[str, list[dict[str, Any]]]:
    names = ("applications", "entries", "outcomes", "tipdb", "truth")
    return {name: read_jsonl(world / f"{name}.jsonl") for name in names}
