"""``train`` checks its data and stores first and fails in seconds with a clear message; a
database file linked from outside the data folder is logged, not a crash at the end."""

from __future__ import annotations

import time
from pathlib import Path

import mlflow
import orjson
import pytest

from mizugiwa.features.records import CONCERNS
from mizugiwa.models.registry import registry_uri
from mizugiwa.settings import Settings
from mizugiwa.training.preflight import PreflightError, preflight, stage_artifact
from mizugiwa.training.synth.world import generate_world
from mizugiwa.training.train import train


def _settings(store: Path) -> Settings:
    return Settings(
        environment="test",
        mlflow_tracking_uri=f"sqlite:///{store}/mlflow.db",
        mlflow_artifact_root=(store / "artifacts").as_uri(),
        registered_model_name="preflight-model",
    )


def _outcomes(per_concern: int) -> bytes:
    outcome = {"sham_marriage": "sham_marriage", "impersonation": "impersonation"}
    lines = []
    for concern in CONCERNS:
        kind = outcome.get(concern.value, "trafficking_victim")
        for k in range(per_concern):
            lines.append(
                {
                    "case_id": f"{concern.value}-{k}",
                    "interviewed_at": "2024-05-10T09:00:00Z",
                    "outcome": kind,
                    "referral_source": "model",
                }
            )
    return b"\n".join(orjson.dumps(line) for line in lines) + b"\n"


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    data.mkdir()
    (data / "applications.jsonl").write_bytes(b'{"application_id": "A-1"}\n')
    (data / "outcomes.jsonl").write_bytes(_outcomes(6))
    return data


def test_a_good_folder_passes_and_links_out_of_it_are_noted(folder: Path, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere" / "tipdb.jsonl"
    outside.parent.mkdir()
    outside.write_bytes(b'{"entity_type": "person"}\n')
    (folder / "tipdb.jsonl").symlink_to(outside)
    found = preflight(folder, _settings(tmp_path / "store"))
    assert found.linked == (folder / "tipdb.jsonl",)
    staged = stage_artifact(folder / "tipdb.jsonl", tmp_path / "staged")
    assert not staged.is_symlink() and staged.read_bytes() == outside.read_bytes()
    assert (
        stage_artifact(folder / "outcomes.jsonl", tmp_path / "staged") == folder / "outcomes.jsonl"
    )


def test_a_broken_link_is_named(folder: Path, tmp_path: Path) -> None:
    (folder / "tipdb.jsonl").symlink_to(tmp_path / "gone.jsonl")
    with pytest.raises(PreflightError, match=r"tipdb.jsonl: symbolic link to .*gone.jsonl"):
        preflight(folder, _settings(tmp_path / "store"))


def test_a_file_that_is_not_json_lines_is_named(folder: Path, tmp_path: Path) -> None:
    (folder / "applications.jsonl").write_text("application_id,post_code\n")
    with pytest.raises(PreflightError, match=r"applications.jsonl, line 1: not JSON"):
        preflight(folder, _settings(tmp_path / "store"))


def test_too_few_labels_fail_before_any_training(folder: Path, tmp_path: Path) -> None:
    (folder / "outcomes.jsonl").write_bytes(_outcomes(3))
    with pytest.raises(PreflightError, match=r"3 confirmed sham_marriage cases"):
        preflight(folder, _settings(tmp_path / "store"))


def test_an_unreachable_mlflow_store_fails_in_seconds(folder: Path, tmp_path: Path) -> None:
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where a folder should be")
    settings = Settings(
        environment="test",
        mlflow_tracking_uri=f"sqlite:///{blocked}/sub/mlflow.db",
        mlflow_artifact_root=(tmp_path / "artifacts").as_uri(),
    )
    started = time.monotonic()
    with pytest.raises(PreflightError, match="MLflow tracking store"):
        train(folder, settings=settings)
    assert time.monotonic() - started < 30
    with pytest.raises(PreflightError, match="capacity"):
        train(folder, capacity=1.5, settings=_settings(tmp_path / "store"))


@pytest.mark.slow
def test_train_logs_a_database_linked_from_outside_the_folder(tmp_path: Path) -> None:
    data, outside = tmp_path / "world", tmp_path / "shared"
    generate_world(3, 12_000, 800, data)
    outside.mkdir()
    (data / "tipdb.jsonl").rename(outside / "tipdb.jsonl")
    (data / "tipdb.jsonl").symlink_to(outside / "tipdb.jsonl")
    settings = _settings(tmp_path / "store")
    summary = train(data, seed=1, settings=settings).summary
    assert summary["model_version"] == "1"
    client = mlflow.MlflowClient(settings.mlflow_tracking_uri, registry_uri(settings))
    run = client.get_run(summary["run_id"])
    assert run.info.status == "FINISHED"
