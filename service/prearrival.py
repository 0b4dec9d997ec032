"""Receiving a passenger list over HTTP: parse, screen, store and log, all or nothing.

A message that cannot be read is rejected with the segment number and the reason (422) and
nothing of it is stored; the decision log records every list received with the codes that
fired (never a name). An airline's gateway (``api_feed``) gets a receipt; a border inspector
also gets the screening.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from mizugiwa.db.engine import session_scope
from mizugiwa.features.indicators.context import FeatureContext
from mizugiwa.features.paxlst import PassengerList, PaxlstError, parse_paxlst
from mizugiwa.service.audit import Decision, DecisionLog
from mizugiwa.service.auth import Role
from mizugiwa.service.errors import InvalidRequestError, NotReadyError
from mizugiwa.service.passenger_lists import (
    StoredList,
    decode_message,
    list_id_of,
    message_digest,
    screen_against_storage,
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
    decision = Decision(
        endpoint=ENDPOINT,
        request_id=info.request_id,
        status=200,
        user_id=info.principal.user_id,
        input_sha256=info.input_sha256,
    )
    try:
        stored = store_logged(
            runtime.decision_log,
            decision,
            pax,
            features if runtime.views is not None else None,
            message_sha256=message_digest(text),
        )
    except SQLAlchemyError as exc:
        runtime.database.failed()
        raise NotReadyError(
            f"passenger list not stored: database unavailable ({type(exc).__name__})"
        ) from None
    body_json = stored.to_json(screening=info.principal.role is not Role.API_FEED)
    body_json["request_id"] = info.request_id
    return body_json


def store_logged(
    decision_log: DecisionLog,
    decision: Decision,
    pax: PassengerList,
    features: FeatureContext | None,
    *,
    message_sha256: str,
) -> StoredList:
    """Screen ``pax``, then store it and append ``decision`` (completed with the codes that
    fired and whether anyone was referred: codes, never names) in one transaction."""
    with session_scope(decision_log.engine) as session:
        screened = screen_against_storage(session, pax, features)
    result: dict[str, StoredList] = {}

    def write(session: Session) -> None:
        result["stored"] = store_and_screen(
            session,
            pax,
            features,
            message_sha256=message_sha256,
            received_by=decision.user_id,
            now=datetime.now(UTC),
            screened=screened,
        )

    decision_log.write(
        replace(
            decision,
            case_id=list_id_of(pax.sender, pax.reference),
            rules_fired=screened.rule_codes,
            reason_codes=screened.codes,
            referral=screened.referred,
        ),
        also=write,
    )
    return result["stored"]
