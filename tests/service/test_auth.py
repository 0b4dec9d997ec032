"""Accounts and tokens: validation, hashed storage, rotation."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from mizugiwa.db.engine import session_scope
from mizugiwa.service.auth import Role, TokenAuthenticator, add_user, hash_token, issue_token
from mizugiwa.service.errors import AuthenticationError, InvalidRequestError
from mizugiwa.service.runtime import ServiceRuntime
from mizugiwa.service.tables import User


def test_officer_needs_a_post_and_others_may_not_have_one(runtime: ServiceRuntime) -> None:
    with pytest.raises(InvalidRequestError, match="--post"):
        add_user(runtime.engine, "o1", "consular_officer")
    with pytest.raises(InvalidRequestError, match="only a consular_officer"):
        add_user(runtime.engine, "i1", "border_inspector", "NRT")
    with pytest.raises(InvalidRequestError, match="role 'chief'"):
        add_user(runtime.engine, "c1", "chief")
    principal = add_user(runtime.engine, "o2", "consular_officer", "mnl")
    assert principal.post_code == "MNL" and principal.role is Role.CONSULAR_OFFICER
    with pytest.raises(InvalidRequestError, match="already exists"):
        add_user(runtime.engine, "o2", "analyst")


def test_tokens_are_stored_hashed_and_rotation_revokes(runtime: ServiceRuntime) -> None:
    add_user(runtime.engine, "analyst1", "analyst")
    first = issue_token(runtime.engine, "analyst1")
    with session_scope(runtime.engine) as session:
        stored = session.scalar(select(User.token_sha256).where(User.name == "analyst1"))
    assert stored == hash_token(first) and first not in str(stored)
    auth = TokenAuthenticator(runtime.engine, ttl_seconds=0)
    assert auth.authenticate(f"Bearer {first}").name == "analyst1"
    second = issue_token(runtime.engine, "analyst1")
    assert second != first
    with pytest.raises(AuthenticationError):
        auth.authenticate(f"Bearer {first}")
    assert auth.authenticate(f"bearer {second}").role is Role.ANALYST


@pytest.mark.parametrize("header", [None, "", "Basic abc", "Bearer", "Bearer nope"])
def test_bad_authorization_headers_are_refused(runtime: ServiceRuntime, header: str | None) -> None:
    with pytest.raises(AuthenticationError):
        TokenAuthenticator(runtime.engine).authenticate(header)


def test_the_token_recheck_goes_through_the_database_breaker(
    runtime: ServiceRuntime, tokens: dict[str, str]
) -> None:
    """While the database is away a recently valid token keeps working (no wait on the
    database), an unknown one gets 503; when it answers, the re-check resumes."""
    import time as _time

    from sqlalchemy import create_engine

    from mizugiwa.service.breaker import DatabaseBreaker
    from mizugiwa.service.errors import UnavailableError

    breaker = DatabaseBreaker(pause_seconds=60)
    auth = TokenAuthenticator(runtime.engine, ttl_seconds=0.01, breaker=breaker)
    known = f"Bearer {tokens['inspector']}"
    assert auth.authenticate(known).name == "inspector"
    _time.sleep(0.02)  # the cached lookup has expired: the next call would re-check
    # The database goes away: a server that refuses connections.
    auth._engine = create_engine("postgresql+psycopg://nobody@127.0.0.1:9/none?connect_timeout=1")
    began = _time.monotonic()
    assert auth.authenticate(known).name == "inspector"  # stale but recent: still served
    assert breaker.open  # the failed re-check opened the breaker
    assert auth.authenticate(known).name == "inspector"  # and now no database call at all
    with pytest.raises(UnavailableError):
        auth.authenticate("Bearer mzg_never-issued")
    assert _time.monotonic() - began < 3
    auth._engine = runtime.engine
    breaker.succeeded()
    assert auth.authenticate(known).name == "inspector"
