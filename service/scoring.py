"""Scoring requests end to end: check the caller may, score with the champion in service, store
the case, append the decision, count it. Routers call these and shape nothing else.

What the service could not use is reported on the score (``degraded``) rather than failing it:
the trafficking database not loaded, a linked application that could not be read, a case that
could not be stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import structlog
from sqlalchemy.exc import SQLAlchemyError

from mizugiwa.features.records import BorderEntry, Concern, Outcome, VisaApplication
from mizugiwa.service.audit import Decision
from mizugiwa.service.auth import Principal, Role
from mizugiwa.service.cases import find_application, record_outcome, store_scored_driver
from mizugiwa.service.driver_sql import DriverTransaction
from mizugiwa.service.errors import NotReadyError, PermissionDeniedError
from mizugiwa.service.runtime import LoadedModel, ServiceRuntime
from mizugiwa.service.schemas import OutcomeResponse, ScoreResponse

log = structlog.get_logger("mizugiwa.service.scoring")
APPLICATION_ENDPOINT = "POST /v1/visa-applications/score"
ENTRY_ENDPOINT = "POST /v1/border-entries/score"
OUTCOME_ENDPOINT = "POST /v1/outcomes"


@dataclass(frozen=True)
class RequestInfo:
    """Who asked, and how to find the request again."""

    principal: Principal
    request_id: str
    input_sha256: str | None


def _model(runtime: ServiceRuntime) -> LoadedModel:
    model = runtime.model
    if model is None:
        raise NotReadyError(
            "no champion model is loaded: train and promote one (mizugiwa train, "
            "mizugiwa promote), the service picks it up within model_reload_seconds"
        )
    return model


def _finish(row: dict[str, Any], request_id: str, skipped: list[str]) -> dict[str, Any]:
    """The response body: the score's JSON form with the request id and what was skipped."""
    reasons = list(row["degraded_reasons"])
    reasons += [s for s in skipped if s not in reasons]
    row.update(
        degraded=bool(reasons) or bool(row["degraded"]),
        degraded_reasons=reasons,
        request_id=request_id,
    )
    return row


def _decision(endpoint: str, info: RequestInfo, row: dict[str, Any]) -> Decision:
    return Decision(
        endpoint=endpoint,
        request_id=info.request_id,
        status=200,
        user_id=info.principal.user_id,
        input_sha256=info.input_sha256,
        case_id=row["case_id"],
        model_name=row["model"]["name"],
        model_version=row["model"]["version"],
        rules_fired=[r["code"] for r in row["rules_fired"]],
        reason_codes=[r["code"] for r in row["reasons"]],
        referral=row["refer"],
    )


def _count(runtime: ServiceRuntime, kind: str, row: dict[str, Any], degraded: bool) -> None:
    m = runtime.metrics
    m.scores.labels(kind=kind).inc()
    if row["refer"]:
        for by in row["referred_by"] or ["model"]:
            m.referrals.labels(kind=kind, by=by).inc()
    for hit in row["rules_fired"]:
        m.rule_hits.labels(rule=hit["code"]).inc()
    if degraded:
        m.degraded.inc()


def _store_and_log(
    runtime: ServiceRuntime,
    endpoint: str,
    kind: str,
    record: VisaApplication | BorderEntry,
    row: dict[str, Any],
    info: RequestInfo,
    skipped: list[str],
) -> None:
    """The case row and the decision, in one transaction (or the decision spooled)."""
    now = datetime.now(UTC)
    decision = _decision(endpoint, info, row)

    def store(transaction: DriverTransaction) -> None:
        store_scored_driver(
            transaction,
            runtime.engine.dialect,
            kind=kind,
            record=record,
            score=row,
            request_id=info.request_id,
            scored_at=now,
        )

    # When the database is unreachable the answer still goes out: the log entry waits in the
    # local spool and is chained as soon as the database answers again.
    if runtime.database.open:
        runtime.decision_log.spool(decision)
        skipped.append("case not stored, decision spooled locally: database unreachable")
        return
    try:
        runtime.decision_log.append(decision, also=store)
    except SQLAlchemyError as exc:
        runtime.database.failed()
        runtime.decision_log.spool(decision)
        skipped.append(f"case not stored, decision spooled locally: {type(exc).__name__}")
    else:
        runtime.database.succeeded()


def score_application_json(
    runtime: ServiceRuntime, application: VisaApplication, info: RequestInfo
) -> dict[str, Any]:
    """Score one visa application (a consular officer may score only their post's); returns
    the response body in its JSON form, stored and logged."""
    principal = info.principal
    if principal.role is Role.CONSULAR_OFFICER and application.post_code != principal.post_code:
        raise PermissionDeniedError(
            f"post_code: a consular officer of {principal.post_code} may score only that "
            "post's applications"
        )
    model = _model(runtime)
    context, skipped = runtime.feature_context()
    [row] = model.scorer.application_score_dicts([application], context)
    runtime.remember_application(application)
    # The border entry that names this application will need exactly these probabilities.
    runtime.linked_probabilities.for_state(model.scorer, context)[application.application_id] = {
        Concern(c): float(p) for c, p in row["probabilities"].items()
    }
    _store_and_log(runtime, APPLICATION_ENDPOINT, "application", application, row, info, skipped)
    _count(runtime, "application", row, bool(skipped))
    return _finish(row, info.request_id, skipped)


