"""SQLAlchemy models of the shared trafficking database (tables prefixed ``tipdb_``).

Every entity row carries its provenance (:class:`Provenance`): the agency (``source``), when the
agency learnt it (``recorded_at``), until when it holds (``valid_until``, open when null), the
agency's ``confidence``, when it was first and last written here (``first_loaded_at``,
``loaded_at``) and the digest of the import file that last wrote it (``import_sha256``).
``content_sha256`` is the digest of the import line, so re-loading an unchanged line is a no-op.

Suspects (:class:`Person`) and known victims (:class:`ProtectedPerson`) live in separate
tables: victims are only ever used to raise protection guidance. Their names stay in their own
row rather than in :class:`Name`, so a name search over suspects can never reach them.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mizugiwa.db.base import Base

# Deterministic constraint names, so that later migrations can refer to them on every backend.


class Import(Base):
    """One accepted import file."""

    __tablename__ = "tipdb_imports"

    pk: Mapped[int] = mapped_column(Integer, primary_key=True)
    file_name: Mapped[str] = mapped_column(String(500))
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    line_count: Mapped[int]
    inserted: Mapped[int] = mapped_column(default=0)
    updated: Mapped[int] = mapped_column(default=0)
    unchanged: Mapped[int] = mapped_column(default=0)
    loaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


class Provenance:
    """Columns shared by every entity table."""

    pk: Mapped[int] = mapped_column(Integer, primary_key=True)
    external_id: Mapped[str] = mapped_column(String(64), unique=True)
    source: Mapped[str] = mapped_column(String(100))
    recorded_at: Mapped[date] = mapped_column(Date, index=True)
    valid_until: Mapped[date | None] = mapped_column(Date)
    confidence: Mapped[float] = mapped_column(Float, default=1.0)
    first_loaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    loaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    import_sha256: Mapped[str] = mapped_column(String(64))
    content_sha256: Mapped[str] = mapped_column(String(64))
    extra: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # The import line as the agency sent it (validated, extras kept): what `mizugiwa export`
    # writes back, so a training folder holds the database exactly as it was loaded.
    content: Mapped[dict[str, Any] | None] = mapped_column(default=None)


class Person(Provenance, Base):
    """A suspect: broker, trafficker, recruiter, facilitator or other."""

    __tablename__ = "tipdb_persons"
    __table_args__ = (
        CheckConstraint(
            "role IN ('broker', 'trafficker', 'recruiter', 'facilitator', 'other')", name="role"
        ),
    )

    role: Mapped[str] = mapped_column(String(20))
    date_of_birth: Mapped[date | None] = mapped_column(Date)
    nationality: Mapped[str | None] = mapped_column(String(3))
    sex: Mapped[str | None] = mapped_column(String(1))
    names: Mapped[list[Name]] = relationship(
        back_populates="person", cascade="all, delete-orphan", order_by="Name.position"
    )


class ProtectedPerson(Provenance, Base):
    """A known victim: kept apart from suspects, used only for protection guidance."""

    __tablename__ = "tipdb_protected_persons"

    names: Mapped[list[str]] = mapped_column(JSON)
    date_of_birth: Mapped[date | None] = mapped_column(Date)
    nationality: Mapped[str | None] = mapped_column(String(3))
    sex: Mapped[str | None] = mapped_column(String(1))


class Organisation(Provenance, Base):
    """An employer, establishment or recruitment agency."""

    __tablename__ = "tipdb_organisations"

    org_type: Mapped[str] = mapped_column(String(30))
    establishment_type: Mapped[str | None] = mapped_column(String(30))
    country: Mapped[str | None] = mapped_column(String(3))
    names: Mapped[list[Name]] = relationship(
        back_populates="organisation", cascade="all, delete-orphan", order_by="Name.position"
    )


class Name(Base):
    """One name or alias of a suspect or an organisation, with its writing system."""

    __tablename__ = "tipdb_names"
    __table_args__ = (
        CheckConstraint("(person_pk IS NULL) <> (organisation_pk IS NULL)", name="one_owner"),
    )

    pk: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_pk: Mapped[int | None] = mapped_column(
        ForeignKey("tipdb_persons.pk", ondelete="CASCADE"), index=True
    )
    organisation_pk: Mapped[int | None] = mapped_column(
        ForeignKey("tipdb_organisations.pk", ondelete="CASCADE"), index=True
    )
    position: Mapped[int]
    name: Mapped[str] = mapped_column(String(500))
    script: Mapped[str] = mapped_column(String(20))
    person: Mapped[Person | None] = relationship(back_populates="names")
    organisation: Mapped[Organisation | None] = relationship(back_populates="names")


class Phone(Provenance, Base):
    """A phone number as recorded, and its E.164 form when it parses."""

    __tablename__ = "tipdb_phones"

    raw: Mapped[str] = mapped_column(String(100))
    e164: Mapped[str | None] = mapped_column(String(20), index=True)
    country: Mapped[str | None] = mapped_column(String(3))


class Address(Provenance, Base):
    """An address as recorded, and its normalised form (see ``normalise.address_key``)."""

    __tablename__ = "tipdb_addresses"

    raw: Mapped[str] = mapped_column(String(500))
    normalised: Mapped[str] = mapped_column(String(500), index=True)
    country: Mapped[str | None] = mapped_column(String(3))


class Link(Base):
    """A phone or address linked to a suspect, a protected person or an organisation.

    Links belong to their phone or address row: they share its provenance and are rewritten
    when it is.
    """

    __tablename__ = "tipdb_links"
    __table_args__ = (
        CheckConstraint("(phone_pk IS NULL) <> (address_pk IS NULL)", name="one_subject"),
        CheckConstraint(
            "(CASE WHEN person_pk IS NULL THEN 0 ELSE 1 END"
            " + CASE WHEN protected_person_pk IS NULL THEN 0 ELSE 1 END"
            " + CASE WHEN organisation_pk IS NULL THEN 0 ELSE 1 END) = 1",
            name="one_target",
        ),
    )

    pk: Mapped[int] = mapped_column(Integer, primary_key=True)
    phone_pk: Mapped[int | None] = mapped_column(
        ForeignKey("tipdb_phones.pk", ondelete="CASCADE"), index=True
    )
    address_pk: Mapped[int | None] = mapped_column(
        ForeignKey("tipdb_addresses.pk", ondelete="CASCADE"), index=True
    )
    person_pk: Mapped[int | None] = mapped_column(
        ForeignKey("tipdb_persons.pk", ondelete="CASCADE"), index=True
    )
    protected_person_pk: Mapped[int | None] = mapped_column(
        ForeignKey("tipdb_protected_persons.pk", ondelete="CASCADE"), index=True
    )
    organisation_pk: Mapped[int | None] = mapped_column(
        ForeignKey("tipdb_organisations.pk", ondelete="CASCADE"), index=True
    )


class TravelDocument(Provenance, Base):
    """A report that a travel document is lost, stolen, forged or revoked."""

    __tablename__ = "tipdb_travel_documents"
    __table_args__ = (Index("ix_tipdb_travel_documents_document", "number", "issuing_state"),)

    number: Mapped[str] = mapped_column(String(40))
    number_raw: Mapped[str] = mapped_column(String(40))
    issuing_state: Mapped[str] = mapped_column(String(3))
    status: Mapped[str] = mapped_column(String(10))


class Raid(Provenance, Base):
    """A raid on, or labour inspection of, an organisation, with what it found."""

    __tablename__ = "tipdb_raids"

    organisation_pk: Mapped[int] = mapped_column(
        ForeignKey("tipdb_organisations.pk", ondelete="CASCADE"), index=True
    )
    date: Mapped[date] = mapped_column(Date)
    authority: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(20))
    finding: Mapped[str] = mapped_column(String(30))


class Case(Provenance, Base):
    """A confirmed case; its persons and organisations are in the ``tipdb_case_*`` tables."""

    __tablename__ = "tipdb_cases"

    case_type: Mapped[str] = mapped_column(String(30))
    date: Mapped[date] = mapped_column(Date)


class CasePerson(Base):
    """A suspect involved in a case."""

    __tablename__ = "tipdb_case_persons"

    case_pk: Mapped[int] = mapped_column(
        ForeignKey("tipdb_cases.pk", ondelete="CASCADE"), primary_key=True
    )
    person_pk: Mapped[int] = mapped_column(
        ForeignKey("tipdb_persons.pk", ondelete="CASCADE"), primary_key=True, index=True
    )


class CaseProtectedPerson(Base):
    """A known victim in a case."""

    __tablename__ = "tipdb_case_protected_persons"

    case_pk: Mapped[int] = mapped_column(
        ForeignKey("tipdb_cases.pk", ondelete="CASCADE"), primary_key=True
    )
    protected_person_pk: Mapped[int] = mapped_column(
        ForeignKey("tipdb_protected_persons.pk", ondelete="CASCADE"), primary_key=True, index=True
    )


class CaseOrganisation(Base):
    """An organisation involved in a case."""

    __tablename__ = "tipdb_case_organisations"

    case_pk: Mapped[int] = mapped_column(
        ForeignKey("tipdb_cases.pk", ondelete="CASCADE"), primary_key=True
    )
    organisation_pk: Mapped[int] = mapped_column(
        ForeignKey("tipdb_organisations.pk", ondelete="CASCADE"), primary_key=True, index=True
    )


class Sponsorship(Provenance, Base):
    """One sponsorship: who sponsored whom, as what, when."""

    __tablename__ = "tipdb_sponsorships"

    sponsor_names: Mapped[list[str]] = mapped_column(JSON)
    sponsor_date_of_birth: Mapped[date | None] = mapped_column(Date)
    relation: Mapped[str] = mapped_column(String(10))
    sponsored_name: Mapped[str] = mapped_column(String(500))
    sponsored_nationality: Mapped[str | None] = mapped_column(String(3))
    sponsor_organisation_pk: Mapped[int | None] = mapped_column(
        ForeignKey("tipdb_organisations.pk", ondelete="SET NULL"), index=True
    )
    date: Mapped[date] = mapped_column(Date)


class SponsorKey(Base):
    """The exact lookup keys of a sponsorship's sponsor (``normalise.sponsor_keys``)."""

    __tablename__ = "tipdb_sponsor_keys"

    sponsorship_pk: Mapped[int] = mapped_column(
        ForeignKey("tipdb_sponsorships.pk", ondelete="CASCADE"), primary_key=True
    )
    key: Mapped[str] = mapped_column(String(600), primary_key=True, index=True)


ENTITY_TABLES: dict[str, type[Base]] = {
    "persons": Person,
    "protected_persons": ProtectedPerson,
    "organisations": Organisation,
    "names": Name,
    "phones": Phone,
    "addresses": Address,
    "links": Link,
    "travel_documents": TravelDocument,
    "raids": Raid,
    "cases": Case,
    "sponsorships": Sponsorship,
}
