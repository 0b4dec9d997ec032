"""``/v1/follow-ups``: the investigators' worklist of follow-ups after a look-back, outcomes as
labels, a confirmed outcome looked back over in turn, every view in the decision log."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
from fastapi.testclient import TestClient
from service_samples import APPLICATION, bearer
from sqlalchemy import select

from mizugiwa.db.engine import session_scope
from mizugiwa.features.records import VisaApplication
from mizugiwa.features.tipdb.loader import load_file
from mizugiwa.service.cases import store_scored
from mizugiwa.service.lookback import runner
from mizugiwa.service.lookback.worklist import follow_up_labels
from mizugiwa.service.runtime import ServiceRuntime
from mizugiwa.service.tables import DecisionLogEntry, FollowUp

CLUB_ADDRESS = "3-1-2 Roppongi, Minato-ku, Tokyo"
RAID_LINES = [
    {
        "entity_type": "organisation",
        "id": "O-3",
        "names": ["Club Paradise Roppongi"],
        "org_type": "establishment",
        "establishment_type": "adult_entertainment",
        "source": "police",
        "recorded_at": "2025-06-01",
    },
    {
        "entity_type": "address",
        "id": "A-4",
        "address": CLUB_ADDRESS,
        "linked_to": ["O-3"],
        "source": "police",
        "recorded_at": "2025-06-01",
    },
    {
        "entity_type": "raid",
        "id": "R-5",
        "organisation_id": "O-3",
        "date": "2025-06-01",
        "authority": "police",
        "finding": "illegal_employment",
        "recorded_at": "2025-06-01",
    },
]


def _application(case_id: str, **sponsor: Any) -> VisaApplication:
    record = copy.deepcopy(APPLICATION)
    record["application_id"] = case_id
    record["sponsor"].update(sponsor)
    return VisaApplication.model_validate(record)


def _prepare(runtime: ServiceRuntime, tmp_path: Path) -> None:
    """Two spouse applications of one sponsor (one at the club's address) and a visitor."""
    visitor = copy.deepcopy(APPLICATION)
    visitor.update(application_id="APP-VISIT", visa_category="temporary_visitor")
    visitor.pop("marriage")
    visitor["sponsor"] = {"role": "inviter", "family_name": "SUZUKI", "address": CLUB_ADDRESS}
    with session_scope(runtime.engine) as session:
        for record in (
            _application("APP-SPOUSE-1", address=CLUB_ADDRESS),
            _application("APP-SPOUSE-2", phone="+81 80 9999 0000"),
            VisaApplication.model_validate(visitor),
        ):
            store_scored(
                session,
                kind="application",
                record=record,
                score=None,
                request_id=None,
                scored_at=datetime.now(UTC),
            )
    path = tmp_path / "raid.jsonl"
    path.write_bytes(b"".join(orjson.dumps(line) + b"\n" for line in RAID_LINES))
    report = load_file(runtime.engine, path)
    runner.after_import(runtime.engine, runtime.settings, report.sha256)


def test_investigators_and_analysts_read_follow_ups_spouse_visas_first(
    client: TestClient, runtime: ServiceRuntime, tokens: dict[str, str], tmp_path: Path
) -> None:
    _prepare(runtime, tmp_path)
    response = client.get("/v1/follow-ups", headers=bearer(tokens["investigator"]))
    assert response.status_code == 200, response.text
    items = response.json()["items"]
    assert [i["case_id"] for i in items] == ["APP-SPOUSE-1", "APP-VISIT"]
    first = items[0]
    assert first["rank"] == 0
    assert first["fact"] == {
        "type": "raid",
        "id": "R-5",
        "date": "2025-06-01",
        "recorded_at": "2025-06-01",
        "detail": {"organisation": "O-3", "establishment": True, "finding": "illegal_employment"},
    }
    assert first["reasons"][0]["code"] == "FU-SPOUSE-ESTABLISHMENT"
    assert "2025-06-01" in first["reasons"][1]["text_en"]
    assert "2025-06-01" in first["reasons"][1]["text_ja"]
    assert first["guidance"][0]["code"] == "PR-FOLLOW-UP"
    assert "victim" in first["guidance"][0]["text_en"]
    assert first["matched_fields"] == ["sponsor_address"]
    assert "DELA CRUZ" not in response.text  # reasons and fields, not personal data
    analyst = client.get("/v1/follow-ups?fact_id=R-5", headers=bearer(tokens["analyst"]))
    assert analyst.status_code == 200 and len(analyst.json()["items"]) == 2
    page = client.get("/v1/follow-ups?limit=1", headers=bearer(tokens["analyst"])).json()
    assert page["next_cursor"] and len(page["items"]) == 1
    with session_scope(runtime.engine) as session:
        views = session.scalars(
            select(DecisionLogEntry).where(DecisionLogEntry.endpoint == "GET /v1/follow-ups")
        ).all()
        assert [v.reason_codes for v in views] == [["VIEW:2"], ["VIEW:2"], ["VIEW:1"]]
        assert all(v.case_id is None for v in views)


def test_a_confirmed_follow_up_is_a_label_and_is_looked_back_over(
    client: TestClient, runtime: ServiceRuntime, tokens: dict[str, str], tmp_path: Path
) -> None:
    _prepare(runtime, tmp_path)
    items = client.get("/v1/follow-ups", headers=bearer(tokens["investigator"])).json()["items"]
    target = items[0]["follow_up_id"]
    body = {
        "outcome": "sham_marriage",
        "concluded_at": "2025-07-01T10:00:00+09:00",
        "victim_support_offered": True,
    }
    url = f"/v1/follow-ups/{target}/outcome"
    response = client.post(url, json=body, headers=bearer(tokens["investigator"]))
    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer["status"] == "closed" and answer["shared_case_id"].endswith("-C")
    # the same sponsor's other spouse is found by the confirmed case's own look-back
    assert answer["follow_ups_created"] == 1
    with session_scope(runtime.engine) as session:
        spouse_two = session.scalars(
            select(FollowUp).where(FollowUp.case_id == "APP-SPOUSE-2")
        ).one()
        assert spouse_two.reason_codes == ["FU-CONFIRMED-CASE"]
        labels = follow_up_labels(session)
    assert [(label.case_id, label.outcome.value) for label in labels] == [
        ("APP-SPOUSE-1", "sham_marriage")
    ]
    again = client.post(url, json=body, headers=bearer(tokens["investigator"]))
    assert again.status_code == 409
    missing = client.post(
        "/v1/follow-ups/999/outcome", json=body, headers=bearer(tokens["investigator"])
    )
    assert missing.status_code == 404
    closed = client.get("/v1/follow-ups?status=closed", headers=bearer(tokens["analyst"]))
    assert [i["outcome"] for i in closed.json()["items"]] == ["sham_marriage"]


def test_bad_outcome_is_refused_and_changes_nothing(
    client: TestClient, runtime: ServiceRuntime, tokens: dict[str, str], tmp_path: Path
) -> None:
    _prepare(runtime, tmp_path)
    items = client.get("/v1/follow-ups", headers=bearer(tokens["investigator"])).json()["items"]
    url = f"/v1/follow-ups/{items[0]['follow_up_id']}/outcome"
    response = client.post(
        url,
        json={"outcome": "guilty", "concluded_at": "2025-07-01T10:00:00+09:00"},
        headers=bearer(tokens["investigator"]),
    )
    assert response.status_code == 422
    assert "outcome" in str(response.json()["detail"])
    still = client.get("/v1/follow-ups", headers=bearer(tokens["investigator"])).json()["items"]
    assert len(still) == len(items)


def test_an_interview_outcome_that_confirms_a_case_triggers_a_look_back(
    client: TestClient, runtime: ServiceRuntime, tokens: dict[str, str]
) -> None:
    with session_scope(runtime.engine) as session:
        for record in (
            _application("APP-MNL-0001"),
            _application("APP-EARLIER", phone="+81 80 9999 0000"),
        ):
            store_scored(
                session,
                kind="application",
                record=record,
                score=None,
                request_id=None,
                scored_at=datetime.now(UTC),
            )
    outcome = {
        "case_id": "APP-MNL-0001",
        "interviewed_at": "2025-03-10T10:00:00+08:00",
        "outcome": "sham_marriage",
        "referral_source": "model",
        "victim_support_offered": False,
    }
    response = client.post("/v1/outcomes", json=outcome, headers=bearer(tokens["officer_mnl"]))
    assert response.status_code == 200, response.text
    with session_scope(runtime.engine) as session:
        rows = session.scalars(select(FollowUp)).all()
        assert [(r.case_id, r.fact_type) for r in rows] == [("APP-EARLIER", "case")]
        logged = session.scalars(
            select(DecisionLogEntry.endpoint).where(DecisionLogEntry.endpoint.like("LOOKBACK%"))
        ).all()
    assert logged == ["LOOKBACK interview outcome"]


def test_a_failing_database_answers_503_with_retry_after(
    client: TestClient, runtime: ServiceRuntime, tokens: dict[str, str]
) -> None:
    from sqlalchemy import text

    with runtime.engine.begin() as connection:
        connection.execute(text("DROP TABLE service_follow_up_outcomes"))
        connection.execute(text("DROP TABLE service_follow_ups"))
        connection.execute(text("DROP TABLE tipdb_raids"))
    response = client.get("/v1/follow-ups", headers=bearer(tokens["investigator"]))
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    response = client.post(
        "/v1/lookback", json={"since": "2025-01-01"}, headers=bearer(tokens["analyst"])
    )
    assert response.status_code == 503 and "Retry-After" in response.headers
