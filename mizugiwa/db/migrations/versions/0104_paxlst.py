"""Passenger lists: airline PAXLST lists, pre-arrival cases, the api_feed role

Revision ID: 0104_paxlst
Revises: 0103_console
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0104_paxlst"
down_revision: str | Sequence[str] | None = "0103_console"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_OLD_ROLES = "role IN ('consular_officer', 'border_inspector', 'analyst', 'auditor', 'admin')"
_NEW_ROLES = (
    "role IN ('consular_officer', 'border_inspector', 'analyst', 'auditor', 'admin', 'api_feed')"
)


def upgrade() -> None:
    """Create the passenger-list tables; admit the ``api_feed`` role."""
    with op.batch_alter_table("service_users", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_service_users_role"), type_="check")
        batch_op.create_check_constraint(op.f("ck_service_users_role"), _NEW_ROLES)
    op.create_table(
        "service_passenger_lists",
        sa.Column("pk", sa.Integer(), nullable=False),
        sa.Column("list_id", sa.String(length=64), nullable=False),
        sa.Column("sender", sa.String(length=35), nullable=False),
        sa.Column("reference", sa.String(length=70), nullable=False),
        sa.Column("list_kind", sa.String(length=10), nullable=False),
        sa.Column("flight", sa.String(length=12), nullable=False),
        sa.Column("arrival_port", sa.String(length=5), nullable=True),
        sa.Column("arrives_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("legs", sa.JSON(), nullable=False),
        sa.Column("warnings", sa.JSON(), nullable=False),
        sa.Column("persons_count", sa.Integer(), nullable=False),
        sa.Column("referred_count", sa.Integer(), nullable=False),
        sa.Column("degraded", sa.JSON(), nullable=False),
        sa.Column("message_sha256", sa.String(length=64), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("received_by", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "list_kind IN ('passengers', 'crew')",
            name=op.f("ck_service_passenger_lists_list_kind"),
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_service_passenger_lists")),
        sa.UniqueConstraint("list_id", name=op.f("uq_service_passenger_lists_list_id")),
        sa.UniqueConstraint("sender", "reference", name=op.f("uq_service_passenger_lists_sender")),
    )
    with op.batch_alter_table("service_passenger_lists", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_service_passenger_lists_flight"), ["flight"])
        batch_op.create_index(
            batch_op.f("ix_service_passenger_lists_arrival_port"), ["arrival_port"]
        )
        batch_op.create_index(batch_op.f("ix_service_passenger_lists_arrives_at"), ["arrives_at"])
    op.create_table(
        "service_prearrival_cases",
        sa.Column("pk", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.String(length=64), nullable=False),
        sa.Column("list_pk", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("flight", sa.String(length=12), nullable=False),
        sa.Column("leg", sa.Integer(), nullable=False),
        sa.Column("port_code", sa.String(length=5), nullable=True),
        sa.Column("arrives_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("document_key", sa.String(length=80), nullable=True),
        sa.Column("booking_reference", sa.String(length=35), nullable=True),
        sa.Column("record", sa.JSON(), nullable=False),
        sa.Column("refer", sa.Boolean(), nullable=False),
        sa.Column("rule_codes", sa.JSON(), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("scored_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("entry_case_id", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["list_pk"],
            ["service_passenger_lists.pk"],
            name=op.f("fk_service_prearrival_cases_list_pk_service_passenger_lists"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_service_prearrival_cases")),
        sa.UniqueConstraint("case_id", name=op.f("uq_service_prearrival_cases_case_id")),
        sqlite_autoincrement=True,  # the referral feed's order: a pk is never reused
    )
    with op.batch_alter_table("service_prearrival_cases", schema=None) as batch_op:
        for column in (
            "list_pk",
            "flight",
            "port_code",
            "arrives_at",
            "document_key",
            "booking_reference",
            "refer",
            "entry_case_id",
        ):
            batch_op.create_index(batch_op.f(f"ix_service_prearrival_cases_{column}"), [column])


def downgrade() -> None:
    """Drop the passenger-list tables; the ``api_feed`` role goes with them."""
    op.drop_table("service_prearrival_cases")
    op.drop_table("service_passenger_lists")
    op.execute("DELETE FROM service_users WHERE role = 'api_feed'")
    with op.batch_alter_table("service_users", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_service_users_role"), type_="check")
        batch_op.create_check_constraint(op.f("ck_service_users_role"), _OLD_ROLES)
