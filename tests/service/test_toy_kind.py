"""A kind of case is an addition: a toy kind defined here (records, reader, an indicator, a rule,
a model slot, a route) plugs in with :func:`register_kind` and is scored by the scorer, trained
by the training code, stored and served by the service, without an edit to any of them."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import pytest
from champion_helpers import register_champion, toy_scorer
from fastapi.testclient import TestClient
from pydantic import AwareDatetime, BaseModel, ConfigDict
from service_samples import bearer
from sqlalchemy import select

from mizugiwa.db.engine import session_scope
from mizugiwa.features.context_factory import feature_context, read_lookups
from mizugiwa.features.contract import Score
from mizugiwa.features.indicators import Indicator
from mizugiwa.features.indicators.registry import Column, Rule, indicator
from mizugiwa.features.kinds import CaseKindSpec, ServiceRoute, kind_names, registered
from mizugiwa.features.records import Concern
from mizugiwa.models.loader import load_scorer_file
from mizugiwa.service.app import create_app
from mizugiwa.service.auth import add_user, issue_token
from mizugiwa.service.runtime import ServiceRuntime
from mizugiwa.service.tables import StoredCase
from mizugiwa.settings import Settings

SECONDS_PER_DAY = 86_400


class Crossing(BaseModel):
    """A toy record: someone crossing at a land border desk."""

    model_config = ConfigDict(extra="forbid")

    crossing_id: str
    desk: str
    seen_at: AwareDatetime
    passport_number: str
    fare_paid_by_third_party: bool = False


@dataclass(frozen=True, eq=False)
class CrossingBatch:
    """Crossings as columns (the batch protocol of ``mizugiwa.features.kinds``)."""

    kind: ClassVar[str] = "crossing"

    crossing_id: np.ndarray
    desk: np.ndarray
    when_s: np.ndarray
    passport_number: np.ndarray
    third_party: np.ndarray
    _memo: dict[Any, Any] = field(default_factory=dict, repr=False)

    def __len__(self) -> int:
        return int(self.crossing_id.size)

    @property
    def day(self) -> np.ndarray:
        return (self.when_s // SECONDS_PER_DAY).astype(np.float64)

    @property
    def protected(self) -> dict[str, np.ndarray]:
        n = len(self)
        return {
            "nationality": np.full(n, None, dtype=object),
            "sex": np.full(n, None, dtype=object),
            "age": np.full(n, np.nan),
        }

    def person(self, i: int) -> tuple[tuple[str, ...], str | None]:
        return (), None


def read_crossings(
    records: Sequence[Mapping[str, Any]], linked: Mapping[str, Mapping[str, Any]]
) -> CrossingBatch:
    def objects(name: str) -> np.ndarray:
        column = np.empty(len(records), dtype=object)
        column[:] = [r[name] for r in records]
        return column

    return CrossingBatch(
        crossing_id=objects("crossing_id"),
        desk=objects("desk"),
        when_s=np.array(
            [int(datetime.fromisoformat(str(r["seen_at"])).timestamp()) for r in records],
            dtype=np.int64,
        ),
        passport_number=objects("passport_number"),
        third_party=np.array(
            [float(bool(r.get("fare_paid_by_third_party"))) for r in records], dtype=np.float64
        ),
    )


CROSSING_FEATURES: list[Indicator[Any]] = []


@indicator(
    CROSSING_FEATURES,
    code="XX-THIRD-PARTY-FARE",
    concern=Concern.EXPLOITATION,
    en="Someone else paid the fare.",
    ja="運賃を第三者が支払っている。",
    fires=lambda v: v >= 1,
)
def crossing_third_party_fare(batch: CrossingBatch, ctx: Any) -> np.ndarray:
    """1 when a third party paid the fare."""
    return batch.third_party


def crossing_document_reported(batch: CrossingBatch, ctx: Any) -> Column:
    """The passport number is the specimen one reported stolen."""
    hit = batch.passport_number == "L898902C3"
    details = {int(i): {"passport": "reported"} for i in np.flatnonzero(hit)}
    return Column(hit.astype(np.float64), details)


def no_victims(batch: CrossingBatch, ctx: Any) -> Column:
    """The toy kind has no victim lookup."""
    return Column(np.zeros(len(batch)))


CROSSING = CaseKindSpec(
    name="crossing",
    record=Crossing,
    id_field="crossing_id",
    post_field="desk",
    date_field="seen_at",
    read=read_crossings,
    indicators=CROSSING_FEATURES,
    rules=[
        Rule(
            code="RULE-XX-DOC",
            concern=Concern.IMPERSONATION,
            text_en="The passport is reported stolen.",
            text_ja="旅券が盗難届出されている。",
            check=crossing_document_reported,
        )
    ],
    victims=no_victims,
    concerns=(Concern.EXPLOITATION,),
    min_positives=3,
    file="crossings.jsonl",
    service=ServiceRoute(
        path="/crossings/score",
        roles=("border_inspector",),
        name="score_crossing",
        summary="Score Crossing",
        description="Score a land-border crossing (a test-only kind).",
    ),
)


def _crossings(n: int, start: datetime) -> list[dict[str, Any]]:
    return [
        {
            "crossing_id": f"X-{i}",
            "desk": "DSK" if i % 2 else "ARK",
            "seen_at": (start + timedelta(hours=7 * i)).isoformat(),
            "passport_number": "L898902C3" if i == 3 else f"N{i:07d}",
            "fare_paid_by_third_party": i % 3 == 0,
        }
        for i in range(n)
    ]


@pytest.fixture()
def crossing() -> Iterator[CaseKindSpec]:
    with registered(CROSSING) as spec:
        yield spec
    assert "crossing" not in kind_names()


def test_the_scorer_scores_the_new_kind(crossing: CaseKindSpec) -> None:
    scorer = toy_scorer(seed=1)
    ctx = feature_context(read_lookups())
    records = [
        Crossing.model_validate(r)
        for r in _crossings(6, datetime.fromisoformat("2025-05-01T08:00:00+00:00"))
    ]
    scores = scorer.score_cases("crossing", records, ctx)
    assert [s.case_id for s in scores] == [f"X-{i}" for i in range(6)]
    assert all(isinstance(s, Score) and s.kind == "crossing" for s in scores)
    assert all(s.refer for s in scores)  # the helper's thresholds refer everything
    assert {r.code for r in scores[0].reasons} == {"XX-THIRD-PARTY-FARE"}
    assert [h.code for h in scores[3].rules_fired] == ["RULE-XX-DOC"]
    assert scores[1].probabilities[Concern.SHAM_MARRIAGE] == 0.0  # no model, no link


def test_the_new_kind_is_stored_and_served(
    crossing: CaseKindSpec, settings: Settings, tmp_path: Path
) -> None:
    store = tmp_path / "mlflow"
    store.mkdir()
    own = settings.model_copy(
        update={
            "mlflow_tracking_uri": f"sqlite:///{store / 'mlflow.sqlite3'}",
            "mlflow_artifact_root": (store / "artifacts").as_uri(),
            "registered_model_name": "toy-kind",
        }
    )
    tipdb = tmp_path / "tipdb.jsonl"
    tipdb.write_text("")
    register_champion(toy_scorer(seed=2), tipdb, own, tmp_path / "model")
    runtime = ServiceRuntime(own, cache_dir=tmp_path / "model-cache")
    add_user(runtime.engine, "inspector", "border_inspector", None)
    add_user(runtime.engine, "analyst", "analyst", None)
    token = issue_token(runtime.engine, "inspector")
    record = _crossings(4, datetime.fromisoformat("2025-05-01T08:00:00+00:00"))[3]
    with TestClient(create_app(own, runtime=runtime, reload_models=False)) as client:
        response = client.post("/v1/crossings/score", json=record, headers=bearer(token))
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["kind"] == "crossing" and body["case_id"] == "X-3"
        assert [h["code"] for h in body["rules_fired"]] == ["RULE-XX-DOC"]
        assert body["degraded"] is False, body["degraded_reasons"]
        # The route checks its roles like every other scoring route.
        refused = client.post(
            "/v1/crossings/score",
            json=record,
            headers=bearer(issue_token(runtime.engine, "analyst")),
        )
        assert refused.status_code == 403
        bad = client.post("/v1/crossings/score", json={**record, "desk": 3}, headers=bearer(token))
        assert bad.status_code == 422
    with session_scope(runtime.engine) as session:
        stored = session.scalars(select(StoredCase).where(StoredCase.kind == "crossing")).one()
        assert stored.case_id == "X-3" and stored.post_code == "DSK" and stored.refer is True
        assert stored.rule_codes == ["RULE-XX-DOC"]
    runtime.close()
    # The champion, read back through the one loader, knows the new kind.
    assert "crossing" in load_scorer_file(tmp_path / "model" / "scorer.pkl").slots


def test_the_new_kind_is_trained_by_the_training_code(
    crossing: CaseKindSpec, tmp_path: Path
) -> None:
    from mizugiwa.training.datasets import DataFiles
    from mizugiwa.training.world import load_world

    start = datetime.fromisoformat("2025-01-01T08:00:00+00:00")
    apps = _training_applications(start)
    crossings = _crossings(240, start)
    outcomes = []
    for i, c in enumerate(crossings):
        if i % 4 == 0 or c["fare_paid_by_third_party"]:
            outcomes.append(
                {
                    "case_id": c["crossing_id"],
                    "interviewed_at": c["seen_at"],
                    "outcome": "trafficking_victim" if i % 6 == 0 else "no_concern",
                    "referral_source": "officer",
                }
            )
    (tmp_path / "applications.jsonl").write_text("".join(json.dumps(a) + "\n" for a in apps))
    (tmp_path / "crossings.jsonl").write_text("".join(json.dumps(c) + "\n" for c in crossings))
    (tmp_path / "outcomes.jsonl").write_text("".join(json.dumps(o) + "\n" for o in outcomes))
    world = load_world(DataFiles.find(tmp_path))
    cases = world.cases["crossing"]
    assert len(cases) == 240 and int(cases.labels.interviewed.sum()) == len(outcomes)
    assert cases.fm.names == ["crossing_third_party_fare"]
    assert cases.rm.codes == ["RULE-XX-DOC"]
    from mizugiwa.training.fit import BoosterParams
    from mizugiwa.training.train import fit_slot

    info: dict[str, float] = {}
    from mizugiwa.training.split import time_split

    models, reason = fit_slot(crossing, cases, time_split(cases.when), 0, BoosterParams(), info)
    assert set(models) == {Concern.EXPLOITATION}, reason
    assert reason.startswith("trained on") and any(k.startswith("fit.crossing.") for k in info)


def _training_applications(start: datetime) -> list[dict[str, Any]]:
    from service_samples import APPLICATION

    out = []
    for i in range(30):
        record = json.loads(json.dumps(APPLICATION))
        record["application_id"] = f"A-{i}"
        record["submitted_at"] = (start + timedelta(days=3 * i)).isoformat()
        out.append(record)
    return out
