"""The console's pages. Handlers parse the form or query, call the service's domain code
(:mod:`service.scoring`, :mod:`service.cases`) or a view module, and render a template.

Scores and outcomes go through the same functions as ``POST /v1/border-entries/score`` and
``POST /v1/outcomes``, so they are stored and written to the decision log exactly as API calls.
"""

from __future__ import annotations

import secrets
from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from mizugiwa.db.engine import session_scope
from mizugiwa.features.records import (
    BorderEntry,
    DeclaredPurpose,
    Outcome,
    OutcomeKind,
    ReferralSource,
)
from mizugiwa.features.tipdb.repository import entity
from mizugiwa.service import scoring
from mizugiwa.service.audit import canonical_json, input_digest
from mizugiwa.service.auth import Principal, Role, hash_token
from mizugiwa.service.console import (
    accounts,
    dashboard_view,
    decision_log_view,
    posts,
    worklist_view,
)
from mizugiwa.service.console import outcome_correction as correction
from mizugiwa.service.console.access import BASE, READ_ONLY_DASHBOARD, home_for, may_open
from mizugiwa.service.console.console_log import log_case_view, log_rejection
from mizugiwa.service.console.form_messages import field_problems, mrz_problem
from mizugiwa.service.console.i18n import LANGS, translator
from mizugiwa.service.console.mrz_feedback import failing_check_digits, normalise_mrz
from mizugiwa.service.console.outcome_correction import CORRECTION_ENDPOINT
from mizugiwa.service.console.plots import referral_rates_svg
from mizugiwa.service.console.session import (
    CSRF_COOKIE,
    LANG_COOKIE,
    SESSION_COOKIE,
    SessionData,
    new_csrf_token,
    new_session_id,
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


SIGN_IN_ENDPOINT = "POST /console/sign-in"


def _client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


@router.post("/sign-in", dependencies=[CsrfChecked])
def sign_in(
    request: Request,
    runtime: RuntimeDep,
    token: Annotated[str, Form(max_length=200)],
    name: Annotated[str, Form(max_length=64)] = "",
    next_path: Annotated[str, Form(alias="next", max_length=2000)] = "",
) -> Response:
    """Check the token with the API's authenticator; open a session for its account. Failures
    are counted per account and per address (:mod:`service.console.sign_in_guard`), and logged."""
    token = token.strip()
    name = name.strip()
    state = console_state(request)
    t = translator(lang_of(request))
    address = _client_address(request)

    def refuse(message: str, status: int, headers: dict[str, str] | None = None) -> Response:
        response = render(
            request,
            "console/signin.html",
            "signin",
            {
                "next_path": safe_next(next_path, ""),
                "message": message,
                "message_kind": "error",
                "name": name,
            },
            status_code=status,
            principal=None,
        )
        response.headers.update(headers or {})
        return response

    verdict = state.sign_in_guard.check(name, address)
    if not verdict.allowed:
        log_rejection(
            runtime,
            request,
            None,
            SIGN_IN_ENDPOINT,
            {"name": name},
            429,
            error=f"too many failed sign-ins for this {verdict.which}",
        )
        minutes = max(1, (verdict.retry_after_seconds + 59) // 60)
        return refuse(
            t("signin.locked", minutes=minutes),
            429,
            {"Retry-After": str(verdict.retry_after_seconds)},
        )
    try:
        principal = runtime.authenticator.authenticate(f"Bearer {token}")
    except AuthenticationError:
        principal = None
    if principal is not None and name and name != principal.name:
        principal = None
    if principal is None:
        state.sign_in_guard.failed(name, address)
        log_rejection(
            runtime, request, None, SIGN_IN_ENDPOINT, {"name": name}, 401, error="sign-in failed"
        )
        return refuse(t("signin.failed"), 401)
    state.sign_in_guard.succeeded(principal.name)
    target = safe_next(next_path, home_for(principal.role))
    if not may_open(principal.role, target):
        target = home_for(principal.role)
    response = RedirectResponse(target, status_code=303)
    data = SessionData(principal.name, token_fingerprint(hash_token(token)), new_session_id())
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
    """End the session on the server (the cookie stops working everywhere), then forget it."""
    state = console_state(request)
    data = state.signer.loads(request.cookies.get(SESSION_COOKIE))
    if data is not None:
        expires = datetime.now(UTC) + timedelta(seconds=state.signer.max_age_seconds)
        state.sessions.revoke(data, expires)
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
    form: dict[str, Any] | None = None,
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
    zone = posts.zone_of(case.post_code)
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
            "recorded": case.recorded,
            "history": case.history,
            "zone": zone,
            "zone_label": posts.zone_label(case.post_code),
            "outcomes": [o.value for o in OutcomeKind],
            "referral_source": case.referral_source,
            "now_local": posts.local_now(case.post_code).strftime("%Y-%m-%dT%H:%M"),
            "form": form or {},
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
    corrected: str | None = None,
) -> Response:
    """One referral: reasons with evidence, interview guidance and the outcome form."""
    message = None
    t = translator(lang_of(request))
    if recorded in {o.value for o in OutcomeKind}:
        message = t("case.outcome.recorded", outcome=t(f"outcome.{recorded}"))
    if corrected in {o.value for o in OutcomeKind}:
        message = t("case.outcome.corrected", outcome=t(f"outcome.{corrected}"))
    response = _case_page(request, principal, runtime, case_id, message=message)
    log_case_view(runtime, request, principal, case_id, response.status_code)
    return response


def _outcome_form(
    request: Request,
    principal: Principal,
    runtime: Any,
    case_id: str,
    outcome: str,
    interviewed_at: str,
    victim_support_offered: bool,
) -> tuple[Outcome | None, list[str]]:
    """The form's outcome, or the problems with it as sentences naming each field."""
    t = translator(lang_of(request))
    case = worklist_view.case_detail(runtime, str(principal.post_code), case_id)
    if case is None:  # another post's case is as invisible as a missing one
        return None, [t("error.404.body")]
    problems = []
    if outcome not in {o.value for o in OutcomeKind}:
        problems.append(t("case.problem.outcome"))
    post = case.post_code
    when = posts.parse_local(interviewed_at, post)
    if when is None:
        problems.append(t("case.problem.interviewed_at"))
    elif when > datetime.now(UTC):
        problems.append(t("case.problem.future"))
    if problems or when is None:
        return None, problems
    record = Outcome(
        case_id=case_id,
        # In UTC: SQLite keeps the wall time and drops the offset.
        interviewed_at=when.astimezone(UTC),
        outcome=OutcomeKind(outcome),
        referral_source=ReferralSource(case.referral_source),
        victim_support_offered=victim_support_offered,
    )
    return record, []


@router.post("/cases/{case_id}/outcome", dependencies=[CsrfChecked])
def record_outcome(
    request: Request,
    principal: OfficerPage,
    runtime: RuntimeDep,
    case_id: str,
    outcome: Annotated[str, Form(max_length=40)] = "",
    interviewed_at: Annotated[str, Form(max_length=40)] = "",
    victim_support_offered: Annotated[bool, Form()] = False,
) -> Response:
    """Record the interview outcome through the same domain code as ``POST /v1/outcomes``. The
    referral source is the system's (what referred the case), never the form's."""
    form = {"outcome": outcome, "interviewed_at": interviewed_at}
    record, problems = _outcome_form(
        request, principal, runtime, case_id, outcome, interviewed_at, victim_support_offered
    )
    body = {**form, "case_id": case_id, "victim_support_offered": victim_support_offered}
    if record is None:
        log_rejection(
            runtime, request, principal, "POST /console/cases/outcome", body, 422, case_id
        )
        return _case_error(request, principal, runtime, case_id, form, " ".join(problems), 422)
    try:
        scoring.submit_outcome(runtime, record, _info(request, principal, body))
    except ServiceError as exc:
        return _case_error(request, principal, runtime, case_id, form, exc.detail, exc.STATUS)
    return RedirectResponse(
        f"{BASE}/cases/{case_id}?recorded={record.outcome.value}", status_code=303
    )


def _case_error(
    request: Request,
    principal: Principal,
    runtime: Any,
    case_id: str,
    form: dict[str, Any],
    message: str,
    status_code: int,
) -> Response:
    """The case page again, with the form as sent and what is wrong with it."""
    return _case_page(
        request,
        principal,
        runtime,
        case_id,
        message=message,
        message_kind="error",
        status_code=status_code,
        form=form,
    )


@router.post("/cases/{case_id}/outcome/correction", dependencies=[CsrfChecked])
def correct_outcome(
    request: Request,
    principal: OfficerPage,
    runtime: RuntimeDep,
    case_id: str,
    outcome: Annotated[str, Form(max_length=40)] = "",
    interviewed_at: Annotated[str, Form(max_length=40)] = "",
    reason: Annotated[str, Form(max_length=1000)] = "",
    victim_support_offered: Annotated[bool, Form()] = False,
) -> Response:
    """Correct a recorded outcome; the earlier one stays in the history and the decision log."""
    t = translator(lang_of(request))
    form = {"outcome": outcome, "interviewed_at": interviewed_at, "reason": reason}
    record, problems = _outcome_form(
        request, principal, runtime, case_id, outcome, interviewed_at, victim_support_offered
    )
    if not reason.strip():
        problems.append(t("case.problem.reason"))
    body = {"case_id": case_id, "outcome": outcome, "interviewed_at": interviewed_at}
    if record is None or problems:
        log_rejection(runtime, request, principal, CORRECTION_ENDPOINT, body, 422, case_id)
        return _case_error(request, principal, runtime, case_id, form, " ".join(problems), 422)
    try:
        correction.correct_outcome(
            runtime, record, reason, str(principal.post_code), _info(request, principal, body)
        )
    except ServiceError as exc:
        return _case_error(request, principal, runtime, case_id, form, exc.detail, exc.STATUS)
    return RedirectResponse(
        f"{BASE}/cases/{case_id}?corrected={record.outcome.value}", status_code=303
    )


# -- trafficking database records ----------------------------------------------------------------

RecordPage = Annotated[
    Principal,
    Depends(
        requires(
            Role.CONSULAR_OFFICER, Role.BORDER_INSPECTOR, Role.ANALYST, Role.AUDITOR, Role.ADMIN
        )
    ),
]


@router.get("/records/{entity_id}")
def record_page(
    request: Request, principal: RecordPage, runtime: RuntimeDep, entity_id: str
) -> Response:
    """One trafficking-database record named as evidence: what it is, its source and dates."""
    with session_scope(runtime.engine) as session:
        found = entity(session, entity_id[:64])
    return render(
        request,
        "console/record.html",
        "record",
        {"entity_id": entity_id[:64], "entity": found},
        status_code=200 if found else 404,
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
        problems.append(mrz_problem(str(exc), lang))
    body = {
        "entry_id": f"BX-{secrets.token_hex(6).upper()}",
        "port_code": port_code,
        "arrived_at": datetime.now(UTC).isoformat(),
        "flight_number": flight_number,
        "mrz": normalised or "",
        "visa_reference": visa_reference.strip() or None,
        "declared_purpose": declared_purpose,
        # A form sends text; the API takes a JSON number. Digits become the number they spell,
        # anything else stays text so that the record's own message names the field.
        "declared_stay_days": (
            int(declared_stay_days.strip())
            if declared_stay_days.strip().isdecimal()
            else declared_stay_days
        ),
    }
    entry = None
    try:
        entry = BorderEntry.model_validate(body)
    except ValidationError as exc:
        problems.extend(field_problems(exc, lang, skip=("mrz",) if problems else ()))
    if problems or entry is None:
        # The digest is of the form as sent, never the MRZ itself in the log.
        log_rejection(runtime, request, principal, "POST /console/inspection", form, 422)
        return _inspection(request, {"form": form, "problems": problems}, status_code=422)
    findings = failing_check_digits(entry.mrz) if entry.mrz is not None else []
    check_digits = [
        f"{f.line}行目：{f.label_ja}" if lang == "ja" else f"line {f.line}: {f.label_en}"
        for f in findings
    ]
    try:
        score = scoring.score_case(runtime, "entry", entry, _info(request, principal, body))
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
    # Rates and drift read every recent case: computed off the request path (the page shows
    # "being computed" and fetches them again until they are ready).
    rates = dashboard_view.referral_rates_ready(runtime.engine)
    svg = (
        referral_rates_svg(rates, title=t("dashboard.referral_rates"))
        if rates is not None and rates.posts
        else None
    )
    champion = panels[0]
    psi = dashboard_view.drift_ready(runtime.engine, champion.data_dir)
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
            "bounds": settings.fairness_fpr_ratio_bounds,
        },
    )


