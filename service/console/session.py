"""Signed session cookies and double-submit CSRF tokens for the console.

The session cookie holds the account name and a fingerprint of the account's current token
digest, signed with ``Settings.secret_key`` (itsdangerous, time-stamped). It never holds the
token itself. Rotating an account's token (``mizugiwa users token NAME``) changes the digest and
so ends every session opened with the old token. The cookie is HttpOnly and SameSite=Strict.

CSRF: a random token lives in its own cookie and is repeated in a hidden field of every form;
a POST is accepted only when both agree (compared in constant time). SameSite=Strict already
keeps cross-site requests from carrying the cookies; the double submit covers older browsers
and same-site subdomains.
"""

from __future__ import annotations

import hashlib
import hmac
import posixpath
import secrets
from dataclasses import dataclass
from urllib.parse import unquote

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

SESSION_COOKIE = "mizugiwa_session"
CSRF_COOKIE = "mizugiwa_csrf"
LANG_COOKIE = "mizugiwa_lang"
CSRF_FIELD = "csrf_token"
SESSION_MAX_AGE_SECONDS = 8 * 3600  # one shift
_SALT = "mizugiwa.console.session"


@dataclass(frozen=True)
class SessionData:
    """Who the cookie says is signed in, and which token digest they signed in with."""

    name: str
    token_fingerprint: str
    session_id: str = ""


def token_fingerprint(token_sha256: str | None) -> str:
    """A short digest of the stored token digest: enough to notice rotation, useless to replay."""
    return hashlib.sha256(f"session:{token_sha256 or ''}".encode()).hexdigest()[:16]


class SessionSigner:
    """Signs and reads the session cookie with the service's secret key."""

    def __init__(self, secret_key: str, max_age_seconds: int = SESSION_MAX_AGE_SECONDS) -> None:
        self._serializer = URLSafeTimedSerializer(secret_key, salt=_SALT)
        self.max_age_seconds = max_age_seconds

    def dumps(self, data: SessionData) -> str:
        """The cookie value for ``data``."""
        return str(
            self._serializer.dumps(
                {"n": data.name, "f": data.token_fingerprint, "s": data.session_id}
            )
        )

    def loads(self, value: str | None) -> SessionData | None:
        """The session in a cookie value; None when absent, forged, malformed or expired."""
        if not value:
            return None
        try:
            raw = self._serializer.loads(value, max_age=self.max_age_seconds)
        except (SignatureExpired, BadSignature):
            return None
        if not isinstance(raw, dict):
            return None
        name, fingerprint, sid = raw.get("n"), raw.get("f"), raw.get("s")
        if not isinstance(name, str) or not isinstance(fingerprint, str):
            return None
        if not isinstance(sid, str) or len(sid) < 16:
            return None  # a cookie without a session id cannot be signed out: refuse it
        return SessionData(name=name, token_fingerprint=fingerprint, session_id=sid)


def new_session_id() -> str:
    """A fresh random session id: what signing out revokes."""
    return secrets.token_urlsafe(24)


def new_csrf_token() -> str:
    """A fresh random CSRF token."""
    return secrets.token_urlsafe(24)


def csrf_matches(cookie_value: str | None, form_value: str | None) -> bool:
    """True when the form repeats the cookie's CSRF token (constant-time comparison)."""
    if not cookie_value or not form_value:
        return False
    return hmac.compare_digest(cookie_value.encode(), form_value.encode())


def safe_next(path: str | None, default: str) -> str:
    """A redirect target that stays on this site: a local absolute path, normalised (``..``
    and ``.`` resolved, percent-escapes decoded first), else ``default``.

    The caller compares the result with the pages a role may open, so the comparison must see
    the path the browser will request: ``/console/worklist/../../docs`` is ``/docs``.
    """
    if not path or not path.startswith("/") or path.startswith("//") or "\\" in path:
        return default
    raw_path, _, query = path.partition("?")
    decoded = unquote(raw_path)
    if "\\" in decoded or any(ord(c) < 32 for c in decoded):
        return default
    normal = posixpath.normpath(decoded)
    if decoded.endswith("/") and normal != "/":
        normal += "/"
    if not normal.startswith("/") or normal.startswith("//"):
        return default
    return normal + (f"?{query}" if query else "")
