"""Pure ASGI middleware (cheaper than ``BaseHTTPMiddleware`` on the hot path).

- :class:`RequestContextMiddleware` binds a request id (the caller's ``X-Request-ID`` when it is
  sane, else a new one), echoes it as ``X-Request-ID``, times the request for the latency
  histogram, and writes one access-log line without the query string (which may hold names).
- :class:`BodyLimitMiddleware` answers 413 for a body over the limit, whether announced by
  ``Content-Length`` or streamed, before any of it is parsed.
- :class:`JSONBodyMiddleware` parses a JSON body once, in C, before anything else does: a body
  that is not UTF-8, not JSON or nested too deeply gets a 422 with a field error at ``body``
  (never the 500 that a recursion limit further in would give, on any route, with or without a
  token), and the canonical digest the decision log keeps is computed here, once.
"""

from __future__ import annotations

import asyncio
import hashlib
import re
import secrets
import time
from collections.abc import Callable

import orjson
import structlog
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mizugiwa.service.audit import BodyNotJSONError, json_digest
from mizugiwa.service.metrics import Metrics

_SANE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")
log = structlog.get_logger("mizugiwa.service")


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key == name:
            return str(value.decode("latin-1"))
    return None


class RequestContextMiddleware:
    """Request id, latency histogram and access log."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = _header(scope, b"x-request-id")
        request_id = given if given and _SANE_REQUEST_ID.match(given) else secrets.token_hex(8)
        scope.setdefault("state", {})["request_id"] = request_id
        status = 500
        started = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = list(message.get("headers", []))
                headers.append((b"x-request-id", request_id.encode("ascii")))
                message["headers"] = headers
            await send(message)

        structlog.contextvars.bind_contextvars(request_id=request_id)
        try:
            await self.app(scope, receive, send_with_id)
        finally:
            elapsed = time.perf_counter() - started
            route = scope.get("route")
            path = getattr(route, "path", None) or "unmatched"
            self.metrics.latency.labels(
                route=path, method=scope["method"], status=f"{status // 100}xx"
            ).observe(elapsed)
            log.info(
                "request",
                method=scope["method"],
                route=path,
                status=status,
                ms=round(elapsed * 1000, 2),
            )
            structlog.contextvars.unbind_contextvars("request_id")


async def _send_json(send: Send, status: int, payload: object) -> None:
    body = orjson.dumps(payload)
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def _is_json(content_type: str | None) -> bool:
    """No content type (FastAPI may then read JSON), ``application/json`` or ``+json``."""
    if not content_type:
        return True
    media = content_type.split(";", 1)[0].strip().lower()
    return media == "application/json" or (
        media.startswith("application/") and media.endswith("+json")
    )


RejectionLogger = Callable[[Scope, int, str, str], None]


class JSONBodyMiddleware:
    """422 for a JSON body that cannot be used; the body's digest for the decision log.

    Sits inside :class:`BodyLimitMiddleware` (which has already read the body into one
    message). ``log_rejection(scope, status, error, digest)`` writes the refusal to the decision
    log; it may block, so it runs in a worker thread.
    """

    def __init__(
        self,
        app: ASGIApp,
        log_rejection: RejectionLogger | None = None,
        text_paths: tuple[str, ...] = (),
    ) -> None:
        self.app = app
        self.log_rejection = log_rejection
        # Routes whose body is text of another format (an airline's EDIFACT passenger list):
        # their own parser answers for it, whatever content type the sender declared.
        self.text_paths = text_paths

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope.get("path", "") in self.text_paths
            or not _is_json(_header(scope, b"content-type"))
        ):
            await self.app(scope, receive, send)
            return
        message = await receive()
        body = message.get("body", b"") if message["type"] == "http.request" else b""
        try:
            digest = json_digest(body)
        except BodyNotJSONError as exc:
            error = str(exc)
            if self.log_rejection is not None:
                raw = hashlib.sha256(body).hexdigest()
                await asyncio.to_thread(self.log_rejection, scope, 422, f"body: {error}", raw)
            await _send_json(
                send,
                422,
                {
                    "detail": [{"loc": ["body"], "msg": error, "type": "json_invalid"}],
                    "request_id": scope.get("state", {}).get("request_id"),
                },
            )
            return
        if body:
            scope.setdefault("state", {})["input_sha256"] = digest
        await self.app(scope, _replay([message], receive), send)


class BodyLimitMiddleware:
    """413 for request bodies over ``max_bytes``."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def _reject(self, scope: Scope, send: Send) -> None:
        body = orjson.dumps(
            {
                "detail": f"request body over the limit of {self.max_bytes} bytes",
                "request_id": scope.get("state", {}).get("request_id"),
            }
        )
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = _header(scope, b"content-length")
        if length is not None:
            try:
                too_large = int(length) > self.max_bytes
            except ValueError:
                too_large = False
            if too_large:
                await self._reject(scope, send)
                return
        # Read the body here, up to the limit, and replay it: a streamed body that passes the
        # limit is refused before the app parses any of it.
        chunks: list[bytes] = []
        received = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                await self.app(scope, _replay([message]), send)
                return
            chunk = message.get("body", b"")
            received += len(chunk)
            if received > self.max_bytes:
                await self._reject(scope, send)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        await self.app(
            scope,
            _replay([{"type": "http.request", "body": body, "more_body": False}], receive),
            send,
        )


def _replay(messages: list[Message], then: Receive | None = None) -> Receive:
    """A ``receive`` that returns ``messages`` first, then defers to ``then`` (disconnects)."""
    pending = list(messages)

    async def receive() -> Message:
        if pending:
            return pending.pop(0)
        if then is not None:
            return await then()
        return {"type": "http.disconnect"}

    return receive
