"""Service: first answers to requests sent with an Idempotency-Key

Revision ID: 0102_reliability
Revises: 0101_service
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0102_reliability"
down_revision: str | Sequence[str] | None = "0101_service"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create ``service_idempotency``."""
    op.create_table(
        "service_idempotency",
        sa.Column("pk", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=128), nullable=False),
        sa.Column("endpoint", sa.String(length=100), nullable=False),
        sa.Column("input_sha256", sa.String(length=64), nullable=True),
        sa.Column("response", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_service_idempotency")),
        sa.UniqueConstraint("user_id", "key", name="uq_service_idempotency_key"),
    )


def downgrade() -> None:
    """Drop ``service_idempotency``."""
    op.drop_table("service_idempotency")
