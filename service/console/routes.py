"""The console's pages. Handlers parse the form or query, call the service's domain code
(:mod:`service.scoring`, :mod:`service.cases`) or a view module, and render a template.

Scores and outcomes go through the same functions as ``POST /v1/border-entries/score`` and
``POST /v1/outcomes``, so they are stored and written to the decision log exactly as API calls.
"""

from __future__ import annotations

import secrets
from datetime import UTC, date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from mizugiwa.features.records import (
    BorderEntry,
    DeclaredPurpose,
    Outcome,
    OutcomeKind,
    ReferralSource,
)
from mizugiwa.service import scoring
from mizugiwa.service.audit import canonical_json, input_digest
from mizugiwa.service.auth import Principal, Role, hash_token
from mizugiwa.service.console import dashboard_view, decision_log_view, worklist_view
from mizugiwa.service.console.access import BASE, READ_ONLY_DASHBOARD, home_for, pages_for
from mizugiwa.service.console.i18n import LANGS, translator
from mizugiwa.service.console.mrz_feedback import failing_check_digits, normalise_mrz
from mizugiwa.service.console.plots import referral_rates_svg
from mizugiwa.service.console.session import (
    CSRF_COOKIE,
    LANG_COOKIE,
    SESSION_COOKIE,
    SessionData,
    new_csrf_token,
    safe_next,
    token_fingerprint,
)
from mizugiwa.service.console.web import (
    check_csrf,
    console_state,
    current_principal,
    lang_of,
    render,
    requires,
)
from mizugiwa.service.deps import RuntimeDep
from mizugiwa.service.errors import AuthenticationError, ServiceError
from mizugiwa.settings import Settings

router = APIRouter(prefix=BASE, include_in_schema=False, default_response_class=HTMLResponse)

OfficerPage = Annotated[Principal, Depends(requires(Role.CONSULAR_OFFICER))]
InspectorPage = Annotated[Principal, Depends(requires(Role.BORDER_INSPECTOR))]
DashboardPage = Annotated[Principal, Depends(requires(Role.ANALYST, Role.AUDITOR, Role.ADMIN))]
LogPage = Annotated[Principal, Depends(requires(Role.AUDITOR, Role.ADMIN))]
CsrfChecked = Depends(check_csrf)
PORT_COOKIE = "mizugiwa_port"
POLL_MS = 4000


def _cookie(response: Response, request: Request, name: str, value: str, **extra: Any) -> None:
    response.set_cookie(
        name,
        value,
        httponly=True,
        samesite="strict",
        secure=console_state(request).secure_cookies,
        path=BASE,
        **extra,
    )


