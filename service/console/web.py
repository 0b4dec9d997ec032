"""Rendering and request plumbing shared by the console pages.

:func:`render` fills every page's common context (language, navigation, the language switch,
the CSRF token, the keyboard shortcuts). The dependencies :func:`signed_in` and
:func:`requires` turn a session cookie into a principal or answer with the sign-in page (no
session) or the 403 page (wrong role); :func:`check_csrf` guards every POST form.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from mizugiwa.service.auth import Principal, Role
from mizugiwa.service.console.access import BASE, SessionResolver, home_for, pages_for
from mizugiwa.service.console.i18n import Lang, pick_lang, translator
from mizugiwa.service.console.session import (
    CSRF_COOKIE,
    CSRF_FIELD,
    LANG_COOKIE,
    SESSION_COOKIE,
    SessionSigner,
    csrf_matches,
    new_csrf_token,
)
from mizugiwa.service.console.sign_in_guard import SignInGuard
from mizugiwa.service.console.words import Words

SERVICE_DIR = Path(__file__).resolve().parent.parent
TEMPLATES = Jinja2Templates(directory=str(SERVICE_DIR / "templates"))
STATIC_DIR = SERVICE_DIR / "static" / "console"
STATIC_URL = f"{BASE}/static"

# (keys, English, Japanese): listed in every page's footer.
COMMON_SHORTCUTS: list[tuple[tuple[str, ...], str, str]] = [
    (("Tab",), "next field or link (Shift+Tab: previous)", "次の項目・リンクへ（Shift+Tab：前へ）"),
    (("/",), "jump to the search or first field", "検索欄・最初の入力欄へ移動"),
    (("Alt", "L"), "switch language", "言語を切り替え"),
    (("Alt", "Q"), "sign out", "ログアウト"),
]
PAGE_SHORTCUTS: dict[str, list[tuple[tuple[str, ...], str, str]]] = {
    "worklist": [
        (("Alt", "W"), "worklist", "回付案件一覧"),
        (("Enter",), "open the focused case", "選択中の案件を開く"),
    ],
    "case": [
        (("Alt", "B"), "back to the worklist", "一覧に戻る"),
        (("Alt", "S"), "record the outcome", "結果を記録"),
    ],
    "inspection": [
        (("Alt", "I"), "border inspection", "上陸審査"),
        (
            ("Ctrl", "Enter"),
            "check the traveller from the MRZ box",
            "機械読取領域（MRZ）欄から確認",
        ),
        (("Alt", "S"), "check the traveller", "確認する"),
        (
            ("Esc",),
            "next traveller: clear and focus the MRZ",
            "次の旅行者：消去して機械読取領域（MRZ）欄へ",
        ),
        (("N",), "next traveller (outside a field)", "次の旅行者（入力欄の外で）"),
    ],
    "dashboard": [
        (("Alt", "O"), "models and drift", "モデルとドリフト"),
        (("Alt", "M"), "open the MLflow UI", "MLflow UI を開く"),
    ],
    "decision_log": [(("Alt", "G"), "decision log", "判定記録")],
    "admin": [(("Alt", "U"), "accounts", "アカウント管理")],
}


class SignInRequired(Exception):
    """No valid session: answered with a redirect to the sign-in page."""

    def __init__(self, next_path: str, expired: bool) -> None:
        super().__init__(next_path)
        self.next_path = next_path
        self.expired = expired


class RoleForbidden(Exception):
    """A signed-in user opened another role's page: answered with the 403 page."""

    def __init__(self, principal: Principal) -> None:
        super().__init__(principal.role.value)
        self.principal = principal


class CsrfRejected(Exception):
    """A form came without the matching CSRF token."""


@dataclass(frozen=True)
class ConsoleState:
    """What the console keeps per app: the cookie signer and the session resolver."""

    signer: SessionSigner
    sessions: SessionResolver
    secure_cookies: bool
    sign_in_guard: SignInGuard


def console_state(request: Request) -> ConsoleState:
    """The console's per-app state (set by :func:`service.console.install_console`)."""
    state: ConsoleState = request.app.state.console
    return state


def lang_of(request: Request) -> Lang:
    """The language of this request: the switch's cookie, else the browser's preference."""
    return pick_lang(request.cookies.get(LANG_COOKIE), request.headers.get("accept-language"))


def csrf_token_of(request: Request) -> str:
    """The CSRF token of this browser, minting one on first use (set by :func:`render`)."""
    token = request.cookies.get(CSRF_COOKIE) or getattr(request.state, "new_csrf", None)
    if not token:
        token = new_csrf_token()
        request.state.new_csrf = token
    return str(token)


