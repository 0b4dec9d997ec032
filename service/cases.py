"""Scored cases in the service's tables: storing them, the referral worklist, interview outcomes,
and sharing a confirmed case with the trafficking database.

A confirmed outcome is written to the shared database as a ``case`` entity through the loader
(so it obeys the import format and provenance rules of every other source), linking the
sponsor, employer, recruitment agency and phones the application named; a forged document is
reported as a ``travel_document``; a trafficking victim is recorded as a *protected* person,
never as a suspect.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, cast

import orjson
from pydantic import ValidationError
from sqlalchemy import Connection, Engine, Table, bindparam, select
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session

from mizugiwa.db.engine import session_scope
from mizugiwa.features.contract import Score
from mizugiwa.features.jsonl import JsonLinesError, parse_line
from mizugiwa.features.kinds import kind, kinds
from mizugiwa.features.records import BorderEntry, Outcome, OutcomeKind, VisaApplication
from mizugiwa.service.driver_sql import DriverStatement, DriverTransaction
from mizugiwa.service.errors import (
    ConflictError,
    InvalidRequestError,
    NotFoundError,
)
from mizugiwa.service.lookback.keystore import write_keys, write_keys_driver, write_many_keys
from mizugiwa.service.tables import InterviewOutcome, StoredCase

ENTITY_SOURCE = "mizugiwa_interview"
_CASE_TYPE: dict[OutcomeKind, str] = {
    OutcomeKind.SHAM_MARRIAGE: "sham_marriage",
    OutcomeKind.IMPERSONATION: "impersonation",
    OutcomeKind.FORGED_DOCUMENT: "forged_document",
    OutcomeKind.TRAFFICKING_VICTIM: "trafficking",
    OutcomeKind.OTHER_FRAUD: "other_fraud",
}
_ONE_DAY = timedelta(days=1)
_LABOUR = frozenset({"factory", "agriculture", "construction", "care", "hospitality"})


# -- storing ---------------------------------------------------------------------------------


def store_scored(
    session: Session | Connection,
    *,
    kind: str,
    record: Any,
    score: Score | Mapping[str, Any] | None,
    request_id: str | None,
    scored_at: datetime,
) -> None:
    """Insert or update the case row of a scored (or, with ``score=None``, imported) record.

    ``score`` is a :class:`Score` or its JSON form. One upsert statement (no read first), built
    once per database dialect. A case id already used by a case of the other kind raises
    :class:`ConflictError` and changes nothing.
    """
    values = case_values(kind, record, score, request_id, scored_at)
    bind = session if isinstance(session, Connection) else session.get_bind()
    statement = _upsert(bind.dialect.name, scored=score is not None)
    stored = session.execute(statement, values).first()
    if stored is None:  # the WHERE kept the row as it was
        raise ConflictError(
            f"case_id {values['case_id']!r} is already used by a case of another kind"
        )
    write_keys(session, stored[0], kind, values["record"], values["case_date"])


def store_scored_driver(
    transaction: DriverTransaction,
    dialect: Dialect,
    *,
    kind: str,
    record: Any,
    score: Mapping[str, Any],
    request_id: str | None,
    scored_at: datetime,
) -> None:
    """:func:`store_scored` for the scoring hot path, on a driver transaction."""
    values = case_values(kind, record, score, request_id, scored_at)
    stored = transaction.execute(_driver_upsert(dialect), values)
    if stored is None:
        raise ConflictError(
            f"case_id {values['case_id']!r} is already used by a case of another kind"
        )
    write_keys_driver(transaction, dialect, stored[0], kind, values["record"], values["case_date"])


def store_many(
    session: Session,
    *,
    kind: str,
    records: Sequence[VisaApplication | BorderEntry],
    scored_at: datetime,
    batch: int = 2000,
) -> None:
    """:func:`store_scored` (unscored) for many records of one kind, with their look-back keys:
    a few statements per batch instead of three per record. A case id already used by a case of
    the other kind raises :class:`ConflictError` (the caller's transaction is rolled back)."""
    statement = _upsert(session.get_bind().dialect.name, scored=False, returning=False)
    for start in range(0, len(records), batch):
        rows = [
            case_values(kind, record, None, None, scored_at)
            for record in records[start : start + batch]
        ]
        ids = [row["case_id"] for row in rows]
        clash = session.scalar(
            select(StoredCase.case_id).where(StoredCase.case_id.in_(ids), StoredCase.kind != kind)
        )
        if clash is not None:
            raise ConflictError(f"case_id {clash!r} is already used by a case of another kind")
        session.execute(statement, rows)
        pks = dict(
            session.execute(
                select(StoredCase.case_id, StoredCase.pk).where(StoredCase.case_id.in_(ids))
            ).all()
        )
        write_many_keys(
            session,
            [(pks[row["case_id"]], kind, row["record"], row["case_date"]) for row in rows],
        )


def case_values(
    kind_name: str,
    record: Any,
    score: Score | Mapping[str, Any] | None,
    request_id: str | None,
    scored_at: datetime,
) -> dict[str, Any]:
    """The columns of a case row."""
    spec = kind(kind_name)
    case_id, post = spec.case_id(record), spec.post(record)
    when = getattr(record, spec.date_field)
    values: dict[str, Any] = {
        "case_id": case_id,
        "kind": spec.name,
        "status": "pending",
        "post_code": post,
        "case_date": when.astimezone(UTC),
        "record": record.model_dump(mode="json"),
    }
    if score is not None:
        row = score.model_dump(mode="json") if isinstance(score, Score) else score
        model: Mapping[str, Any] = row["model"]
        values.update(
            scored_at=scored_at,
            risk=row["risk"],
            refer=row["refer"],
            referred_by=list(row["referred_by"]),
            reason_codes=[r["code"] for r in row["reasons"]],
            rule_codes=[r["code"] for r in row["rules_fired"]],
            model_version=model["version"],
            request_id=request_id,
        )
    return values


@functools.cache
def _driver_upsert(dialect: Dialect) -> DriverStatement:
    return DriverStatement(_upsert(dialect.name, scored=True), dialect)


_CASE_COLUMNS = ("post_code", "case_date", "record")
_SCORE_COLUMNS = (
    "scored_at",
    "risk",
    "refer",
    "referred_by",
    "reason_codes",
    "rule_codes",
    "model_version",
    "request_id",
)


@functools.cache
def _upsert(dialect: str, *, scored: bool, returning: bool = True) -> Any:
    """``INSERT ... ON CONFLICT (case_id) DO UPDATE`` of a case row, for SQLite or PostgreSQL;
    a row of the other kind is left alone (no row changes: the caller answers 409)."""
    from sqlalchemy.dialects import postgresql, sqlite

    insert: Any
    if dialect == "postgresql":
        insert = postgresql.insert
    elif dialect == "sqlite":
        insert = sqlite.insert
    else:
        raise NotImplementedError(
            f"the service's case store supports SQLite and PostgreSQL, not {dialect}"
        )
    table = cast(Table, StoredCase.__table__)  # Core on the table: the ORM's path costs more
    columns = _CASE_COLUMNS + (_SCORE_COLUMNS if scored else ())
    names = ("case_id", "kind", "status", *columns)
    statement = insert(table).values({name: bindparam(name) for name in names})
    # RETURNING, not rowcount: the drivers disagree on rowcount for an upsert that returns.
    upsert = statement.on_conflict_do_update(
        index_elements=[table.c.case_id],
        set_={name: statement.excluded[name] for name in columns},
        where=table.c.kind == statement.excluded.kind,
    )
    return upsert.returning(table.c.pk) if returning else upsert


_FIND_CASE = select(StoredCase.record).where(
    StoredCase.case_id == bindparam("case_id"), StoredCase.kind == bindparam("kind")
)


def find_case(session: Session | Connection, kind_name: str, case_id: str) -> Any | None:
    """A stored case of one kind by id, validated again (its schema may have tightened)."""
    record = session.scalar(_FIND_CASE, {"case_id": case_id, "kind": kind_name})
    return None if record is None else kind(kind_name).record.model_validate(record)


def find_application(session: Session | Connection, application_id: str) -> VisaApplication | None:
    """A stored visa application by id (see :func:`find_case`)."""
    found: VisaApplication | None = find_case(session, "application", application_id)
    return found


def iter_cases(session: Session, kind_name: str, batch: int = 2000) -> Iterator[dict[str, Any]]:
    """Every stored case of one kind, in the order stored (JSON form)."""
    query = (
        select(StoredCase.record)
        .where(StoredCase.kind == kind_name)
        .order_by(StoredCase.pk)
        .execution_options(yield_per=batch)
    )
    yield from session.scalars(query)


def recent_cases(session: Session, kind_name: str, limit: int) -> list[dict[str, Any]]:
    """The ``limit`` most recently stored cases of one kind (JSON form), newest first."""
    query = (
        select(StoredCase.record)
        .where(StoredCase.kind == kind_name)
        .order_by(StoredCase.pk.desc())
        .limit(limit)
    )
    return list(session.scalars(query))


def replay_history(
    engine: Engine,
    history: Any,
    batch: int = 5000,
    skip: Callable[[str], bool] | None = None,
) -> int:
    """Append every stored case of the kinds that feed the network history to ``history`` (but
    those ``skip`` names by case id: the caller adds its own copy); returns how many."""
    count = 0
    for spec in kinds():
        if not spec.feeds_history:
            continue
        pending: list[dict[str, Any]] = []
        with session_scope(engine) as session:
            for record in iter_cases(session, spec.name, batch):
                if skip is not None and skip(str(record.get(spec.id_field))):
                    continue
                pending.append(record)
                if len(pending) >= batch:
                    history.add(spec.read(pending, {}))
                    count += len(pending)
                    pending = []
        if pending:
            history.add(spec.read(pending, {}))
            count += len(pending)
    return count


@dataclass(frozen=True)
class ImportReport:
    stored: int
    errors: list[str]


def import_applications(engine: Engine, lines: Iterable[bytes], source: str) -> ImportReport:
    """Store applications from JSON Lines without scoring them (so entries can link to them).

    All or nothing: if any line is invalid nothing is stored and every error names its line.
    """
    records: list[VisaApplication] = []
    errors: list[str] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            records.append(VisaApplication.model_validate(parse_line(source, number, line)))
        except JsonLinesError as exc:
            errors.append(f"{source}:{number}: {exc.problem}")
        except ValidationError as exc:
            for err in exc.errors():
                where = ".".join(str(p) for p in err["loc"]) or "(record)"
                errors.append(f"{source}:{number}: {where}: {err['msg']}")
    if errors:
        return ImportReport(0, errors)
    now = datetime.now().astimezone()
    with session_scope(engine) as session:
        store_many(session, kind="application", records=records, scored_at=now)
    return ImportReport(len(records), [])


# -- the worklist ----------------------------------------------------------------------------


def encode_cursor(pk: int) -> str:
    return base64.urlsafe_b64encode(f"c{pk}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        if not text.startswith("c"):
            raise ValueError(cursor)
        return int(text[1:])
    except (ValueError, UnicodeDecodeError):
        raise InvalidRequestError(
            "cursor: not a cursor this service issued", loc=("query", "cursor")
        ) from None


def referrals(
    session: Session,
    *,
    post_code: str | None,
    status: str | None,
    since: date | None,
    until: date | None,
    cursor: str | None,
    limit: int,
) -> tuple[list[StoredCase], str | None]:
    """Referred cases, newest first, and the cursor of the next page (``None`` on the last)."""
    query = select(StoredCase).where(StoredCase.refer.is_(True))
    if post_code is not None:
        query = query.where(StoredCase.post_code == post_code)
    if status is not None:
        query = query.where(StoredCase.status == status)
    if since is not None:
        query = query.where(
            StoredCase.case_date >= datetime.combine(since, datetime.min.time(), UTC)
        )
    if until is not None and until < date.max:  # ``until`` the last day: no upper bound
        query = query.where(
            StoredCase.case_date < datetime.combine(until + _ONE_DAY, datetime.min.time(), UTC)
        )
    if cursor is not None:
        query = query.where(StoredCase.pk < decode_cursor(cursor))
    rows = list(session.scalars(query.order_by(StoredCase.pk.desc()).limit(limit + 1)))
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, (encode_cursor(rows[-1].pk) if more and rows else None)


# -- outcomes --------------------------------------------------------------------------------


def _entity_id(case_id: str, part: str) -> str:
    return f"SVC-{hashlib.sha256(case_id.encode()).hexdigest()[:16]}-{part}"


def shared_case_lines(
    case_id: str, record: dict[str, Any], outcome: Outcome
) -> list[dict[str, Any]]:
    """The trafficking-database lines a confirmed outcome adds (empty for ``no_concern``)."""
    if outcome.outcome not in _CASE_TYPE:
        return []
    day = outcome.interviewed_at.date().isoformat()
    common = {"source": ENTITY_SOURCE, "recorded_at": day}
    lines: list[dict[str, Any]] = []
    persons: list[str] = []
    organisations: list[str] = []
    case_type = _CASE_TYPE[outcome.outcome]
    employment = record.get("employment") or {}
    if outcome.outcome is OutcomeKind.TRAFFICKING_VICTIM:
        establishment = employment.get("establishment_type")
        if establishment == "adult_entertainment":
            case_type = "sexual_exploitation"
        elif establishment in _LABOUR:
            case_type = "labour_exploitation"
    sponsor = record.get("sponsor") or {}
    sponsor_person = " ".join(
        p for p in (sponsor.get("family_name"), sponsor.get("given_names")) if p
    )
    if sponsor_person or sponsor.get("name_native"):
        pid = _entity_id(case_id, "S")
        names = [n for n in (sponsor_person, sponsor.get("name_native")) if n]
        person: dict[str, Any] = {
            "entity_type": "person",
            "id": pid,
            "names": names,
            "role": "facilitator",
            **common,
        }
        if sponsor.get("date_of_birth"):
            person["date_of_birth"] = sponsor["date_of_birth"]
        lines.append(person)
        persons.append(pid)
        if sponsor.get("phone"):
            lines.append(
                {
                    "entity_type": "phone",
                    "id": _entity_id(case_id, "SP"),
                    "number": sponsor["phone"],
                    "linked_to": [pid],
                    **common,
                }
            )
    for part, name, org_id, org_type in (
        ("E", employment.get("employer_name"), employment.get("employer_id"), "employer"),
        ("A", employment.get("recruitment_agency"), None, "recruitment_agency"),
        ("O", sponsor.get("organisation_name"), sponsor.get("organisation_id"), "employer"),
    ):
        if not name or any(o == org_id for o in organisations if org_id):
            continue
        oid = org_id or _entity_id(case_id, part)
        org: dict[str, Any] = {
            "entity_type": "organisation",
            "id": oid,
            "names": [name],
            "org_type": org_type,
            **common,
        }
        if part == "E" and employment.get("establishment_type"):
            org["establishment_type"] = employment["establishment_type"]
        lines.append(org)
        organisations.append(oid)
    applicant = record.get("applicant") or {}
    if outcome.outcome is OutcomeKind.TRAFFICKING_VICTIM:
        vid = _entity_id(case_id, "V")
        full = " ".join(
            p for p in (applicant.get("family_name"), applicant.get("given_names")) if p
        )
        lines.append(
            {
                "entity_type": "person",
                "id": vid,
                "names": [full],
                "role": "victim",
                "date_of_birth": applicant.get("date_of_birth"),
                **common,
            }
        )
    passport = record.get("passport") or {}
    if outcome.outcome is OutcomeKind.FORGED_DOCUMENT and passport.get("number"):
        lines.append(
            {
                "entity_type": "travel_document",
                "id": _entity_id(case_id, "D"),
                "number": passport["number"],
                "issuing_state": passport["issuing_state"],
                "status": "forged",
                **common,
            }
        )
    lines.append(
        {
            "entity_type": "case",
            "id": _entity_id(case_id, "C"),
            "case_type": case_type,
            "date": day,
            "persons": persons,
            "organisations": organisations,
            **common,
        }
    )
    return lines


def write_shared_case(session: Session, lines: list[dict[str, Any]]) -> None:
    """Load entity lines through the trafficking-database loader, in the caller's transaction."""
    from mizugiwa.features.tipdb.loader import load_file

    with tempfile.TemporaryDirectory(prefix="mizugiwa-case-") as tmp:
        path = Path(tmp) / "interview-outcome.jsonl"
        path.write_bytes(b"".join(orjson.dumps(line) + b"\n" for line in lines))
        load_file(session, path)


def record_outcome(
    session: Session,
    outcome: Outcome,
    *,
    recorded_by: int,
    recorded_at: datetime,
    only_post: str | None = None,
    only_kind: str | None = None,
) -> tuple[StoredCase, str | None]:
    """Store the outcome, mark the case interviewed and share a confirmed case; returns the
    case row and the id of the shared case (``None`` when nothing was confirmed).

    ``only_post`` and ``only_kind`` bound the caller's scope. A case outside it is answered
    exactly as an unknown one (404, same message), so the answer never reveals that a case id
    exists at another post, nor which post it belongs to."""
    row = session.scalar(select(StoredCase).where(StoredCase.case_id == outcome.case_id))
    if (
        row is None
        or (only_post is not None and row.post_code != only_post)
        or (only_kind is not None and row.kind != only_kind)
    ):
        raise NotFoundError(
            f"case_id {outcome.case_id!r}: no scored case with this id that you may record "
            "an outcome for"
        )
    if (
        session.scalar(
            select(InterviewOutcome.pk).where(InterviewOutcome.case_id == outcome.case_id)
        )
        is not None
    ):
        raise ConflictError(f"case_id {outcome.case_id!r}: an outcome is already recorded")
    record = row.record
    link = kind(row.kind).link
    if link is not None:
        # A linked kind's shared case is built from the case it names (an entry's visa
        # application), when known.
        reference = record.get(link.field)
        linked = find_case(session, link.kind, reference) if reference else None
        record = linked.model_dump(mode="json") if linked is not None else {}
    lines = shared_case_lines(row.case_id, record, outcome)
    shared_id = lines[-1]["id"] if lines else None
    if lines:
        write_shared_case(session, lines)
    session.add(
        InterviewOutcome(
            case_id=outcome.case_id,
            interviewed_at=outcome.interviewed_at,
            outcome=outcome.outcome.value,
            referral_source=outcome.referral_source.value,
            victim_support_offered=outcome.victim_support_offered,
            recorded_by=recorded_by,
            recorded_at=recorded_at,
            tipdb_case_id=shared_id,
        )
    )
    row.status = "interviewed"
    return row, shared_id
