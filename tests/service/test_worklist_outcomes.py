"""The referral worklist (pagination, filters, an officer's own post) and interview outcomes
(stored once, shared with the trafficking database when confirmed)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient
from service_samples import APPLICATION, ENTRY, OUTCOME, bearer, sample
from sqlalchemy import select

from mizugiwa.db.engine import session_scope
from mizugiwa.features.contract import Guidance, ModelInfo, RuleHit, Score
from mizugiwa.features.records import BorderEntry, Concern, VisaApplication
from mizugiwa.features.tipdb import tables as tipdb
from mizugiwa.service.cases import store_scored
from mizugiwa.service.runtime import ServiceRuntime
from mizugiwa.service.tables import DecisionLogEntry, InterviewOutcome, StoredCase

GUIDANCE = Guidance(
    languages=["tl"], interpreter_needed=True, interviewer_sex="F", protection_referral=False
)
MODEL = ModelInfo(name="mizugiwa-screening", version="1", alias="champion", rules_version="r1")


def _score(case_id: str, kind: str, post: str, refer: bool) -> Score:
    return Score(
        case_id=case_id,
        kind="application" if kind == "application" else "entry",
        post_code=post,
        probabilities={c: 0.5 if refer else 0.01 for c in Concern},
        risk=0.5 if refer else 0.01,
        refer=refer,
        threshold=0.3,
        capacity=0.03,
        referred_by=["rule"] if refer else [],
        rules_fired=[RuleHit(code="RULE-X", text_en="x", text_ja="x")] if refer else [],
        guidance=GUIDANCE,
        model=MODEL,
    )


def _store_applications(runtime: ServiceRuntime, specs: list[tuple[str, str, bool, int]]) -> None:
    """(application_id, post, refer, day offset) rows, stored in order."""
    base = datetime(2025, 3, 1, 9, tzinfo=UTC)
    with session_scope(runtime.engine) as session:
        for app_id, post, refer, day in specs:
            record = VisaApplication.model_validate(
                sample(
                    APPLICATION,
                    application_id=app_id,
                    post_code=post,
                    submitted_at=(base + timedelta(days=day)).isoformat(),
                )
            )
            store_scored(
                session,
                kind="application",
                record=record,
                score=_score(app_id, "application", post, refer),
                request_id=f"r-{app_id}",
                scored_at=base,
            )


def test_worklist_pages_and_filters(
    client: TestClient, tokens: dict[str, str], runtime: ServiceRuntime
) -> None:
    specs = [(f"A{i:03d}", "MNL" if i % 3 else "BKK", i % 2 == 0, i) for i in range(30)]
    _store_applications(runtime, specs)
    referred = [s for s in specs if s[2]]
    headers = bearer(tokens["analyst"])
    seen: list[str] = []
    cursor = None
    while True:
        params = {"limit": 4, **({"cursor": cursor} if cursor else {})}
        page = client.get("/v1/referrals", params=params, headers=headers).json()
        seen += [item["case_id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == [s[0] for s in reversed(referred)]  # newest first, each once
    mnl = client.get("/v1/referrals", params={"post": "mnl"}, headers=headers).json()
    assert {i["post_code"] for i in mnl["items"]} == {"MNL"}
    window = client.get(
        "/v1/referrals", params={"since": "2025-03-05", "until": "2025-03-10"}, headers=headers
    ).json()
    assert sorted(i["case_id"] for i in window["items"]) == ["A004", "A006", "A008"]
    item = mnl["items"][0]
    assert item["status"] == "pending" and item["rule_codes"] == ["RULE-X"]


def test_officer_sees_only_own_post(
    client: TestClient, tokens: dict[str, str], runtime: ServiceRuntime
) -> None:
    _store_applications(runtime, [("M1", "MNL", True, 0), ("B1", "BKK", True, 1)])
    own = client.get("/v1/referrals", headers=bearer(tokens["officer_mnl"])).json()
    assert [i["case_id"] for i in own["items"]] == ["M1"]
    other = client.get("/v1/referrals?post=BKK", headers=bearer(tokens["officer_mnl"]))
    assert other.status_code == 403


def test_confirmed_outcome_is_shared_once_and_marks_the_case_interviewed(
    client: TestClient, tokens: dict[str, str], runtime: ServiceRuntime
) -> None:
    runtime.refresh_views()
    _store_applications(runtime, [("APP-MNL-0001", "MNL", True, 0)])
    headers = bearer(tokens["officer_mnl"])
    response = client.post("/v1/outcomes", json=OUTCOME, headers=headers)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["status"] == "interviewed" and body["shared_case_id"].startswith("SVC-")
    with session_scope(runtime.engine) as session:
        case = session.scalar(
            select(tipdb.Case).where(tipdb.Case.external_id == body["shared_case_id"])
        )
        assert case is not None and case.case_type == "sham_marriage"
        sponsor = session.scalar(select(tipdb.Person).where(tipdb.Person.role == "facilitator"))
        assert sponsor is not None and sponsor.names[0].name == "TANAKA ICHIRO"
        phone = session.scalar(select(tipdb.Phone))
        assert phone is not None and phone.e164 == "+819012345678"
        stored = session.scalar(select(StoredCase).where(StoredCase.case_id == "APP-MNL-0001"))
        assert stored is not None and stored.status == "interviewed"
        assert session.scalar(select(InterviewOutcome.outcome)) == "sham_marriage"
    # The in-memory views are refreshed off the request path: the watchlist finds the sponsor.
    assert runtime.wait_for_views()
    assert runtime.views is not None
    found = runtime.views.index.search("person", "Tanaka Ichiro")
    assert found and found[0].match
    again = client.post("/v1/outcomes", json=OUTCOME, headers=headers)
    assert again.status_code == 409
    pending = client.get("/v1/referrals?status=interviewed", headers=headers).json()
    assert [i["case_id"] for i in pending["items"]] == ["APP-MNL-0001"]


def test_outcome_rejections_change_nothing(
    client: TestClient, tokens: dict[str, str], runtime: ServiceRuntime
) -> None:
    _store_applications(runtime, [("APP-MNL-0001", "MNL", True, 0)])
    unknown = client.post(
        "/v1/outcomes", json=sample(OUTCOME, case_id="NOPE"), headers=bearer(tokens["officer_mnl"])
    )
    assert unknown.status_code == 404
    # Out of the caller's scope looks exactly like unknown: 404, the other post never named.
    other_post = client.post("/v1/outcomes", json=OUTCOME, headers=bearer(tokens["officer_bkk"]))
    assert other_post.status_code == 404
    assert "MNL" not in other_post.json()["detail"].replace("APP-MNL-0001", "")
    # A border inspector records outcomes of border entries, not of the posts' applications.
    inspector = client.post("/v1/outcomes", json=OUTCOME, headers=bearer(tokens["inspector"]))
    assert inspector.status_code == 404
    unknown_as_bkk = client.post(
        "/v1/outcomes", json=sample(OUTCOME, case_id="NOPE"), headers=bearer(tokens["officer_bkk"])
    )
    shape = unknown_as_bkk.json()["detail"].replace("NOPE", "APP-MNL-0001")
    assert other_post.json()["detail"] == inspector.json()["detail"] == shape
    with session_scope(runtime.engine) as session:
        assert session.scalar(select(tipdb.Case)) is None
        assert session.scalar(select(InterviewOutcome)) is None
        statuses = [e.status for e in session.scalars(select(DecisionLogEntry))]
    assert statuses == [404, 404, 404, 404]


def test_no_concern_outcome_shares_nothing(
    client: TestClient, tokens: dict[str, str], runtime: ServiceRuntime
) -> None:
    with session_scope(runtime.engine) as session:
        entry = BorderEntry.model_validate(ENTRY)
        store_scored(
            session,
            kind="entry",
            record=entry,
            score=_score(entry.entry_id, "entry", "NRT", True),
            request_id="r",
            scored_at=datetime.now(UTC),
        )
    response = client.post(
        "/v1/outcomes",
        json=sample(OUTCOME, case_id=ENTRY["entry_id"], outcome="no_concern"),
        headers=bearer(tokens["inspector"]),
    )
    assert response.status_code == 200 and response.json()["shared_case_id"] is None
    with session_scope(runtime.engine) as session:
        assert session.scalar(select(tipdb.Case)) is None


def test_a_case_id_cannot_change_kind(runtime: ServiceRuntime) -> None:
    import pytest

    from mizugiwa.service.errors import ConflictError

    _store_applications(runtime, [("SAME-1", "MNL", False, 0)])
    entry = BorderEntry.model_validate(sample(ENTRY, entry_id="SAME-1"))
    with pytest.raises(ConflictError, match="another kind"), session_scope(runtime.engine) as s:
        store_scored(
            s,
            kind="entry",
            record=entry,
            score=_score("SAME-1", "entry", "NRT", False),
            request_id="r",
            scored_at=datetime.now(UTC),
        )
