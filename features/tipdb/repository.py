"""Point-in-time queries over the trafficking database.

Every query takes ``as_of`` (a date D) and sees a row only when it was known and still held on
D: ``recorded_at <= D`` and (``valid_until`` is null or ``valid_until >= D``). So a model
trained on an application submitted on D never learns from what an agency recorded after D.

Results are dicts in the import format (``entity_type``, ``id``, provenance, fields, extras),
the same shape :mod:`features.tipdb.loader` reads, so they can be shown as evidence or fed back
into :class:`features.tipdb.snapshot.Snapshot`. Known victims come out of the protected table
with ``role: "victim"``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select, union
from sqlalchemy.orm import Session

from mizugiwa.features.normalise import document_number, sponsor_key
from mizugiwa.features.tipdb import tables as t

_CHUNK = 900

# Serialisation order of iter_entities: referenced entities before those that refer to them.
_MODELS: tuple[Any, ...] = (
    t.Person,
    t.ProtectedPerson,
    t.Organisation,
    t.Phone,
    t.Address,
    t.TravelDocument,
    t.Raid,
    t.Case,
    t.Sponsorship,
)


def visible(model: Any, as_of: date) -> ColumnElement[bool]:
    """SQL condition: a row of ``model`` is known and valid on ``as_of``."""
    return and_(
        model.recorded_at <= as_of,
        or_(model.valid_until.is_(None), model.valid_until >= as_of),
    )


def sponsorship_history(
    session: Session, sponsor_name: str | Sequence[str], sponsor_dob: date | None, as_of: date
) -> list[dict[str, Any]]:
    """Sponsorships by the sponsor named ``sponsor_name`` (whole, or in parts) and born on
    ``sponsor_dob``, visible on ``as_of``, oldest first. Names match exactly after
    :func:`~features.normalise.sponsor_key` (transliterated, case-folded, tokens sorted);
    a sponsorship recorded with several spellings matches on any of them."""
    key = sponsor_key(sponsor_name, sponsor_dob)
    matching = select(t.SponsorKey.sponsorship_pk).where(t.SponsorKey.key == key)
    rows = session.scalars(
        select(t.Sponsorship)
        .where(t.Sponsorship.pk.in_(matching), visible(t.Sponsorship, as_of))
        .order_by(t.Sponsorship.date, t.Sponsorship.pk)
    ).all()
    return _serialise(session, t.Sponsorship, rows)


def raids_on(session: Session, org_id: str, as_of: date) -> list[dict[str, Any]]:
    """Raids and labour inspections of organisation ``org_id`` visible on ``as_of``, oldest
    first."""
    rows = session.scalars(
        select(t.Raid)
        .join(t.Organisation, t.Organisation.pk == t.Raid.organisation_pk)
        .where(t.Organisation.external_id == org_id, visible(t.Raid, as_of))
        .order_by(t.Raid.date, t.Raid.pk)
    ).all()
    return _serialise(session, t.Raid, rows)


def document_status(session: Session, number: str, issuing_state: str, as_of: date) -> str | None:
    """Status (``lost``, ``stolen``, ``forged``, ``revoked``) of the most recently recorded report
    on the document visible on ``as_of``, or ``None`` when none is. The number is compared after
    :func:`~features.normalise.document_number` (no spaces, fillers or dashes)."""
    return session.scalar(
        select(t.TravelDocument.status)
        .where(
            t.TravelDocument.number == document_number(number),
            t.TravelDocument.issuing_state == issuing_state.strip().upper(),
            visible(t.TravelDocument, as_of),
        )
        .order_by(t.TravelDocument.recorded_at.desc(), t.TravelDocument.pk.desc())
        .limit(1)
    )


def cases_involving(session: Session, entity_id: str, as_of: date) -> list[dict[str, Any]]:
    """Confirmed cases visible on ``as_of`` that involve the person (suspect or victim) or
    organisation ``entity_id``, oldest first."""
    members = union(
        select(t.CasePerson.case_pk)
        .join(t.Person, t.Person.pk == t.CasePerson.person_pk)
        .where(t.Person.external_id == entity_id),
        select(t.CaseProtectedPerson.case_pk)
        .join(t.ProtectedPerson, t.ProtectedPerson.pk == t.CaseProtectedPerson.protected_person_pk)
        .where(t.ProtectedPerson.external_id == entity_id),
        select(t.CaseOrganisation.case_pk)
        .join(t.Organisation, t.Organisation.pk == t.CaseOrganisation.organisation_pk)
        .where(t.Organisation.external_id == entity_id),
    ).subquery()
    rows = session.scalars(
        select(t.Case)
        .where(t.Case.pk.in_(select(members.c.case_pk)), visible(t.Case, as_of))
        .order_by(t.Case.date, t.Case.pk)
    ).all()
    return _serialise(session, t.Case, rows)


def linked_entities(session: Session, entity_id: str, as_of: date) -> list[dict[str, Any]]:
    """Entities linked to ``entity_id`` through a phone or address, both visible on ``as_of``.

    For a phone or address id: the persons and organisations it is linked to. For a person or
    organisation id: the phones and addresses linked to it.
    """
    found: list[dict[str, Any]] = []
    targets = (
        (t.Person, "person_pk"),
        (t.ProtectedPerson, "protected_person_pk"),
        (t.Organisation, "organisation_pk"),
    )
    for subject, subject_column in ((t.Phone, "phone_pk"), (t.Address, "address_pk")):
        for target, target_column in targets:
            link_subject = getattr(t.Link, subject_column)
            link_target = getattr(t.Link, target_column)
            # phone/address id -> its targets
            rows = session.scalars(
                select(target)
                .join(t.Link, link_target == target.pk)
                .join(subject, link_subject == subject.pk)
                .where(
                    subject.external_id == entity_id,
                    visible(subject, as_of),
                    visible(target, as_of),
                )
                .order_by(target.pk)
            ).all()
            found += _serialise(session, target, rows)
            # person/organisation id -> its phones and addresses
            rows = session.scalars(
                select(subject)
                .join(t.Link, link_subject == subject.pk)
                .join(target, link_target == target.pk)
                .where(
                    target.external_id == entity_id, visible(target, as_of), visible(subject, as_of)
                )
                .order_by(subject.pk)
            ).all()
            found += _serialise(session, subject, rows)
    return found


def iter_entities(session: Session, as_of: date | None = None) -> Iterator[dict[str, Any]]:
    """Every entity as an import-format dict (visible on ``as_of`` when given), persons and
    organisations first. Known victims carry ``role: "victim"``: they are protected persons."""
    for model in _MODELS:
        query = select(model).order_by(model.pk)
        if as_of is not None:
            query = query.where(visible(model, as_of))
        rows = session.scalars(query).all()
        for start in range(0, len(rows), _CHUNK):
            yield from _serialise(session, model, rows[start : start + _CHUNK])


def database_version(session: Session) -> str:
    """A cheap token that changes whenever a file is loaded: ``"<imports>:<last loaded_at>"``."""
    count, last = session.execute(
        select(func.count(t.Import.pk), func.max(t.Import.loaded_at))
    ).one()
    return f"{count}:{last.isoformat() if last is not None else '-'}"


def entity_counts(session: Session) -> dict[str, int]:
    """Rows per entity table (and ``imports``)."""
    counts = {
        name: session.scalar(select(func.count()).select_from(model)) or 0
        for name, model in t.ENTITY_TABLES.items()
    }
    counts["imports"] = session.scalar(select(func.count(t.Import.pk))) or 0
    return counts


# -- serialisation to the import format ----------------------------------------------------------


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _common(row: Any, entity_type: str) -> dict[str, Any]:
    line: dict[str, Any] = {
        "entity_type": entity_type,
        "id": row.external_id,
        "source": row.source,
        "recorded_at": row.recorded_at.isoformat(),
        "confidence": row.confidence,
    }
    if row.valid_until is not None:
        line["valid_until"] = row.valid_until.isoformat()
    return line


def _drop_none(line: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    return {**{k: v for k, v in line.items() if v is not None}, **extra}


def _external_ids(session: Session, model: Any, pks: set[int]) -> dict[int, str]:
    wanted = sorted(pks)
    found: dict[int, str] = {}
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start : start + _CHUNK]
        rows = session.execute(select(model.pk, model.external_id).where(model.pk.in_(chunk)))
        found.update({pk: external_id for pk, external_id in rows})
    return found


def _names(session: Session, column: Any, pks: list[int]) -> dict[int, list[str]]:
    names: dict[int, list[str]] = defaultdict(list)
    rows = session.execute(
        select(column, t.Name.name).where(column.in_(pks)).order_by(column, t.Name.position)
    )
    for owner, name in rows:
        names[owner].append(name)
    return names


def _links(session: Session, column: Any, pks: list[int]) -> dict[int, list[str]]:
    rows = session.execute(
        select(column, t.Link.person_pk, t.Link.protected_person_pk, t.Link.organisation_pk)
        .where(column.in_(pks))
        .order_by(t.Link.pk)
    ).all()
    persons = _external_ids(session, t.Person, {r[1] for r in rows if r[1] is not None})
    victims = _external_ids(session, t.ProtectedPerson, {r[2] for r in rows if r[2] is not None})
    organisations = _external_ids(session, t.Organisation, {r[3] for r in rows if r[3] is not None})
    links: dict[int, list[str]] = defaultdict(list)
    for subject, person, victim, organisation in rows:
        if person is not None:
            links[subject].append(persons[person])
        elif victim is not None:
            links[subject].append(victims[victim])
        else:
            links[subject].append(organisations[organisation])
    return links


def _members(session: Session, pks: list[int]) -> tuple[dict[int, list[str]], dict[int, list[str]]]:
    persons: dict[int, list[str]] = defaultdict(list)
    organisations: dict[int, list[str]] = defaultdict(list)
    for member_case, member_target, target, sink in (
        (t.CasePerson.case_pk, t.CasePerson.person_pk, t.Person, persons),
        (
            t.CaseProtectedPerson.case_pk,
            t.CaseProtectedPerson.protected_person_pk,
            t.ProtectedPerson,
            persons,
        ),
        (
            t.CaseOrganisation.case_pk,
            t.CaseOrganisation.organisation_pk,
            t.Organisation,
            organisations,
        ),
    ):
        rows = session.execute(
            select(member_case, target.external_id)
            .join(target, target.pk == member_target)
            .where(member_case.in_(pks))
            .order_by(target.external_id)
        )
        for case_pk, external_id in rows:
            sink[case_pk].append(external_id)
    return persons, organisations


def _serialise(session: Session, model: Any, rows: Sequence[Any]) -> list[dict[str, Any]]:
    """Import-format dicts of ``rows`` (all of one model), with their names, links, members."""
    if not rows:
        return []
    pks = [row.pk for row in rows]
    if model is t.Person:
        names = _names(session, t.Name.person_pk, pks)
        return [
            _drop_none(
                {
                    **_common(r, "person"),
                    "names": names[r.pk],
                    "role": r.role,
                    "date_of_birth": _iso(r.date_of_birth),
                    "nationality": r.nationality,
                    "sex": r.sex,
                },
                r.extra,
            )
            for r in rows
        ]
    if model is t.ProtectedPerson:
        return [
            _drop_none(
                {
                    **_common(r, "person"),
                    "names": list(r.names),
                    "role": "victim",
                    "date_of_birth": _iso(r.date_of_birth),
                    "nationality": r.nationality,
                    "sex": r.sex,
                },
                r.extra,
            )
            for r in rows
        ]
    if model is t.Organisation:
        names = _names(session, t.Name.organisation_pk, pks)
        return [
            _drop_none(
                {
                    **_common(r, "organisation"),
                    "names": names[r.pk],
                    "org_type": r.org_type,
                    "establishment_type": r.establishment_type,
                    "country": r.country,
                },
                r.extra,
            )
            for r in rows
        ]
    if model is t.Phone or model is t.Address:
        # Contacts: the raw text under the import's own field name, and what they link to.
        kind, field, link = (
            ("phone", "number", t.Link.phone_pk)
            if model is t.Phone
            else ("address", "address", t.Link.address_pk)
        )
        links = _links(session, link, pks)
        return [
            _drop_none(
                {
                    **_common(r, kind),
                    field: r.raw,
                    "country": r.country,
                    "linked_to": links[r.pk],
                },
                r.extra,
            )
            for r in rows
        ]
    if model is t.TravelDocument:
        return [
            _drop_none(
                {
                    **_common(r, "travel_document"),
                    "number": r.number_raw,
                    "issuing_state": r.issuing_state,
                    "status": r.status,
                },
                r.extra,
            )
            for r in rows
        ]
    if model is t.Raid:
        organisations = _external_ids(session, t.Organisation, {r.organisation_pk for r in rows})
        return [
            _drop_none(
                {
                    **_common(r, "raid"),
                    "organisation_id": organisations[r.organisation_pk],
                    "date": r.date.isoformat(),
                    "authority": r.authority,
                    "kind": r.kind,
                    "finding": r.finding,
                },
                r.extra,
            )
            for r in rows
        ]
    if model is t.Case:
        members, member_organisations = _members(session, pks)
        return [
            _drop_none(
                {
                    **_common(r, "case"),
                    "case_type": r.case_type,
                    "date": r.date.isoformat(),
                    "persons": members[r.pk],
                    "organisations": member_organisations[r.pk],
                },
                r.extra,
            )
            for r in rows
        ]
    if model is t.Sponsorship:
        organisations = _external_ids(
            session,
            t.Organisation,
            {r.sponsor_organisation_pk for r in rows if r.sponsor_organisation_pk is not None},
        )
        return [
            _drop_none(
                {
                    **_common(r, "sponsorship"),
                    "sponsor_names": list(r.sponsor_names),
                    "sponsor_date_of_birth": _iso(r.sponsor_date_of_birth),
                    "relation": r.relation,
                    "sponsored_name": r.sponsored_name,
                    "sponsored_nationality": r.sponsored_nationality,
                    "sponsor_organisation_id": organisations.get(r.sponsor_organisation_pk or -1),
                    "date": r.date.isoformat(),
                },
                r.extra,
            )
            for r in rows
        ]
    raise TypeError(f"not an entity table: {model!r}")


def entity(session: Session, external_id: str) -> dict[str, Any] | None:
    """One entity by its id, in the import format, or None. Known victims are protected
    persons: they are not returned here (their records only ever raise protection guidance)."""
    for model in _MODELS:
        if model is t.ProtectedPerson:
            continue
        row = session.scalar(select(model).where(model.external_id == external_id))
        if row is not None:
            return _serialise(session, model, [row])[0]
    return None
