"""The service's errors: one hierarchy, each class carrying its HTTP status.

::

    ServiceError (500)
    ├── AuthenticationError (401)   no or unknown bearer token
    ├── PermissionDeniedError (403) the role (or post) may not do this
    ├── NotFoundError (404)         an unknown case
    ├── ConflictError (409)         an outcome already recorded, a case id of the other kind
    ├── InvalidRequestError (422)   well-formed but unusable input (a bad cursor, a bad filter)
    ├── BodyTooLargeError (413)     over ``Settings.max_body_bytes``
    └── NotReadyError (503)         no champion model loaded yet

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
    STATUS = 422


class NotReadyError(ServiceError):
    STATUS = 503
