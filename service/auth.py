"""Accounts, roles and bearer tokens.

A token is 32 random bytes (``mzg_`` + URL-safe base64), shown once when issued; only its
SHA-256 is stored. Issuing a new token replaces the old one. Lookups are cached in memory for
a few seconds so that the hot path does not query the accounts table on every request.

The re-check after those seconds goes through the database breaker: while the database is away
a token that was valid within ``stale_seconds`` keeps working (so booths keep getting degraded
scores; a revocation takes effect when the database answers again), and an unknown one gets 503
with ``Retry-After`` rather than a wait for a connection timeout or a 500.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from sqlalchemy import Engine, select
from sqlalchemy.exc import SQLAlchemyError

from mizugiwa.db.engine import session_scope
from mizugiwa.service.breaker import DatabaseBreaker
from mizugiwa.service.errors import AuthenticationError, InvalidRequestError, NotFoundError
from mizugiwa.service.tables import User

TOKEN_PREFIX = "mzg_"


class Role(StrEnum):
    CONSULAR_OFFICER = "consular_officer"
    BORDER_INSPECTOR = "border_inspector"
    ANALYST = "analyst"
    AUDITOR = "auditor"
    ADMIN = "admin"
    INVESTIGATOR = "investigator"  # immigration bureau, national scope: follow-ups
    API_FEED = "api_feed"  # an airline or carrier gateway sending passenger lists


ALL_ROLES: frozenset[Role] = frozenset(Role)
# The people who use the service; a carrier's gateway only ever sends passenger lists.
STAFF_ROLES: frozenset[Role] = ALL_ROLES - {Role.API_FEED}


@dataclass(frozen=True)
class Principal:
    """Who is asking: the account behind a valid token."""

    user_id: int
    name: str
    role: Role
    post_code: str | None


def hash_token(token: str) -> str:
    """The stored form of a token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_token() -> str:
    """A fresh random bearer token."""
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def add_user(engine: Engine, name: str, role: str, post_code: str | None = None) -> Principal:
    """Create an account. A consular officer needs a post; no other role has one."""
    try:
        role_ = Role(role)
    except ValueError:
        allowed = ", ".join(r.value for r in Role)
        raise InvalidRequestError(f"role {role!r} is not one of: {allowed}") from None
    name = name.strip()
    if not name or len(name) > 64:
        raise InvalidRequestError("name must have 1 to 64 characters")
    post = post_code.strip().upper() if post_code else None
    if role_ is Role.CONSULAR_OFFICER and not (post and len(post) == 3 and post.isalpha()):
        raise InvalidRequestError("a consular_officer needs --post, a three-letter post code")
    if role_ is not Role.CONSULAR_OFFICER and post:
        raise InvalidRequestError(f"only a consular_officer is bound to a post, not a {role_}")
    with session_scope(engine) as session:
        if session.scalar(select(User.pk).where(User.name == name)) is not None:
            raise InvalidRequestError(f"user {name!r} already exists")
        user = User(name=name, role=role_.value, post_code=post, created_at=datetime.now(UTC))
        session.add(user)
        session.flush()
        return Principal(user.pk, user.name, role_, post)


def issue_token(engine: Engine, name: str) -> str:
    """Issue a new token for ``name`` (the previous one stops working); returns it once."""
    token = new_token()
    with session_scope(engine) as session:
        user = session.scalar(select(User).where(User.name == name))
        if user is None:
            raise NotFoundError(f"no user named {name!r}")
        user.token_sha256 = hash_token(token)
        user.token_issued_at = datetime.now(UTC)
    return token


class TokenAuthenticator:
    """Resolves bearer tokens to principals, with a short-lived in-memory cache."""

    def __init__(
        self,
        engine: Engine,
        ttl_seconds: float = 10.0,
        *,
        breaker: DatabaseBreaker | None = None,
        stale_seconds: float = 900.0,
    ) -> None:
        self._engine = engine
        self._ttl = ttl_seconds
        self._stale = stale_seconds
        self._breaker = breaker if breaker is not None else DatabaseBreaker()
        self._cache: dict[str, tuple[float, Principal]] = {}
        self._lock = threading.Lock()

    def cached(self, authorization: str | None) -> Principal | None:
        """The principal when the cache answers without the database (else ``None``)."""
        if not authorization:
            return None
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return None
        hit = self._cache.get(hash_token(token.strip()))
        return hit[1] if hit is not None and hit[0] > time.monotonic() else None

    def authenticate(self, authorization: str | None) -> Principal:
        """The principal for an ``Authorization: Bearer ...`` header value."""
        if not authorization:
            raise AuthenticationError("missing bearer token (Authorization: Bearer <token>)")
        scheme, _, token = authorization.partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token:
            raise AuthenticationError("the Authorization header must be 'Bearer <token>'")
        digest = hash_token(token)
        now = time.monotonic()
        cached = self._cache.get(digest)
        if cached is not None and cached[0] > now:
            return cached[1]
        if self._breaker.open:
            return self._while_away(cached, now)
        try:
            principal = self._lookup(digest)
        except SQLAlchemyError as exc:
            from mizugiwa.service.outage import is_outage

            if not is_outage(exc):
                raise
            self._breaker.failed()
            return self._while_away(cached, now)
        self._breaker.succeeded()
        with self._lock:
            if len(self._cache) > 10_000:
                self._cache.clear()
            self._cache[digest] = (now + self._ttl, principal)
        return principal

    def _while_away(self, cached: tuple[float, Principal] | None, now: float) -> Principal:
        """A recently valid token while the database is away; otherwise 503."""
        if cached is not None and cached[0] - self._ttl + self._stale > now:
            return cached[1]
        from mizugiwa.service.outage import unavailable

        raise unavailable()

    def _lookup(self, digest: str) -> Principal:
        with session_scope(self._engine) as session:
            user = session.scalar(
                select(User).where(User.token_sha256 == digest, User.active.is_(True))
            )
            if user is None:
                raise AuthenticationError("unknown or revoked token")
            return Principal(user.pk, user.name, Role(user.role), user.post_code)
