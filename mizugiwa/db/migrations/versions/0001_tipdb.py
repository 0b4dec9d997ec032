"""Trafficking database: entities, links, provenance, imports

Revision ID: 0001_tipdb
Revises:
Create Date: 2026-11-27
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001_tipdb"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        "tipdb_addresses",
        sa.Column("raw", sa.String(length=500), nullable=False),
        sa.Column("normalised", sa.String(length=500), nullable=False),
        sa.Column("country", sa.String(length=3), nullable=True),
        sa.Column("pk", sa.Integer(), nullable=False),
        sa.Column("external_id", sa.String(length=64), nullable=False),
        sa.Column("source", sa.String(length=100), nullable=False),
        sa.Column("recorded_at", sa.Date(), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("first_loaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("loaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("import_sha256", sa.String(length=64), nullable=False),
        sa.Column("content_sha256", sa.String(length=64), nullable=False),
        sa.Column("extra", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_tipdb_addresses")),
        sa.UniqueConstraint("external_id", name=op.f("uq_tipdb_addresses_external_id")),
    )
    with op.batch_alter_table("tipdb_addresses", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_tipdb_addresses_normalised"), ["normalised"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_tipdb_addresses_recorded_at"), ["recorded_at"], unique=False
        )

    op.create_table(
        "tipdb_cases",
        sa.Column("case_type", sa.String(length=30), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("pk", sa.Integer(), nullable=False),
        sa.Column("external_id", sa.String(length=64), nullable=False),
        sa.Column("source", sa.String(length=100), nullable=False),
        sa.Column("recorded_at", sa.Date(), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("first_loaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("loaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("import_sha256", sa.String(length=64), nullable=False),
        sa.Column("content_sha256", sa.String(length=64), nullable=False),
        sa.Column("extra", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_tipdb_cases")),
        sa.UniqueConstraint("external_id", name=op.f("uq_tipdb_cases_external_id")),
    )
    with op.batch_alter_table("tipdb_cases", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_tipdb_cases_recorded_at"), ["recorded_at"], unique=False
        )

    op.create_table(
        "tipdb_imports",
        sa.Column("pk", sa.Integer(), nullable=False),
        sa.Column("file_name", sa.String(length=500), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("line_count", sa.Integer(), nullable=False),
        sa.Column("inserted", sa.Integer(), nullable=False),
        sa.Column("updated", sa.Integer(), nullable=False),
        sa.Column("unchanged", sa.Integer(), nullable=False),
        sa.Column("loaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_tipdb_imports")),
        sa.UniqueConstraint("sha256", name=op.f("uq_tipdb_imports_sha256")),
    )
    with op.batch_alter_table("tipdb_imports", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_tipdb_imports_loaded_at"), ["loaded_at"], unique=False)

    op.create_table(
        "tipdb_organisations",
        sa.Column("org_type", sa.String(length=30), nullable=False),
        sa.Column("establishment_type", sa.String(length=30), nullable=True),
        sa.Column("country", sa.String(length=3), nullable=True),
        sa.Column("pk", sa.Integer(), nullable=False),
        sa.Column("external_id", sa.String(length=64), nullable=False),
        sa.Column("source", sa.String(length=100), nullable=False),
        sa.Column("recorded_at", sa.Date(), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("first_loaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("loaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("import_sha256", sa.String(length=64), nullable=False),
        sa.Column("content_sha256", sa.String(length=64), nullable=False),
        sa.Column("extra", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_tipdb_organisations")),
        sa.UniqueConstraint("external_id", name=op.f("uq_tipdb_organisations_external_id")),
    )
    with op.batch_alter_table("tipdb_organisations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_tipdb_organisations_recorded_at"), ["recorded_at"], unique=False
        )

    op.create_table(
        "tipdb_persons",
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("date_of_birth", sa.Date(), nullable=True),
        sa.Column("nationality", sa.String(length=3), nullable=True),
        sa.Column("sex", sa.String(length=1), nullable=True),
        sa.Column("pk", sa.Integer(), nullable=False),
        sa.Column("external_id", sa.String(length=64), nullable=False),
        sa.Column("source", sa.String(length=100), nullable=False),
        sa.Column("recorded_at", sa.Date(), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("first_loaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("loaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("import_sha256", sa.String(length=64), nullable=False),
        sa.Column("content_sha256", sa.String(length=64), nullable=False),
        sa.Column("extra", sa.JSON(), nullable=False),
        sa.CheckConstraint(
            "role IN ('broker', 'trafficker', 'recruiter', 'facilitator', 'other')",
            name=op.f("ck_tipdb_persons_role"),
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_tipdb_persons")),
        sa.UniqueConstraint("external_id", name=op.f("uq_tipdb_persons_external_id")),
    )
    with op.batch_alter_table("tipdb_persons", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_tipdb_persons_recorded_at"), ["recorded_at"], unique=False
        )

    op.create_table(
        "tipdb_phones",
        sa.Column("raw", sa.String(length=100), nullable=False),
        sa.Column("e164", sa.String(length=20), nullable=True),
        sa.Column("country", sa.String(length=3), nullable=True),
        sa.Column("pk", sa.Integer(), nullable=False),
        sa.Column("external_id", sa.String(length=64), nullable=False),
        sa.Column("source", sa.String(length=100), nullable=False),
        sa.Column("recorded_at", sa.Date(), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("first_loaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("loaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("import_sha256", sa.String(length=64), nullable=False),
        sa.Column("content_sha256", sa.String(length=64), nullable=False),
        sa.Column("extra", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_tipdb_phones")),
        sa.UniqueConstraint("external_id", name=op.f("uq_tipdb_phones_external_id")),
    )
    with op.batch_alter_table("tipdb_phones", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_tipdb_phones_e164"), ["e164"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_tipdb_phones_recorded_at"), ["recorded_at"], unique=False
        )

    op.create_table(
        "tipdb_protected_persons",
        sa.Column("names", sa.JSON(), nullable=False),
        sa.Column("date_of_birth", sa.Date(), nullable=True),
        sa.Column("nationality", sa.String(length=3), nullable=True),
        sa.Column("sex", sa.String(length=1), nullable=True),
        sa.Column("pk", sa.Integer(), nullable=False),
        sa.Column("external_id", sa.String(length=64), nullable=False),
        sa.Column("source", sa.String(length=100), nullable=False),
        sa.Column("recorded_at", sa.Date(), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("first_loaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("loaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("import_sha256", sa.String(length=64), nullable=False),
        sa.Column("content_sha256", sa.String(length=64), nullable=False),
        sa.Column("extra", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_tipdb_protected_persons")),
        sa.UniqueConstraint("external_id", name=op.f("uq_tipdb_protected_persons_external_id")),
    )
    with op.batch_alter_table("tipdb_protected_persons", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_tipdb_protected_persons_recorded_at"), ["recorded_at"], unique=False
        )

    op.create_table(
        "tipdb_travel_documents",
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("number_raw", sa.String(length=40), nullable=False),
        sa.Column("issuing_state", sa.String(length=3), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("pk", sa.Integer(), nullable=False),
        sa.Column("external_id", sa.String(length=64), nullable=False),
        sa.Column("source", sa.String(length=100), nullable=False),
        sa.Column("recorded_at", sa.Date(), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("first_loaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("loaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("import_sha256", sa.String(length=64), nullable=False),
        sa.Column("content_sha256", sa.String(length=64), nullable=False),
        sa.Column("extra", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_tipdb_travel_documents")),
        sa.UniqueConstraint("external_id", name=op.f("uq_tipdb_travel_documents_external_id")),
    )
    with op.batch_alter_table("tipdb_travel_documents", schema=None) as batch_op:
        batch_op.create_index(
            "ix_tipdb_travel_documents_document", ["number", "issuing_state"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_tipdb_travel_documents_recorded_at"), ["recorded_at"], unique=False
        )

    op.create_table(
        "tipdb_case_organisations",
        sa.Column("case_pk", sa.Integer(), nullable=False),
        sa.Column("organisation_pk", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_pk"],
            ["tipdb_cases.pk"],
            name=op.f("fk_tipdb_case_organisations_case_pk_tipdb_cases"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_pk"],
            ["tipdb_organisations.pk"],
            name=op.f("fk_tipdb_case_organisations_organisation_pk_tipdb_organisations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "case_pk", "organisation_pk", name=op.f("pk_tipdb_case_organisations")
        ),
    )
    with op.batch_alter_table("tipdb_case_organisations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_tipdb_case_organisations_organisation_pk"),
            ["organisation_pk"],
            unique=False,
        )

    op.create_table(
        "tipdb_case_persons",
        sa.Column("case_pk", sa.Integer(), nullable=False),
        sa.Column("person_pk", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_pk"],
            ["tipdb_cases.pk"],
            name=op.f("fk_tipdb_case_persons_case_pk_tipdb_cases"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_pk"],
            ["tipdb_persons.pk"],
            name=op.f("fk_tipdb_case_persons_person_pk_tipdb_persons"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("case_pk", "person_pk", name=op.f("pk_tipdb_case_persons")),
    )
    with op.batch_alter_table("tipdb_case_persons", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_tipdb_case_persons_person_pk"), ["person_pk"], unique=False
        )

    op.create_table(
        "tipdb_case_protected_persons",
        sa.Column("case_pk", sa.Integer(), nullable=False),
        sa.Column("protected_person_pk", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_pk"],
            ["tipdb_cases.pk"],
            name=op.f("fk_tipdb_case_protected_persons_case_pk_tipdb_cases"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["protected_person_pk"],
            ["tipdb_protected_persons.pk"],
            name=op.f(
                "fk_tipdb_case_protected_persons_protected_person_pk_tipdb_protected_persons"
            ),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "case_pk", "protected_person_pk", name=op.f("pk_tipdb_case_protected_persons")
        ),
    )
    with op.batch_alter_table("tipdb_case_protected_persons", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_tipdb_case_protected_persons_protected_person_pk"),
            ["protected_person_pk"],
            unique=False,
        )

    op.create_table(
        "tipdb_links",
        sa.Column("pk", sa.Integer(), nullable=False),
        sa.Column("phone_pk", sa.Integer(), nullable=True),
        sa.Column("address_pk", sa.Integer(), nullable=True),
        sa.Column("person_pk", sa.Integer(), nullable=True),
        sa.Column("protected_person_pk", sa.Integer(), nullable=True),
        sa.Column("organisation_pk", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            (
                "(CASE WHEN person_pk IS NULL THEN 0 ELSE 1 END"
                " + CASE WHEN protected_person_pk IS NULL THEN 0 ELSE 1 END"
                " + CASE WHEN organisation_pk IS NULL THEN 0 ELSE 1 END) = 1"
            ),
            name=op.f("ck_tipdb_links_one_target"),
        ),
        sa.CheckConstraint(
            "(phone_pk IS NULL) <> (address_pk IS NULL)", name=op.f("ck_tipdb_links_one_subject")
        ),
        sa.ForeignKeyConstraint(
            ["address_pk"],
            ["tipdb_addresses.pk"],
            name=op.f("fk_tipdb_links_address_pk_tipdb_addresses"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_pk"],
            ["tipdb_organisations.pk"],
            name=op.f("fk_tipdb_links_organisation_pk_tipdb_organisations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_pk"],
            ["tipdb_persons.pk"],
            name=op.f("fk_tipdb_links_person_pk_tipdb_persons"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["phone_pk"],
            ["tipdb_phones.pk"],
            name=op.f("fk_tipdb_links_phone_pk_tipdb_phones"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["protected_person_pk"],
            ["tipdb_protected_persons.pk"],
            name=op.f("fk_tipdb_links_protected_person_pk_tipdb_protected_persons"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_tipdb_links")),
    )
    with op.batch_alter_table("tipdb_links", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_tipdb_links_address_pk"), ["address_pk"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_tipdb_links_organisation_pk"), ["organisation_pk"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_tipdb_links_person_pk"), ["person_pk"], unique=False)
        batch_op.create_index(batch_op.f("ix_tipdb_links_phone_pk"), ["phone_pk"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_tipdb_links_protected_person_pk"), ["protected_person_pk"], unique=False
        )

    op.create_table(
        "tipdb_names",
        sa.Column("pk", sa.Integer(), nullable=False),
        sa.Column("person_pk", sa.Integer(), nullable=True),
        sa.Column("organisation_pk", sa.Integer(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=500), nullable=False),
        sa.Column("script", sa.String(length=20), nullable=False),
        sa.CheckConstraint(
            "(person_pk IS NULL) <> (organisation_pk IS NULL)",
            name=op.f("ck_tipdb_names_one_owner"),
        ),
        sa.ForeignKeyConstraint(
            ["organisation_pk"],
            ["tipdb_organisations.pk"],
            name=op.f("fk_tipdb_names_organisation_pk_tipdb_organisations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_pk"],
            ["tipdb_persons.pk"],
            name=op.f("fk_tipdb_names_person_pk_tipdb_persons"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_tipdb_names")),
    )
    with op.batch_alter_table("tipdb_names", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_tipdb_names_organisation_pk"), ["organisation_pk"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_tipdb_names_person_pk"), ["person_pk"], unique=False)

    op.create_table(
        "tipdb_raids",
        sa.Column("organisation_pk", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("authority", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("finding", sa.String(length=30), nullable=False),
        sa.Column("pk", sa.Integer(), nullable=False),
        sa.Column("external_id", sa.String(length=64), nullable=False),
        sa.Column("source", sa.String(length=100), nullable=False),
        sa.Column("recorded_at", sa.Date(), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("first_loaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("loaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("import_sha256", sa.String(length=64), nullable=False),
        sa.Column("content_sha256", sa.String(length=64), nullable=False),
        sa.Column("extra", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_pk"],
            ["tipdb_organisations.pk"],
            name=op.f("fk_tipdb_raids_organisation_pk_tipdb_organisations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_tipdb_raids")),
        sa.UniqueConstraint("external_id", name=op.f("uq_tipdb_raids_external_id")),
    )
    with op.batch_alter_table("tipdb_raids", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_tipdb_raids_organisation_pk"), ["organisation_pk"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_tipdb_raids_recorded_at"), ["recorded_at"], unique=False
        )

    op.create_table(
        "tipdb_sponsorships",
        sa.Column("sponsor_names", sa.JSON(), nullable=False),
        sa.Column("sponsor_date_of_birth", sa.Date(), nullable=True),
        sa.Column("relation", sa.String(length=10), nullable=False),
        sa.Column("sponsored_name", sa.String(length=500), nullable=False),
        sa.Column("sponsored_nationality", sa.String(length=3), nullable=True),
        sa.Column("sponsor_organisation_pk", sa.Integer(), nullable=True),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("pk", sa.Integer(), nullable=False),
        sa.Column("external_id", sa.String(length=64), nullable=False),
        sa.Column("source", sa.String(length=100), nullable=False),
        sa.Column("recorded_at", sa.Date(), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("first_loaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("loaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("import_sha256", sa.String(length=64), nullable=False),
        sa.Column("content_sha256", sa.String(length=64), nullable=False),
        sa.Column("extra", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["sponsor_organisation_pk"],
            ["tipdb_organisations.pk"],
            name=op.f("fk_tipdb_sponsorships_sponsor_organisation_pk_tipdb_organisations"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_tipdb_sponsorships")),
        sa.UniqueConstraint("external_id", name=op.f("uq_tipdb_sponsorships_external_id")),
    )
    with op.batch_alter_table("tipdb_sponsorships", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_tipdb_sponsorships_recorded_at"), ["recorded_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_tipdb_sponsorships_sponsor_organisation_pk"),
            ["sponsor_organisation_pk"],
            unique=False,
        )

    op.create_table(
        "tipdb_sponsor_keys",
        sa.Column("sponsorship_pk", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=600), nullable=False),
        sa.ForeignKeyConstraint(
            ["sponsorship_pk"],
            ["tipdb_sponsorships.pk"],
            name=op.f("fk_tipdb_sponsor_keys_sponsorship_pk_tipdb_sponsorships"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("sponsorship_pk", "key", name=op.f("pk_tipdb_sponsor_keys")),
    )
    with op.batch_alter_table("tipdb_sponsor_keys", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_tipdb_sponsor_keys_key"), ["key"], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table("tipdb_sponsor_keys", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tipdb_sponsor_keys_key"))

    op.drop_table("tipdb_sponsor_keys")
    with op.batch_alter_table("tipdb_sponsorships", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tipdb_sponsorships_sponsor_organisation_pk"))
        batch_op.drop_index(batch_op.f("ix_tipdb_sponsorships_recorded_at"))

    op.drop_table("tipdb_sponsorships")
    with op.batch_alter_table("tipdb_raids", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tipdb_raids_recorded_at"))
        batch_op.drop_index(batch_op.f("ix_tipdb_raids_organisation_pk"))

    op.drop_table("tipdb_raids")
    with op.batch_alter_table("tipdb_names", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tipdb_names_person_pk"))
        batch_op.drop_index(batch_op.f("ix_tipdb_names_organisation_pk"))

    op.drop_table("tipdb_names")
    with op.batch_alter_table("tipdb_links", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tipdb_links_protected_person_pk"))
        batch_op.drop_index(batch_op.f("ix_tipdb_links_phone_pk"))
        batch_op.drop_index(batch_op.f("ix_tipdb_links_person_pk"))
        batch_op.drop_index(batch_op.f("ix_tipdb_links_organisation_pk"))
        batch_op.drop_index(batch_op.f("ix_tipdb_links_address_pk"))

    op.drop_table("tipdb_links")
    with op.batch_alter_table("tipdb_case_protected_persons", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tipdb_case_protected_persons_protected_person_pk"))

    op.drop_table("tipdb_case_protected_persons")
    with op.batch_alter_table("tipdb_case_persons", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tipdb_case_persons_person_pk"))

    op.drop_table("tipdb_case_persons")
    with op.batch_alter_table("tipdb_case_organisations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tipdb_case_organisations_organisation_pk"))

    op.drop_table("tipdb_case_organisations")
    with op.batch_alter_table("tipdb_travel_documents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tipdb_travel_documents_recorded_at"))
        batch_op.drop_index("ix_tipdb_travel_documents_document")

    op.drop_table("tipdb_travel_documents")
    with op.batch_alter_table("tipdb_protected_persons", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tipdb_protected_persons_recorded_at"))

    op.drop_table("tipdb_protected_persons")
    with op.batch_alter_table("tipdb_phones", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tipdb_phones_recorded_at"))
        batch_op.drop_index(batch_op.f("ix_tipdb_phones_e164"))

    op.drop_table("tipdb_phones")
    with op.batch_alter_table("tipdb_persons", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tipdb_persons_recorded_at"))

    op.drop_table("tipdb_persons")
    with op.batch_alter_table("tipdb_organisations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tipdb_organisations_recorded_at"))

    op.drop_table("tipdb_organisations")
    with op.batch_alter_table("tipdb_imports", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tipdb_imports_loaded_at"))

    op.drop_table("tipdb_imports")
    with op.batch_alter_table("tipdb_cases", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tipdb_cases_recorded_at"))

    op.drop_table("tipdb_cases")
    with op.batch_alter_table("tipdb_addresses", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tipdb_addresses_recorded_at"))
        batch_op.drop_index(batch_op.f("ix_tipdb_addresses_normalised"))

    op.drop_table("tipdb_addresses")
