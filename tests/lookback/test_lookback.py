"""The look-back on SQLite and PostgreSQL: a new fact finds the earlier cases it concerns,
through the key index, within the horizon, once per (case, fact), ranked spouse visas first."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from conftest_helpers import application, entry, load_lines, store
from sqlalchemy import Engine, func, select

from mizugiwa.db.engine import session_scope
from mizugiwa.service.lookback import runner
from mizugiwa.service.lookback.keystore import reindex
from mizugiwa.service.tables import DecisionLogEntry, FollowUp, LookbackKey
from mizugiwa.settings import Settings

CLUB = {
    "entity_type": "organisation",
    "id": "O-3",
    "names": ["Club Paradise Roppongi"],
    "org_type": "establishment",
    "establishment_type": "adult_entertainment",
    "corporate_number": "1234567890123",
    "source": "police",
    "recorded_at": "2025-06-01",
}
CLUB_ADDRESS = {
    "entity_type": "address",
    "id": "A-4",
    "address": "3-1-2 Roppongi, Minato-ku, Tokyo",
    "linked_to": ["O-3"],
    "source": "police",
    "recorded_at": "2025-06-01",
}
RAID = {
    "entity_type": "raid",
    "id": "R-5",
    "organisation_id": "O-3",
    "date": "2025-06-01",
    "authority": "police",
    "finding": "illegal_employment",
    "recorded_at": "2025-06-01",
}


def _follow_ups(engine: Engine) -> list[FollowUp]:
    with session_scope(engine) as session:
        rows = list(session.scalars(select(FollowUp).order_by(FollowUp.rank, FollowUp.case_id)))
        session.expunge_all()
    return rows


def test_keys_are_written_when_a_case_is_stored_and_replaced_when_it_changes(
    engine: Engine,
) -> None:
    store(engine, application("APP-1"))
    store(engine, application("APP-1", sponsor={"phone": "+81 80 1111 2222"}))
    with session_scope(engine) as session:
        phones = set(
            session.scalars(select(LookbackKey.key).where(LookbackKey.field == "sponsor_phone"))
        )
    assert phones == {"+818011112222"}


def test_a_raid_finds_earlier_cases_and_spouse_visas_come_first(
    engine: Engine, settings: Settings, tmp_path: Path
) -> None:
    spouse = application("APP-SPOUSE", sponsor={"address": "3-1-2 Roppongi, Minato-ku, Tokyo"})
    worker = application(
        "APP-WORKER",
        visa_category="entertainer",
        sponsor={
            "role": "employer",
            "organisation_name": "CLUB PARADISE ROPPONGI",
            "family_name": None,
        },
        marriage=None,
        employment={
            "employer_name": "Club Paradise Roppongi",
            "employer_id": "1234567890123",
            "establishment_type": "adult_entertainment",
        },
        passport={"number": "P7654321B"},
    )
    unrelated = application("APP-OTHER", sponsor={"address": "1-1-1 Umeda, Kita-ku, Osaka"})
    later = application(
        "APP-LATER",
        submitted_at="2025-07-01T09:00:00+08:00",
        sponsor={"address": "3-1-2 Roppongi, Minato-ku, Tokyo"},
    )
    store(engine, spouse, worker, unrelated, later)
    report = load_lines(engine, tmp_path, "raid.jsonl", [CLUB, CLUB_ADDRESS, RAID])
    result = runner.after_import(engine, settings, report.sha256)
    rows = [row for row in _follow_ups(engine) if row.fact_type == "raid"]
    assert [row.case_id for row in rows] == ["APP-SPOUSE", "APP-WORKER"]
    first, second = rows
    assert first.rank == 0
    assert first.reason_codes[0] == "FU-SPOUSE-ESTABLISHMENT"
    assert "FU-RAIDED-ADDRESS" in first.reason_codes
    assert first.evidence["fields"] == ["sponsor_address"]
    assert first.evidence["guidance"] == ["PR-FOLLOW-UP"]
    assert second.rank == 1 and second.reason_codes == ["FU-RAIDED-EMPLOYER"]
    assert set(second.evidence["fields"]) >= {"employer", "sponsor_org"}
    assert str(first.fact_date) == "2025-06-01"
    assert result.created == len(_follow_ups(engine))
    # the same facts again change nothing
    again = runner.since(engine, settings, date(2025, 1, 1))
    assert again.created == 0
    assert len(_follow_ups(engine)) == result.created


def test_stolen_passport_broker_phone_and_suspect_sponsor(
    engine: Engine, settings: Settings, tmp_path: Path
) -> None:
    store(
        engine,
        application("APP-A"),
        application("APP-B", sponsor={"phone": "090-1234-5678"}, passport={"number": "P0000001"}),
        entry("ENT-1"),
    )
    lines = [
        {
            "entity_type": "person",
            "id": "P-17",
            "names": ["TANAKA ICHIRO", "田中一郎"],
            "date_of_birth": "1958-07-30",
            "role": "facilitator",
            "source": "police",
            "recorded_at": "2025-08-01",
        },
        {
            "entity_type": "person",
            "id": "P-18",
            "names": ["SATO KENICHI"],
            "role": "broker",
            "source": "police",
            "recorded_at": "2025-08-01",
        },
        {
            "entity_type": "phone",
            "id": "T-9",
            "number": "+81 90 1234 5678",
            "linked_to": ["P-18"],
            "source": "police",
            "recorded_at": "2025-08-01",
        },
        {
            "entity_type": "travel_document",
            "id": "D-2",
            "number": "L898902C3",
            "issuing_state": "UTO",
            "status": "stolen",
            "source": "interpol_sltd",
            "recorded_at": "2025-08-01",
        },
    ]
    report = load_lines(engine, tmp_path, "facts.jsonl", lines)
    result = runner.after_import(engine, settings, report.sha256)
    found = {(row.case_id, row.fact_id): row for row in _follow_ups(engine)}
    # the broker's phone, recorded with him, is one of his probes: one follow-up per case
    assert set(found) == {
        ("APP-A", "P-17"),
        ("APP-B", "P-17"),
        ("APP-A", "P-18"),
        ("APP-B", "P-18"),
        ("ENT-1", "D-2"),
    }
    assert found[("APP-A", "P-17")].reason_codes == ["FU-SPONSOR-SUSPECT"]
    assert found[("APP-B", "P-18")].reason_codes == ["FU-BROKER-CONTACT"]
    assert found[("APP-B", "P-18")].evidence["fields"] == ["sponsor_phone"]
    assert found[("ENT-1", "D-2")].reason_codes == ["FU-DOC-REPORTED-AFTER"]
    assert found[("ENT-1", "D-2")].evidence["fact"]["status"] == "stolen"
    assert result.by_reason["FU-DOC-REPORTED-AFTER"] == 1
    with session_scope(engine) as session:
        logged = session.scalars(
            select(DecisionLogEntry).where(DecisionLogEntry.endpoint == "LOOKBACK db load")
        ).one()
    assert logged.case_id is None and "FOLLOW_UPS:5" in logged.reason_codes
    assert all(":" in code for code in logged.reason_codes)  # counts only, no personal data


@pytest.mark.parametrize(("years", "expected"), [(5.0, 1), (0.1, 0)])
def test_the_horizon_bounds_how_far_back(
    engine: Engine, migrated_db_url: str, tmp_path: Path, years: float, expected: int
) -> None:
    store(
        engine,
        application(
            "APP-OLD",
            submitted_at="2024-01-10T09:00:00+08:00",
            sponsor={"address": "3-1-2 Roppongi, Minato-ku, Tokyo"},
            marriage={"marriage_date": "2023-12-20", "first_met_date": "2023-10-01"},
        ),
    )
    report = load_lines(engine, tmp_path, "raid.jsonl", [CLUB, CLUB_ADDRESS, RAID])
    settings = Settings(
        environment="test", database_url=migrated_db_url, lookback_horizon_years=years
    )
    runner.after_import(engine, settings, report.sha256)
    assert len(_follow_ups(engine)) == expected


def test_reindex_rebuilds_the_keys(engine: Engine) -> None:
    store(engine, application("APP-1"), entry("ENT-1"))
    with session_scope(engine) as session:
        before = session.scalar(select(func.count()).select_from(LookbackKey))
    assert reindex(engine) == 2
    with session_scope(engine) as session:
        assert session.scalar(select(func.count()).select_from(LookbackKey)) == before


def test_entries_on_a_visa_that_is_hit_are_followed_up_too(
    engine: Engine, settings: Settings, tmp_path: Path
) -> None:
    spouse = application("APP-SPOUSE", sponsor={"address": "3-1-2 Roppongi, Minato-ku, Tokyo"})
    before = entry("ENT-BEFORE", visa_reference="APP-SPOUSE")
    after = entry("ENT-AFTER", visa_reference="APP-SPOUSE", arrived_at="2025-07-01T14:30:00+09:00")
    store(engine, spouse, before, after)
    report = load_lines(engine, tmp_path, "raid.jsonl", [CLUB, CLUB_ADDRESS, RAID])
    runner.after_import(engine, settings, report.sha256)
    rows = {row.case_id: row for row in _follow_ups(engine)}
    assert set(rows) == {"APP-SPOUSE", "ENT-BEFORE"}
    entry_row = rows["ENT-BEFORE"]
    assert entry_row.case_kind == "entry" and entry_row.rank == 0
    assert entry_row.visa_category == "spouse_of_japanese"
    assert entry_row.evidence["fields"] == ["sponsor_address", "visa_reference"]
