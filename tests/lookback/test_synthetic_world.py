"""The look-back on a synthetic world: the truly linked cases are found (recall >= 0.95), and a
raid's follow-up list starts with the sham-marriage spouse-visa holders of that establishment."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import orjson
import pytest
from sqlalchemy import Engine, select

from mizugiwa.db.engine import session_scope
from mizugiwa.features.records import BorderEntry, VisaApplication
from mizugiwa.features.tipdb.loader import load_file
from mizugiwa.service.cases import store_many
from mizugiwa.service.lookback import runner
from mizugiwa.service.lookback.engine import horizon_days
from mizugiwa.service.lookback.worklist import list_follow_ups
from mizugiwa.service.tables import FollowUp
from mizugiwa.settings import Settings
from mizugiwa.training.synth.world import generate_world

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("lookback-world")
    generate_world(seed=7, applications=12_000, entries=2_000, out=out)
    return out


def _lines(path: Path) -> list[dict]:  # type: ignore[type-arg]
    return [orjson.loads(line) for line in path.read_bytes().splitlines() if line.strip()]


def _truly_linked(world: Path, years: float) -> set[tuple[str, str]]:
    """(case, fact) pairs the world's truth links: a broker recorded, or an employer or
    establishment raided, after the case and within the horizon."""
    recorded: dict[str, date] = {}
    for entity in _lines(world / "tipdb.jsonl"):
        if entity["entity_type"] == "person" and entity["role"] != "victim":
            recorded[entity["id"]] = date.fromisoformat(entity["recorded_at"])
        if entity["entity_type"] == "raid":
            recorded[entity["id"]] = date.fromisoformat(entity["recorded_at"])
    when: dict[str, datetime] = {}
    for name, key, moment in (
        ("applications.jsonl", "application_id", "submitted_at"),
        ("entries.jsonl", "entry_id", "arrived_at"),
    ):
        for record in _lines(world / name):
            when[record[key]] = datetime.fromisoformat(record[moment]).astimezone(UTC)
    horizon = timedelta(days=horizon_days(years))
    pairs = set()
    for truth in _lines(world / "truth.jsonl"):
        for link, entity in truth["links"].items():
            fact = entity if link == "broker" else f"R-{entity}"
            if fact not in recorded:
                continue
            end = datetime.combine(recorded[fact], time.min, UTC) + timedelta(days=1)
            if end - horizon - timedelta(days=1) <= when[truth["case_id"]] < end:
                pairs.add((truth["case_id"], fact))
    return pairs


def _stored_world(engine: Engine, world: Path) -> None:
    load_file(engine, world / "tipdb.jsonl")
    with session_scope(engine) as session:
        for name, kind, model in (
            ("applications.jsonl", "application", VisaApplication),
            ("entries.jsonl", "entry", BorderEntry),
        ):
            records = [
                model.model_validate_json(line) for line in (world / name).read_bytes().splitlines()
            ]
            store_many(session, kind=kind, records=records, scored_at=datetime.now(UTC))


def test_recall_of_truly_linked_cases_and_raid_order(
    engine: Engine, settings: Settings, world: Path
) -> None:
    _stored_world(engine, world)
    report = runner.since(engine, settings, date(2000, 1, 1))
    truth = {row["case_id"]: row for row in _lines(world / "truth.jsonl")}
    with session_scope(engine) as session:
        found = {(r.case_id, r.fact_id) for r in session.scalars(select(FollowUp))}
        wanted = _truly_linked(world, settings.lookback_horizon_years)
        assert len(wanted) >= 50
        recall = len(wanted & found) / len(wanted)
        assert recall >= 0.95, (recall, sorted(wanted - found)[:10])
        assert report.created == len(found)

        raids = sorted(
            set(session.scalars(select(FollowUp.fact_id).where(FollowUp.fact_type == "raid")))
        )
        with_spouses = 0
        for raid in raids:
            rows, _ = list_follow_ups(session, fact_id=raid, limit=500)
            organisation = raid.removeprefix("R-")
            sham_here = [
                truth[row.case_id]["scheme"] == "sham_marriage_ring"
                and truth[row.case_id]["links"].get("establishment") == organisation
                for row, _ in rows
            ]
            # every sham-marriage spouse of this establishment before anyone else
            assert sham_here == sorted(sham_here, reverse=True), raid
            if any(sham_here):
                with_spouses += 1
                assert rows[0][0].rank == 0
                assert rows[0][0].reason_codes[0] == "FU-SPOUSE-ESTABLISHMENT"
        assert with_spouses >= 1
