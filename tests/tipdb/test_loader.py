"""Loading import files: all or nothing per file, every error named, upserts, re-loads."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select
from tipdb_helpers import EXAMPLE, dump_tables, example_lines, write_jsonl

from mizugiwa.db.engine import session_scope
from mizugiwa.features.tipdb import tables as t
from mizugiwa.features.tipdb.loader import LoadError, load_file
from mizugiwa.features.tipdb.repository import entity_counts, iter_entities


def test_example_file_loads_every_entity(engine: Engine) -> None:
    report = load_file(engine, EXAMPLE)
    lines = example_lines()
    assert report.inserted == len(lines) and report.updated == report.unchanged == 0
    with session_scope(engine) as session:
        counts = entity_counts(session)
        victims = session.scalars(select(t.ProtectedPerson.external_id)).all()
        phone = session.scalars(select(t.Phone).where(t.Phone.external_id == "T-9")).one()
        stored = {(line["entity_type"], line["id"]): line for line in iter_entities(session)}
    persons = [line for line in lines if line["entity_type"] == "person"]
    assert counts["persons"] + counts["protected_persons"] == len(persons)
    assert sorted(victims) == sorted(p["id"] for p in persons if p["role"] == "victim")
    assert counts["imports"] == 1
    assert phone.e164 == "+639171234567"
    assert phone.import_sha256 == report.sha256
    # What goes in comes back out, extras included.
    for line in lines:
        back = stored[(line["entity_type"], line["id"])]
        for key, value in line.items():
            assert back[key] == value, (line["id"], key)


def test_same_file_again_is_a_no_op(engine: Engine) -> None:
    load_file(engine, EXAMPLE)
    before = dump_tables(engine)
    again = load_file(engine, EXAMPLE)
    assert again.already_loaded
    assert "already loaded" in again.summary()
    assert dump_tables(engine) == before


def test_one_bad_line_leaves_the_database_exactly_as_it_was(
    loaded_engine: Engine, tmp_path: Path
) -> None:
    before = dump_tables(loaded_engine)
    lines = example_lines()
    changed = [
        {**lines[0], "names": ["SATO KENICHI", "SATO KEN"]},  # an update
        {**lines[1], "id": "O-99"},  # an insert
        {**lines[2], "id": "T-99", "recorded_at": "2024-13-01"},  # the bad line (line 3)
    ]
    with pytest.raises(LoadError) as caught:
        load_file(loaded_engine, write_jsonl(tmp_path / "bad.jsonl", changed))
    assert [(e.line, e.field) for e in caught.value.errors] == [(3, "recorded_at")]
    assert "line 3, field recorded_at" in str(caught.value)
    assert dump_tables(loaded_engine) == before


def test_every_bad_line_is_reported(engine: Engine, tmp_path: Path) -> None:
    lines = example_lines()[:8]
    lines[0] = {**lines[0], "role": "boss"}
    lines[3] = {**lines[3], "linked_to": ["O-3", "O-404"]}
    lines.append({**lines[4]})  # duplicate D-2
    path = tmp_path / "bad.jsonl"
    write_jsonl(path, lines)
    with path.open("a", encoding="utf-8") as handle:
        handle.write("{not json}\n")
    with pytest.raises(LoadError) as caught:
        load_file(engine, path)
    found = {(e.line, e.field) for e in caught.value.errors}
    assert found == {(1, "role"), (4, "linked_to.1"), (9, "id"), (10, "-")}
    unknown = next(e for e in caught.value.errors if e.field == "linked_to.1")
    assert "O-404" in unknown.message
    assert dump_tables(engine)["tipdb_imports"] == []


def test_references_resolve_against_the_database(loaded_engine: Engine, tmp_path: Path) -> None:
    later: list[dict[str, Any]] = [
        {
            "entity_type": "phone",
            "id": "T-50",
            "number": "+63 917 000 0000",
            "linked_to": ["P-17", "O-3", "P-22"],
            "source": "mofa_post",
            "recorded_at": "2024-09-01",
        },
        {
            "entity_type": "raid",
            "id": "R-50",
            "organisation_id": "O-7",
            "date": "2024-09-01",
            "authority": "police",
            "finding": "other",
        },
    ]
    report = load_file(loaded_engine, write_jsonl(tmp_path / "later.jsonl", later))
    assert report.inserted == 2
    with session_scope(loaded_engine) as session:
        links = session.execute(
            select(t.Link.person_pk, t.Link.protected_person_pk, t.Link.organisation_pk)
            .join(t.Phone, t.Phone.pk == t.Link.phone_pk)
            .where(t.Phone.external_id == "T-50")
        ).all()
    kinds = sorted(tuple(value is not None for value in link) for link in links)
    assert kinds == [(False, False, True), (False, True, False), (True, False, False)]


def test_changed_record_is_updated_and_keeps_first_load(
    loaded_engine: Engine, tmp_path: Path
) -> None:
    with session_scope(loaded_engine) as session:
        first = session.scalars(select(t.Person).where(t.Person.external_id == "P-17")).one()
    lines = example_lines()
    changed = [
        {**lines[0], "names": ["SATO KENICHI"], "source": "npa", "recorded_at": "2024-04-01"},
        lines[1],
    ]
    report = load_file(loaded_engine, write_jsonl(tmp_path / "update.jsonl", changed))
    assert (report.inserted, report.updated, report.unchanged) == (0, 1, 1)
    with session_scope(loaded_engine) as session:
        person = session.scalars(select(t.Person).where(t.Person.external_id == "P-17")).one()
        names = [n.name for n in person.names]
    assert person.pk == first.pk
    assert (person.source, str(person.recorded_at)) == ("npa", "2024-04-01")
    assert person.first_loaded_at == first.first_loaded_at
    assert person.loaded_at > first.loaded_at
    assert person.import_sha256 == report.sha256
    assert names == ["SATO KENICHI"]


def test_person_recognised_as_victim_moves_to_the_protected_table(
    loaded_engine: Engine, tmp_path: Path
) -> None:
    lines = example_lines()
    as_victim = {**lines[0], "role": "victim", "recorded_at": "2024-10-01"}
    load_file(loaded_engine, write_jsonl(tmp_path / "victim.jsonl", [as_victim]))
    with session_scope(loaded_engine) as session:
        assert session.scalars(select(t.Person).where(t.Person.external_id == "P-17")).all() == []
        victim = session.scalars(
            select(t.ProtectedPerson).where(t.ProtectedPerson.external_id == "P-17")
        ).one()
        exported = {(e["entity_type"], e["id"]): e for e in iter_entities(session)}
    assert victim.names == ["SATO KENICHI", "佐藤健一"]
    assert exported[("person", "P-17")]["role"] == "victim"
    assert "P-17" in exported[("phone", "T-9")]["linked_to"]
    assert "P-17" in exported[("case", "C-8")]["persons"]
