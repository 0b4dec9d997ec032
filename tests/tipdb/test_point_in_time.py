"""As of D, nothing recorded after D is visible: in the repository and in the snapshot."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any, cast

import numpy as np
import pytest
from sqlalchemy import Engine
from tipdb_helpers import EXAMPLE, example_lines, write_jsonl

from mizugiwa.db.engine import session_scope
from mizugiwa.features.normalise import address_key, document_key, phone_key, sponsor_key
from mizugiwa.features.tipdb.loader import load_file
from mizugiwa.features.tipdb.repository import (
    cases_involving,
    database_version,
    document_status,
    iter_entities,
    linked_entities,
    raids_on,
    sponsorship_history,
)
from mizugiwa.features.tipdb.snapshot import Snapshot

D = date(2024, 6, 30)
LATER = D + timedelta(days=1)
TANAKA = ("TANAKA ICHIRO", date(1958, 7, 30))


def _recorded_after_d() -> list[dict[str, object]]:
    """Records about known entities, every one recorded the day after D."""
    day = LATER.isoformat()
    return [
        {
            "entity_type": "sponsorship",
            "id": "S-90",
            "sponsor_names": ["Tanaka Ichiro"],
            "sponsor_date_of_birth": "1958-07-30",
            "relation": "spouse",
            "sponsored_name": "LIM SU-JIN",
            "date": "2024-06-20",
            "recorded_at": day,
        },
        {
            "entity_type": "raid",
            "id": "R-90",
            "organisation_id": "O-4",
            "date": "2024-06-29",
            "authority": "police",
            "finding": "debt_bondage",
            "recorded_at": day,
        },
        {
            "entity_type": "travel_document",
            "id": "D-90",
            "number": "X9999999",
            "issuing_state": "PHL",
            "status": "stolen",
            "source": "interpol_sltd",
            "recorded_at": day,
        },
        {
            "entity_type": "case",
            "id": "C-90",
            "case_type": "trafficking",
            "date": "2024-06-01",
            "persons": ["P-21"],
            "organisations": ["O-8"],
            "recorded_at": day,
        },
        {
            "entity_type": "phone",
            "id": "T-90",
            "number": "+81 90 5555 1234",
            "linked_to": ["P-21", "O-4"],
            "source": "police",
            "recorded_at": day,
        },
        {
            "entity_type": "address",
            "id": "A-90",
            "address": "9-9-9 Ginza, Chuo-ku, Tokyo",
            "linked_to": ["P-21"],
            "source": "police",
            "recorded_at": day,
        },
    ]


@pytest.fixture
def timeline(loaded_engine: Engine, tmp_path: Path) -> Engine:
    load_file(loaded_engine, write_jsonl(tmp_path / "later.jsonl", _recorded_after_d()))
    return loaded_engine


def test_repository_sees_nothing_recorded_after_d(timeline: Engine) -> None:
    with session_scope(timeline) as session:

        def ids(records: list[dict[str, object]]) -> set[object]:
            return {r["id"] for r in records}

        assert "S-90" not in ids(sponsorship_history(session, *TANAKA, D))
        assert "S-90" in ids(sponsorship_history(session, *TANAKA, LATER))
        assert ids(raids_on(session, "O-4", D)) == set()
        assert ids(raids_on(session, "O-4", LATER)) == {"R-90"}
        assert document_status(session, "X9999999", "PHL", D) is None
        assert document_status(session, "X9999999", "PHL", LATER) == "stolen"
        assert ids(cases_involving(session, "O-8", D)) == set()
        assert ids(cases_involving(session, "O-8", LATER)) == {"C-90"}
        assert {"T-90", "A-90"}.isdisjoint(ids(linked_entities(session, "P-21", D)))
        assert {"T-90", "A-90"} <= ids(linked_entities(session, "P-21", LATER))
        visible = {(e["entity_type"], e["id"]) for e in iter_entities(session, D)}
        assert not any(e[1].endswith("-90") for e in visible)


def test_snapshot_sees_nothing_recorded_after_d(timeline: Engine) -> None:
    snapshot = Snapshot.from_database(timeline)
    phone, address = phone_key("+81 90 5555 1234"), address_key("9-9-9 Ginza, Chuo-ku, Tokyo")
    key = sponsor_key(*TANAKA)
    for day, seen in ((D, False), (LATER, True)):
        assert snapshot.sponsorship_count(key, day) == 2 + seen
        assert snapshot.raid_count("O-4", day) == int(seen)
        assert (snapshot.document_status(document_key("X9999999", "PHL"), day) is not None) == seen
        assert snapshot.case_count("O-8", day) == int(seen)
        assert snapshot.phone_linked(phone, day) == seen
        assert snapshot.address_linked(address, day) == seen
    # The phone is linked to O-4, which is raided only from LATER on.
    assert not snapshot.phone_linked(phone, D, "raided_organisation")
    assert snapshot.phone_linked(phone, LATER, "raided_organisation")


def test_valid_until_closes_a_record() -> None:
    snapshot = Snapshot.from_jsonl(EXAMPLE)
    lost = document_key("P1234567", "PHL")  # lost 2023-02-01, valid until 2023-12-31
    days = np.array(["2023-01-31", "2023-02-01", "2023-12-31", "2024-01-01"], "datetime64[D]")
    assert list(snapshot.document_statuses([lost] * 4, days)) == [None, "lost", "lost", None]
    thai = phone_key("+66 81 234 5678")  # linked to broker P-21 until 2023-03-04
    assert snapshot.phone_linked(thai, "2023-03-04")
    assert not snapshot.phone_linked(thai, "2023-03-05")


def test_snapshot_agrees_with_repository_on_every_day(timeline: Engine) -> None:
    """For each day around every recorded date, the two implementations give the same answers."""
    snapshot = Snapshot.from_database(timeline)
    with session_scope(timeline) as session:
        entities = list(iter_entities(session))
        days = sorted(
            {
                date.fromisoformat(e["recorded_at"]) + timedelta(days=k)
                for e in entities
                for k in (-1, 0, 1)
            }
        )
        organisations = [e["id"] for e in entities if e["entity_type"] == "organisation"]
        documents = [
            (e["number"], e["issuing_state"])
            for e in entities
            if e["entity_type"] == "travel_document"
        ]
        for day in days:
            for org in organisations:
                assert snapshot.raid_count(org, day) == len(raids_on(session, org, day))
                assert snapshot.case_count(org, day) == len(cases_involving(session, org, day))
            for number, state in documents:
                assert snapshot.document_status(document_key(number, state), day) == (
                    document_status(session, number, state, day)
                )
            assert snapshot.sponsorship_count(sponsor_key(*TANAKA), day) == len(
                sponsorship_history(session, *TANAKA, day)
            )
        assert snapshot.version == database_version(session)


def test_vectorised_lookups_equal_scalar_ones() -> None:
    snapshot = Snapshot.from_jsonl(EXAMPLE)
    rng = np.random.default_rng(7)
    lines = example_lines()
    orgs = [line["id"] for line in lines if line["entity_type"] == "organisation"] + ["O-404"]
    phones = [
        phone_key(line["number"], line.get("country"))
        for line in lines
        if line["entity_type"] == "phone"
    ] + ["+10000000000"]
    n = 500
    days = np.datetime64("2021-01-01") + rng.integers(0, 4 * 365, n).astype("timedelta64[D]")
    org_keys = [orgs[i] for i in rng.integers(0, len(orgs), n)]
    phone_keys = [phones[i] for i in rng.integers(0, len(phones), n)]
    raids = snapshot.raid_counts(org_keys, days)
    cases = snapshot.case_counts(org_keys, days)
    known = snapshot.organisations_known(org_keys, days)
    linked = snapshot.phones_linked(phone_keys, days, "raided_organisation")
    for i in range(n):
        assert raids[i] == snapshot.raid_count(org_keys[i], days[i])
        assert cases[i] == snapshot.case_count(org_keys[i], days[i])
        assert known[i] == snapshot.organisation_known(org_keys[i], days[i])
        assert linked[i] == snapshot.phone_linked(phone_keys[i], days[i], "raided_organisation")
    assert raids.sum() > 0 and known.sum() > 0 and linked.sum() > 0


def test_snapshot_keeps_victims_apart() -> None:
    snapshot = Snapshot.from_jsonl(EXAMPLE)
    colombian = phone_key("+57 300 555 0199")  # linked only to victim P-22
    assert snapshot.phone_linked(colombian, "2024-01-01", "protected")
    assert not snapshot.phone_linked(colombian, "2024-01-01", "suspect")
    victim = snapshot.entity("person", "P-22")
    assert victim is not None and victim["role"] == "victim"
    with pytest.raises(TypeError):
        cast(Any, victim)["role"] = "broker"
