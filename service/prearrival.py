"""Receiving a passenger list over HTTP: parse, screen, store and log, all or nothing.

A message that cannot be read is rejected with the segment number and the reason (422) and
nothing of it is stored; the decision log records every list received with the codes that
fired (never a name). An airline's gateway (``api_feed``) gets a receipt; a border inspector
also gets the screening.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from mizugiwa.features.paxlst import PaxlstError, parse_paxlst
from mizugiwa.service.audit import Decision
from mizugiwa.service.auth import Role
from mizugiwa.service.errors import InvalidRequestError, NotReadyError
from mizugiwa.service.passenger_lists import (
    StoredList,
    decode_message,
    message_digest,
    store_and_screen,
)
from mizugiwa.service.runtime import ServiceRuntime
from mizugiwa.service.scoring import RequestInfo

ENDPOINT = "POST /v1/passenger-lists"


def receive_list(runtime: ServiceRuntime, body: bytes, info: RequestInfo) -> dict[str, Any]:
    """Store and screen one PAXLST interchange; the response body in JSON form."""
    text = decode_message(body)
    try:
        pax = parse_paxlst(text)
    except PaxlstError as exc:
        raise InvalidRequestError(f"passenger list rejected: {exc}") from None
    features, _missing = runtime.feature_context()
    if runtime.views is None:
        features = None
    result: dict[str, StoredList] = {}

    def write(session: Session) -> None:
        result["stored"] = store_and_screen(
            session,
            pax,
            features,
            message_sha256=message_digest(text),
            received_by=info.principal.user_id,
            now=datetime.now(UTC),
        )

    decision = Decision(
        endpoint=ENDPOINT,
        request_id=info.request_id,
        status=200,
        user_id=info.principal.user_id,
        input_sha256=info.input_sha256,
    )
    try:
        runtime.decision_log.write(decision, also=write)
    except SQLAlchemyError as exc:
        runtime.database.failed()
        raise NotReadyError(
            f"passenger list not stored: database unavailable ({type(exc).__name__})"
        ) from None
    stored = result["stored"]
    body_json = stored.to_json(screening=info.principal.role is not Role.API_FEED)
    body_json["request_id"] = info.request_id
    return body_json
