"""Scoring requests end to end: check the caller may, score with the champion in service, store
the case, append the decision, count it. Routers call these and shape nothing else.

What the service could not use is reported on the score (``degraded``) rather than failing it:
the trafficking database not loaded, a linked application that could not be read, a case that
could not be stored.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import structlog
from sqlalchemy.exc import SQLAlchemyError

from mizugiwa.features.kinds import CaseKindSpec, kind
from mizugiwa.features.records import Concern, Outcome
from mizugiwa.service.audit import Decision
from mizugiwa.service.auth import Principal, Role
from mizugiwa.service.booth_link import add_prearrival_reasons
from mizugiwa.service.cases import find_case, record_outcome, store_scored_driver
from mizugiwa.service.driver_sql import DriverTransaction
from mizugiwa.service.errors import NotReadyError, PermissionDeniedError
from mizugiwa.service.runtime import LoadedModel, ServiceRuntime
from mizugiwa.service.schemas import OutcomeResponse, ScoreResponse

log = structlog.get_logger("mizugiwa.service.scoring")
OUTCOME_ENDPOINT = "POST /v1/outcomes"
# What the service adds to a kind's answer from its own stores, after the scorer: a border entry
# gets the reasons its traveller's airline passenger list was screened with. One entry per kind,
# so a kind adds its step here rather than a branch in the scoring path.
ENRICHERS: dict[str, Callable[[ServiceRuntime, Any, dict[str, Any], list[str]], object]] = {
    "entry": add_prearrival_reasons,
}


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
    rolling = getattr(runtime.model.scorer, "rolling", None) if runtime.model else None
    share = rolling.rules_share(kind, row["post_code"]) if rolling is not None else None
    if share is not None:
        m.set_rule_share(kind, row["post_code"], share, row["capacity"])
    if degraded:
        m.degraded.inc()


def _store_and_log(
    runtime: ServiceRuntime,
    endpoint: str,
    kind: str,
    record: Any,
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


def _check_post(spec: CaseKindSpec, record: Any, principal: Principal) -> None:
    """A caller whose role scores only its own post's cases of this kind (a consular officer
    and the applications of its post) may not score another post's."""
    if principal.role.value not in spec.service.own_post_roles:
        return
    post = spec.post(record)
    if post != principal.post_code:
        role = principal.role.value.replace("_", " ")
        raise PermissionDeniedError(
            f"{spec.post_field}: a {role} of {principal.post_code} may score only that post's "
            f"{spec.name} cases"
        )


def _linked_record(
    runtime: ServiceRuntime, spec: CaseKindSpec, reference: str, skipped: list[str]
) -> Any | None:
    """The stored case of the linked kind a record names: from the cache, else the database."""
    assert spec.link is not None
    other = spec.link.kind
    record = runtime.records.find(other, reference)
    if record is not None:
        return record
    if runtime.database.open:
        skipped.append(f"{other} lookup skipped: database unreachable")
        return None
    try:
        with runtime.engine.connect() as connection:
            record = find_case(connection, other, reference)
    except SQLAlchemyError as exc:
        runtime.database.failed()
        skipped.append(f"{other} lookup skipped: database unreachable ({type(exc).__name__})")
        return None
    if record is not None:
        runtime.records.put(other, reference, record)
    return record


def score_case_json(
    runtime: ServiceRuntime, kind_name: str, record: Any, info: RequestInfo
) -> dict[str, Any]:
    """Score one case of a registered kind; returns the response body in its JSON form, the
    case stored and the decision logged.

    The same for every kind: the caller's post is checked where the kind says so; a kind
    linked to another (an entry naming its visa application) gets the stored linked case and
    its probabilities; a kind that feeds the network history is remembered for the next
    cases; one whose cases others link to keeps its probabilities for them.
    """
    spec = kind(kind_name)
    _check_post(spec, record, info.principal)
    model = _model(runtime)
    context, skipped = runtime.feature_context()
    linked: dict[str, Any] = {}
    reference = spec.linked_id(record)
    if reference is not None:
        found = _linked_record(runtime, spec, reference, skipped)
        if found is not None:
            linked[reference] = found
    cache = runtime.linked_probabilities.for_state(model.scorer, context)
    [row] = model.scorer.score_case_dicts(
        spec.name, [record], context, linked=linked, linked_cache=cache
    )
    runtime.remember(spec, record)
    if runtime.is_linked_to(spec.name):
        # The case that names this one will need exactly these probabilities.
        cache[spec.case_id(record)] = {
            Concern(c): float(p) for c, p in row["probabilities"].items()
        }
    enrich = ENRICHERS.get(spec.name)
    if enrich is not None:
        enrich(runtime, record, row, skipped)
    endpoint = f"POST /v1{spec.service.path}"
    _store_and_log(runtime, endpoint, spec.name, record, row, info, skipped)
    _count(runtime, spec.name, row, bool(skipped))
    return _finish(row, info.request_id, skipped)


def score_case(
    runtime: ServiceRuntime, kind_name: str, record: Any, info: RequestInfo
) -> ScoreResponse:
    """:func:`score_case_json` as a validated :class:`ScoreResponse` (for the console)."""
    return ScoreResponse.model_validate(score_case_json(runtime, kind_name, record, info))


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
