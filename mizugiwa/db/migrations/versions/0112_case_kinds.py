"""Kinds of case are registered in code: the case table no longer lists them

The service stores a case of any registered kind (``mizugiwa.features.kinds``); a CHECK naming
``application`` and ``entry`` would make a new kind a schema change. The kind column keeps its
length (12 characters: ``register_kind`` refuses longer names).

Revision ID: 0112_case_kinds
Revises: 0106_export
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0112_case_kinds"
down_revision: str | Sequence[str] | None = "0106_export"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Drop the list of kinds from the case table."""
    with op.batch_alter_table("service_cases", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_service_cases_kind"), type_="check")


def downgrade() -> None:
    """Put the list of the two original kinds back (fails while other kinds are stored)."""
    with op.batch_alter_table("service_cases", schema=None) as batch_op:
        batch_op.create_check_constraint(
            batch_op.f("ck_service_cases_kind"), "kind IN ('application', 'entry')"
        )