# -- decision log --------------------------------------------------------------------------------


@router.get("/decision-log")
def decision_log(
    request: Request,
    principal: LogPage,
    runtime: RuntimeDep,
    request_id: Annotated[str | None, Query(max_length=64)] = None,
    case_id: Annotated[str | None, Query(max_length=64)] = None,
    user: Annotated[str | None, Query(max_length=64)] = None,
    post: Annotated[str | None, Query(max_length=3)] = None,
    date_from: str | None = None,
    date_to: str | None = None,
    before: Annotated[int | None, Query(ge=1, le=2**53)] = None,
) -> Response:
    """Search the decision log a page at a time; the chain's status and head hash."""
    error = None
    text = {"request_id": request_id, "case_id": case_id, "user": user}
    cleaned = {k: (v or "").strip() or None for k, v in text.items()}
    try:
        filters = decision_log_view.LogFilters(
            request_id=cleaned["request_id"],
            case_id=cleaned["case_id"],
            user=cleaned["user"],
            post=(post or "").strip().upper() or None,
            date_from=_parse_day(date_from, "date_from"),
            date_to=_parse_day(date_to, "date_to"),
            before=before,
        )
    except ValueError as exc:
        error = str(exc)
        filters = decision_log_view.LogFilters(
            request_id=cleaned["request_id"], case_id=cleaned["case_id"], user=cleaned["user"]
        )
    entries, more = decision_log_view.search_log(runtime.engine, filters)
    chain = decision_log_view.chain_status(runtime.engine)
    query = {
        k: v
        for k, v in {
            **cleaned,
            "post": filters.post,
            "date_from": date_from,
            "date_to": date_to,
        }.items()
        if v
    }
    older = (
        f"{BASE}/decision-log?{urlencode({**query, 'before': entries[-1].seq})}"
        if more and entries
        else None
    )
    newest = f"{BASE}/decision-log?{urlencode(query)}" if before else None
    return render(
        request,
        "console/decision_log.html",
        "decision_log",
        {
            "entries": entries,
            "older_url": older,
            "newest_url": newest,
            "filters": filters,
            "chain": chain,
            "error": error,
            "shown_time": decision_log_view.shown_time,
        },
        status_code=422 if error else 200,
    )


