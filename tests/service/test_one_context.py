"""The same cases scored three ways, through the HTTP service on a real database, by
``mizugiwa score`` and by ``mlflow.pyfunc.load_model(...).predict``, give the same
probabilities, referrals and reason codes, cross-post ``NW-*`` codes included: every way builds
its feature context with the one factory, and the network history holds the same earlier
applications."""

from __future__ import annotations

import copy
import json
import shutil
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import mlflow.pyfunc
import orjson
import pandas as pd
import pytest
from champion_helpers import register_champion, toy_scorer
from fastapi.testclient import TestClient
from service_samples import APPLICATION, ENTRY, bearer
from typer.testing import CliRunner

from mizugiwa.cli import app as cli
from mizugiwa.db.engine import make_engine
from mizugiwa.features.records import CONCERNS
from mizugiwa.features.tipdb.loader import load_file
from mizugiwa.models.registry import registry_uri
from mizugiwa.service.app import create_app
from mizugiwa.service.auth import add_user, issue_token
from mizugiwa.service.runtime import ServiceRuntime
from mizugiwa.settings import Settings

TIPDB = [
    {
        "entity_type": "person",
        "id": "P-17",
        "names": ["SATO KENICHI", "佐藤健一"],
        "date_of_birth": "1961-04-02",
        "nationality": "JPN",
        "role": "broker",
        "source": "police",
        "recorded_at": "2024-03-01",
    },
    {
        "entity_type": "phone",
        "id": "T-9",
        "number": "+63 917 123 4567",
        "linked_to": ["P-17"],
        "source": "mofa_post",
        "recorded_at": "2024-05-02",
    },
]


def _applications() -> list[dict[str, Any]]:
    """Applications at two posts, a day apart, sharing a sponsor and a phone: the later ones
    see the earlier ones at the other post (``NW-SPONSOR-CROSS-POST``, ``NW-PHONE-...``)."""
    start = datetime.fromisoformat("2025-03-01T09:00:00+00:00")
    out = []
    for i in range(8):
        record = copy.deepcopy(APPLICATION)
        record["application_id"] = f"APP-{i:03d}"
        record["post_code"] = "MNL" if i % 2 == 0 else "BKK"
        record["submitted_at"] = (start + timedelta(days=i)).isoformat()
        record["applicant"]["given_names"] = f"MARIA {chr(65 + i)}"
        record["passport"]["number"] = f"P12345{i:02d}A"
        if i == 5:  # the watchlisted broker's phone: a rule fires too
            record["applicant"]["phone"] = "+63 917 123 4567"
        out.append(record)
    return out


def _entry() -> dict[str, Any]:
    return {**ENTRY, "visa_reference": "APP-006", "arrived_at": "2025-04-01T14:30:00+09:00"}


