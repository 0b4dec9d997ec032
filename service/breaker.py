"""A pause on database calls after one failed, so that an unreachable database costs one
timeout every few seconds rather than one per request.

A request that waits for a connection timeout holds a worker thread and keeps its caller
waiting; while the breaker is open, scores skip the database and say so (``degraded``),
decisions go to the local spool, routes that need the database answer 503 at once, and the
token re-check serves a recently valid token. :class:`~service.outage.DatabaseProbe` opens it
within half a second of an outage and closes it as soon as the database answers.
"""

from __future__ import annotations

import time


class DatabaseBreaker:
    """Open for ``pause_seconds`` after a failure; closed (calls allowed) otherwise."""

    def __init__(self, pause_seconds: float = 5.0) -> None:
        self.pause_seconds = pause_seconds
        self._retry_at = 0.0

    @property
    def open(self) -> bool:
        """True while database calls should be skipped."""
        return time.monotonic() < self._retry_at

    def failed(self) -> None:
        self._retry_at = time.monotonic() + self.pause_seconds

    def succeeded(self) -> None:
        self._retry_at = 0.0
