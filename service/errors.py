"""The service's errors: one hierarchy, each class carrying its HTTP status.

::

    ServiceError (500)
    ├── AuthenticationError (401)   no or unknown bearer token
    ├── PermissionDeniedError (403) the role (or post) may not do this
    ├── NotFoundError (404)         an unknown case
    ├── ConflictError (409)         an outcome already recorded, a case id of the other kind
    ├── InvalidRequestError (422)   well-formed but unusable input (a bad cursor, a bad filter)
    ├── BodyTooLargeError (413)     over ``Settings.max_body_bytes``
    ├── NotReadyError (503)         no champion model loaded yet
    └── UnavailableError (503)      the database is away; ``Retry-After`` says when to retry

The app factory maps the whole tree to JSON responses in one handler.
"""

from __future__ import annotations


class ServiceError(Exception):
    """Base of every error the service answers with; ``STATUS`` is the HTTP status."""

    STATUS = 500

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class AuthenticationError(ServiceError):
    STATUS = 401


class PermissionDeniedError(ServiceError):
    STATUS = 403


class NotFoundError(ServiceError):
    STATUS = 404


class ConflictError(ServiceError):
    STATUS = 409


class BodyTooLargeError(ServiceError):
    STATUS = 413


class InvalidRequestError(ServiceError):
    """Answered like a validation error: ``detail`` is a list of field errors, ``loc`` the
    field's path (``("query", "cursor")``); without one, the field the message starts with."""

    STATUS = 422

    def __init__(self, detail: str, loc: tuple[str, ...] | None = None) -> None:
        super().__init__(detail)
        if loc is None:
            head, sep, _ = detail.partition(":")
            loc = ("query", head.strip()) if sep and head.strip().isidentifier() else ("request",)
        self.loc = loc

    def field_errors(self) -> list[dict[str, object]]:
        return [{"loc": list(self.loc), "msg": self.detail, "type": "value_error"}]


class NotReadyError(ServiceError):
    STATUS = 503


class UnavailableError(ServiceError):
    """A dependency (the database) is away: retry after ``retry_after`` seconds; nothing was
    stored."""

    STATUS = 503

    def __init__(self, detail: str, retry_after: int = 5) -> None:
        super().__init__(detail)
        self.retry_after = retry_after