def _linked_application(
    runtime: ServiceRuntime, reference: str, skipped: list[str]
) -> VisaApplication | None:
    """The stored application an entry names: from the cache, else from the database."""
    application = runtime.applications.get(reference)
    if application is not None:
        return application
    if runtime.database.open:
        skipped.append("visa application lookup skipped: database unreachable")
        return None
    try:
        with runtime.engine.connect() as connection:
            application = find_application(connection, reference)
    except SQLAlchemyError as exc:
        runtime.database.failed()
        skipped.append(
            f"visa application lookup skipped: database unreachable ({type(exc).__name__})"
        )
        return None
    if application is not None:
        runtime.applications.put(application)
    return application


def score_entry_json(
    runtime: ServiceRuntime, entry: BorderEntry, info: RequestInfo
) -> dict[str, Any]:
    """Score a border entry with the application its ``visa_reference`` names, if stored;
    returns the response body in its JSON form, stored and logged."""
    model = _model(runtime)
    context, skipped = runtime.feature_context()
    linked: dict[str, VisaApplication] = {}
    reference = entry.visa_reference
    if reference is not None:
        application = _linked_application(runtime, reference, skipped)
        if application is not None:
            linked[reference] = application
    [row] = model.scorer.entry_score_dicts(
        [entry],
        context,
        linked,
        linked_cache=runtime.linked_probabilities.for_state(model.scorer, context),
    )
    _store_and_log(runtime, ENTRY_ENDPOINT, "entry", entry, row, info, skipped)
    _count(runtime, "entry", row, bool(skipped))
    return _finish(row, info.request_id, skipped)


def score_application(
    runtime: ServiceRuntime, application: VisaApplication, info: RequestInfo
) -> ScoreResponse:
    """:func:`score_application_json` as a validated :class:`ScoreResponse`."""
    return ScoreResponse.model_validate(score_application_json(runtime, application, info))


def score_entry(runtime: ServiceRuntime, entry: BorderEntry, info: RequestInfo) -> ScoreResponse:
    """:func:`score_entry_json` as a validated :class:`ScoreResponse`."""
    return ScoreResponse.model_validate(score_entry_json(runtime, entry, info))


def outcome_scope(principal: Principal) -> tuple[str | None, str | None]:
    """The cases a caller may record outcomes for, as (post, kind): a consular officer their own
    post's visa applications; a border inspector border entries (at any port: inspectors are
    not bound to one), never a post's applications."""
    if principal.role is Role.CONSULAR_OFFICER:
        return principal.post_code, "application"
    if principal.role is Role.BORDER_INSPECTOR:
        return None, "entry"
    return None, None


def submit_outcome(
    runtime: ServiceRuntime,
    outcome: Outcome,
    info: RequestInfo,
    idempotency_key: str | None = None,
) -> OutcomeResponse:
    """Record an interview outcome; a confirmed case reaches the shared database at once.

    Once the transaction is committed the answer is 200 whatever follows: the in-memory views
    are reloaded off the request path (:meth:`ServiceRuntime.views_changed`). With an
    ``idempotency_key`` a retry gets the first answer (see :mod:`service.idempotency`)."""
    from sqlalchemy.exc import IntegrityError

    from mizugiwa.service import idempotency
    from mizugiwa.service.errors import ConflictError

    principal = info.principal
    if idempotency_key is not None:
        first = idempotency.replay(
            runtime.engine, principal.user_id, idempotency_key, OUTCOME_ENDPOINT, info.input_sha256
        )
        if first is not None:
            return OutcomeResponse.model_validate(first)
    now = datetime.now(UTC)
    result: dict[str, Any] = {}

    def write(session: Any) -> None:
        only_post, only_kind = outcome_scope(principal)
        row, shared = record_outcome(
            session,
            outcome,
            recorded_by=principal.user_id,
            recorded_at=now,
            only_post=only_post,
            only_kind=only_kind,
        )
        result.update(post=row.post_code, shared=shared)
        if idempotency_key is not None:
            answer = _outcome_response(outcome, shared, info.request_id)
            idempotency.remember(
                session,
                principal.user_id,
                idempotency_key,
                OUTCOME_ENDPOINT,
                info.input_sha256,
                answer.model_dump(mode="json"),
            )

    try:
        runtime.decision_log.write(
            Decision(
                endpoint=OUTCOME_ENDPOINT,
                request_id=info.request_id,
                status=200,
                user_id=principal.user_id,
                input_sha256=info.input_sha256,
                case_id=outcome.case_id,
                reason_codes=[f"OUTCOME:{outcome.outcome.value}"],
            ),
            also=write,
        )
    except (ConflictError, IntegrityError):
        # A concurrent retry with the same key committed first: answer as it was answered.
        if idempotency_key is not None:
            first = idempotency.replay(
                runtime.engine,
                principal.user_id,
                idempotency_key,
                OUTCOME_ENDPOINT,
                info.input_sha256,
            )
            if first is not None:
                return OutcomeResponse.model_validate(first)
        raise
    runtime.database.succeeded()
    if result.get("shared"):
        # Other posts' next scores must see the confirmed case: reloaded in the background.
        runtime.views_changed()
    return _outcome_response(outcome, result.get("shared"), info.request_id)


def _outcome_response(outcome: Outcome, shared: str | None, request_id: str) -> OutcomeResponse:
    return OutcomeResponse(
        case_id=outcome.case_id,
        outcome=outcome.outcome.value,
        status="interviewed",
        shared_case_id=shared,
        request_id=request_id,
    )
