"""The console's own entries in the decision log: rejected forms and case views.

The service's documentation promises that every request is in the decision log. Scores and
outcomes made through the console go through the API's domain code and are logged there; this
module adds what only the console sees: a form it refused (a bad MRZ, another post's case, an
outcome without a value) and an officer opening a case. Entries hold the input's digest, the
case id and a short error code, never the form's text (it may hold names or an MRZ).
"""

from __future__ import annotations

import secrets
from typing import Any

from fastapi import Request
from sqlalchemy.exc import SQLAlchemyError

from mizugiwa.service.audit import Decision, canonical_json, input_digest
from mizugiwa.service.auth import Principal

CASE_VIEW_ENDPOINT = "GET /console/cases/{case_id}"


def _request_id(request: Request) -> str:
    return str(getattr(request.state, "request_id", "") or secrets.token_hex(8))


def _write(runtime: Any, decision: Decision) -> None:
    try:
        runtime.decision_log.write(decision)
    except SQLAlchemyError:
        # The database is away: the entry waits in the spool and is chained on its return.
        runtime.decision_log.spool(decision)


def log_rejection(
    runtime: Any,
    request: Request,
    principal: Principal | None,
    endpoint: str,
    body: dict[str, Any],
    status: int,
    case_id: str | None = None,
    error: str = "invalid input",
) -> None:
    """Log a form the console refused."""
    _write(
        runtime,
        Decision(
            endpoint=endpoint,
            request_id=_request_id(request),
            status=status,
            user_id=principal.user_id if principal else None,
            input_sha256=input_digest(canonical_json(body)),
            case_id=(case_id or None) and case_id[:64],
            error=error,
        ),
    )


def log_case_view(
    runtime: Any, request: Request, principal: Principal, case_id: str, status: int
) -> None:
    """Log an officer opening a case page (who read which case, and when)."""
    _write(
        runtime,
        Decision(
            endpoint=CASE_VIEW_ENDPOINT,
            request_id=_request_id(request),
            status=status,
            user_id=principal.user_id,
            case_id=case_id[:64],
            error=None if status == 200 else "no such case at this post",
        ),
    )
