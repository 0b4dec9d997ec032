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


def test_the_chain_is_keyed(runtime: ServiceRuntime) -> None:
    """Rebuilding the chain without the key (plain SHA-256, or another key) is detected."""
    import hashlib

    from mizugiwa.service.audit import canonical_json, entry_hash

    _fill(runtime.decision_log, 3)
    report = verify(runtime.engine, key=b"another key")
    assert not report.ok and "edited" in report.problems[0]
    assert verify(runtime.engine, key=runtime.settings.hmac_key).ok
    plain = hashlib.sha256(canonical_json({"a": 1})).hexdigest()
    assert plain != entry_hash({k: 1 for k in _HASHED}, key=b"k")


_HASHED = (
    "seq",
    "at",
    "user_id",
    "endpoint",
    "request_id",
    "status",
    "input_sha256",
    "case_id",
    "model_name",
    "model_version",
    "rules_fired",
    "reason_codes",
    "referral",
    "error",
    "prev_hash",
)


def _forge_chain(runtime: ServiceRuntime, key: bytes | None) -> None:
    """What someone who can write the database does: delete the tail, re-hash what is left."""
    from mizugiwa.service.audit import GENESIS_HASH as genesis
    from mizugiwa.service.audit import entry_hash

    with session_scope(runtime.engine) as session:
        session.execute(delete(DecisionLogEntry).where(DecisionLogEntry.seq >= 4))
        prev = genesis
        for entry in session.query(DecisionLogEntry).order_by(DecisionLogEntry.seq):
            entry.case_id = "X" if entry.seq == 2 else entry.case_id
            entry.prev_hash = prev
            values = {name: getattr(entry, name) for name in _HASHED}
            if key is None:
                from mizugiwa.service.audit import canonical_json

                entry.entry_hash = __import__("hashlib").sha256(canonical_json(values)).hexdigest()
            else:
                entry.entry_hash = entry_hash(values, key)
            prev = entry.entry_hash


def test_truncation_is_detected_against_the_checkpoint(
    runtime: ServiceRuntime, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mizugiwa.cli import app
    from mizugiwa.settings import get_settings

    checkpoint = runtime.decision_log.checkpoint_path
    assert checkpoint is not None
    _fill(runtime.decision_log, 6)
    assert checkpoint.exists()
    monkeypatch.setenv("MIZUGIWA_DATABASE_URL", runtime.settings.database_url)
    get_settings.cache_clear()
    try:
        ok = CliRunner().invoke(app, ["audit", "verify", "--checkpoint", str(checkpoint)])
        assert ok.exit_code == 0, ok.output
        with session_scope(runtime.engine) as session:  # the newest entries deleted
            session.execute(delete(DecisionLogEntry).where(DecisionLogEntry.seq >= 5))
        assert CliRunner().invoke(app, ["audit", "verify"]).exit_code == 0  # no anchor: unseen
        cut = CliRunner().invoke(app, ["audit", "verify", "--checkpoint", str(checkpoint)])
        assert cut.exit_code == 1
        assert "newest entries deleted" in cut.output
    finally:
        get_settings.cache_clear()


@pytest.mark.parametrize("forger_key", [None, b"a guessed key"])
def test_a_rebuilt_chain_is_detected(runtime: ServiceRuntime, forger_key: bytes | None) -> None:
    from mizugiwa.service.audit import Checkpoint

    _fill(runtime.decision_log, 6)
    assert runtime.decision_log.checkpoint_path is not None
    anchor = Checkpoint.read(runtime.decision_log.checkpoint_path)
    _forge_chain(runtime, forger_key)
    report = verify(runtime.engine, key=runtime.settings.hmac_key, checkpoint=anchor)
    assert not report.ok