def current_principal(request: Request) -> Principal | None:
    """The signed-in principal, or None."""
    state = console_state(request)
    data = state.signer.loads(request.cookies.get(SESSION_COOKIE))
    return None if data is None else state.sessions.resolve(data)


def _here(request: Request) -> str:
    query = request.url.query
    return request.url.path + (f"?{query}" if query else "")


# Where the answer to a form can be opened again with a GET (for the language switch).
_GET_PAGE_OF_FORM: dict[str, str] = {
    "signin": f"{BASE}/sign-in",
    "inspection": f"{BASE}/inspection",
    "admin": f"{BASE}/admin",
}


def _page_address(request: Request, page_id: str) -> str:
    """The request itself for a GET; for the answer to a form, the page the form belongs to
    (a case's outcome form answers on the case's page)."""
    if request.method == "GET":
        return _here(request)
    match = re.match(rf"^{BASE}/cases/([^/]+)/", request.url.path)
    if match:
        return f"{BASE}/cases/{match.group(1)}"
    return _GET_PAGE_OF_FORM.get(page_id, f"{BASE}/")


async def signed_in(request: Request) -> Principal:
    """Dependency: the signed-in principal, else the sign-in page (remembering where to go)."""
    principal = current_principal(request)
    if principal is None:
        raise SignInRequired(_here(request), expired=SESSION_COOKIE in request.cookies)
    request.state.principal = principal
    return principal


def requires(*roles: Role) -> Callable[..., Awaitable[Principal]]:
    """Dependency admitting only ``roles``; any other signed-in role gets the 403 page."""
    allowed = frozenset(roles)

    async def check(principal: Annotated[Principal, Depends(signed_in)]) -> Principal:
        if principal.role not in allowed:
            raise RoleForbidden(principal)
        return principal

    return check


async def check_csrf(request: Request) -> None:
    """Dependency for POST forms: the form's ``csrf_token`` must equal the CSRF cookie."""
    form = await request.form()
    value = form.get(CSRF_FIELD)
    given = value if isinstance(value, str) else None
    if not csrf_matches(request.cookies.get(CSRF_COOKIE), given):
        raise CsrfRejected()


def render(
    request: Request,
    template: str,
    page_id: str,
    context: dict[str, Any] | None = None,
    *,
    status_code: int = 200,
    principal: Principal | None = None,
) -> HTMLResponse:
    """Render a console page with the common context; sets the CSRF cookie when new."""
    lang = lang_of(request)
    principal = principal or getattr(request.state, "principal", None)
    here = _page_address(request, page_id)
    nav = [
        {
            "href": page.path,
            "label": page.label,
            "accesskey": page.accesskey,
            "current": request.url.path.startswith(page.path),
        }
        for page in (pages_for(principal.role) if principal else [])
    ]
    other: Lang = "en" if lang == "ja" else "ja"
    values: dict[str, Any] = {
        "lang": lang,
        "other_lang": other,
        "t": translator(lang),
        "w": Words(lang),
        "principal": principal,
        "nav": nav,
        "base": BASE,
        "static_url": STATIC_URL,
        "page_id": page_id,
        "csrf_token": csrf_token_of(request),
        "lang_switch_url": f"{BASE}/lang/{other}?next={quote(here, safe='')}",
        "shortcuts": COMMON_SHORTCUTS + PAGE_SHORTCUTS.get(page_id, []),
        "home_url": home_for(principal.role) if principal else f"{BASE}/sign-in",
    }
    values.update(context or {})
    response = TEMPLATES.TemplateResponse(request, template, values, status_code=status_code)
    _security_headers(response)
    new_csrf = getattr(request.state, "new_csrf", None)
    if new_csrf:
        response.set_cookie(
            CSRF_COOKIE,
            new_csrf,
            httponly=True,
            samesite="strict",
            secure=console_state(request).secure_cookies,
            path=BASE,
        )
    return response


def _security_headers(response: Response) -> None:
    # Inline SVG plots are markup, not script: scripts come only from our own static folder.
    response.headers["Content-Security-Policy"] = (
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["Cache-Control"] = "no-store"


def forbidden_page(request: Request, principal: Principal) -> HTMLResponse:
    """The 403 page: names the user's role and links back to their own start page."""
    t = translator(lang_of(request))
    return render(
        request,
        "console/error.html",
        "error",
        {
            "title": t("error.403.title"),
            "body": t("error.403.body", role=t(f"role.{principal.role.value}")),
        },
        status_code=403,
        principal=principal,
    )


def sign_in_redirect(exc: SignInRequired) -> RedirectResponse:
    """Send the browser to the sign-in page, to come back to ``exc.next_path`` afterwards."""
    flag = "&expired=1" if exc.expired else ""
    return RedirectResponse(
        f"{BASE}/sign-in?next={quote(exc.next_path, safe='')}{flag}", status_code=303
    )
