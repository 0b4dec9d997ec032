"""The console's follow-up page (``/console/follow-ups``) for investigators and analysts.

Listing and recording go through the same functions as ``GET /v1/follow-ups`` and
``POST /v1/follow-ups/{id}/outcome`` (``service.lookback.worklist``), and each view and outcome
is written to the decision log as the API writes it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from mizugiwa.features.records import OutcomeKind
from mizugiwa.service.audit import Decision
from mizugiwa.service.auth import Principal, Role
from mizugiwa.service.console.access import BASE
from mizugiwa.service.console.follow_ups_view import (
    FACT_TYPES,
    STATUSES,
    Filters,
    follow_up_translator,
    page_context,
)
from mizugiwa.service.console.web import check_csrf, lang_of, render, requires
from mizugiwa.service.deps import RuntimeDep
from mizugiwa.service.errors import ServiceError
from mizugiwa.service.lookback import runner
from mizugiwa.service.lookback.worklist import record_follow_up_outcome

router = APIRouter(prefix=BASE, include_in_schema=False, default_response_class=HTMLResponse)

FollowUpPage = Annotated[Principal, Depends(requires(Role.INVESTIGATOR, Role.ANALYST))]
InvestigatorPage = Annotated[Principal, Depends(requires(Role.INVESTIGATOR))]
PAGE_ENDPOINT = "GET /console/follow-ups"
OUTCOME_ENDPOINT = "POST /console/follow-ups/{follow_up_id}/outcome"


def _request_id(request: Request) -> str:
    return str(getattr(request.state, "request_id", "") or "")


@router.get("/follow-ups")
def follow_ups_page(
    request: Request,
    principal: FollowUpPage,
    runtime: RuntimeDep,
    status: Annotated[str, Query(max_length=10)] = "open",
    fact_type: Annotated[str | None, Query(max_length=20)] = None,
    fact_id: Annotated[str | None, Query(max_length=64)] = None,
    since: Annotated[str | None, Query(max_length=10)] = None,
    recorded: Annotated[int | None, Query(ge=1, le=2**53)] = None,
) -> HTMLResponse:
    ft = follow_up_translator(lang_of(request))
    error = None
    try:
        day = date.fromisoformat(since) if since else None
    except ValueError:
        day, error = None, f"since: {since!r} is not a date (YYYY-MM-DD)"
    filters = Filters(
        status=status if status in STATUSES else "open",
        fact_type=fact_type if fact_type in FACT_TYPES else None,
        fact_id=fact_id.strip() or None if fact_id else None,
        since=day,
    )
    context: dict[str, Any] = page_context(runtime, filters)
    runtime.decision_log.write(
        Decision(
            endpoint=PAGE_ENDPOINT,
            request_id=_request_id(request),
            status=200,
            user_id=principal.user_id,
            reason_codes=[f"VIEW:{len(context['items'])}"],
        )
    )
    context.update(
        ft=ft,
        error=error,
        recorded=recorded,
        can_record=principal.role is Role.INVESTIGATOR,
        today=date.today().isoformat(),
    )
    return render(request, "console/follow_ups.html", "follow_ups", context, principal=principal)


@router.post("/follow-ups/{follow_up_id}/outcome", dependencies=[Depends(check_csrf)])
def follow_up_outcome(
    request: Request,
    follow_up_id: int,
    principal: InvestigatorPage,
    runtime: RuntimeDep,
    outcome: Annotated[str, Form(max_length=30)],
    concluded_on: Annotated[str, Form(max_length=10)],
    victim_support_offered: Annotated[str | None, Form(max_length=5)] = None,
) -> Any:
    ft = follow_up_translator(lang_of(request))
    try:
        kind = OutcomeKind(outcome)
        concluded = datetime.combine(date.fromisoformat(concluded_on), time(12), UTC)
    except ValueError:
        context = page_context(runtime, Filters())
        context.update(
            ft=ft,
            error=f"outcome, concluded_on: {outcome!r} / {concluded_on!r} not accepted",
            recorded=None,
            can_record=True,
            today=date.today().isoformat(),
        )
        return render(
            request,
            "console/follow_ups.html",
            "follow_ups",
            context,
            status_code=422,
            principal=principal,
        )
    found: dict[str, Any] = {}

    def write(session: Any) -> None:
        row, lines = record_follow_up_outcome(
            session,
            follow_up_id,
            outcome=kind,
            concluded_at=concluded,
            victim_support_offered=victim_support_offered == "on",
            recorded_by=principal.user_id,
            recorded_at=datetime.now(UTC),
        )
        found.update(case_id=row.case_id, lines=lines)

    try:
        runtime.decision_log.write(
            Decision(
                endpoint=OUTCOME_ENDPOINT,
                request_id=_request_id(request),
                status=200,
                user_id=principal.user_id,
                reason_codes=[f"FOLLOW_UP_OUTCOME:{kind.value}"],
            ),
            also=write,
        )
    except ServiceError as exc:
        context = page_context(runtime, Filters())
        context.update(
            ft=ft,
            error=exc.detail,
            recorded=None,
            can_record=True,
            today=date.today().isoformat(),
        )
        return render(
            request,
            "console/follow_ups.html",
            "follow_ups",
            context,
            status_code=exc.STATUS,
            principal=principal,
        )
    if found["lines"]:
        runner.of_shared_lines(
            runtime.engine,
            runtime.settings,
            found["lines"],
            found["case_id"],
            trigger="follow-up outcome",
            user_id=principal.user_id,
            decision_log=runtime.decision_log,
        )
        runtime.refresh_views()
    return RedirectResponse(f"{BASE}/follow-ups?recorded={follow_up_id}", status_code=303)