# -- accounts (administrators) -------------------------------------------------------------------

AdminPage = Annotated[Principal, Depends(requires(Role.ADMIN))]


def _admin_page(
    request: Request,
    runtime: Any,
    *,
    message: str | None = None,
    message_kind: str = "ok",
    new_token: tuple[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    return render(
        request,
        "console/admin.html",
        "admin",
        {
            "accounts": accounts.list_accounts(runtime.engine),
            "roles": [r.value for r in Role],
            "message": message,
            "message_kind": message_kind,
            "new_token": new_token,
        },
        status_code=status_code,
    )


@router.get("/admin")
def admin_page(request: Request, principal: AdminPage, runtime: RuntimeDep) -> Response:
    """Accounts: list, add, change role or post, rotate or revoke tokens."""
    return _admin_page(request, runtime)


def _request_id(request: Request) -> str:
    return str(getattr(request.state, "request_id", "") or secrets.token_hex(8))


@router.post("/admin/accounts", dependencies=[CsrfChecked])
def admin_add(
    request: Request,
    principal: AdminPage,
    runtime: RuntimeDep,
    name: Annotated[str, Form(max_length=64)] = "",
    role: Annotated[str, Form(max_length=20)] = "",
    post_code: Annotated[str, Form(max_length=3)] = "",
) -> Response:
    t = translator(lang_of(request))
    try:
        token = accounts.add_account(
            runtime, principal, _request_id(request), name, role, post_code
        )
    except ServiceError as exc:
        return _admin_page(
            request, runtime, message=exc.detail, message_kind="error", status_code=exc.STATUS
        )
    return _admin_page(
        request, runtime, message=t("admin.added", name=name.strip()), new_token=(name, token)
    )


@router.post("/admin/accounts/{pk}", dependencies=[CsrfChecked])
def admin_change(
    request: Request,
    principal: AdminPage,
    runtime: RuntimeDep,
    pk: int,
    role: Annotated[str, Form(max_length=20)] = "",
    post_code: Annotated[str, Form(max_length=3)] = "",
) -> Response:
    t = translator(lang_of(request))
    try:
        accounts.change_account(runtime, principal, _request_id(request), pk, role, post_code)
    except ServiceError as exc:
        return _admin_page(
            request, runtime, message=exc.detail, message_kind="error", status_code=exc.STATUS
        )
    return _admin_page(request, runtime, message=t("admin.changed"))


@router.post("/admin/accounts/{pk}/{action}", dependencies=[CsrfChecked])
def admin_token(
    request: Request, principal: AdminPage, runtime: RuntimeDep, pk: int, action: str
) -> Response:
    t = translator(lang_of(request))
    if action not in ("rotate", "revoke"):
        return _admin_page(
            request, runtime, message=t("admin.unknown"), message_kind="error", status_code=404
        )
    try:
        if action == "rotate":
            token = accounts.rotate_token(runtime, principal, _request_id(request), pk)
        else:
            accounts.revoke_token(runtime, principal, _request_id(request), pk)
    except ServiceError as exc:
        return _admin_page(
            request, runtime, message=exc.detail, message_kind="error", status_code=exc.STATUS
        )
    name = next((a.name for a in accounts.list_accounts(runtime.engine) if a.pk == pk), str(pk))
    if action == "rotate":
        return _admin_page(
            request, runtime, message=t("admin.rotated", name=name), new_token=(name, token)
        )
    return _admin_page(request, runtime, message=t("admin.revoked", name=name))
