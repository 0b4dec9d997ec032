"""Storing lists on SQLite and PostgreSQL: once per sender and reference, every person a
pre-arrival case, links across lists and to stored visa applications, nothing of a rejected
message stored; and the ``mizugiwa paxlst`` commands."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from paxlst_messages import D02B_CREW_CUSTOM, D05B_PASSENGERS
from sqlalchemy import func, select
from typer.testing import CliRunner

from mizugiwa.cli import app
from mizugiwa.db.engine import make_engine, session_scope
from mizugiwa.features.paxlst import Person, parse_paxlst
from mizugiwa.service.passenger_lists import store_and_screen
from mizugiwa.service.tables import PassengerListRecord, PreArrivalCase, StoredCase


def _store(url: str, text: str) -> dict[str, object]:
    engine = make_engine(url)
    try:
        with session_scope(engine) as session:
            stored = store_and_screen(
                session, parse_paxlst(text), None, message_sha256="0" * 64, received_by=None
            )
            return stored.to_json()
    finally:
        engine.dispose()


def _counts(url: str) -> tuple[int, int]:
    engine = make_engine(url)
    try:
        with session_scope(engine) as session:
            lists = session.scalar(select(func.count()).select_from(PassengerListRecord))
            cases = session.scalar(select(func.count()).select_from(PreArrivalCase))
            return int(lists or 0), int(cases or 0)
    finally:
        engine.dispose()


def test_every_person_is_a_case_and_a_resent_list_replaces(migrated_db_url: str) -> None:
    first = _store(migrated_db_url, D05B_PASSENGERS)
    assert first["replaced"] is False and first["persons"] == 3
    assert _counts(migrated_db_url) == (1, 3)
    engine = make_engine(migrated_db_url)
    with session_scope(engine) as session:
        rows = session.execute(
            select(
                PreArrivalCase.seq,
                PreArrivalCase.flight,
                PreArrivalCase.leg,
                PreArrivalCase.port_code,
                PreArrivalCase.arrives_at,
            ).order_by(PreArrivalCase.seq)
        ).all()
    engine.dispose()
    assert [(r.seq, r.flight, r.leg, r.port_code) for r in rows] == [
        (1, "PR428", 1, "NRT"),
        (2, "PR428", 1, "NRT"),
        (3, "PR428", 0, "OKA"),  # the transit passenger leaves at Naha
    ]
    assert rows[0].arrives_at.astimezone(UTC) == datetime(2025, 4, 1, 14, 30, tzinfo=UTC)
    # sent again with one passenger fewer: the same list, replaced, never duplicated
    lines = D05B_PASSENGERS.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("NAD+DDT"))
    end = next(i for i, line in enumerate(lines) if line.startswith("CNT"))
    shorter = [*lines[:start], *lines[end:]]
    shorter = [
        line.replace("UNT+57", f"UNT+{57 - (end - start)}").replace("CNT+42:3", "CNT+42:2")
        for line in shorter
    ]
    again = _store(migrated_db_url, "\n".join(shorter))
    assert again["replaced"] is True and again["list_id"] == first["list_id"]
    assert _counts(migrated_db_url) == (1, 2)


def test_crew_seen_as_passenger_on_another_list(migrated_db_url: str) -> None:
    crew = parse_paxlst(D02B_CREW_CUSTOM)
    pax = parse_paxlst(D05B_PASSENGERS)
    # the first crew member also flies as a passenger on the Manila flight, a day earlier
    kovac = crew.persons[0]
    passenger = replace(kovac, role="passenger")
    pax = replace(pax, persons=(*pax.persons, passenger))
    engine = make_engine(migrated_db_url)
    try:
        with session_scope(engine) as session:
            store_and_screen(session, pax, None, message_sha256="1" * 64, received_by=None)
        with session_scope(engine) as session:
            stored = store_and_screen(
                session, crew, None, message_sha256="2" * 64, received_by=None
            )
    finally:
        engine.dispose()
    assert [case["rule_codes"] for case in stored.cases] == [["PL-CREW-PASSENGER"], []]


def test_linked_visa_application(migrated_db_url: str) -> None:
    engine = make_engine(migrated_db_url)
    record = {
        "application_id": "APP-MNL-1",
        "applicant": {
            "family_name": "DELA CRUZ",
            "given_names": "MARIA LUZ",
            "date_of_birth": "1998-05-04",
        },
        "passport": {"number": "P1234567A", "issuing_state": "PHL"},
    }
    try:
        with session_scope(engine) as session:
            session.add(
                StoredCase(
                    case_id="APP-MNL-1",
                    kind="application",
                    post_code="MNL",
                    case_date=datetime(2025, 2, 1, tzinfo=UTC),
                    record=record,
                    refer=True,
                    referred_by=["model"],
                    reason_codes=["SM-AGE-GAP"],
                    rule_codes=[],
                    status="pending",
                )
            )
        with session_scope(engine) as session:
            stored = store_and_screen(
                session,
                parse_paxlst(D05B_PASSENGERS),
                None,
                message_sha256="3" * 64,
                received_by=None,
            )
    finally:
        engine.dispose()
    assert stored.cases[0]["reason_codes"] == ["PL-VISA-REFERRED"]


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_cli_show_json(tmp_path: Path) -> None:
    path = _write(tmp_path, "pr428.edi", D05B_PASSENGERS)
    result = CliRunner().invoke(app, ["paxlst", "show", str(path), "--json"])
    assert result.exit_code == 0, result.output
    shown = json.loads(result.output)
    assert shown["list_kind"] == "passengers"
    assert shown["legs"][1] == {
        "flight": "PR428",
        "carrier": "PR",
        "from": "OKA",
        "to": "NRT",
        "departs": "2025-04-01T07:00:00+00:00",
        "arrives": "2025-04-01T14:30:00+00:00",
    }
    keys = {
        "family_name",
        "given_names",
        "sex",
        "date_of_birth",
        "nationality",
        "document_type",
        "document_number",
        "document_expiry",
        "issuing_state",
        "booking_reference",
    }
    assert keys <= set(shown["persons"][0])
    assert shown["warnings"] == []


def test_cli_load_stores_good_files_and_rejects_bad_ones(
    migrated_db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MIZUGIWA_DATABASE_URL", migrated_db_url)
    from mizugiwa.settings import get_settings

    get_settings.cache_clear()  # type: ignore[attr-defined]
    good = _write(tmp_path, "crew.edi", D02B_CREW_CUSTOM)
    bad = _write(tmp_path, "bad.edi", D05B_PASSENGERS.replace("UNT+57", "UNT+50"))
    try:
        result = CliRunner().invoke(app, ["paxlst", "load", str(good), str(bad)])
    finally:
        get_settings.cache_clear()  # type: ignore[attr-defined]
    assert result.exit_code == 1
    assert "segment 59 (UNT): UNT counts 50 segments; the message has 57" in result.output
    assert "stored PL-" in result.output and "2 persons" in result.output
    assert _counts(migrated_db_url) == (1, 2)  # nothing of the bad file


def test_person_json_has_no_surprises() -> None:
    person = Person(role="passenger", family_name="A", given_names="")
    assert person.to_json()["document_number"] is None


def test_the_example_flight_of_make_run(migrated_db_url: str) -> None:
    from mizugiwa.settings import REPO_ROOT

    text = (REPO_ROOT / "examples" / "passenger-lists" / "VN300-NRT.edi").read_text()
    stored = _store(migrated_db_url, text)
    cases = stored["cases"]
    assert isinstance(cases, list)
    assert [case["rule_codes"] for case in cases] == [
        ["PL-DOC-SHARED", "PL-GROUP-REFERRED"],
        ["PL-DOC-SHARED"],
        ["PL-GROUP-REFERRED", "PL-MINOR-UNRELATED"],
        [],
    ]


def test_migration_0104_matches_the_tables_and_goes_down(migrated_db_url: str) -> None:
    from alembic import command
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext
    from sqlalchemy import inspect

    from mizugiwa.db.base import Base
    from mizugiwa.db.migrate import alembic_config

    mine = ("service_passenger_lists", "service_prearrival_cases", "service_users")
    engine = make_engine(migrated_db_url)
    try:
        with engine.connect() as connection:
            diffs = compare_metadata(MigrationContext.configure(connection), Base.metadata)
        assert [d for d in diffs if any(name in str(d) for name in mine)] == []
        command.downgrade(alembic_config(migrated_db_url), "0101_service")
        tables = set(inspect(engine).get_table_names())
        assert not {"service_passenger_lists", "service_prearrival_cases"} & tables
    finally:
        engine.dispose()


def test_the_booth_link_on_each_backend(migrated_db_url: str) -> None:
    """The hook's query (document key, flight, arrival window in UTC) on SQLite and
    PostgreSQL; the service's own tests walk it through the app."""
    from types import SimpleNamespace

    from mizugiwa.features.mrz_check import make_td3
    from mizugiwa.features.records import BorderEntry
    from mizugiwa.service.booth_link import add_prearrival_reasons
    from mizugiwa.service.breaker import DatabaseBreaker

    text = D05B_PASSENGERS.replace("DTM+36:300109", "DTM+36:250109")  # expired before travel
    _store(migrated_db_url, text)
    mrz = make_td3(
        family_name="DELA CRUZ",
        given_names="MARIA LUZ",
        number="P1234567A",
        issuing_state="PHL",
        nationality="PHL",
        birth_date=date(1998, 5, 4),
        sex="F",
        expiry_date=date(2025, 1, 9),
    )
    entry = BorderEntry.model_validate(
        {
            "entry_id": "ENT-1",
            "port_code": "NRT",
            "arrived_at": "2025-04-01T23:50:00+09:00",
            "flight_number": "PR 428",
            "mrz": mrz,
            "declared_purpose": "family",
            "declared_stay_days": 30,
        }
    )
    engine = make_engine(migrated_db_url)
    runtime = SimpleNamespace(engine=engine, database=DatabaseBreaker())
    row: dict[str, object] = {"refer": False, "referred_by": [], "reasons": [], "rules_fired": []}
    try:
        case_id = add_prearrival_reasons(runtime, entry, row, [])  # type: ignore[arg-type]
    finally:
        engine.dispose()
    assert case_id is not None and case_id.endswith("-0001")
    assert [hit["code"] for hit in row["rules_fired"]] == ["PL-DOC-EXPIRED"]  # type: ignore[attr-defined,index]
