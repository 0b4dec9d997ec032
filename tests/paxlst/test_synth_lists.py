"""The synthetic world's passenger lists: one per flight of its border entries, seeded, every
traveller on the list of their flight, and screened end to end against the world's database."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from sqlalchemy import select

from mizugiwa.db.engine import make_engine, session_scope
from mizugiwa.db.migrate import upgrade
from mizugiwa.features.indicators.context import FeatureContext
from mizugiwa.features.mrz_check import parse_mrz
from mizugiwa.features.paxlst import parse_paxlst
from mizugiwa.features.tipdb.loader import load_file
from mizugiwa.features.tipdb.snapshot import Snapshot
from mizugiwa.service.passenger_lists import store_and_screen
from mizugiwa.service.tables import PreArrivalCase
from mizugiwa.training.synth import generate_world
from mizugiwa.training.synth.passenger_lists import write_passenger_lists

SEED = 515


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("paxlst-world")
    generate_world(SEED, 400, 600, out, workers=1)
    write_passenger_lists(out / "entries.jsonl", out / "passenger-lists", SEED)
    return out


def _entries(world: Path) -> list[dict]:
    return [orjson.loads(line) for line in (world / "entries.jsonl").read_bytes().splitlines()]


def test_one_list_per_flight_with_every_traveller(world: Path) -> None:
    entries = _entries(world)
    files = sorted((world / "passenger-lists").rglob("*.edi"))
    flights = {(e["flight_number"], e["port_code"], e["arrived_at"][:10]) for e in entries}
    assert len(files) == len(flights)
    listed: dict[str, set[tuple[str, str]]] = {}
    for path in files:
        pax = parse_paxlst(path.read_text())
        assert pax.warnings == ()
        for person in pax.persons:
            doc = person.document
            assert doc is not None
            leg = pax.arrival_leg
            listed.setdefault(doc.number, set()).add((leg.flight, str(leg.to_port)))
    mrz = parse_mrz([e["mrz"] for e in entries])
    for i, entry in enumerate(entries):
        # a passport travels more than once: it is on the list of each of its flights
        assert (entry["flight_number"], entry["port_code"]) in listed[str(mrz.number[i])]


def test_lists_are_seeded(world: Path, tmp_path: Path) -> None:
    again = write_passenger_lists(world / "entries.jsonl", tmp_path, SEED)
    for path in again:
        original = world / "passenger-lists" / path.relative_to(tmp_path)
        assert original.read_bytes() == path.read_bytes()


def test_reported_documents_of_the_world_are_referred_before_arrival(
    world: Path, tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'world.sqlite3'}"
    upgrade(url)
    engine = make_engine(url)
    load_file(engine, world / "tipdb.jsonl")
    features = FeatureContext(snapshot=Snapshot.from_database(engine))
    reported = {
        line["number"]
        for line in map(orjson.loads, (world / "tipdb.jsonl").read_bytes().splitlines())
        if line["entity_type"] == "travel_document" and line["status"] in ("lost", "stolen")
    }
    for path in sorted((world / "passenger-lists").rglob("*.edi")):
        with session_scope(engine) as session:
            store_and_screen(
                session,
                parse_paxlst(path.read_text()),
                features,
                message_sha256="0" * 64,
                received_by=None,
            )
    with session_scope(engine) as session:
        rows = session.execute(select(PreArrivalCase.record, PreArrivalCase.rule_codes)).all()
    engine.dispose()
    flagged = {row.record["document_number"] for row in rows if "PL-DOC-REPORTED" in row.rule_codes}
    on_lists = {row.record["document_number"] for row in rows} & reported
    assert on_lists, "the world should put some reported documents on flights"
    assert flagged == on_lists
