"""Who may open which console page, and who the session cookie belongs to.

The console uses the API's accounts and roles (:mod:`service.auth`). Signing in checks the token
with the API's own authenticator; afterwards the signed session cookie is resolved to a
:class:`~service.auth.Principal` by account name, and accepted only while the account is active
and still holds the token it signed in with, and while the session has not been signed out
(revoked sessions are kept in the database, so a sign-out holds in every service process).
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Engine, delete, select

from mizugiwa.db.engine import session_scope
from mizugiwa.service.auth import Principal, Role
from mizugiwa.service.console.session import SessionData, token_fingerprint
from mizugiwa.service.console.tables import RevokedSession
from mizugiwa.service.tables import User

BASE = "/console"


@dataclass(frozen=True)
class Page:
    """A console page in the navigation: its path, label key, access key and roles."""

    path: str
    label: str
    accesskey: str
    roles: frozenset[Role]


PAGES: tuple[Page, ...] = (
    Page(f"{BASE}/worklist", "nav.worklist", "w", frozenset({Role.CONSULAR_OFFICER})),
    Page(f"{BASE}/inspection", "nav.inspection", "i", frozenset({Role.BORDER_INSPECTOR})),
    Page(f"{BASE}/flights", "nav.flights", "t", frozenset({Role.BORDER_INSPECTOR})),
    Page(
        f"{BASE}/dashboard",
        "nav.dashboard",
        "o",  # Alt+D is the browser's address bar
        frozenset({Role.ANALYST, Role.AUDITOR, Role.ADMIN}),
    ),
    Page(f"{BASE}/decision-log", "nav.decision_log", "g", frozenset({Role.AUDITOR, Role.ADMIN})),
    Page(f"{BASE}/admin", "nav.admin", "u", frozenset({Role.ADMIN})),
    Page(f"{BASE}/follow-ups", "nav.follow_ups", "k", frozenset({Role.INVESTIGATOR, Role.ANALYST})),
)

# Roles that see the analyst dashboard without its analyst-only links.
READ_ONLY_DASHBOARD: frozenset[Role] = frozenset({Role.AUDITOR, Role.ADMIN})


def pages_for(role: Role) -> list[Page]:
    """The pages a role may open, in navigation order."""
    return [page for page in PAGES if role in page.roles]


def may_open(role: Role, target: str) -> bool:
    """Whether ``target`` (a normalised local path) is one of the role's pages or below one."""
    path = target.partition("?")[0]
    return any(path == page.path or path.startswith(page.path + "/") for page in pages_for(role))


def home_for(role: Role) -> str:
    """Where a role lands after signing in: its first page."""
    pages = pages_for(role)
    return pages[0].path if pages else f"{BASE}/sign-in"


class SessionResolver:
    """Resolves session cookies to principals, with a cache of a few seconds per account."""

    def __init__(self, engine: Engine, ttl_seconds: float = 5.0) -> None:
        self._engine = engine
        self._ttl = ttl_seconds
        self._cache: dict[str, tuple[float, Principal, str]] = {}
        self._revoked: set[str] = set()
        self._lock = threading.Lock()

    def resolve(self, data: SessionData) -> Principal | None:
        """The principal of a session, or None when the account is gone, inactive or its token
        was rotated since the session began."""
        now = time.monotonic()
        cached = self._cache.get(data.name)
        if cached is None or cached[0] <= now:
            looked_up = self._lookup(data.name)
            if looked_up is None:
                with self._lock:
                    self._cache.pop(data.name, None)
                return None
            cached = (now + self._ttl, *looked_up)
            with self._lock:
                if len(self._cache) > 10_000:
                    self._cache.clear()
                self._cache[data.name] = cached
        _, principal, fingerprint = cached
        if fingerprint != data.token_fingerprint or self.is_revoked(data):
            return None
        return principal

    def revoke(self, data: SessionData, expires_at: datetime) -> None:
        """End a session now (sign-out): its cookie opens no page again, in any process."""
        with self._lock:
            self._revoked.add(data.session_id)
        with session_scope(self._engine) as session:
            if session.get(RevokedSession, data.session_id) is None:
                session.add(
                    RevokedSession(
                        session_id=data.session_id,
                        revoked_at=datetime.now(UTC),
                        expires_at=expires_at,
                    )
                )
            # Expired cookies are refused by their signature's age: their ids can go.
            session.execute(
                delete(RevokedSession).where(RevokedSession.expires_at < datetime.now(UTC))
            )

    def is_revoked(self, data: SessionData) -> bool:
        """True for a signed-out session (checked in the database: another process may have
        signed it out)."""
        if data.session_id in self._revoked:
            return True
        with session_scope(self._engine) as session:
            revoked = session.get(RevokedSession, data.session_id) is not None
        if revoked:
            with self._lock:
                self._revoked.add(data.session_id)
        return revoked

    def fingerprint_for(self, name: str) -> str | None:
        """The current token fingerprint of an active account (to open a session)."""
        looked_up = self._lookup(name)
        return None if looked_up is None else looked_up[1]

    def _lookup(self, name: str) -> tuple[Principal, str] | None:
        with session_scope(self._engine) as session:
            user = session.scalar(select(User).where(User.name == name, User.active.is_(True)))
            if user is None or user.token_sha256 is None:
                return None
            principal = Principal(user.pk, user.name, Role(user.role), user.post_code)
            return principal, token_fingerprint(user.token_sha256)
