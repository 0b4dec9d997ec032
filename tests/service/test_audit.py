"""The decision log's hash chain: appends chain, verify catches edits and deletions."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import pytest
from sqlalchemy import delete, update
from typer.testing import CliRunner

from mizugiwa.db.engine import session_scope
from mizugiwa.service.audit import GENESIS_HASH, Decision, DecisionLog, input_digest, verify
from mizugiwa.service.runtime import ServiceRuntime
from mizugiwa.service.tables import DecisionLogEntry


def _fill(log: DecisionLog, n: int) -> None:
    for i in range(n):
        log.write(
            Decision(
                endpoint="POST /v1/border-entries/score",
                request_id=f"r{i}",
                status=200,
                user_id=1,
                input_sha256=input_digest(b'{"entry_id": "E%d"}' % i),
                case_id=f"E{i}",
                model_name="m",
                model_version="3",
                rules_fired=["RULE-MRZ-CHECK"] if i % 2 else [],
                reason_codes=["IM-FACE"],
                referral=bool(i % 2),
            )
        )


def test_chain_links_each_entry_to_the_one_before(runtime: ServiceRuntime) -> None:
    _fill(runtime.decision_log, 5)
    with session_scope(runtime.engine) as session:
        entries = session.query(DecisionLogEntry).order_by(DecisionLogEntry.seq).all()
        assert [e.seq for e in entries] == [1, 2, 3, 4, 5]
        assert entries[0].prev_hash == GENESIS_HASH
        for before, after in pairwise(entries):
            assert after.prev_hash == before.entry_hash
    report = verify(runtime.engine)
    assert report.ok and report.entries == 5 and report.head_seq == 5


def test_verify_detects_an_edited_entry(runtime: ServiceRuntime) -> None:
    _fill(runtime.decision_log, 6)
    with session_scope(runtime.engine) as session:
        session.execute(
            update(DecisionLogEntry).where(DecisionLogEntry.seq == 3).values(referral=True)
        )
    report = verify(runtime.engine)
    assert not report.ok
    assert any(p.startswith("seq 3:") and "edited" in p for p in report.problems)


def test_verify_detects_a_deleted_entry(runtime: ServiceRuntime) -> None:
    _fill(runtime.decision_log, 6)
    with session_scope(runtime.engine) as session:
        session.execute(delete(DecisionLogEntry).where(DecisionLogEntry.seq == 4))
    report = verify(runtime.engine)
    assert not report.ok
    assert any(p.startswith("seq 5:") for p in report.problems)


def test_cli_verify_exits_1_on_a_broken_chain(
    runtime: ServiceRuntime, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mizugiwa.cli import app
    from mizugiwa.settings import get_settings

    _fill(runtime.decision_log, 3)
    monkeypatch.setenv("MIZUGIWA_DATABASE_URL", runtime.settings.database_url)
    get_settings.cache_clear()
    try:
        ok = CliRunner().invoke(app, ["audit", "verify"])
        assert ok.exit_code == 0, ok.output
        assert "ok: 3 entries" in ok.output
        with session_scope(runtime.engine) as session:
            session.execute(
                update(DecisionLogEntry).where(DecisionLogEntry.seq == 2).values(model_version="99")
            )
        broken = CliRunner().invoke(app, ["audit", "verify"])
        assert broken.exit_code == 1
        assert "seq 2" in broken.output
    finally:
        get_settings.cache_clear()


def test_spooled_decisions_are_chained_before_the_next_one(
    runtime: ServiceRuntime, tmp_path: Path
) -> None:
    log = DecisionLog(runtime.engine, spool_path=tmp_path / "spool.jsonl")
    _fill(log, 1)
    log.spool(Decision(endpoint="POST /v1/outcomes", request_id="offline", status=200))
    assert (tmp_path / "spool.jsonl").exists()
    _fill(log, 1)
    assert not (tmp_path / "spool.jsonl").exists()
    with session_scope(runtime.engine) as session:
        ids = [e.request_id for e in session.query(DecisionLogEntry).order_by("seq")]
    assert ids == ["r0", "offline", "r0"]
    assert verify(runtime.engine).ok


def test_input_digest_is_canonical() -> None:
    assert input_digest(b'{"b": 1, "a": [1, 2]}') == input_digest(b'{"a":[1,2],"b":1}')
    assert input_digest(b'{"a": 1}') != input_digest(b'{"a": 2}')
    assert len(input_digest(b"not json")) == 64
