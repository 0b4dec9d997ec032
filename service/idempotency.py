"""``Idempotency-Key``: a retried request gets the first answer, not a 409.

A booth that lost the answer to an outcome (a timeout, a reset, a 503 after the commit) cannot
know whether it was stored. Sent with the same ``Idempotency-Key`` header, the retry gets the
answer the first request got (same body, same ``request_id``) and stores nothing twice. The
first answer is committed in the same transaction as the request's own writes, so it exists
exactly when they do. Keys are per account; a key sent again with another body is a 422.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from mizugiwa.db.engine import session_scope
from mizugiwa.service.errors import InvalidRequestError
from mizugiwa.service.tables import IdempotentResponse

HEADER = "Idempotency-Key"
_SANE_KEY = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
LOC = ("header", HEADER)


def checked_key(value: str | None) -> str | None:
    """The header's value when sane (1 to 128 of ``A-Z a-z 0-9 . _ : -``); 422 otherwise."""
    if value is None:
        return None
    if not _SANE_KEY.match(value):
        raise InvalidRequestError(
            f"{HEADER}: 1 to 128 characters of A-Z, a-z, 0-9, '.', '_', ':' and '-'", loc=LOC
        )
    return value


def _first(session: Session, user_id: int, key: str) -> IdempotentResponse | None:
    return session.scalar(
        select(IdempotentResponse).where(
            IdempotentResponse.user_id == user_id, IdempotentResponse.key == key
        )
    )


def replay(
    engine: Engine, user_id: int, key: str, endpoint: str, digest: str | None
) -> dict[str, Any] | None:
    """The first answer to this key, or ``None`` when there was none; 422 when the key was
    used with another body or endpoint."""
    with session_scope(engine) as session:
        first = _first(session, user_id, key)
        if first is None:
            return None
        if first.endpoint != endpoint or first.input_sha256 != digest:
            raise InvalidRequestError(
                f"{HEADER}: already used for another request; use a new key", loc=LOC
            )
        return dict(first.response)


def remember(
    session: Session,
    user_id: int,
    key: str,
    endpoint: str,
    digest: str | None,
    response: dict[str, Any],
) -> None:
    """Store the answer in the request's own transaction."""
    session.add(
        IdempotentResponse(
            user_id=user_id,
            key=key,
            endpoint=endpoint,
            input_sha256=digest,
            response=response,
            created_at=datetime.now(UTC),
        )
    )
