"""The service's own tables (prefixed ``service_``), in the shared database's metadata.

- :class:`User`: accounts, each with one role and, for consular officers, a post; the bearer
  token is stored as its SHA-256 only (tokens are random and long, so a fast hash suffices).
- :class:`StoredCase`: each scored application or entry, so that a border entry's
  ``visa_reference`` finds its application and a post's worklist lists its referrals.
- :class:`InterviewOutcome`: interview results, the labels of the next training run.
- :class:`DecisionLogEntry`: the append-only, hash-chained decision log. It holds digests and
  codes, never personal data.
- :class:`IdempotentResponse`: the first answer to a request sent with an ``Idempotency-Key``,
  committed with that request's own writes, so a retry gets it again instead of a 409.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from mizugiwa.db.base import Base

ROLES: tuple[str, ...] = ("consular_officer", "border_inspector", "analyst", "auditor", "admin")
REFERRAL_STATUSES: tuple[str, ...] = ("pending", "interviewed")


class User(Base):
    """An account; ``token_sha256`` is the digest of its current bearer token."""

    __tablename__ = "service_users"
    __table_args__ = (
        CheckConstraint(
            "role IN ('consular_officer', 'border_inspector', 'analyst', 'auditor', 'admin')",
            name="role",
        ),
        CheckConstraint(
            "(role = 'consular_officer') = (post_code IS NOT NULL)", name="officer_has_post"
        ),
    )

    pk: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(20))
    post_code: Mapped[str | None] = mapped_column(String(3))
    token_sha256: Mapped[str | None] = mapped_column(String(64), unique=True)
    token_issued_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class StoredCase(Base):
    """A scored application or entry: its record, its latest score and its referral status."""

    __tablename__ = "service_cases"
    __table_args__ = (
        CheckConstraint("kind IN ('application', 'entry')", name="kind"),
        CheckConstraint("status IN ('pending', 'interviewed')", name="status"),
    )

    pk: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(12))
    post_code: Mapped[str] = mapped_column(String(3), index=True)
    case_date: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    record: Mapped[dict[str, Any]] = mapped_column(JSON)
    scored_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    risk: Mapped[float | None] = mapped_column(Float)
    refer: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    referred_by: Mapped[list[str]] = mapped_column(JSON, default=list)
    reason_codes: Mapped[list[str]] = mapped_column(JSON, default=list)
    rule_codes: Mapped[list[str]] = mapped_column(JSON, default=list)
    model_version: Mapped[str | None] = mapped_column(String(40))
    request_id: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(12), default="pending")


class InterviewOutcome(Base):
    """The result of a secondary interview, recorded once per case."""

    __tablename__ = "service_outcomes"

    pk: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[str] = mapped_column(
        ForeignKey("service_cases.case_id", ondelete="RESTRICT"), unique=True
    )
    interviewed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    outcome: Mapped[str] = mapped_column(String(30))
    referral_source: Mapped[str] = mapped_column(String(20))
    victim_support_offered: Mapped[bool] = mapped_column(Boolean)
    recorded_by: Mapped[int] = mapped_column(ForeignKey("service_users.pk"))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    tipdb_case_id: Mapped[str | None] = mapped_column(String(64))


class DecisionLogEntry(Base):
    """One decision-log entry; ``entry_hash`` chains it to the one before (``prev_hash``)."""

    __tablename__ = "service_decision_log"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[str] = mapped_column(String(40))
    user_id: Mapped[int | None] = mapped_column(Integer)
    endpoint: Mapped[str] = mapped_column(String(100))
    request_id: Mapped[str] = mapped_column(String(64))
    status: Mapped[int] = mapped_column(Integer)
    input_sha256: Mapped[str | None] = mapped_column(String(64))
    case_id: Mapped[str | None] = mapped_column(String(64), index=True)
    model_name: Mapped[str | None] = mapped_column(String(100))
    model_version: Mapped[str | None] = mapped_column(String(40))
    rules_fired: Mapped[list[str]] = mapped_column(JSON)
    reason_codes: Mapped[list[str]] = mapped_column(JSON)
    referral: Mapped[bool | None] = mapped_column(Boolean)
    error: Mapped[str | None] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    entry_hash: Mapped[str] = mapped_column(String(64), unique=True)


class IdempotentResponse(Base):
    """The answer given to (``user_id``, ``key``), and the digest of the body it answered."""

    __tablename__ = "service_idempotency"
    __table_args__ = (UniqueConstraint("user_id", "key", name="uq_service_idempotency_key"),)

    pk: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(Integer)
    key: Mapped[str] = mapped_column(String(128))
    endpoint: Mapped[str] = mapped_column(String(100))
    input_sha256: Mapped[str | None] = mapped_column(String(64))
    response: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
