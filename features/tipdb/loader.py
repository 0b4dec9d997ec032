"""Import of JSON Lines entity files into the trafficking database: all or nothing per file.

A file is read whole, every line validated and every reference (``linked_to``,
``organisation_id``, ``persons``, ``organisations``, ``sponsor_organisation_id``) resolved
against the file itself and the database, *before* anything is written. Any problem rejects the
file with a :class:`LoadError` listing every bad line (line number, field path, reason); the
database is then exactly as it was. An accepted file is written in one transaction:

- a line whose id is new is inserted;
- a line whose id exists with other content updates that row, which takes the line's
  provenance (``source``, ``recorded_at``, ``valid_until``, ``confidence``, import digest) and
  keeps ``first_loaded_at``; a person whose role moves between suspect and victim moves table,
  their links and cases with them;
- a line identical to what is stored is left alone.

A file whose SHA-256 was loaded before is a no-op, reported as ``already_loaded``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
from pydantic import ValidationError
from sqlalchemy import Engine, delete, insert, select, update
from sqlalchemy.orm import Session

from mizugiwa.db.engine import session_scope
from mizugiwa.features.jsonl import JsonLinesError, parse_line
from mizugiwa.features.normalise import (
    address_key,
    document_number,
    e164,
    sponsor_keys,
    writing_system,
)
from mizugiwa.features.tipdb import tables as t
from mizugiwa.features.tipdb.entities import (
    Address,
    Case,
    EntityBase,
    Organisation,
    Person,
    Phone,
    Raid,
    Sponsorship,
    TravelDocument,
    parse_entity,
    to_line,
)

_CHUNK = 900  # ids per IN (...) query, under every backend's bound-parameter limit


class LineError(JsonLinesError):
    """One problem in an import file: its 1-based line, the field path and the reason (the file
    is named by the :class:`LoadError` that carries it)."""

    def __init__(self, line: int, field: str, message: str) -> None:
        super().__init__("-", line, message, field)

    def __str__(self) -> str:
        return f"line {self.line}, field {self.field}: {self.message}"


class LoadError(JsonLinesError):
    """A file was rejected; ``errors`` lists every bad line. Nothing of the file was written."""

    def __init__(self, path: str, errors: Sequence[LineError]) -> None:
        ordered = sorted(errors, key=lambda error: (error.line or 0, error.field or ""))
        shown = "\n".join(f"  {error}" for error in ordered[:20])
        more = f"\n  ... and {len(ordered) - 20} more" if len(ordered) > 20 else ""
        super().__init__(
            path,
            None,
            f"rejected, {len(ordered)} error(s)\n{shown}{more}",
            errors=list(ordered),
        )
        self.path_text = path

    def __str__(self) -> str:
        return f"{self.path_text}: {self.problem}"


@dataclass(frozen=True)
class LoadReport:
    """What loading one file did."""

    path: str
    sha256: str
    lines: int
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    already_loaded: bool = False
    by_type: dict[str, int] = field(default_factory=dict)

    def summary(self) -> str:
        """One line for people."""
        if self.already_loaded:
            return f"{self.path}: already loaded (sha256 {self.sha256[:12]}), nothing to do"
        return (
            f"{self.path}: {self.lines} lines, {self.inserted} inserted, "
            f"{self.updated} updated, {self.unchanged} unchanged"
        )


@dataclass
class _Parsed:
    line: int
    entity: Any
    digest: str


def load_file(target: Session | Engine, path: str | Path) -> LoadReport:
    """Load one JSON Lines file; raises :class:`LoadError` (and writes nothing) if any line is bad.

    Given an ``Engine``, the file is committed in a transaction of its own. Given a ``Session``,
    the work happens inside a savepoint of the session's transaction, and committing is the
    caller's business.
    """
    raw = Path(path).read_bytes()
    if isinstance(target, Engine):
        with session_scope(target) as session:
            return _load(session, str(path), raw)
    with target.begin_nested():
        return _load(target, str(path), raw)


def load_files(engine: Engine, paths: Iterable[str | Path]) -> list[LoadReport | LoadError]:
    """Load each file in its own transaction; a rejected file does not stop the others."""
    results: list[LoadReport | LoadError] = []
    for path in paths:
        try:
            results.append(load_file(engine, path))
        except LoadError as error:
            results.append(error)
    return results


def _load(session: Session, path: str, raw: bytes) -> LoadReport:
    sha = hashlib.sha256(raw).hexdigest()
    if session.scalar(select(t.Import.pk).where(t.Import.sha256 == sha)) is not None:
        return LoadReport(path=path, sha256=sha, lines=0, already_loaded=True)
    parsed, line_count, errors, rejected_ids = _parse(raw)
    errors += _duplicate_ids(parsed)
    refs = _References(session, parsed, rejected_ids)
    errors += refs.errors
    if errors:
        raise LoadError(path, errors)
    writer = _Writer(session, sha, refs)
    counts = writer.write(parsed)
    session.add(
        t.Import(
            file_name=Path(path).name,
            sha256=sha,
            line_count=line_count,
            inserted=counts["inserted"],
            updated=counts["updated"],
            unchanged=counts["unchanged"],
            loaded_at=writer.now,
        )
    )
    session.flush()
    by_type: dict[str, int] = {}
    for item in parsed:
        by_type[item.entity.entity_type] = by_type.get(item.entity.entity_type, 0) + 1
    return LoadReport(
        path=path,
        sha256=sha,
        lines=line_count,
        inserted=counts["inserted"],
        updated=counts["updated"],
        unchanged=counts["unchanged"],
        by_type=by_type,
    )


def _field_path(loc: tuple[int | str, ...], entity_type: Any) -> str:
    # A discriminated union puts the tag first in the location: drop it.
    parts = list(loc[1:] if loc and loc[0] == entity_type else loc)
    return ".".join(str(part) for part in parts) or "-"


def _parse(raw: bytes) -> tuple[list[_Parsed], int, list[LineError], set[str]]:
    """Validated lines, the line count, the errors, and the ids of the lines that failed."""
    parsed: list[_Parsed] = []
    errors: list[LineError] = []
    rejected_ids: set[str] = set()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return [], 0, [LineError(0, "-", f"file is not UTF-8: {exc}")], rejected_ids
    lines = text.splitlines()
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            data = parse_line("-", number, line)
        except JsonLinesError as exc:
            errors.append(LineError(number, "-", exc.problem))
            continue
        try:
            entity = parse_entity(data)
        except ValidationError as exc:
            tag = data.get("entity_type")
            if isinstance(data.get("id"), str):
                rejected_ids.add(data["id"].strip())
            for error in exc.errors(include_url=False):
                errors.append(LineError(number, _field_path(error["loc"], tag), error["msg"]))
            continue
        digest = hashlib.sha256(
            orjson.dumps(entity.model_dump(mode="json"), option=orjson.OPT_SORT_KEYS)
        ).hexdigest()
        parsed.append(_Parsed(number, entity, digest))
    if not parsed and not errors:
        errors.append(LineError(0, "-", "file holds no entity lines"))
    return parsed, len(lines), errors, rejected_ids


def _id_space(entity: EntityBase) -> str:
    """Ids are unique per entity type (suspects and victims share the person id space)."""
    return str(getattr(entity, "entity_type", ""))


def _duplicate_ids(parsed: list[_Parsed]) -> list[LineError]:
    first: dict[tuple[str, str], int] = {}
    errors = []
    for item in parsed:
        key = (_id_space(item.entity), item.entity.id)
        if key in first:
            errors.append(
                LineError(
                    item.line,
                    "id",
                    f"duplicate {key[0]} id {key[1]!r} (first on line {first[key]})",
                )
            )
        else:
            first[key] = item.line
    return errors


def _existing(session: Session, model: Any, ids: Iterable[str]) -> dict[str, Any]:
    """``external_id -> (pk, content_sha256)`` for those of ``ids`` already in ``model``."""
    wanted = sorted(set(ids))
    found: dict[str, Any] = {}
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start : start + _CHUNK]
        rows = session.execute(
            select(model.external_id, model.pk, model.content_sha256).where(
                model.external_id.in_(chunk)
            )
        )
        found.update({row[0]: (row[1], row[2]) for row in rows})
    return found


class _References:
    """Where every id named in the file lives (in the file or the database), and what is wrong."""

    def __init__(self, session: Session, parsed: list[_Parsed], rejected_ids: set[str]) -> None:
        self.errors: list[LineError] = []
        suspects = {p.entity.id for p in parsed if isinstance(p.entity, Person)}
        victims = {
            p.entity.id for p in parsed if isinstance(p.entity, Person) and p.entity.protected
        }
        suspects -= victims
        organisations = {p.entity.id for p in parsed if isinstance(p.entity, Organisation)}
        named: set[str] = set()
        for item in parsed:
            named.update(id_ for _, id_ in _refs_of(item.entity))
        # Database rows for ids the file names or defines (for upserts and role moves).
        person_ids = named | suspects | victims
        self.db_suspects = _existing(session, t.Person, person_ids)
        self.db_victims = _existing(session, t.ProtectedPerson, person_ids)
        self.db_organisations = _existing(session, t.Organisation, named | organisations)
        self.file_suspects, self.file_victims = suspects, victims
        self.file_organisations = organisations
        for item in parsed:
            for field_path, ref in _refs_of(item.entity):
                kinds = self.kinds_of(ref, field_path)
                if not kinds and ref in rejected_ids:
                    continue  # the line defining it is already reported as bad
                if not kinds:
                    wanted = _wanted_kind(field_path)
                    self.errors.append(
                        LineError(
                            item.line,
                            field_path,
                            f"unknown {wanted} id {ref!r}: not in this file nor in the database",
                        )
                    )
                elif len(kinds) > 1:
                    self.errors.append(
                        LineError(
                            item.line,
                            field_path,
                            f"ambiguous id {ref!r}: both a person and an organisation",
                        )
                    )

    def person_kind(self, ref: str) -> str | None:
        """``"suspect"``, ``"victim"`` or ``None``: the file's version wins over the database."""
        if ref in self.file_victims:
            return "victim"
        if ref in self.file_suspects:
            return "suspect"
        if ref in self.db_victims:
            return "victim"
        if ref in self.db_suspects:
            return "suspect"
        return None

    def kinds_of(self, ref: str, field_path: str) -> list[str]:
        """The entity kinds ``ref`` can denote in ``field_path``."""
        kinds: list[str] = []
        wanted = _wanted_kind(field_path)
        if wanted in ("person", "person or organisation"):
            person = self.person_kind(ref)
            if person is not None:
                kinds.append(person)
        if wanted in ("organisation", "person or organisation") and (
            ref in self.file_organisations or ref in self.db_organisations
        ):
            kinds.append("organisation")
        return kinds


