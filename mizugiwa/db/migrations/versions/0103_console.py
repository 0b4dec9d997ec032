"""Console: outcome corrections' history, revoked sessions, failed sign-in attempts

Revision ID: 0103_console
Revises: 0102_reliability
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0103_console"
down_revision: str | Sequence[str] | None = "0102_reliability"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create the console tables."""
    op.create_table(
        "console_outcome_history",
        sa.Column("pk", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.String(length=64), nullable=False),
        sa.Column("outcome", sa.String(length=30), nullable=False),
        sa.Column("interviewed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("referral_source", sa.String(length=20), nullable=False),
        sa.Column("victim_support_offered", sa.Boolean(), nullable=False),
        sa.Column("recorded_by", sa.Integer(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("replaced_by", sa.Integer(), nullable=False),
        sa.Column("replaced_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["recorded_by"],
            ["service_users.pk"],
            name=op.f("fk_console_outcome_history_recorded_by_service_users"),
        ),
        sa.ForeignKeyConstraint(
            ["replaced_by"],
            ["service_users.pk"],
            name=op.f("fk_console_outcome_history_replaced_by_service_users"),
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_console_outcome_history")),
    )
    op.create_index(
        op.f("ix_console_outcome_history_case_id"), "console_outcome_history", ["case_id"]
    )
    op.create_table(
        "console_revoked_sessions",
        sa.Column("session_id", sa.String(length=64), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("session_id", name=op.f("pk_console_revoked_sessions")),
    )
    op.create_index(
        op.f("ix_console_revoked_sessions_expires_at"), "console_revoked_sessions", ["expires_at"]
    )
    op.create_table(
        "console_sign_in_attempts",
        sa.Column("pk", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("name_key", sa.String(length=64), nullable=False),
        sa.Column("address_key", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_console_sign_in_attempts")),
    )
    for column in ("at", "name_key", "address_key"):
        op.create_index(
            op.f(f"ix_console_sign_in_attempts_{column}"), "console_sign_in_attempts", [column]
        )


def downgrade() -> None:
    """Drop the console tables."""
    op.drop_table("console_sign_in_attempts")
    op.drop_table("console_revoked_sessions")
    op.drop_table("console_outcome_history")
