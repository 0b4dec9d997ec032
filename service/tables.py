"""The service's own tables (prefixed ``service_``), in the shared database's metadata.

- :class:`User`: accounts, each with one role and, for consular officers, a post; the bearer
  token is stored as its SHA-256 only (tokens are random and long, so a fast hash suffices).
- :class:`StoredCase`: each scored application or entry, so that a border entry's
  ``visa_reference`` finds its application and a post's worklist lists its referrals.
- :class:`InterviewOutcome`: interview results, the labels of the next training run.
- :class:`DecisionLogEntry`: the append-only, hash-chained decision log. It holds digests and
  codes, never personal data.
- :class:`LookbackKey`: the exact keys (phones, addresses, organisations, sponsors, travel
  documents) each stored case is indexed under, written when the case is stored, so that a new
  fact in the trafficking database finds the earlier cases it concerns by index.
- :class:`FollowUp`: a stored case a new fact concerns, with its reasons and that fact;
  :class:`FollowUpOutcome`: what the follow-up found (a label, like an interview outcome).
- :class:`PassengerListRecord` and :class:`PreArrivalCase`: airline passenger lists (PAXLST)
  as received, and each person on them as a pre-arrival case with its screening, linked to
  the border entry when the traveller reaches the booth.
- :class:`IdempotentResponse`: the first answer to a request sent with an ``Idempotency-Key``,
  committed with that request's own writes, so a retry gets it again instead of a 409.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from mizugiwa.db.base import Base

ROLES: tuple[str, ...] = (
    "consular_officer",
    "border_inspector",
    "analyst",
    "auditor",
    "admin",
    "investigator",
    "api_feed",
)
ROLE_CHECK = "role IN ({})".format(", ".join(f"'{role}'" for role in ROLES))
REFERRAL_STATUSES: tuple[str, ...] = ("pending", "interviewed")


class User(Base):
    """An account; ``token_sha256`` is the digest of its current bearer token."""

    __tablename__ = "service_users"
    __table_args__ = (
        CheckConstraint(ROLE_CHECK, name="role"),
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
    """A scored case of any registered kind (``mizugiwa.features.kinds``; the kind's name is
    checked in code, not listed here): its record, its latest score and its referral status."""

    __tablename__ = "service_cases"
    __table_args__ = (CheckConstraint("status IN ('pending', 'interviewed')", name="status"),)

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


class LookbackKey(Base):
    """One lookup key of a stored case (``features.lookback.keys``), with the case's date so
    that a look-back reads only the cases inside its horizon from the index."""

    __tablename__ = "service_lookback_keys"
    __table_args__ = (Index("ix_service_lookback_keys_lookup", "kind", "key", "case_date"),)

    pk: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_pk: Mapped[int] = mapped_column(
        ForeignKey("service_cases.pk", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(12))
    key: Mapped[str] = mapped_column(String(600))
    field: Mapped[str] = mapped_column(String(24))
    case_date: Mapped[datetime] = mapped_column(DateTime(timezone=True))


FOLLOW_UP_STATUSES: tuple[str, ...] = ("open", "closed")


class FollowUp(Base):
    """A stored case that a fact recorded after it concerns: one row per (case, fact).

    ``reason_codes`` are catalogue codes (``models.reasons``); ``evidence`` names the fields of
    the case and the database entities that met, never the values themselves. ``rank`` orders
    the worklist: 0 for a spouse-visa holder linked to a raided establishment.
    """

    __tablename__ = "service_follow_ups"
    __table_args__ = (
        CheckConstraint("status IN ('open', 'closed')", name="status"),
        Index("uq_service_follow_ups_case_fact", "case_pk", "fact_type", "fact_id", unique=True),
        Index("ix_service_follow_ups_worklist", "status", "rank", "case_date"),
    )

    pk: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_pk: Mapped[int] = mapped_column(ForeignKey("service_cases.pk", ondelete="CASCADE"))
    case_id: Mapped[str] = mapped_column(String(64), index=True)
    case_kind: Mapped[str] = mapped_column(String(12))
    post_code: Mapped[str] = mapped_column(String(3))
    case_date: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    visa_category: Mapped[str | None] = mapped_column(String(30))
    fact_type: Mapped[str] = mapped_column(String(20))
    fact_id: Mapped[str] = mapped_column(String(64), index=True)
    fact_date: Mapped[date] = mapped_column(Date)
    fact_recorded_at: Mapped[date] = mapped_column(Date)
    reason_codes: Mapped[list[str]] = mapped_column(JSON)
    evidence: Mapped[dict[str, Any]] = mapped_column(JSON)
    rank: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(12), default="open")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    run_id: Mapped[str] = mapped_column(String(64))


class FollowUpOutcome(Base):
    """What a follow-up found, recorded once per follow-up: a label for the next training run
    (outcome kinds as for interviews), and whether protection was offered."""

    __tablename__ = "service_follow_up_outcomes"

    pk: Mapped[int] = mapped_column(Integer, primary_key=True)
    follow_up_pk: Mapped[int] = mapped_column(
        ForeignKey("service_follow_ups.pk", ondelete="RESTRICT"), unique=True
    )
    outcome: Mapped[str] = mapped_column(String(30))
    victim_support_offered: Mapped[bool] = mapped_column(Boolean)
    concluded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    recorded_by: Mapped[int] = mapped_column(ForeignKey("service_users.pk"))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class PassengerListRecord(Base):
    """A passenger or crew list as last received: one row per (sender, reference), so a list
    sent again replaces the one before. The persons are :class:`PreArrivalCase` rows."""

    __tablename__ = "service_passenger_lists"
    __table_args__ = (
        UniqueConstraint("sender", "reference"),
        CheckConstraint("list_kind IN ('passengers', 'crew')", name="list_kind"),
    )

    pk: Mapped[int] = mapped_column(Integer, primary_key=True)
    list_id: Mapped[str] = mapped_column(String(64), unique=True)
    sender: Mapped[str] = mapped_column(String(35))
    reference: Mapped[str] = mapped_column(String(70))
    list_kind: Mapped[str] = mapped_column(String(10))
    flight: Mapped[str] = mapped_column(String(12), index=True)
    arrival_port: Mapped[str | None] = mapped_column(String(5), index=True)
    arrives_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    legs: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    warnings: Mapped[list[str]] = mapped_column(JSON, default=list)
    persons_count: Mapped[int] = mapped_column(Integer)
    referred_count: Mapped[int] = mapped_column(Integer)
    degraded: Mapped[list[str]] = mapped_column(JSON, default=list)
    message_sha256: Mapped[str] = mapped_column(String(64))
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    received_by: Mapped[int | None] = mapped_column(Integer)


class PreArrivalCase(Base):
    """One person on a stored list: the pre-arrival case, its flight, leg and port of arrival,
    its screening, and the border entry it was linked to at the booth."""

    __tablename__ = "service_prearrival_cases"
    # pk orders the referral feed: never reused, even when a replaced list's rows are deleted
    __table_args__ = ({"sqlite_autoincrement": True},)

    pk: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[str] = mapped_column(String(64), unique=True)
    list_pk: Mapped[int] = mapped_column(
        ForeignKey("service_passenger_lists.pk", ondelete="CASCADE"), index=True
    )
    seq: Mapped[int] = mapped_column(Integer)
    role: Mapped[str] = mapped_column(String(20))
    flight: Mapped[str] = mapped_column(String(12), index=True)
    leg: Mapped[int] = mapped_column(Integer)
    port_code: Mapped[str | None] = mapped_column(String(5), index=True)
    arrives_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    document_key: Mapped[str | None] = mapped_column(String(80), index=True)
    booking_reference: Mapped[str | None] = mapped_column(String(35), index=True)
    record: Mapped[dict[str, Any]] = mapped_column(JSON)
    refer: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    rule_codes: Mapped[list[str]] = mapped_column(JSON, default=list)
    reasons: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    scored_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    entry_case_id: Mapped[str | None] = mapped_column(String(64), index=True)


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
