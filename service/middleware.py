"""Pure ASGI middleware (cheaper than ``BaseHTTPMiddleware`` on the hot path).

- :class:`RequestContextMiddleware` binds a request id (the caller's ``X-Request-ID`` when it is
  sane, else a new one), echoes it as ``X-Request-ID``, times the request for the latency
  histogram, and writes one access-log line without the query string (which may hold names).
- :class:`BodyLimitMiddleware` answers 413 for a body over the limit, whether announced by
  ``Content-Length`` or streamed, before any of it is parsed.
"""

from __future__ import annotations

import re
import secrets
import time

import orjson
import structlog
from starlette.types import ASGIApp, Message, Receive, Scope, Send

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
