"""The OpenAPI document states what the server does, beyond what the routes declare.

FastAPI derives each operation from its route; what the middleware and the app factory add
for every route is written in here, once: the bearer scheme (the **Authorize** button in
``/docs``), the 422 that any body gets when it is not UTF-8, not JSON or nested too deeply,
the 413 of the body limit, the 503 with ``Retry-After`` while the database is away, and
``/metrics`` as Prometheus text rather than JSON.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from mizugiwa.service.audit import MAX_JSON_DEPTH

BEARER = "bearerAuth"
OPEN_PATHS = frozenset({"/healthz", "/readyz"})
FIELD_ERRORS_422 = (
    "The request does not validate: `detail` lists one field error per problem (`loc`, `msg`, "
    "`type`); the input is not echoed back. A body that is not valid UTF-8, not JSON, or "
    f'nested deeper than {MAX_JSON_DEPTH} levels gets one error at `["body"]`, on every route, '
    "before authentication."
)
UNAVAILABLE_503 = (
    "The database (or, for scores, the champion model) is not available; retry after the "
    "number of seconds in `Retry-After`. Nothing was stored."
)
RETRY_AFTER = {
    "Retry-After": {
        "description": "Seconds to wait before retrying.",
        "schema": {"type": "integer", "minimum": 1},
    }
}
_FIELD_ERROR = {
    "type": "object",
    "required": ["loc", "msg"],
    "properties": {
        "loc": {"type": "array", "items": {"anyOf": [{"type": "string"}, {"type": "integer"}]}},
        "msg": {"type": "string"},
        "type": {"type": ["string", "null"]},
    },
}
_VALIDATION_BODY = {
    "type": "object",
    "required": ["detail"],
    "properties": {
        "detail": {"type": "array", "items": _FIELD_ERROR},
        "request_id": {"type": ["string", "null"]},
    },
}
_ERROR_BODY = {"$ref": "#/components/schemas/ErrorResponse"}
METRICS_TEXT = {
    "description": "Prometheus text exposition format (version 0.0.4).",
    "content": {"text/plain": {"schema": {"type": "string"}}},
}


def _json(schema: dict[str, Any]) -> dict[str, Any]:
    return {"application/json": {"schema": schema}}


def build_openapi(app: FastAPI) -> dict[str, Any]:
    """The app's OpenAPI document, completed and cached on the app."""
    if app.openapi_schema:
        return app.openapi_schema
    schema = get_openapi(
        title=app.title, version=app.version, description=app.description, routes=app.routes
    )
    components = schema.setdefault("components", {})
    components.setdefault("securitySchemes", {})[BEARER] = {
        "type": "http",
        "scheme": "bearer",
        "description": "A token from `mizugiwa users token NAME` (`mzg_...`).",
    }
    schemas = components.setdefault("schemas", {})
    schemas.setdefault(
        "ErrorResponse",
        {
            "type": "object",
            "required": ["detail"],
            "properties": {
                "detail": {"anyOf": [{"type": "string"}, {"type": "array", "items": _FIELD_ERROR}]},
                "request_id": {"type": ["string", "null"]},
            },
        },
    )
    for path, operations in schema.get("paths", {}).items():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            responses["422"] = {"description": FIELD_ERRORS_422, "content": _json(_VALIDATION_BODY)}
            responses.setdefault(
                "413",
                {"description": "The body is over the size limit.", "content": _json(_ERROR_BODY)},
            )
            if path in OPEN_PATHS:
                continue
            operation["security"] = [{BEARER: []}]
            for code, text in (
                ("401", "No bearer token, or an unknown or revoked one."),
                ("403", "The caller's role (or post) may not do this."),
            ):
                responses.setdefault(code, {"description": text, "content": _json(_ERROR_BODY)})
                responses[code].setdefault("description", text)
            responses["503"] = {
                "description": UNAVAILABLE_503,
                "headers": RETRY_AFTER,
                "content": _json(_ERROR_BODY),
            }
    metrics = schema.get("paths", {}).get("/metrics", {}).get("get")
    if metrics is not None:
        metrics["responses"]["200"] = METRICS_TEXT
    app.openapi_schema = schema
    return schema
