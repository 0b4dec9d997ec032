"""Failed sign-ins: counted per account and per address, limited, and logged.

Tokens are long and random, so guessing one is hopeless; what a limit stops is a script trying
thousands a minute (against one account or from one address), and what the log gives is the
alert: an auditor sees the failures in the decision log, an operator in the application log.
Neither the account name nor the address is stored as such: both are keyed digests (HMAC with the
service's secret), enough to count and correlate, useless to read. The counts live in the
database, so every service process behind a load balancer shares them.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import structlog
from sqlalchemy import Engine, delete, func, select

from mizugiwa.db.engine import session_scope
from mizugiwa.service.console.tables import SignInAttempt

log = structlog.get_logger("mizugiwa.console")


@dataclass(frozen=True)
class SignInLimits:
    """At most ``per_account`` failures for one account name and ``per_address`` from one
    address within ``window``; beyond either, sign-in waits until the window has passed."""

    per_account: int = 5
    per_address: int = 20
    window: timedelta = timedelta(minutes=15)


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    retry_after_seconds: int = 0
    which: str | None = None  # "account" or "address" when refused


class SignInGuard:
    """Counts failed sign-ins in the database and refuses further tries past the limits."""

    def __init__(self, engine: Engine, secret_key: str, limits: SignInLimits | None = None) -> None:
        self._engine = engine
        self._key = secret_key.encode()
        self.limits = limits or SignInLimits()

    def _digest(self, kind: str, value: str) -> str:
        return hmac.new(self._key, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()

    def check(self, name: str, address: str) -> Verdict:
        """Whether this account and address may try to sign in now."""
        since = datetime.now(UTC) - self.limits.window
        name_key, address_key = self._digest("name", name.lower()), self._digest("ip", address)
        with session_scope(self._engine) as session:
            for which, column, key, limit in (
                ("account", SignInAttempt.name_key, name_key, self.limits.per_account),
                ("address", SignInAttempt.address_key, address_key, self.limits.per_address),
            ):
                count, first = session.execute(
                    select(func.count(SignInAttempt.pk), func.min(SignInAttempt.at)).where(
                        column == key, SignInAttempt.at >= since
                    )
                ).one()
                if count >= limit:
                    first = first if first.tzinfo else first.replace(tzinfo=UTC)
                    wait = first + self.limits.window - datetime.now(UTC)
                    return Verdict(False, max(1, int(wait.total_seconds()) + 1), which)
        return Verdict(True)

    def failed(self, name: str, address: str) -> None:
        """Count a failed sign-in (and forget those older than the window)."""
        now = datetime.now(UTC)
        name_key, address_key = self._digest("name", name.lower()), self._digest("ip", address)
        with session_scope(self._engine) as session:
            session.add(SignInAttempt(at=now, name_key=name_key, address_key=address_key))
            session.execute(
                delete(SignInAttempt).where(SignInAttempt.at < now - self.limits.window)
            )
        log.warning("console sign-in failed", account=name_key[:12], address=address_key[:12])

    def succeeded(self, name: str) -> None:
        """A right token clears the account's failures (the address's stay counted)."""
        name_key = self._digest("name", name.lower())
        with session_scope(self._engine) as session:
            session.execute(delete(SignInAttempt).where(SignInAttempt.name_key == name_key))