def _wanted_kind(field_path: str) -> str:
    head = field_path.split(".")[0]
    if head == "linked_to":
        return "person or organisation"
    if head == "persons":
        return "person"
    return "organisation"


def _refs_of(entity: Any) -> list[tuple[str, str]]:
    """``(field path, id)`` of every reference an entity makes."""
    if isinstance(entity, Phone | Address):
        return [(f"linked_to.{i}", ref) for i, ref in enumerate(entity.linked_to)]
    if isinstance(entity, Raid):
        return [("organisation_id", entity.organisation_id)]
    if isinstance(entity, Case):
        return [(f"persons.{i}", ref) for i, ref in enumerate(entity.persons)] + [
            (f"organisations.{i}", ref) for i, ref in enumerate(entity.organisations)
        ]
    if isinstance(entity, Sponsorship) and entity.sponsor_organisation_id is not None:
        return [("sponsor_organisation_id", entity.sponsor_organisation_id)]
    return []


class _Writer:
    """Writes validated, resolved entities: inserts in batches, updates by primary key."""

    def __init__(self, session: Session, sha: str, refs: _References) -> None:
        self.session = session
        self.sha = sha
        self.refs = refs
        self.now = datetime.now(UTC)
        self.counts = {"inserted": 0, "updated": 0, "unchanged": 0}
        self.pks: dict[str, dict[str, int]] = {
            "suspect": {k: v[0] for k, v in refs.db_suspects.items()},
            "victim": {k: v[0] for k, v in refs.db_victims.items()},
            "organisation": {k: v[0] for k, v in refs.db_organisations.items()},
        }

    def write(self, parsed: list[_Parsed]) -> dict[str, int]:
        groups: dict[str, list[_Parsed]] = {}
        for item in parsed:
            entity = item.entity
            kind = (
                "victim" if isinstance(entity, Person) and entity.protected else entity.entity_type
            )
            groups.setdefault(kind, []).append(item)
        self._persons(groups.get("person", []), t.Person, "suspect", self._suspect_row)
        self._persons(groups.get("victim", []), t.ProtectedPerson, "victim", self._victim_row)
        self._organisations(groups.get("organisation", []))
        self._linked(groups.get("phone", []), t.Phone, "phone_pk", self._phone_row)
        self._linked(groups.get("address", []), t.Address, "address_pk", self._address_row)
        self._upsert(t.TravelDocument, groups.get("travel_document", []), self._document_row)
        self._upsert(t.Raid, groups.get("raid", []), self._raid_row)
        self._cases(groups.get("case", []))
        self._sponsorships(groups.get("sponsorship", []))
        return self.counts

    # -- generic upsert ------------------------------------------------------------------------

    def _common(self, item: _Parsed) -> dict[str, Any]:
        entity = item.entity
        return {
            "external_id": entity.id,
            "source": entity.source,
            "recorded_at": entity.recorded_at,
            "valid_until": entity.valid_until,
            "confidence": entity.confidence,
            "loaded_at": self.now,
            "import_sha256": self.sha,
            "content_sha256": item.digest,
            "extra": entity.extra,
            "content": to_line(entity),
        }

    def _upsert(
        self, model: Any, items: list[_Parsed], row_of: Any, existing: dict[str, Any] | None = None
    ) -> tuple[dict[str, int], list[int], list[_Parsed]]:
        """Insert new ids, update changed ones; returns (id -> pk, updated pks, written items)."""
        if not items:
            return {}, [], []
        if existing is None:
            existing = _existing(self.session, model, (item.entity.id for item in items))
        new_rows, new_items, changed_rows, written = [], [], [], []
        pks: dict[str, int] = {}
        for item in items:
            found = existing.get(item.entity.id)
            if found is not None and found[1] == item.digest:
                self.counts["unchanged"] += 1
                pks[item.entity.id] = found[0]
                continue
            row = {**self._common(item), **row_of(item.entity)}
            if found is None:
                new_rows.append({**row, "first_loaded_at": self.now})
                new_items.append(item)
            else:
                changed_rows.append({**row, "pk": found[0]})
                pks[item.entity.id] = found[0]
                written.append(item)
        if new_rows:
            result = self.session.execute(
                insert(model).returning(model.pk, sort_by_parameter_order=True), new_rows
            )
            for item, pk in zip(new_items, result.scalars(), strict=True):
                pks[item.entity.id] = pk
            written.extend(new_items)
        if changed_rows:
            self.session.execute(update(model), changed_rows)
        self.counts["inserted"] += len(new_rows)
        self.counts["updated"] += len(changed_rows)
        return pks, [row["pk"] for row in changed_rows], written

    def _delete_children(self, column: Any, pks: list[int]) -> None:
        for start in range(0, len(pks), _CHUNK):
            self.session.execute(
                delete(column.class_).where(column.in_(pks[start : start + _CHUNK]))
            )

    def _insert(self, model: Any, rows: list[dict[str, Any]]) -> None:
        """Core executemany of child rows; every row gets every column so that the driver
        batches them in one statement (rows with different keys would be sent apart)."""
        if not rows:
            return
        columns = [column.key for column in model.__table__.columns if column.key != "pk"]
        full = [{column: row.get(column) for column in columns} for row in rows]
        self.session.execute(insert(model.__table__), full)

    # -- entity kinds --------------------------------------------------------------------------

    def _persons(self, items: list[_Parsed], model: Any, kind: str, row_of: Any) -> None:
        other = "victim" if kind == "suspect" else "suspect"
        existing = self.refs.db_suspects if kind == "suspect" else self.refs.db_victims
        mine = {
            item.entity.id: existing[item.entity.id] for item in items if item.entity.id in existing
        }
        pks, updated, written = self._upsert(model, items, row_of, mine)
        self.pks[kind].update(pks)
        if model is t.Person:
            self._delete_children(t.Name.person_pk, updated)
            self._insert(
                t.Name,
                [
                    {"person_pk": pks[item.entity.id], **name}
                    for item in written
                    for name in _name_rows(item.entity.names)
                ],
            )
        for item in items:
            old_pk = self.pks[other].pop(item.entity.id, None)
            if old_pk is not None:
                self._move_person(old_pk, pks[item.entity.id], to_victim=kind == "victim")

    def _move_person(self, old_pk: int, new_pk: int, *, to_victim: bool) -> None:
        """Re-point links and cases of a person whose role moved between suspect and victim."""
        old_col, new_col = ("person_pk", "protected_person_pk")[:: 1 if to_victim else -1]
        self.session.execute(
            update(t.Link)
            .where(getattr(t.Link, old_col) == old_pk)
            .values({old_col: None, new_col: new_pk})
        )
        old_member, new_member = (
            (t.CasePerson, t.CaseProtectedPerson)
            if to_victim
            else (t.CaseProtectedPerson, t.CasePerson)
        )
        case_pks = self.session.scalars(
            select(old_member.case_pk).where(getattr(old_member, old_col) == old_pk)
        ).all()
        self._insert(new_member, [{"case_pk": case_pk, new_col: new_pk} for case_pk in case_pks])
        old_model = t.Person if to_victim else t.ProtectedPerson
        self.session.execute(delete(old_model).where(old_model.pk == old_pk))

    def _organisations(self, items: list[_Parsed]) -> None:
        mine = {
            item.entity.id: self.refs.db_organisations[item.entity.id]
            for item in items
            if item.entity.id in self.refs.db_organisations
        }
        pks, updated, written = self._upsert(t.Organisation, items, self._organisation_row, mine)
        self.pks["organisation"].update(pks)
        self._delete_children(t.Name.organisation_pk, updated)
        self._insert(
            t.Name,
            [
                {"organisation_pk": pks[item.entity.id], **name}
                for item in written
                for name in _name_rows(item.entity.names)
            ],
        )

    def _target(self, ref: str, field_path: str) -> dict[str, int]:
        kind = self.refs.kinds_of(ref, field_path)[0]
        column = {
            "suspect": "person_pk",
            "victim": "protected_person_pk",
            "organisation": "organisation_pk",
        }[kind]
        return {column: self.pks[kind][ref]}

    def _linked(self, items: list[_Parsed], model: Any, subject: str, row_of: Any) -> None:
        pks, updated, written = self._upsert(model, items, row_of)
        self._delete_children(getattr(t.Link, subject), updated)
        self._insert(
            t.Link,
            [
                {subject: pks[item.entity.id], **self._target(ref, f"linked_to.{i}")}
                for item in written
                for i, ref in enumerate(dict.fromkeys(item.entity.linked_to))
            ],
        )

    def _cases(self, items: list[_Parsed]) -> None:
        pks, updated, written = self._upsert(t.Case, items, self._case_row)
        for member in (t.CasePerson, t.CaseProtectedPerson, t.CaseOrganisation):
            self._delete_children(member.case_pk, updated)
        suspects, victims, organisations = [], [], []
        for item in written:
            case_pk = pks[item.entity.id]
            for ref in dict.fromkeys(item.entity.persons):
                target = self._target(ref, "persons")
                if "person_pk" in target:
                    suspects.append({"case_pk": case_pk, **target})
                else:
                    victims.append({"case_pk": case_pk, **target})
            for ref in dict.fromkeys(item.entity.organisations):
                organisations.append({"case_pk": case_pk, **self._target(ref, "organisations")})
        self._insert(t.CasePerson, suspects)
        self._insert(t.CaseProtectedPerson, victims)
        self._insert(t.CaseOrganisation, organisations)

    def _sponsorships(self, items: list[_Parsed]) -> None:
        pks, updated, written = self._upsert(t.Sponsorship, items, self._sponsorship_row)
        self._delete_children(t.SponsorKey.sponsorship_pk, updated)
        self._insert(
            t.SponsorKey,
            [
                {"sponsorship_pk": pks[item.entity.id], "key": key}
                for item in written
                for key in sponsor_keys(
                    item.entity.sponsor_names, item.entity.sponsor_date_of_birth
                )
            ],
        )

    # -- rows ----------------------------------------------------------------------------------

    @staticmethod
    def _suspect_row(entity: Person) -> dict[str, Any]:
        return {
            "role": entity.role,
            "date_of_birth": entity.date_of_birth,
            "nationality": entity.nationality,
            "sex": entity.sex,
        }

    @staticmethod
    def _victim_row(entity: Person) -> dict[str, Any]:
        return {
            "names": list(entity.names),
            "date_of_birth": entity.date_of_birth,
            "nationality": entity.nationality,
            "sex": entity.sex,
        }

    @staticmethod
    def _organisation_row(entity: Organisation) -> dict[str, Any]:
        return {
            "org_type": entity.org_type,
            "establishment_type": entity.establishment_type,
            "country": entity.country,
        }

    @staticmethod
    def _phone_row(entity: Phone) -> dict[str, Any]:
        return {
            "raw": entity.number,
            "e164": e164(entity.number, entity.country),
            "country": entity.country,
        }

    @staticmethod
    def _address_row(entity: Address) -> dict[str, Any]:
        return {
            "raw": entity.address,
            "normalised": address_key(entity.address),
            "country": entity.country,
        }

    @staticmethod
    def _document_row(entity: TravelDocument) -> dict[str, Any]:
        return {
            "number": document_number(entity.number),
            "number_raw": entity.number,
            "issuing_state": entity.issuing_state,
            "status": entity.status,
        }

    def _raid_row(self, entity: Raid) -> dict[str, Any]:
        return {
            "organisation_pk": self.pks["organisation"][entity.organisation_id],
            "date": entity.date,
            "authority": entity.authority,
            "kind": entity.kind,
            "finding": entity.finding,
        }

    @staticmethod
    def _case_row(entity: Case) -> dict[str, Any]:
        return {"case_type": entity.case_type, "date": entity.date}

    def _sponsorship_row(self, entity: Sponsorship) -> dict[str, Any]:
        organisation = entity.sponsor_organisation_id
        return {
            "sponsor_names": list(entity.sponsor_names),
            "sponsor_date_of_birth": entity.sponsor_date_of_birth,
            "relation": entity.relation,
            "sponsored_name": entity.sponsored_name,
            "sponsored_nationality": entity.sponsored_nationality,
            "sponsor_organisation_pk": (
                self.pks["organisation"][organisation] if organisation is not None else None
            ),
            "date": entity.date,
        }


def _name_rows(names: Sequence[str]) -> list[dict[str, Any]]:
    return [
        {"position": position, "name": name, "script": writing_system(name)}
        for position, name in enumerate(dict.fromkeys(names))
    ]
