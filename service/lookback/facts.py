"""New facts of the trafficking database, turned into the probes a look-back runs.

A :class:`Fact` is one database entity that can concern earlier cases: a raid, a suspect
(broker, trafficker...), a phone or address linked to a suspect, a travel-document report, a
confirmed case. Its :class:`Probe` items are the exact keys (``features.lookback.keys``) it
meets cases under, each with the reason code a hit gives. Facts are read in bulk (a few
queries per entity type, whatever their number), from a selection of rows: those one import
wrote, those recorded since a date, or given ids.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from mizugiwa.features.lookback.keys import (
    organisation_id_key,
    organisation_name_key,
    phone_keys,
)
from mizugiwa.features.normalise import document_key, sponsor_keys
from mizugiwa.features.tipdb import tables as t

_CHUNK = 900
FACT_TYPES: tuple[str, ...] = ("raid", "person", "phone", "address", "travel_document", "case")
ESTABLISHMENT_TYPES = frozenset({"adult_entertainment", "restaurant_bar"})


@dataclass(frozen=True)
class Probe:
    """One key a fact meets cases under, and the reason a hit on it gives."""

    kind: str
    key: str
    reason: str


@dataclass
class Fact:
    """A database entity that may concern earlier cases, with its probes."""

    fact_type: str
    fact_id: str
    fact_date: date
    recorded_at: date
    probes: list[Probe] = field(default_factory=list)
    detail: dict[str, Any] = field(default_factory=dict)  # codes and ids only


def _chunks(values: Sequence[Any]) -> Iterable[Sequence[Any]]:
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]


def _in(column: Any, values: Iterable[Any]) -> Iterable[ColumnElement[bool]]:
    listed = sorted(set(values))
    for chunk in _chunks(listed):
        yield column.in_(chunk)


class _Contacts:
    """Phones and addresses linked to persons or organisations, read once per selection."""

    def __init__(self, session: Session, column: Any, owners: Iterable[int]) -> None:
        self.by_owner: dict[int, list[tuple[str, str]]] = {}
        for where in _in(column, owners):
            rows = session.execute(
                select(column, t.Phone.raw, t.Phone.country, t.Address.normalised)
                .select_from(t.Link)
                .outerjoin(t.Phone, t.Phone.pk == t.Link.phone_pk)
                .outerjoin(t.Address, t.Address.pk == t.Link.address_pk)
                .where(where)
            )
            for owner, raw, country, address in rows:
                keys = self.by_owner.setdefault(owner, [])
                if raw is not None:
                    keys.extend(("phone", key) for key in phone_keys(raw, country))
                if address:
                    keys.append(("address", address))

    def of(self, owner: int) -> list[tuple[str, str]]:
        return self.by_owner.get(owner, [])


class _Organisations:
    """Keys of organisations: ids, corporate numbers, names, linked phones and addresses."""

    def __init__(self, session: Session, pks: Iterable[int]) -> None:
        wanted = sorted(set(pks))
        self.info: dict[int, dict[str, Any]] = {}
        self.names: dict[int, list[str]] = {}
        for where in _in(t.Organisation.pk, wanted):
            for pk, external, extra, org_type, est in session.execute(
                select(
                    t.Organisation.pk,
                    t.Organisation.external_id,
                    t.Organisation.extra,
                    t.Organisation.org_type,
                    t.Organisation.establishment_type,
                ).where(where)
            ):
                self.info[pk] = {
                    "id": external,
                    "extra": extra or {},
                    "org_type": org_type,
                    "establishment_type": est,
                }
        for where in _in(t.Name.organisation_pk, wanted):
            for owner, name in session.execute(
                select(t.Name.organisation_pk, t.Name.name).where(where)
            ):
                if owner is not None:
                    self.names.setdefault(owner, []).append(name)
        self.contacts = _Contacts(session, t.Link.organisation_pk, wanted)

    def external_id(self, pk: int) -> str:
        return str(self.info[pk]["id"])

    def is_establishment(self, pk: int) -> bool:
        info = self.info[pk]
        return info["org_type"] == "establishment" or info["establishment_type"] in (
            ESTABLISHMENT_TYPES
        )

    def probes(self, pk: int, named: str, contact: str) -> list[Probe]:
        """Probes of organisation ``pk``: ``named`` is the reason of a hit on its id or name,
        ``contact`` that of a hit on its phone or address."""
        info = self.info[pk]
        ids = {organisation_id_key(str(info["id"]))}
        corporate = info["extra"].get("corporate_number")
        if corporate:
            ids.add(organisation_id_key(str(corporate)))
        probes = [Probe("org_id", key, named) for key in sorted(ids)]
        names = {organisation_name_key(name) for name in self.names.get(pk, [])}
        probes += [Probe("org_name", key, named) for key in sorted(names) if key]
        probes += [Probe(kind, key, contact) for kind, key in self.contacts.of(pk)]
        return probes


class _Suspects:
    """Keys of suspects: sponsor keys of their names and dates of birth, their contacts."""

    def __init__(self, session: Session, pks: Iterable[int]) -> None:
        wanted = sorted(set(pks))
        self.names: dict[int, list[str]] = {}
        self.dob: dict[int, date | None] = {}
        for where in _in(t.Name.person_pk, wanted):
            for owner, name in session.execute(select(t.Name.person_pk, t.Name.name).where(where)):
                if owner is not None:
                    self.names.setdefault(owner, []).append(name)
        for where in _in(t.Person.pk, wanted):
            for pk, dob in session.execute(
                select(t.Person.pk, t.Person.date_of_birth).where(where)
            ):
                self.dob[pk] = dob
        self.contacts = _Contacts(session, t.Link.person_pk, wanted)

    def probes(self, pk: int, sponsor: str, contact: str) -> list[Probe]:
        keys = sponsor_keys(self.names.get(pk, []), self.dob.get(pk))
        probes = [Probe("sponsor", key, sponsor) for key in keys]
        probes += [Probe(kind, key, contact) for kind, key in self.contacts.of(pk)]
        return probes


def read_facts(
    session: Session,
    *,
    where: Mapping[str, ColumnElement[bool]] | None = None,
    pks: Mapping[str, Iterable[int]] | None = None,
) -> list[Fact]:
    """The facts among the database rows selected per entity type, either by a condition on
    the provenance columns (``where``, e.g. the rows one import wrote) or by primary keys."""
    models: dict[str, Any] = {
        "raid": t.Raid,
        "person": t.Person,
        "phone": t.Phone,
        "address": t.Address,
        "travel_document": t.TravelDocument,
        "case": t.Case,
    }
    rows: dict[str, list[Any]] = {}
    for fact_type, model in models.items():
        condition = (where or {}).get(fact_type)
        chosen = (pks or {}).get(fact_type)
        if condition is None and chosen is None:
            continue
        found: list[Any] = []
        if chosen is not None:
            for clause in _in(model.pk, chosen):
                query = select(model).where(clause)
                found.extend(
                    session.scalars(query if condition is None else query.where(condition))
                )
        elif condition is not None:
            found.extend(session.scalars(select(model).where(condition)))
        rows[fact_type] = found
    return _build(session, rows)


def _build(session: Session, rows: dict[str, list[Any]]) -> list[Fact]:
    facts: list[Fact] = []
    raids, cases = rows.get("raid", []), rows.get("case", [])
    case_orgs: dict[int, list[int]] = {}
    case_persons: dict[int, list[int]] = {}
    for where in _in(t.CaseOrganisation.case_pk, (c.pk for c in cases)):
        for case_pk, org_pk in session.execute(
            select(t.CaseOrganisation.case_pk, t.CaseOrganisation.organisation_pk).where(where)
        ):
            case_orgs.setdefault(case_pk, []).append(org_pk)
    for where in _in(t.CasePerson.case_pk, (c.pk for c in cases)):
        for case_pk, person_pk in session.execute(
            select(t.CasePerson.case_pk, t.CasePerson.person_pk).where(where)
        ):
            case_persons.setdefault(case_pk, []).append(person_pk)
    orgs = _Organisations(
        session,
        [r.organisation_pk for r in raids] + [o for ids in case_orgs.values() for o in ids],
    )
    # Phones and addresses: only those linked to suspects concern earlier cases on their own
    # (an organisation's contacts come with its raid or its confirmed case).
    contact_owner: dict[tuple[str, int], list[int]] = {}
    for kind, column in (("phone", t.Link.phone_pk), ("address", t.Link.address_pk)):
        for where in _in(column, (r.pk for r in rows.get(kind, []))):
            for subject, person in session.execute(
                select(column, t.Link.person_pk).where(where, t.Link.person_pk.is_not(None))
            ):
                if subject is not None and person is not None:
                    contact_owner.setdefault((kind, subject), []).append(person)
    suspects = _Suspects(
        session,
        [p.pk for p in rows.get("person", [])] + [p for ids in case_persons.values() for p in ids],
    )
    for raid in raids:
        org = raid.organisation_pk
        establishment = orgs.is_establishment(org)
        facts.append(
            Fact(
                "raid",
                raid.external_id,
                raid.date,
                raid.recorded_at,
                orgs.probes(org, "FU-RAIDED-EMPLOYER", "FU-RAIDED-ADDRESS"),
                {
                    "organisation": orgs.external_id(org),
                    "establishment": establishment,
                    "finding": raid.finding,
                },
            )
        )
    for person in rows.get("person", []):
        facts.append(
            Fact(
                "person",
                person.external_id,
                person.recorded_at,
                person.recorded_at,
                suspects.probes(person.pk, "FU-SPONSOR-SUSPECT", "FU-BROKER-CONTACT"),
                {"role": person.role},
            )
        )
    # A phone or address of a suspect recorded in the same selection is already a probe of
    # that suspect's fact: one follow-up per case, not one per line of the same import.
    new_suspects = {p.pk for p in rows.get("person", [])}

    def concerns(kind: str, pk: int) -> bool:
        owners = contact_owner.get((kind, pk), [])
        return bool(owners) and not set(owners) <= new_suspects

    for phone in rows.get("phone", []):
        if concerns("phone", phone.pk):
            facts.append(
                Fact(
                    "phone",
                    phone.external_id,
                    phone.recorded_at,
                    phone.recorded_at,
                    [
                        Probe("phone", key, "FU-BROKER-CONTACT")
                        for key in phone_keys(phone.raw, phone.country)
                    ],
                )
            )
    for address in rows.get("address", []):
        if concerns("address", address.pk):
            facts.append(
                Fact(
                    "address",
                    address.external_id,
                    address.recorded_at,
                    address.recorded_at,
                    [Probe("address", address.normalised, "FU-BROKER-CONTACT")],
                )
            )
    for document in rows.get("travel_document", []):
        facts.append(
            Fact(
                "travel_document",
                document.external_id,
                document.recorded_at,
                document.recorded_at,
                [
                    Probe(
                        "document",
                        document_key(document.number, document.issuing_state),
                        "FU-DOC-REPORTED-AFTER",
                    )
                ],
                {"status": document.status},
            )
        )
    for case in cases:
        probes: list[Probe] = []
        establishment = False
        for org in case_orgs.get(case.pk, []):
            probes += orgs.probes(org, "FU-CONFIRMED-CASE", "FU-CONFIRMED-CASE")
            establishment = establishment or orgs.is_establishment(org)
        for person in case_persons.get(case.pk, []):
            probes += suspects.probes(person, "FU-CONFIRMED-CASE", "FU-CONFIRMED-CASE")
        facts.append(
            Fact(
                "case",
                case.external_id,
                case.date,
                case.recorded_at,
                list(dict.fromkeys(probes)),
                {"case_type": case.case_type, "establishment": establishment},
            )
        )
    return [fact for fact in facts if fact.probes]


def facts_of_import(session: Session, sha256: str) -> list[Fact]:
    """The facts one import file inserted or changed."""
    return read_facts(
        session,
        where={
            "raid": t.Raid.import_sha256 == sha256,
            "person": t.Person.import_sha256 == sha256,
            "phone": t.Phone.import_sha256 == sha256,
            "address": t.Address.import_sha256 == sha256,
            "travel_document": t.TravelDocument.import_sha256 == sha256,
            "case": t.Case.import_sha256 == sha256,
        },
    )


def facts_recorded_since(session: Session, since: date, until: date | None = None) -> list[Fact]:
    """The facts recorded (by the agency) on or after ``since`` (and on or before ``until``)."""
    where: dict[str, ColumnElement[bool]] = {}
    for fact_type, model in (
        ("raid", t.Raid),
        ("person", t.Person),
        ("phone", t.Phone),
        ("address", t.Address),
        ("travel_document", t.TravelDocument),
        ("case", t.Case),
    ):
        condition = model.recorded_at >= since
        if until is not None:
            condition = condition & (model.recorded_at <= until)
        where[fact_type] = condition
    return read_facts(session, where=where)


def facts_by_id(session: Session, ids: Mapping[str, Iterable[str]]) -> list[Fact]:
    """The facts with the given external ids, per entity type."""
    models: dict[str, Any] = {
        "raid": t.Raid,
        "person": t.Person,
        "phone": t.Phone,
        "address": t.Address,
        "travel_document": t.TravelDocument,
        "case": t.Case,
    }
    pks: dict[str, list[int]] = {}
    for fact_type, external_ids in ids.items():
        model = models[fact_type]
        found: list[int] = []
        for where in _in(model.external_id, external_ids):
            found.extend(session.scalars(select(model.pk).where(where)))
        pks[fact_type] = found
    return read_facts(session, pks=pks)
