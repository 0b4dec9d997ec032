"""The administrator's accounts page: who may use the service, in which role and post, and
their tokens.

Each change is one transaction with its decision-log entry, so an account never changes without
the log saying who changed it and when. The entry names the account by its number (``ACCOUNT:7``)
and the new role or post, never the account's name. A new token is shown once, on the page that
issued it; the database keeps only its SHA-256, as for ``mizugiwa users token``. Revoking a
token ends the account's API access and every console session opened with it (within the
authenticator's cache time, 10 seconds).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from mizugiwa.service.audit import Decision
from mizugiwa.service.auth import Principal, Role, hash_token, new_token
from mizugiwa.service.errors import InvalidRequestError, NotFoundError
from mizugiwa.service.tables import User

ENDPOINT = "POST /console/admin/accounts"


@dataclass(frozen=True)
class Account:
    pk: int
    name: str
    role: str
    post_code: str | None
    active: bool
    has_token: bool
    token_issued_at: datetime | None


def list_accounts(engine: Any) -> list[Account]:
    """Every account, by name."""
    from mizugiwa.db.engine import session_scope

    with session_scope(engine) as session:
        return [
            Account(
                u.pk,
                u.name,
                u.role,
                u.post_code,
                u.active,
                u.token_sha256 is not None,
                u.token_issued_at,
            )
            for u in session.scalars(select(User).order_by(User.name))
        ]


def _role_and_post(role: str, post_code: str | None) -> tuple[Role, str | None]:
    try:
        role_ = Role(role)
    except ValueError:
        allowed = ", ".join(r.value for r in Role)
        raise InvalidRequestError(f"role: choose one of {allowed}") from None
    post = (post_code or "").strip().upper() or None
    if role_ is Role.CONSULAR_OFFICER and not (post and len(post) == 3 and post.isalpha()):
        raise InvalidRequestError("post: a consular officer needs a three-letter post code")
    if role_ is not Role.CONSULAR_OFFICER:
        post = None
    return role_, post


def _log(runtime: Any, admin: Principal, request_id: str, action: str, write: Any) -> None:
    codes: list[str] = [f"ADMIN:{action}"]

    def also(session: Session) -> None:
        codes.extend(write(session))

    runtime.decision_log.write(
        Decision(
            endpoint=f"{ENDPOINT}/{action}",
            request_id=request_id,
            status=200,
            user_id=admin.user_id,
            reason_codes=codes,
        ),
        also=also,
    )


def add_account(
    runtime: Any, admin: Principal, request_id: str, name: str, role: str, post_code: str | None
) -> str:
    """Create an account and its first token; returns the token (shown once)."""
    name = name.strip()
    if not name or len(name) > 64:
        raise InvalidRequestError("name: give 1 to 64 characters")
    role_, post = _role_and_post(role, post_code)
    token = new_token()

    def write(session: Session) -> list[str]:
        if session.scalar(select(User.pk).where(User.name == name)) is not None:
            raise InvalidRequestError(f"name: an account named {name!r} already exists")
        now = datetime.now(UTC)
        user = User(
            name=name,
            role=role_.value,
            post_code=post,
            created_at=now,
            token_sha256=hash_token(token),
            token_issued_at=now,
            active=True,
        )
        session.add(user)
        session.flush()
        return [f"ACCOUNT:{user.pk}", f"ROLE:{role_.value}", f"POST:{post or '-'}"]

    _log(runtime, admin, request_id, "add", write)
    return token


def _user(session: Session, pk: int) -> User:
    user = session.get(User, pk)
    if user is None:
        raise NotFoundError(f"account {pk}: no such account")
    return user


def change_account(
    runtime: Any, admin: Principal, request_id: str, pk: int, role: str, post_code: str | None
) -> None:
    """Give an account another role or post."""
    role_, post = _role_and_post(role, post_code)

    def write(session: Session) -> list[str]:
        user = _user(session, pk)
        if user.pk == admin.user_id and role_ is not Role.ADMIN:
            raise InvalidRequestError("role: you cannot take the administrator role from yourself")
        user.role, user.post_code = role_.value, post
        return [f"ACCOUNT:{pk}", f"ROLE:{role_.value}", f"POST:{post or '-'}"]

    _log(runtime, admin, request_id, "change", write)


def rotate_token(runtime: Any, admin: Principal, request_id: str, pk: int) -> str:
    """Issue a new token (the old one stops working); returns it (shown once)."""
    token = new_token()

    def write(session: Session) -> list[str]:
        user = _user(session, pk)
        user.token_sha256 = hash_token(token)
        user.token_issued_at = datetime.now(UTC)
        return [f"ACCOUNT:{pk}"]

    _log(runtime, admin, request_id, "rotate", write)
    return token


def revoke_token(runtime: Any, admin: Principal, request_id: str, pk: int) -> None:
    """Take the account's token away: no API call or console session works until a new one."""

    def write(session: Session) -> list[str]:
        user = _user(session, pk)
        if user.pk == admin.user_id:
            raise InvalidRequestError("token: revoke your own token from another admin account")
        user.token_sha256 = None
        return [f"ACCOUNT:{pk}"]

    _log(runtime, admin, request_id, "revoke", write)
