"""Trafficking database: each entity keeps its import line, for exports as of a date

Revision ID: 0106_export
Revises: 0105_lookback
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0106_export"
down_revision: str | Sequence[str] | None = "0105_lookback"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ENTITY_TABLES = (
    "tipdb_persons",
    "tipdb_protected_persons",
    "tipdb_organisations",
    "tipdb_phones",
    "tipdb_addresses",
    "tipdb_travel_documents",
    "tipdb_raids",
    "tipdb_cases",
    "tipdb_sponsorships",
)


def upgrade() -> None:
    """Add ``content`` (the validated import line) to every entity table. Rows loaded before
    have none until an import changes them: ``mizugiwa export`` counts and reports them."""
    for table in ENTITY_TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("content", sa.JSON(), nullable=True))


def downgrade() -> None:
    for table in ENTITY_TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("content")
