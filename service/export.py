"""The service's own records as a training folder: what officers saw and decided, for retraining.

``export_training_folder(engine, since, until, out)`` writes, for the cases whose date (the
application's submission, the entry's arrival) falls in ``[since, until]``:

- ``applications.jsonl`` and ``entries.jsonl``: the records exactly as the service accepted them
  (the API's request bodies, the JSON Lines file format);
- ``outcomes.jsonl``: the interview outcomes recorded for those cases, with their referral source
  (``model``, ``rule``, ``random_audit``, ``officer``), so training can weight the random audit;
- ``tipdb.jsonl``: the trafficking database as of ``until``: every entity recorded by then, in the
  import format the agency sent (the loader keeps each entity's import line), references to
  entities recorded later dropped so the file loads on its own;
- ``manifest.json``: the period, the counts and whether names were pseudonymised.

Point in time: nothing in the folder was recorded after ``until``; within it, training's lookups
are "as of" each case's date, so a fact learnt after an application never becomes its feature.

``pseudonymise=True`` replaces names, document numbers, phones and addresses by keyed digests
(HMAC with the service's secret), the same value always giving the same digest across the three
record files and the database, so exact links survive (the same phone, the same passport) while
no name leaves the service. Spelling variants of one name then no longer match: a model trained on
a pseudonymised export learns from exact links only, which its run should say.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from mizugiwa.db.engine import session_scope
from mizugiwa.features.normalise import address_key, document_number, phone_key
from mizugiwa.features.tipdb import tables as tipdb
from mizugiwa.service.tables import InterviewOutcome, StoredCase

APPLICATIONS = "applications.jsonl"
ENTRIES = "entries.jsonl"
OUTCOMES = "outcomes.jsonl"
TIPDB = "tipdb.jsonl"
MANIFEST = "manifest.json"
_FILE_OF_KIND = {"application": APPLICATIONS, "entry": ENTRIES}
# Referenced entities first, so that a reader going line by line meets an id before its use.
_ENTITY_TABLES: tuple[type[Any], ...] = (
    tipdb.Person,
    tipdb.ProtectedPerson,
    tipdb.Organisation,
    tipdb.Phone,
    tipdb.Address,
    tipdb.TravelDocument,
    tipdb.Raid,
    tipdb.Case,
    tipdb.Sponsorship,
)
# Fields of an import line that name other entities.
_REFERENCE_FIELDS = ("linked_to", "persons", "organisations", "organisation_id")
_BATCH = 2000


class ExportError(ValueError):
    """The export cannot be written as asked (the message says why)."""


@dataclass
class ExportReport:
    """What was written."""

    out: Path
    since: date
    until: date
    counts: dict[str, int] = field(default_factory=dict)
    dropped_references: int = 0
    entities_without_import_line: int = 0
    pseudonymised: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "since": self.since.isoformat(),
            "until": self.until.isoformat(),
            "counts": self.counts,
            "dropped_references": self.dropped_references,
            "entities_without_import_line": self.entities_without_import_line,
            "pseudonymised": self.pseudonymised,
        }


class Pseudonymiser:
    """Keyed digests of personal values: the same value gives the same token everywhere.

    Values are normalised the way the matcher compares them before they are digested (phones to
    E.164 where the number says its country, addresses and document numbers to their keys,
    names upper-cased), so that a phone written ``0917...`` in a record and ``+63 917...`` in the
    database still link only when the matcher would link them exactly.
    """

    NAME_FIELDS = frozenset({"family_name", "given_names", "name_native", "organisation_name"})
    NAME_LISTS = frozenset({"names", "sponsor_names"})

    def __init__(self, key: bytes) -> None:
        self.key = key

    def token(self, kind: str, value: str, country: str | None = None) -> str:
        if kind == "phone":
            value = phone_key(value, country)
        elif kind == "address":
            value = address_key(value)
        elif kind == "document":
            value = document_number(value)
        else:
            value = " ".join(value.upper().split())
        digest = hmac.new(self.key, f"{kind}|{value}".encode(), hashlib.sha256)
        return "PX" + digest.hexdigest()[:20].upper()

    def __call__(self, value: Any, context: str = "") -> Any:
        if isinstance(value, list):
            return [self(item, context) for item in value]
        if not isinstance(value, dict):
            return value
        entity_type = value.get("entity_type")
        out: dict[str, Any] = {}
        for key, item in value.items():
            kind = self._kind(key, entity_type, context)
            if kind == "drop":
                out[key] = None  # the MRZ spells the name and the number: never exported
            elif kind is not None and isinstance(item, str):
                out[key] = self.token(kind, item, value.get("country"))
            elif kind is not None and isinstance(item, list):
                out[key] = [self.token(kind, x) if isinstance(x, str) else x for x in item]
            else:
                out[key] = self(item, key)
        return out

    def _kind(self, key: str, entity_type: Any, context: str) -> str | None:
        if key in self.NAME_FIELDS or key in self.NAME_LISTS or key == "sponsored_name":
            return "name"
        if key == "mrz":
            return "drop"
        if key in ("phone", "address"):
            return key
        if key == "number":
            if entity_type == "phone":
                return "phone"
            if entity_type == "travel_document" or context == "passport":
                return "document"
        return None


def export_training_folder(
    engine: Engine,
    since: date,
    until: date,
    out: Path,
    *,
    pseudonymise_key: bytes | None = None,
) -> ExportReport:
    """Write the training folder for ``[since, until]`` into ``out`` (see the module doc)."""
    if since > until:
        raise ExportError(f"--from {since} is after --until {until}")
    out = Path(out)
    if out.exists() and any(out.iterdir()):
        raise ExportError(f"--out {out}: the folder is not empty; export into a new folder")
    out.mkdir(parents=True, exist_ok=True)
    scrub = Pseudonymiser(pseudonymise_key) if pseudonymise_key is not None else None
    report = ExportReport(out=out, since=since, until=until, pseudonymised=scrub is not None)
    start = datetime.combine(since, time.min, tzinfo=UTC)
    end = datetime.combine(until + timedelta(days=1), time.min, tzinfo=UTC)
    with session_scope(engine) as session:
        case_ids = _write_cases(session, start, end, out, scrub, report)
        _write_outcomes(session, case_ids, out, scrub, report)
        _write_tipdb(session, until, out, scrub, report)
    (out / MANIFEST).write_bytes(orjson.dumps(report.as_dict(), option=orjson.OPT_INDENT_2))
    return report


def _write_cases(
    session: Session,
    start: datetime,
    end: datetime,
    out: Path,
    scrub: Pseudonymiser | None,
    report: ExportReport,
) -> set[str]:
    handles = {kind: (out / name).open("wb") for kind, name in _FILE_OF_KIND.items()}
    counts = dict.fromkeys(_FILE_OF_KIND, 0)
    case_ids: set[str] = set()
    try:
        query = (
            select(StoredCase.case_id, StoredCase.kind, StoredCase.record)
            .where(StoredCase.case_date >= start, StoredCase.case_date < end)
            .order_by(StoredCase.case_date, StoredCase.pk)
            .execution_options(yield_per=_BATCH)
        )
        for case_id, kind, record in session.execute(query):
            handle = handles.get(kind)
            if handle is None:
                continue  # a kind of case that has no training file yet
            handle.write(orjson.dumps(scrub(record) if scrub else record) + b"\n")
            counts[kind] += 1
            case_ids.add(case_id)
    finally:
        for handle in handles.values():
            handle.close()
    report.counts.update({_FILE_OF_KIND[k].removesuffix(".jsonl"): n for k, n in counts.items()})
    return case_ids


def _write_outcomes(
    session: Session,
    case_ids: set[str],
    out: Path,
    scrub: Pseudonymiser | None,
    report: ExportReport,
) -> None:
    written = 0
    query = select(InterviewOutcome).order_by(InterviewOutcome.interviewed_at, InterviewOutcome.pk)
    with (out / OUTCOMES).open("wb") as handle:
        for row in session.scalars(query.execution_options(yield_per=_BATCH)):
            if row.case_id not in case_ids:
                continue
            line = {
                "case_id": row.case_id,
                "interviewed_at": _aware(row.interviewed_at).isoformat(),
                "outcome": row.outcome,
                "referral_source": row.referral_source,
                "victim_support_offered": bool(row.victim_support_offered),
            }
            handle.write(orjson.dumps(line) + b"\n")
            written += 1
    report.counts["outcomes"] = written


def _entity_lines(session: Session, until: date, report: ExportReport) -> Iterator[dict[str, Any]]:
    for model in _ENTITY_TABLES:
        query = (
            select(model.content)
            .where(model.recorded_at <= until)
            .order_by(model.external_id)
            .execution_options(yield_per=_BATCH)
        )
        for content in session.scalars(query):
            if not content:
                report.entities_without_import_line += 1
                continue
            yield dict(content)


def _write_tipdb(
    session: Session,
    until: date,
    out: Path,
    scrub: Pseudonymiser | None,
    report: ExportReport,
) -> None:
    lines = list(_entity_lines(session, until, report))
    known = {line["id"] for line in lines}
    written = 0
    with (out / TIPDB).open("wb") as handle:
        for line in lines:
            for name in _REFERENCE_FIELDS:
                value = line.get(name)
                if isinstance(value, list):
                    kept = [ref for ref in value if ref in known]
                    report.dropped_references += len(value) - len(kept)
                    line[name] = kept
                elif isinstance(value, str) and value not in known:
                    report.dropped_references += 1
                    line.pop(name)
            handle.write(orjson.dumps(scrub(line) if scrub else line) + b"\n")
            written += 1
    report.counts["tipdb"] = written


def _aware(moment: datetime) -> datetime:
    """SQLite hands back naive date-times: they were stored in UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
