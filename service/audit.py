"""The decision log: append-only and hash-chained, with digests and codes but no personal data.

Each entry's ``entry_hash`` is the HMAC-SHA256, keyed by ``Settings.hmac_key``, of the canonical
JSON of the entry (every column but ``entry_hash`` itself, ``prev_hash`` included), so editing any
entry breaks its own hash and deleting one breaks the next entry's ``prev_hash`` and the run of
``seq`` numbers; and without the key nobody who can write the database can rebuild a chain that
verifies. After each append the head (``seq``, ``entry_hash``) is written to a checkpoint file
outside the database: :func:`verify` given that file also detects a chain cut at its end (the
newest entries deleted) or rebuilt. Appends are serialised (a process lock, and on PostgreSQL a
transaction-scoped advisory lock) so the chain never forks.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import tempfile
import threading
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast

import orjson
from sqlalchemy import Connection, Engine, Table, insert, select, text
from sqlalchemy.orm import Session

from mizugiwa.db.engine import session_scope
from mizugiwa.service.driver_sql import DriverStatement, DriverTransaction, driver_transaction
from mizugiwa.service.tables import DecisionLogEntry

GENESIS_HASH = "0" * 64
_ADVISORY_LOCK_KEY = 0x6D7A67  # "mzg": one lock id for the chain on PostgreSQL
_HASHED_FIELDS = (
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


# Built once: Core statements hit SQLAlchemy's compiled cache, so each append costs only the
# round trips (the ORM and per-request statement building cost more than the writes).
_LOG = cast(Table, DecisionLogEntry.__table__)
_HEAD = select(_LOG.c.seq, _LOG.c.entry_hash).order_by(_LOG.c.seq.desc()).limit(1)
_INSERT = insert(_LOG)
_PG_LOCK = text("SELECT pg_advisory_xact_lock(:k)")
_HEAD_SQL = "SELECT seq, entry_hash FROM service_decision_log ORDER BY seq DESC LIMIT 1"

_ENTRY_COLUMNS = (*_HASHED_FIELDS, "entry_hash")


def canonical_json(value: Any) -> bytes:
    """Sorted keys, no spaces, UTF-8: the same bytes for the same data, wherever it came from."""
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS)


MAX_JSON_DEPTH = 254  # what orjson can write back canonically; far beyond any record


class BodyNotJSONError(ValueError):
    """A body that claims to be JSON and is not usable as such (its message says why)."""


def json_digest(body: bytes) -> str:
    """SHA-256 of the canonical form of a JSON body; :class:`BodyNotJSONError` when the body is
    not UTF-8, not JSON, or nested deeper than :data:`MAX_JSON_DEPTH` levels."""
    if not body:
        return hashlib.sha256(b"").hexdigest()
    try:
        parsed = orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        text = str(exc)
        if "utf-8" in text.lower() or "surrogate" in text.lower():
            raise BodyNotJSONError("the body is not valid UTF-8") from None
        if "depth limit" in text.lower() or "recursion" in text.lower():
            raise BodyNotJSONError(
                f"JSON nested deeper than {MAX_JSON_DEPTH} levels is refused"
            ) from None
        raise BodyNotJSONError(f"the body is not valid JSON: {text.split(':')[0]}") from None
    try:
        data = canonical_json(parsed)
    except orjson.JSONEncodeError:  # orjson writes at most 254 levels
        raise BodyNotJSONError(
            f"JSON nested deeper than {MAX_JSON_DEPTH} levels is refused"
        ) from None
    return hashlib.sha256(data).hexdigest()


def input_digest(body: bytes) -> str:
    """SHA-256 of the canonical form of a JSON body (of the raw bytes when it is not usable
    JSON: not UTF-8, not JSON, or nested too deeply)."""
    try:
        return json_digest(body)
    except BodyNotJSONError:
        return hashlib.sha256(body).hexdigest()


@dataclass(frozen=True)
class Decision:
    """What is logged for one request: who, what, the input's digest and the outcome."""

    endpoint: str
    request_id: str
    status: int
    user_id: int | None = None
    input_sha256: str | None = None
    case_id: str | None = None
    model_name: str | None = None
    model_version: str | None = None
    rules_fired: list[str] = field(default_factory=list)
    reason_codes: list[str] = field(default_factory=list)
    referral: bool | None = None
    error: str | None = None
    at: str | None = None  # set when a spooled decision is chained later


