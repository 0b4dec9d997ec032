"""Service: accounts, scored cases, interview outcomes, decision log

Revision ID: 0101_service
Revises: 0001_tipdb
Create Date: 2026-11-27
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0101_service"
down_revision: str | Sequence[str] | None = "0001_tipdb"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create the service tables."""
    op.create_table(
        "service_users",
        sa.Column("pk", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("post_code", sa.String(length=3), nullable=True),
        sa.Column("token_sha256", sa.String(length=64), nullable=True),
        sa.Column("token_issued_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.CheckConstraint(
            "role IN ('consular_officer', 'border_inspector', 'analyst', 'auditor', 'admin')",
            name=op.f("ck_service_users_role"),
        ),
        sa.CheckConstraint(
            "(role = 'consular_officer') = (post_code IS NOT NULL)",
            name=op.f("ck_service_users_officer_has_post"),
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_service_users")),
        sa.UniqueConstraint("name", name=op.f("uq_service_users_name")),
        sa.UniqueConstraint("token_sha256", name=op.f("uq_service_users_token_sha256")),
    )
    op.create_table(
        "service_cases",
        sa.Column("pk", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("post_code", sa.String(length=3), nullable=False),
        sa.Column("case_date", sa.DateTime(timezone=True), nullable=False),
        sa.Column("record", sa.JSON(), nullable=False),
        sa.Column("scored_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("risk", sa.Float(), nullable=True),
        sa.Column("refer", sa.Boolean(), nullable=False),
        sa.Column("referred_by", sa.JSON(), nullable=False),
        sa.Column("reason_codes", sa.JSON(), nullable=False),
        sa.Column("rule_codes", sa.JSON(), nullable=False),
        sa.Column("model_version", sa.String(length=40), nullable=True),
        sa.Column("request_id", sa.String(length=64), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.CheckConstraint("kind IN ('application', 'entry')", name=op.f("ck_service_cases_kind")),
        sa.CheckConstraint(
            "status IN ('pending', 'interviewed')", name=op.f("ck_service_cases_status")
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_service_cases")),
        sa.UniqueConstraint("case_id", name=op.f("uq_service_cases_case_id")),
    )
    with op.batch_alter_table("service_cases", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_service_cases_post_code"), ["post_code"])
        batch_op.create_index(batch_op.f("ix_service_cases_case_date"), ["case_date"])
        batch_op.create_index(batch_op.f("ix_service_cases_refer"), ["refer"])
    op.create_table(
        "service_outcomes",
        sa.Column("pk", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.String(length=64), nullable=False),
        sa.Column("interviewed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("outcome", sa.String(length=30), nullable=False),
        sa.Column("referral_source", sa.String(length=20), nullable=False),
        sa.Column("victim_support_offered", sa.Boolean(), nullable=False),
        sa.Column("recorded_by", sa.Integer(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("tipdb_case_id", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["service_cases.case_id"],
            name=op.f("fk_service_outcomes_case_id_service_cases"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by"],
            ["service_users.pk"],
            name=op.f("fk_service_outcomes_recorded_by_service_users"),
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_service_outcomes")),
        sa.UniqueConstraint("case_id", name=op.f("uq_service_outcomes_case_id")),
    )
    op.create_table(
        "service_decision_log",
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("at", sa.String(length=40), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("endpoint", sa.String(length=100), nullable=False),
        sa.Column("request_id", sa.String(length=64), nullable=False),
        sa.Column("status", sa.Integer(), nullable=False),
        sa.Column("input_sha256", sa.String(length=64), nullable=True),
        sa.Column("case_id", sa.String(length=64), nullable=True),
        sa.Column("model_name", sa.String(length=100), nullable=True),
        sa.Column("model_version", sa.String(length=40), nullable=True),
        sa.Column("rules_fired", sa.JSON(), nullable=False),
        sa.Column("reason_codes", sa.JSON(), nullable=False),
        sa.Column("referral", sa.Boolean(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("entry_hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_service_decision_log")),
        sa.UniqueConstraint("entry_hash", name=op.f("uq_service_decision_log_entry_hash")),
    )
    with op.batch_alter_table("service_decision_log", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_service_decision_log_case_id"), ["case_id"])


def downgrade() -> None:
    """Drop the service tables."""
    op.drop_table("service_decision_log")
    op.drop_table("service_outcomes")
    op.drop_table("service_cases")
    op.drop_table("service_users")
