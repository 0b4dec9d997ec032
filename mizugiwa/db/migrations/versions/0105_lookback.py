"""Look-back: case keys, follow-ups and their outcomes; the investigator role

Revision ID: 0105_lookback
Revises: 0104_paxlst
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0105_lookback"
down_revision: str | Sequence[str] | None = "0104_paxlst"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_OLD_ROLES = (
    "role IN ('consular_officer', 'border_inspector', 'analyst', 'auditor', 'admin', 'api_feed')"
)
_NEW_ROLES = (
    "role IN ('consular_officer', 'border_inspector', 'analyst', 'auditor', 'admin', "
    "'investigator', 'api_feed')"
)


def upgrade() -> None:
    """Create the look-back tables and admit the investigator role."""
    with op.batch_alter_table("service_users", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_service_users_role"), type_="check")
        batch_op.create_check_constraint("role", _NEW_ROLES)
    op.create_table(
        "service_lookback_keys",
        sa.Column("pk", sa.Integer(), nullable=False),
        sa.Column("case_pk", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("key", sa.String(length=600), nullable=False),
        sa.Column("field", sa.String(length=24), nullable=False),
        sa.Column("case_date", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_pk"],
            ["service_cases.pk"],
            name=op.f("fk_service_lookback_keys_case_pk_service_cases"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_service_lookback_keys")),
    )
    with op.batch_alter_table("service_lookback_keys", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_service_lookback_keys_case_pk"), ["case_pk"])
        batch_op.create_index("ix_service_lookback_keys_lookup", ["kind", "key", "case_date"])
    op.create_table(
        "service_follow_ups",
        sa.Column("pk", sa.Integer(), nullable=False),
        sa.Column("case_pk", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.String(length=64), nullable=False),
        sa.Column("case_kind", sa.String(length=12), nullable=False),
        sa.Column("post_code", sa.String(length=3), nullable=False),
        sa.Column("case_date", sa.DateTime(timezone=True), nullable=False),
        sa.Column("visa_category", sa.String(length=30), nullable=True),
        sa.Column("fact_type", sa.String(length=20), nullable=False),
        sa.Column("fact_id", sa.String(length=64), nullable=False),
        sa.Column("fact_date", sa.Date(), nullable=False),
        sa.Column("fact_recorded_at", sa.Date(), nullable=False),
        sa.Column("reason_codes", sa.JSON(), nullable=False),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("run_id", sa.String(length=64), nullable=False),
        sa.CheckConstraint(
            "status IN ('open', 'closed')", name=op.f("ck_service_follow_ups_status")
        ),
        sa.ForeignKeyConstraint(
            ["case_pk"],
            ["service_cases.pk"],
            name=op.f("fk_service_follow_ups_case_pk_service_cases"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_service_follow_ups")),
    )
    with op.batch_alter_table("service_follow_ups", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_service_follow_ups_case_id"), ["case_id"])
        batch_op.create_index(batch_op.f("ix_service_follow_ups_fact_id"), ["fact_id"])
        batch_op.create_index(
            "uq_service_follow_ups_case_fact", ["case_pk", "fact_type", "fact_id"], unique=True
        )
        batch_op.create_index("ix_service_follow_ups_worklist", ["status", "rank", "case_date"])
    op.create_table(
        "service_follow_up_outcomes",
        sa.Column("pk", sa.Integer(), nullable=False),
        sa.Column("follow_up_pk", sa.Integer(), nullable=False),
        sa.Column("outcome", sa.String(length=30), nullable=False),
        sa.Column("victim_support_offered", sa.Boolean(), nullable=False),
        sa.Column("concluded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.Integer(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["follow_up_pk"],
            ["service_follow_ups.pk"],
            name=op.f("fk_service_follow_up_outcomes_follow_up_pk_service_follow_ups"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by"],
            ["service_users.pk"],
            name=op.f("fk_service_follow_up_outcomes_recorded_by_service_users"),
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_service_follow_up_outcomes")),
        sa.UniqueConstraint(
            "follow_up_pk", name=op.f("uq_service_follow_up_outcomes_follow_up_pk")
        ),
    )


def downgrade() -> None:
    """Drop the look-back tables; investigator accounts must be removed first."""
    op.drop_table("service_follow_up_outcomes")
    op.drop_table("service_follow_ups")
    op.drop_table("service_lookback_keys")
    with op.batch_alter_table("service_users", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_service_users_role"), type_="check")
        batch_op.create_check_constraint("role", _OLD_ROLES)