def _configured_key() -> bytes:
    from mizugiwa.settings import get_settings

    return get_settings().hmac_key


def entry_hash(values: dict[str, Any], key: bytes | None = None) -> str:
    """The keyed hash (HMAC-SHA256) of an entry from its hashed fields; ``key`` defaults to the
    configured one."""
    message = canonical_json({k: values[k] for k in _HASHED_FIELDS})
    return hmac.new(key or _configured_key(), message, hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Checkpoint:
    """The head of the chain as last seen by the service, kept outside the database."""

    seq: int
    entry_hash: str

    @classmethod
    def read(cls, path: Path) -> Checkpoint:
        data = orjson.loads(path.read_bytes())
        return cls(int(data["seq"]), str(data["entry_hash"]))

    def write(self, path: Path) -> None:
        """Replace the file atomically (a reader never sees half a checkpoint)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".checkpoint-", suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            handle.write(orjson.dumps({"seq": self.seq, "entry_hash": self.entry_hash}))
        os.replace(tmp, path)


class DecisionLog:
    """Appends decisions to the chain, each in one short transaction."""

    def __init__(
        self,
        engine: Engine,
        spool_path: Path | None = None,
        *,
        key: bytes | None = None,
        checkpoint_path: Path | None = None,
    ) -> None:
        self._engine = engine
        self.engine = engine
        self.key = key or _configured_key()
        self.checkpoint_path = checkpoint_path
        self._lock = threading.Lock()
        self._postgres = engine.dialect.name == "postgresql"
        self._driver_insert = DriverStatement(_INSERT, engine.dialect, _ENTRY_COLUMNS)
        self.spool_path = spool_path

    def spool(self, decision: Decision) -> None:
        """Keep a decision in the local spool while the database is unreachable."""
        if self.spool_path is None:
            raise RuntimeError("no spool configured and the decision log is unreachable")
        if decision.at is None:
            decision = replace(decision, at=_now())
        with self._lock:
            self.spool_path.parent.mkdir(parents=True, exist_ok=True)
            with self.spool_path.open("ab") as handle:
                handle.write(orjson.dumps(asdict(decision)) + b"\n")

    def _spooled(self) -> list[Decision]:
        if self.spool_path is None or not self.spool_path.exists():
            return []
        lines = self.spool_path.read_bytes().splitlines()
        return [Decision(**orjson.loads(line)) for line in lines if line.strip()]

    def write(
        self, decision: Decision, also: Callable[[Session], None] | None = None
    ) -> DecisionLogEntry:
        """Append ``decision``; ``also`` runs first in the same transaction (the request's own
        writes, through an ORM session), so that either both are stored or neither is."""
        with self._lock:
            spooled = self._spooled()
            with session_scope(self._engine) as session:
                if also is not None:
                    also(session)
                rows = self._chain(session.connection(), [*spooled, decision])
            self._spool_chained(spooled)
            self._checkpoint(rows[-1]["seq"], rows[-1]["entry_hash"])
        return DecisionLogEntry(**rows[-1])

    def append(
        self, decision: Decision, also: Callable[[DriverTransaction], None] | None = None
    ) -> None:
        """:meth:`write` for the scoring hot path: one transaction on the driver's connection
        with statements compiled once (``also`` gets that transaction)."""
        with self._lock:
            spooled = self._spooled()
            with driver_transaction(self._engine) as transaction:
                if also is not None:
                    also(transaction)
                if self._postgres:
                    transaction.query("SELECT pg_advisory_xact_lock(%s)", (_ADVISORY_LOCK_KEY,))
                head = transaction.query(_HEAD_SQL)
                seq, prev = (head[0] + 1, head[1]) if head else (1, GENESIS_HASH)
                for item in [*spooled, decision]:
                    row = _entry_values(item, seq, prev, self.key)
                    transaction.execute(self._driver_insert, row)
                    seq, prev = seq + 1, row["entry_hash"]
            self._spool_chained(spooled)
            self._checkpoint(seq - 1, prev)

    def _checkpoint(self, seq: int, head: str) -> None:
        """Record the head outside the database (after the commit: a checkpoint never names an
        entry that is not stored). A failure costs only the anchor, never the request."""
        if self.checkpoint_path is None:
            return
        try:
            Checkpoint(seq, head).write(self.checkpoint_path)
        except OSError as exc:
            import structlog

            structlog.get_logger("mizugiwa.service.audit").error(
                "decision log checkpoint not written", error=type(exc).__name__
            )

    def _chain(self, connection: Connection, decisions: list[Decision]) -> list[dict[str, Any]]:
        """Insert ``decisions`` after the head of the chain, in the caller's transaction."""
        if self._postgres:
            connection.execute(_PG_LOCK, {"k": _ADVISORY_LOCK_KEY})
        head = connection.execute(_HEAD).first()
        seq, prev = (head[0] + 1, head[1]) if head else (1, GENESIS_HASH)
        rows = []
        for item in decisions:
            row = _entry_values(item, seq, prev, self.key)
            rows.append(row)
            seq, prev = seq + 1, row["entry_hash"]
        connection.execute(_INSERT, rows)
        return rows

    def _spool_chained(self, spooled: list[Decision]) -> None:
        if spooled and self.spool_path is not None:
            self.spool_path.unlink(missing_ok=True)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


def _entry_values(decision: Decision, seq: int, prev: str, key: bytes) -> dict[str, Any]:
    values: dict[str, Any] = {
        "seq": seq,
        "at": decision.at or _now(),
        "user_id": decision.user_id,
        "endpoint": decision.endpoint,
        "request_id": decision.request_id,
        "status": decision.status,
        "input_sha256": decision.input_sha256,
        "case_id": decision.case_id,
        "model_name": decision.model_name,
        "model_version": decision.model_version,
        "rules_fired": list(decision.rules_fired),
        "reason_codes": list(decision.reason_codes),
        "referral": decision.referral,
        "error": decision.error,
        "prev_hash": prev,
    }
    values["entry_hash"] = entry_hash(values, key)
    return values


@dataclass
class VerifyReport:
    """The result of walking the chain: ``ok`` when no problem was found."""

    entries: int = 0
    head_seq: int = 0
    head_hash: str = GENESIS_HASH
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _entries(engine: Engine, batch: int = 5000) -> Iterator[DecisionLogEntry]:
    with session_scope(engine) as session:
        yield from session.scalars(
            select(DecisionLogEntry)
            .order_by(DecisionLogEntry.seq)
            .execution_options(yield_per=batch)
        )


def verify(
    engine: Engine,
    max_problems: int = 100,
    *,
    key: bytes | None = None,
    checkpoint: Checkpoint | None = None,
) -> VerifyReport:
    """Walk the chain from the first entry and report every break: an edited entry (its keyed
    hash does not match its content), a deleted one (a gap in ``seq``, a ``prev_hash`` that does
    not match the entry before) or a re-ordered one. With a ``checkpoint`` (a head recorded
    outside the database), also a chain that ends before it (the newest entries deleted) or
    whose entry at its ``seq`` differs (rebuilt). ``key`` defaults to the configured one."""
    key = key or _configured_key()
    report = VerifyReport()
    expected_seq, prev = 1, GENESIS_HASH
    at_checkpoint: str | None = None
    for entry in _entries(engine):
        values = {name: getattr(entry, name) for name in _HASHED_FIELDS}
        if checkpoint is not None and entry.seq == checkpoint.seq:
            at_checkpoint = entry.entry_hash
        if entry.seq != expected_seq:
            report.problems.append(
                f"seq {entry.seq}: expected seq {expected_seq} (entries missing or re-numbered)"
            )
        if entry.prev_hash != prev:
            report.problems.append(
                f"seq {entry.seq}: prev_hash does not match the entry before (deleted or edited)"
            )
        if entry_hash(values, key) != entry.entry_hash:
            report.problems.append(f"seq {entry.seq}: content does not match entry_hash (edited)")
        report.entries += 1
        report.head_seq, report.head_hash = entry.seq, entry.entry_hash
        expected_seq, prev = entry.seq + 1, entry.entry_hash
        if len(report.problems) >= max_problems:
            break
    if checkpoint is not None and len(report.problems) < max_problems:
        if report.head_seq < checkpoint.seq:
            report.problems.append(
                f"seq {report.head_seq}: the chain ends before the checkpoint's seq "
                f"{checkpoint.seq} (newest entries deleted)"
            )
        elif at_checkpoint != checkpoint.entry_hash:
            report.problems.append(
                f"seq {checkpoint.seq}: entry_hash differs from the checkpoint (chain rebuilt)"
            )
    return report
