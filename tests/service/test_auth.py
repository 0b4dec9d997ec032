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
