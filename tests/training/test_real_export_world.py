"""A world rewritten as real exports write it is loaded and trained on, nothing refused."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest

from mizugiwa.db.engine import make_engine
from mizugiwa.db.migrate import upgrade
from mizugiwa.features.tipdb.loader import load_file
from mizugiwa.features.tipdb.repository import iter_entities
from mizugiwa.settings import Settings
from mizugiwa.training.synth.world import generate_world
from mizugiwa.training.train import train

pytestmark = pytest.mark.slow


def _rewrite(path: Path, change: Any) -> None:
    lines = [orjson.loads(line) for line in path.read_bytes().splitlines() if line.strip()]
    path.write_bytes(b"\n".join(orjson.dumps(change(k, line)) for k, line in enumerate(lines)))


def _application(k: int, app: dict[str, Any]) -> dict[str, Any]:
    if k % 20 == 0:  # an unknown day and month of birth
        app["applicant"]["date_of_birth"] = app["applicant"]["date_of_birth"][:4] + "-00-00"
    if k % 20 == 1:
        app["applicant"]["languages"] = ["fil", "ceb"]
    if k % 20 == 2 and app.get("biometrics"):
        score = app["biometrics"]["face_match_score"]
        app["biometrics"] = {
            "face_match_score": round(score * 100, 1),
            "face_match_scale": "percent",
        }
    if k % 50 == 3:
        app["visa_category"] = "designated_activities"
    return app


def _entry(k: int, entry: dict[str, Any]) -> dict[str, Any]:
    if k % 20 == 0:
        entry.pop("mrz")
        entry["mrz_missing_reason"] = "damaged"
    if k % 20 == 1:
        entry.pop("flight_number")
        entry.update(vessel_name="MV Ocean Pearl", imo_number="9074729")
    if k % 20 == 2:
        entry["flight_number"] = entry["flight_number"][:2] + " " + entry["flight_number"][2:]
    return entry


def _entity(k: int, line: dict[str, Any]) -> dict[str, Any]:
    if line["entity_type"] == "person" and k % 3 == 0 and line.get("date_of_birth"):
        line["date_of_birth"] = "about " + line["date_of_birth"][:4]
    if k % 5 == 0 and len(str(line.get("recorded_at", ""))) == 10:
        line["recorded_at"] += "T09:30:00+09:00"
    if line["entity_type"] == "raid" and k % 2 == 0:
        line["finding"] = "withheld_residence_cards"
    return line


def test_a_world_in_real_export_form_loads_and_trains(tmp_path: Path) -> None:
    world = tmp_path / "world"
    generate_world(7, 12_000, 1_500, world)
    _rewrite(world / "applications.jsonl", _application)
    _rewrite(world / "entries.jsonl", _entry)
    _rewrite(world / "tipdb.jsonl", _entity)

    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    upgrade(url)
    engine = make_engine(url)
    report = load_file(engine, world / "tipdb.jsonl")
    assert report.lines > 0
    from sqlalchemy.orm import Session

    with Session(engine) as session:
        stored = list(iter_entities(session))
    assert any("birth_year" in line for line in stored)
    assert any(line.get("finding_as_given") == "withheld_residence_cards" for line in stored)

    store = tmp_path / "mlflow"
    settings = Settings(
        environment="test",
        mlflow_tracking_uri=f"sqlite:///{store}/mlflow.db",
        mlflow_artifact_root=(store / "artifacts").as_uri(),
    )
    result = train(world, seed=1, settings=settings, register=False)
    assert 0 < result.summary["recall_at_capacity"]["model"] <= 1