def _parse_day(text: str | None, field: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{field}: {text!r} is not a date (YYYY-MM-DD)") from None


def _info(request: Request, principal: Principal, body: Any) -> scoring.RequestInfo:
    return scoring.RequestInfo(
        principal=principal,
        request_id=str(getattr(request.state, "request_id", "") or secrets.token_hex(8)),
        input_sha256=input_digest(canonical_json(body)),
    )


# -- sign-in, sign-out, language ---------------------------------------------------------------


@router.get("")
@router.get("/")
def console_home(request: Request) -> Response:
    """The signed-in user's start page, or the sign-in page."""
    principal = current_principal(request)
    target = home_for(principal.role) if principal else f"{BASE}/sign-in"
    return RedirectResponse(target, status_code=303)


@router.get("/sign-in")
def sign_in_page(
    request: Request,
    next_path: Annotated[str | None, Query(alias="next")] = None,
    expired: bool = False,
    signed_out: bool = False,
) -> Response:
    t = translator(lang_of(request))
    message = t("signin.expired") if expired else t("signin.signed_out") if signed_out else None
    return render(
        request,
        "console/signin.html",
        "signin",
        {"next_path": safe_next(next_path, ""), "message": message, "message_kind": "ok"},
        principal=None,
    )


@router.post("/sign-in", dependencies=[CsrfChecked])
def sign_in(
    request: Request,
    runtime: RuntimeDep,
    token: Annotated[str, Form(max_length=200)],
    name: Annotated[str, Form(max_length=64)] = "",
    next_path: Annotated[str, Form(alias="next", max_length=2000)] = "",
) -> Response:
    """Check the token with the API's authenticator; open a session for its account."""
    token = token.strip()
    try:
        principal = runtime.authenticator.authenticate(f"Bearer {token}")
    except AuthenticationError:
        principal = None
    if principal is not None and name.strip() and name.strip() != principal.name:
        principal = None
    if principal is None:
        t = translator(lang_of(request))
        return render(
            request,
            "console/signin.html",
            "signin",
            {
                "next_path": safe_next(next_path, ""),
                "message": t("signin.failed"),
                "message_kind": "error",
                "name": name,
            },
            status_code=401,
            principal=None,
        )
    allowed = {page.path for page in pages_for(principal.role)}
    target = safe_next(next_path, home_for(principal.role))
    if not any(target.startswith(path) for path in allowed):
        target = home_for(principal.role)
    response = RedirectResponse(target, status_code=303)
    data = SessionData(principal.name, token_fingerprint(hash_token(token)))
    state = console_state(request)
    _cookie(
        response,
        request,
        SESSION_COOKIE,
        state.signer.dumps(data),
        max_age=state.signer.max_age_seconds,
    )
    # A new CSRF token per session: a token seen before sign-in is worth nothing after it.
    _cookie(response, request, CSRF_COOKIE, new_csrf_token())
    return response


@router.post("/sign-out", dependencies=[CsrfChecked])
def sign_out(request: Request) -> Response:
    response = RedirectResponse(f"{BASE}/sign-in?signed_out=1", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path=BASE)
    response.delete_cookie(CSRF_COOKIE, path=BASE)
    return response


@router.get("/lang/{lang}")
def switch_language(
    request: Request, lang: str, next_path: Annotated[str | None, Query(alias="next")] = None
) -> Response:
    """Remember the language and go back to the page the switch was on."""
    response = RedirectResponse(safe_next(next_path, f"{BASE}/"), status_code=303)
    if lang in LANGS:
        _cookie(response, request, LANG_COOKIE, lang, max_age=365 * 24 * 3600)
    return response


# -- consular worklist ---------------------------------------------------------------------------


def _worklist_filters(
    status: str | None, date_from: str | None, date_to: str | None
) -> tuple[worklist_view.WorklistFilters, str | None]:
    try:
        filters = worklist_view.WorklistFilters(
            status=status if status in worklist_view.STATUSES else None,
            date_from=_parse_day(date_from, "date_from"),
            date_to=_parse_day(date_to, "date_to"),
        )
        return filters, None
    except ValueError as exc:
        return worklist_view.WorklistFilters(
            status=status if status in worklist_view.STATUSES else None
        ), str(exc)


@router.get("/worklist")
def worklist(
    request: Request,
    principal: OfficerPage,
    runtime: RuntimeDep,
    status: str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
) -> Response:
    """The post's referred applications, highest concern first, refreshed in place."""
    filters, error = _worklist_filters(status, date_from, date_to)
    items = worklist_view.worklist(runtime.engine, str(principal.post_code), filters)
    return render(
        request,
        "console/worklist.html",
        "worklist",
        {
            "items": items,
            "filters": filters,
            "error": error,
            "post_code": principal.post_code,
            "statuses": worklist_view.STATUSES,
            "poll_ms": POLL_MS,
        },
        status_code=422 if error else 200,
    )


@router.get("/worklist/rows")
def worklist_rows(
    request: Request,
    principal: OfficerPage,
    runtime: RuntimeDep,
    status: str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
) -> Response:
    """The worklist's table rows alone: what the page polls for new referrals."""
    filters, _ = _worklist_filters(status, date_from, date_to)
    items = worklist_view.worklist(runtime.engine, str(principal.post_code), filters)
    return render(request, "console/_worklist_rows.html", "worklist", {"items": items})


def _case_page(
    request: Request,
    principal: Principal,
    runtime: Any,
    case_id: str,
    *,
    message: str | None = None,
    message_kind: str = "ok",
    status_code: int = 200,
) -> Response:
    t = translator(lang_of(request))
    case = worklist_view.case_detail(runtime, str(principal.post_code), case_id)
    if case is None:
        return render(
            request,
            "console/error.html",
            "error",
            {"title": t("error.404.title"), "body": t("error.404.body")},
            status_code=404,
        )
    return render(
        request,
        "console/case.html",
        "case",
        {
            "case_id": case.case_id,
            "score": case.score,
            "applicant": case.applicant,
            "category": case.category,
            "case_date": case.case_date,
            "recorded": case.recorded_outcome,
            "outcomes": [o.value for o in OutcomeKind],
            "sources": [s.value for s in ReferralSource],
            "default_source": case.default_source,
            "now_local": datetime.now().astimezone().strftime("%Y-%m-%dT%H:%M"),
            "message": message,
            "message_kind": message_kind,
        },
        status_code=status_code,
    )


@router.get("/cases/{case_id}")
def case_page(
    request: Request,
    principal: OfficerPage,
    runtime: RuntimeDep,
    case_id: str,
    recorded: str | None = None,
) -> Response:
    """One referral: reasons with evidence, interview guidance and the outcome form."""
    message = None
    if recorded in {o.value for o in OutcomeKind}:
        t = translator(lang_of(request))
        message = t("case.outcome.recorded", outcome=t(f"outcome.{recorded}"))
    return _case_page(request, principal, runtime, case_id, message=message)


@router.post("/cases/{case_id}/outcome", dependencies=[CsrfChecked])
def record_outcome(
    request: Request,
    principal: OfficerPage,
    runtime: RuntimeDep,
    case_id: str,
    outcome: Annotated[str, Form(max_length=40)],
    interviewed_at: Annotated[str, Form(max_length=40)],
    referral_source: Annotated[str, Form(max_length=40)] = "model",
    victim_support_offered: Annotated[bool, Form()] = False,
) -> Response:
    """Record the interview outcome through the same domain code as ``POST /v1/outcomes``."""
    body = {
        "case_id": case_id,
        "interviewed_at": worklist_view.local_datetime(interviewed_at),
        "outcome": outcome,
        "referral_source": referral_source,
        "victim_support_offered": victim_support_offered,
    }
    try:
        record = Outcome.model_validate(body)
        scoring.submit_outcome(runtime, record, _info(request, principal, body))
    except ValidationError as exc:
        message = "; ".join(
            f"{'.'.join(map(str, e['loc'])) or 'outcome'}: {e['msg']}" for e in exc.errors()
        )
        return _case_page(
            request,
            principal,
            runtime,
            case_id,
            message=message,
            message_kind="error",
            status_code=422,
        )
    except ServiceError as exc:
        return _case_page(
            request,
            principal,
            runtime,
            case_id,
            message=exc.detail,
            message_kind="error",
            status_code=exc.STATUS,
        )
    return RedirectResponse(
        f"{BASE}/cases/{case_id}?recorded={record.outcome.value}", status_code=303
    )


# -- border inspection ---------------------------------------------------------------------------


def _inspection(request: Request, context: dict[str, Any], status_code: int = 200) -> HTMLResponse:
    values: dict[str, Any] = {
        "purposes": [p.value for p in DeclaredPurpose],
        "score": None,
        "problems": [],
        "check_digits": [],
    }
    values.update(context)
    return render(request, "console/inspection.html", "inspection", values, status_code=status_code)


@router.get("/inspection")
def inspection_page(request: Request, principal: InspectorPage) -> Response:
    """An empty form, the MRZ box focused."""
    form = {"port_code": request.cookies.get(PORT_COOKIE, ""), "declared_purpose": "tourism"}
    return _inspection(request, {"form": form})


@router.post("/inspection", dependencies=[CsrfChecked])
def inspect_traveller(
    request: Request,
    principal: InspectorPage,
    runtime: RuntimeDep,
    mrz: Annotated[str, Form(max_length=400)] = "",
    flight_number: Annotated[str, Form(max_length=20)] = "",
    visa_reference: Annotated[str, Form(max_length=64)] = "",
    port_code: Annotated[str, Form(max_length=10)] = "",
    declared_purpose: Annotated[str, Form(max_length=20)] = "tourism",
    declared_stay_days: Annotated[str, Form(max_length=10)] = "7",
) -> Response:
    """MRZ and flight in, a large refer / no-referral answer out, with reasons and guidance."""
    lang = lang_of(request)
    form = {
        "mrz": mrz,
        "flight_number": flight_number,
        "visa_reference": visa_reference,
        "port_code": port_code,
        "declared_purpose": declared_purpose,
        "declared_stay_days": declared_stay_days,
    }
    problems: list[str] = []
    normalised = None
    try:
        normalised = normalise_mrz(mrz)
    except ValueError as exc:
        problems.append(f"MRZ: {exc}")
    body = {
        "entry_id": f"BX-{secrets.token_hex(6).upper()}",
        "port_code": port_code,
        "arrived_at": datetime.now(UTC).isoformat(),
        "flight_number": flight_number,
        "mrz": normalised or "",
        "visa_reference": visa_reference.strip() or None,
        "declared_purpose": declared_purpose,
        "declared_stay_days": declared_stay_days,
    }
    entry = None
    try:
        entry = BorderEntry.model_validate(body)
    except ValidationError as exc:
        problems.extend(worklist_view.field_problems(exc, lang, skip=("mrz",) if problems else ()))
    if problems or entry is None:
        return _inspection(request, {"form": form, "problems": problems}, status_code=422)
    findings = failing_check_digits(entry.mrz) if entry.mrz is not None else []
    check_digits = [
        f"{'行' if lang == 'ja' else 'line'} {f.line}: {f.label_ja if lang == 'ja' else f.label_en}"
        for f in findings
    ]
    try:
        score = scoring.score_entry(runtime, entry, _info(request, principal, body))
    except ServiceError as exc:
        return _inspection(
            request, {"form": form, "problems": [exc.detail]}, status_code=exc.STATUS
        )
    response = _inspection(request, {"form": form, "score": score, "check_digits": check_digits})
    _cookie(response, request, PORT_COOKIE, entry.port_code, max_age=30 * 24 * 3600)
    return response


# -- analyst dashboard ---------------------------------------------------------------------------


@router.get("/dashboard")
def dashboard(request: Request, principal: DashboardPage, runtime: RuntimeDep) -> Response:
    """Champion and challenger, referral rates by post over time, drift of key features."""
    settings: Settings = runtime.settings
    t = translator(lang_of(request))
    panels = dashboard_view.model_panels(settings, ("champion", "challenger"))
    rates = dashboard_view.referral_rates(runtime.engine)
    svg = referral_rates_svg(rates, title=t("dashboard.referral_rates")) if rates.posts else None
    champion = panels[0]
    psi = dashboard_view.drift(runtime.engine, champion.data_dir)
    return render(
        request,
        "console/dashboard.html",
        "dashboard",
        {
            "models": panels,
            "rates": rates,
            "rates_svg": svg,
            "psi": psi,
            "mlflow_url": dashboard_view.mlflow_ui_url(settings),
            "model_card_url": champion.model_card_url,
            "read_only": principal.role in READ_ONLY_DASHBOARD,
        },
    )


# -- decision log --------------------------------------------------------------------------------


@router.get("/decision-log")
def decision_log(
    request: Request,
    principal: LogPage,
    runtime: RuntimeDep,
    request_id: Annotated[str | None, Query(max_length=64)] = None,
    post: Annotated[str | None, Query(max_length=3)] = None,
    date_from: str | None = None,
    date_to: str | None = None,
) -> Response:
    """Search the decision log by request id, date and post; the chain's verification status."""
    error = None
    try:
        filters = decision_log_view.LogFilters(
            request_id=(request_id or "").strip() or None,
            post=(post or "").strip().upper() or None,
            date_from=_parse_day(date_from, "date_from"),
            date_to=_parse_day(date_to, "date_to"),
        )
    except ValueError as exc:
        error = str(exc)
        filters = decision_log_view.LogFilters(request_id=request_id, post=post)
    entries, truncated = decision_log_view.search_log(runtime.engine, filters)
    chain = decision_log_view.chain_status(runtime.engine)
    return render(
        request,
        "console/decision_log.html",
        "decision_log",
        {
            "entries": entries,
            "truncated": truncated,
            "filters": filters,
            "chain": chain,
            "error": error,
        },
        status_code=422 if error else 200,
    )
