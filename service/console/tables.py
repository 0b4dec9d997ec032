"""The console's own tables (prefixed ``console_``), in the shared database's metadata.

- :class:`OutcomeHistory`: every outcome a correction replaced, with who corrected it and why,
  so that the first answer is never lost (the decision log holds the correction too).
- :class:`RevokedSession`: sessions ended by signing out. A session cookie carries a random id;
  once that id is here the cookie no longer opens a page, even before it expires.
- :class:`SignInAttempt`: failed sign-ins by account name and by address (as keyed digests,
  never the raw values), for the rate limit and the decision log's "who tried what".
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from mizugiwa.db.base import Base


class OutcomeHistory(Base):
    """An interview outcome as it was before a correction replaced it."""

    __tablename__ = "console_outcome_history"

    pk: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[str] = mapped_column(String(64), index=True)
    outcome: Mapped[str] = mapped_column(String(30))
    interviewed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    referral_source: Mapped[str] = mapped_column(String(20))
    victim_support_offered: Mapped[bool] = mapped_column(Boolean)
    recorded_by: Mapped[int] = mapped_column(ForeignKey("service_users.pk"))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    replaced_by: Mapped[int] = mapped_column(ForeignKey("service_users.pk"))
    replaced_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    reason: Mapped[str] = mapped_column(Text)


class RevokedSession(Base):
    """A signed-out session id; kept until the cookie would have expired anyway."""

    __tablename__ = "console_revoked_sessions"

    session_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    revoked_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


class SignInAttempt(Base):
    """A failed sign-in: digests of the account name and the client address, and when."""

    __tablename__ = "console_sign_in_attempts"

    pk: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    name_key: Mapped[str] = mapped_column(String(64), index=True)
    address_key: Mapped[str] = mapped_column(String(64), index=True)
