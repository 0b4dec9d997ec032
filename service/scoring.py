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

from features.records import BorderEntry, Outcome, VisaApplication
from features.tipdb.engine import session_scope
from models.contract import Score
from service.audit import Decision
from service.auth import Principal, Role
from service.cases import find_application, record_outcome, store_scored
from service.errors import NotReadyError, PermissionDeniedError
from service.runtime import LoadedModel, ServiceRuntime
from service.schemas import OutcomeResponse, ScoreResponse

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


def _respond(score: Score, request_id: str, skipped: list[str]) -> ScoreResponse:
    reasons = list(score.degraded_reasons) + [s for s in skipped if s not in score.degraded_reasons]
    values: dict[str, Any] = dict(score)
    values.update(degraded=bool(reasons) or score.degraded, degraded_reasons=reasons)
    return ScoreResponse.model_construct(**values, request_id=request_id)


def _decision(endpoint: str, info: RequestInfo, score: Score, status: int = 200) -> Decision:
    return Decision(
        endpoint=endpoint,
        request_id=info.request_id,
        status=status,
        user_id=info.principal.user_id,
        input_sha256=info.input_sha256,
        case_id=score.case_id,
        model_name=score.model.name,
        model_version=score.model.version,
        rules_fired=[r.code for r in score.rules_fired],
        reason_codes=[r.code for r in score.reasons],
        referral=score.refer,
    )


def _count(runtime: ServiceRuntime, kind: str, score: Score) -> None:
    m = runtime.metrics
    m.scores.labels(kind=kind).inc()
    if score.refer:
        for by in score.referred_by or ["model"]:
            m.referrals.labels(kind=kind, by=by).inc()
    for hit in score.rules_fired:
        m.rule_hits.labels(rule=hit.code).inc()


def _store_and_log(
    runtime: ServiceRuntime,
    endpoint: str,
    kind: str,
    record: VisaApplication | BorderEntry,
    score: Score,
    info: RequestInfo,
    skipped: list[str],
) -> None:
    now = datetime.now(UTC)

    def store(session: Any) -> None:
        store_scored(
            session,
            kind=kind,
            record=record,
            score=score,
            request_id=info.request_id,
            scored_at=now,
        )

    try:
        runtime.decision_log.write(_decision(endpoint, info, score), also=store)
    except SQLAlchemyError as exc:
        # The database is unreachable: the answer still goes out, the log entry waits in the
        # local spool and is chained as soon as the database answers again.
        runtime.decision_log.spool(_decision(endpoint, info, score))
        skipped.append(f"case not stored, decision spooled locally: {type(exc).__name__}")


def score_application(
    runtime: ServiceRuntime, application: VisaApplication, info: RequestInfo
) -> ScoreResponse:
    """Score one visa application (a consular officer may score only their post's)."""
    principal = info.principal
    if principal.role is Role.CONSULAR_OFFICER and application.post_code != principal.post_code:
        raise PermissionDeniedError(
            f"post_code: a consular officer of {principal.post_code} may not score "
            f"applications of {application.post_code}"
        )
    model = _model(runtime)
    context, skipped = runtime.feature_context()
    [score] = model.scorer.score_applications([application], context)
    runtime.remember_application(application)
    _store_and_log(runtime, APPLICATION_ENDPOINT, "application", application, score, info, skipped)
    _count(runtime, "application", score)
    if skipped:
        runtime.metrics.degraded.inc()
    return _respond(score, info.request_id, skipped)


def score_entry(runtime: ServiceRuntime, entry: BorderEntry, info: RequestInfo) -> ScoreResponse:
    """Score one border entry with the application its ``visa_reference`` names, if stored."""
    model = _model(runtime)
    context, skipped = runtime.feature_context()
    linked: dict[str, VisaApplication] = {}
    reference = entry.visa_reference
    if reference is not None:
        application = runtime.applications.get(reference)
        if application is None:
            try:
                with session_scope(runtime.engine) as session:
                    application = find_application(session, reference)
            except SQLAlchemyError as exc:
                skipped.append(
                    f"visa application lookup skipped: database unreachable ({type(exc).__name__})"
                )
            if application is not None:
                runtime.applications.put(application)
        if application is not None:
            linked[reference] = application
    [score] = model.scorer.score_entries([entry], context, linked)
    _store_and_log(runtime, ENTRY_ENDPOINT, "entry", entry, score, info, skipped)
    _count(runtime, "entry", score)
    if skipped:
        runtime.metrics.degraded.inc()
    return _respond(score, info.request_id, skipped)


def submit_outcome(runtime: ServiceRuntime, outcome: Outcome, info: RequestInfo) -> OutcomeResponse:
    """Record an interview outcome; a confirmed case reaches the shared database at once."""
    principal = info.principal
    now = datetime.now(UTC)
    result: dict[str, Any] = {}

    def write(session: Any) -> None:
        only_post = principal.post_code if principal.role is Role.CONSULAR_OFFICER else None
        row, shared = record_outcome(
            session, outcome, recorded_by=principal.user_id, recorded_at=now, only_post=only_post
        )
        result.update(post=row.post_code, shared=shared)

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
    if result.get("shared"):
        # Other posts' next scores must see the confirmed case.
        runtime.refresh_views()
    return OutcomeResponse(
        case_id=outcome.case_id,
        outcome=outcome.outcome.value,
        status="interviewed",
        shared_case_id=result.get("shared"),
        request_id=info.request_id,
    )
