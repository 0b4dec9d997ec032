"""``mizugiwa export``: the service's own records back as a training folder, point in time.

A small synthetic world is put into the service's store the way operations would fill it (the
trafficking database loaded, applications and entries stored, outcomes recorded), exported, and
read back by the training code and the loader.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import orjson
import pytest
from sqlalchemy import insert

from mizugiwa.db.engine import make_engine, session_scope
from mizugiwa.features.records import BorderEntry, VisaApplication
from mizugiwa.features.tipdb.loader import load_file
from mizugiwa.service.cases import import_applications, store_scored
from mizugiwa.service.export import ExportError, export_training_folder
from mizugiwa.service.tables import InterviewOutcome, User
from mizugiwa.training.datasets import DataFiles, read_outcomes


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for item in value.values() for s in _strings(item)]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    return []


def _lines(path: Path) -> list[dict[str, Any]]:
    return [orjson.loads(line) for line in path.read_bytes().splitlines() if line.strip()]


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from mizugiwa.training.synth import generate_world

    out = tmp_path_factory.mktemp("export-world")
    generate_world(314, 1500, 400, out, workers=1)
    return out


@pytest.fixture
def operations(world: Path, migrated_db_url: str) -> Any:
    """The world as the service would hold it after running it: database, cases, outcomes."""
    engine = make_engine(migrated_db_url)
    load_file(engine, world / "tipdb.jsonl")
    with (world / "applications.jsonl").open("rb") as handle:
        assert not import_applications(engine, handle, "applications.jsonl").errors
    entries = _lines(world / "entries.jsonl")
    with session_scope(engine) as session:
        for line in entries:
            store_scored(
                session,
                kind="entry",
                record=BorderEntry.model_validate(line),
                score=None,
                request_id=None,
                scored_at=datetime.now(UTC),
            )
        officer = User(name="officer", role="analyst", created_at=datetime.now(UTC))
        session.add(officer)
        session.flush()
        outcomes = _lines(world / "outcomes.jsonl")
        now = datetime.now(UTC)
        session.execute(
            insert(InterviewOutcome),
            [
                {
                    "case_id": o["case_id"],
                    "interviewed_at": datetime.fromisoformat(o["interviewed_at"]),
                    "outcome": o["outcome"],
                    "referral_source": o["referral_source"],
                    "victim_support_offered": o.get("victim_support_offered", False),
                    "recorded_by": officer.pk,
                    "recorded_at": now,
                }
                for o in outcomes
            ],
        )
    yield engine
    engine.dispose()


def test_export_is_a_training_folder_of_what_the_service_holds(
    world: Path, operations: Any, tmp_path: Path
) -> None:
    out = tmp_path / "export"
    report = export_training_folder(operations, date(2000, 1, 1), date(2100, 1, 1), out)
    files = DataFiles.find(out)
    assert files.entries is not None and files.tipdb is not None

    # the records come back as the service accepted them
    by_id = {a["application_id"]: a for a in _lines(world / "applications.jsonl")}
    exported = _lines(files.applications)
    assert len(exported) == len(by_id) == report.counts["applications"]
    for line in exported[:200]:  # the same record (the store keeps it as validated)
        original = by_id[line["application_id"]]
        assert VisaApplication.model_validate(line) == VisaApplication.model_validate(original)
    assert report.counts["entries"] == len(_lines(world / "entries.jsonl"))

    # every recorded outcome, with its referral source, readable by training
    outcomes = read_outcomes(files.outcomes)
    assert len(_lines(files.outcomes)) == len(_lines(world / "outcomes.jsonl"))
    assert len(outcomes) == report.counts["outcomes"] > 0
    sources = {line["referral_source"] for line in _lines(files.outcomes)}
    assert "random_audit" in sources

    # the database as loaded: every entity, loadable on its own into an empty database
    assert report.counts["tipdb"] == len(_lines(world / "tipdb.jsonl"))
    assert report.entities_without_import_line == 0
    fresh = make_engine(f"sqlite:///{tmp_path / 'fresh.sqlite3'}")
    from mizugiwa.db.migrate import upgrade

    upgrade(str(fresh.url))
    assert load_file(fresh, files.tipdb).inserted == report.counts["tipdb"]
    fresh.dispose()
    manifest = orjson.loads((out / "manifest.json").read_bytes())
    assert manifest["counts"] == report.counts and manifest["pseudonymised"] is False


def test_nothing_recorded_after_the_end_date_is_exported(
    world: Path, operations: Any, tmp_path: Path
) -> None:
    dates = sorted(a["submitted_at"][:10] for a in _lines(world / "applications.jsonl"))
    middle = date.fromisoformat(dates[len(dates) // 2])
    out = tmp_path / "half"
    report = export_training_folder(operations, date(2000, 1, 1), middle, out)

    assert 0 < report.counts["applications"] < len(dates)
    assert all(
        a["submitted_at"][:10] <= middle.isoformat() for a in _lines(out / "applications.jsonl")
    )
    tipdb = _lines(out / "tipdb.jsonl")
    recorded = [str(line.get("recorded_at") or line.get("date"))[:10] for line in tipdb]
    assert recorded and max(recorded) <= middle.isoformat()
    later = [
        line
        for line in _lines(world / "tipdb.jsonl")
        if str(line.get("recorded_at") or line.get("date"))[:10] > middle.isoformat()
    ]
    assert later, "the world should hold facts learnt after the middle of its period"
    exported_ids = {line["id"] for line in tipdb}
    assert not exported_ids & {line["id"] for line in later}
    # references to entities learnt later are dropped, so the file loads on its own
    fresh = make_engine(f"sqlite:///{tmp_path / 'fresh.sqlite3'}")
    from mizugiwa.db.migrate import upgrade

    upgrade(str(fresh.url))
    assert load_file(fresh, out / "tipdb.jsonl").inserted == len(tipdb)
    fresh.dispose()


def test_pseudonymised_export_holds_no_name_and_keeps_exact_links(
    world: Path, operations: Any, tmp_path: Path
) -> None:
    out = tmp_path / "pseudo"
    export_training_folder(
        operations, date(2000, 1, 1), date(2100, 1, 1), out, pseudonymise_key=b"k" * 32
    )
    values: set[str] = set()
    for name in ("applications.jsonl", "entries.jsonl", "tipdb.jsonl"):
        for line in _lines(out / name):
            values |= set(_strings(line))
    originals = _lines(world / "applications.jsonl")
    for application in originals:
        person = application["applicant"]
        for name in (person["family_name"], person["given_names"], person.get("name_native")):
            assert name is None or name not in values
        assert application["passport"]["number"] not in values
    for entry in _lines(out / "entries.jsonl"):
        assert entry.get("mrz") is None
    # one passport reported in the database and used in an application: the same token
    documents = {
        line["number"]
        for line in _lines(out / "tipdb.jsonl")
        if line["entity_type"] == "travel_document"
    }
    passports = {a["passport"]["number"] for a in _lines(out / "applications.jsonl")}
    originals_reported = {
        line["number"]
        for line in _lines(world / "tipdb.jsonl")
        if line["entity_type"] == "travel_document"
    } & {a["passport"]["number"] for a in originals}
    assert len(documents & passports) == len(originals_reported)


def test_export_refuses_a_reversed_period_or_a_used_folder(operations: Any, tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="after"):
        export_training_folder(operations, date(2024, 2, 1), date(2024, 1, 1), tmp_path / "a")
    used = tmp_path / "used"
    used.mkdir()
    (used / "x").write_text("x")
    with pytest.raises(ExportError, match="not empty"):
        export_training_folder(operations, date(2024, 1, 1), date(2024, 2, 1), used)