def _essentials(rows: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    return [
        (
            row["case_id"],
            row["kind"],
            tuple(row["probabilities"][c.value] for c in CONCERNS),
            row["refer"],
            tuple(row["reason_codes"]),
            tuple(row["rules_fired"]),
        )
        for row in rows
    ]


def _of_score(row: dict[str, Any]) -> dict[str, Any]:
    return {
        **row,
        "reason_codes": [r["code"] for r in row["reasons"]],
        "rules_fired": [r["code"] for r in row["rules_fired"]],
    }


@pytest.fixture()
def champion(tmp_path: Path, settings: Settings) -> tuple[Settings, Path]:
    """A registered champion in a store of its own, and the database file it was built with."""
    store = tmp_path / "mlflow"
    own = settings.model_copy(
        update={
            "mlflow_tracking_uri": f"sqlite:///{store / 'mlflow.sqlite3'}",
            "mlflow_artifact_root": (store / "artifacts").as_uri(),
            "registered_model_name": "one-context",
        }
    )
    store.mkdir()
    tipdb = tmp_path / "tipdb.jsonl"
    tipdb.write_bytes(b"".join(orjson.dumps(e) + b"\n" for e in TIPDB))
    register_champion(toy_scorer(seed=4), tipdb, own, tmp_path / "model")
    return own, tipdb


def test_service_score_and_pyfunc_agree(
    champion: tuple[Settings, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings, tipdb = champion
    apps, entry = _applications(), _entry()

    # 1. The HTTP service, on its database with the same entities loaded.
    engine = make_engine(settings.database_url)
    load_file(engine, tipdb)
    engine.dispose()
    runtime = ServiceRuntime(settings, cache_dir=tmp_path / "model-cache")
    tokens = {}
    for name, role, post in (
        ("mnl", "consular_officer", "MNL"),
        ("bkk", "consular_officer", "BKK"),
        ("inspector", "border_inspector", None),
    ):
        add_user(runtime.engine, name, role, post)
        tokens[name] = issue_token(runtime.engine, name)
    served = []
    with TestClient(create_app(settings, runtime=runtime, reload_models=False)) as client:
        for app in apps:
            who = tokens["mnl" if app["post_code"] == "MNL" else "bkk"]
            response = client.post("/v1/visa-applications/score", json=app, headers=bearer(who))
            assert response.status_code == 200, response.text
            served.append(_of_score(response.json()))
        response = client.post(
            "/v1/border-entries/score", json=entry, headers=bearer(tokens["inspector"])
        )
        assert response.status_code == 200, response.text
        served.append(_of_score(response.json()))
    runtime.close()

    # 2. `mizugiwa score` on files of the same records.
    for key, value in {
        "MIZUGIWA_ENVIRONMENT": "test",
        "MIZUGIWA_DATABASE_URL": settings.database_url,
        "MIZUGIWA_MLFLOW_TRACKING_URI": settings.mlflow_tracking_uri,
        "MIZUGIWA_MLFLOW_ARTIFACT_ROOT": settings.mlflow_artifact_root,
        "MIZUGIWA_REGISTERED_MODEL_NAME": settings.registered_model_name,
    }.items():
        monkeypatch.setenv(key, str(value))
    from mizugiwa.settings import get_settings

    get_settings.cache_clear()
    apps_file, entries_file = tmp_path / "apps.jsonl", tmp_path / "entries.jsonl"
    apps_file.write_text("".join(json.dumps(a) + "\n" for a in apps))
    entries_file.write_text(json.dumps(entry) + "\n")
    runner = CliRunner()
    batch = []
    for source, extra in ((apps_file, []), (entries_file, ["--applications", str(apps_file)])):
        out = tmp_path / f"scored-{source.name}"
        args = ["score", "--in", str(source), "--out", str(out), "--tipdb", str(tipdb), *extra]
        done = runner.invoke(cli, args)
        assert done.exit_code == 0, done.output
        batch += [_of_score(orjson.loads(line)) for line in out.read_bytes().splitlines()]
    get_settings.cache_clear()

    # 3. The registered MLflow model, loaded as any MLflow user would.
    mlflow.set_tracking_uri(settings.mlflow_tracking_uri)
    mlflow.set_registry_uri(registry_uri(settings))
    model = mlflow.pyfunc.load_model(f"models:/{settings.registered_model_name}@champion")
    frame = pd.DataFrame({"record": [json.dumps(r) for r in [*apps, entry]]})
    predicted = model.predict(frame)
    pyfunc_rows = [
        {
            "case_id": row["case_id"],
            "kind": row["kind"],
            "probabilities": {c.value: row[c.value] for c in CONCERNS},
            "refer": bool(row["refer"]),
            "reason_codes": [c for c in row["reason_codes"].split(",") if c],
            "rules_fired": [c for c in row["rules_fired"].split(",") if c],
        }
        for row in predicted.to_dict("records")
    ]

    assert _essentials(served) == _essentials(batch) == _essentials(pyfunc_rows)
    codes = {code for row in served for code in row["reason_codes"]}
    assert {"NW-SPONSOR-CROSS-POST", "NW-PHONE-CROSS-POST"} <= codes, codes
    assert any("RULE-WATCHLIST-PHONE" in row["rules_fired"] for row in served)
    assert served[-1]["kind"] == "entry"
    shutil.rmtree(tmp_path / "model", ignore_errors=True)
