"""What the service does while the database is away: answer 503 with ``Retry-After`` (or a
degraded score), never 500, never a reset connection, never a stalled health probe.

- :func:`is_outage` tells a database that cannot be reached (refused, shut down, a dropped
  connection, a pool that timed out) from a database that answered with an error.
- :func:`require_database` refuses a request that must write (an outcome) or read (the
  worklist) at once while the breaker is open, instead of waiting for a timeout.
- :func:`log_decision` appends to the decision log, or keeps the decision in the local spool
  while the database is away (chained, in order, when it answers again).
- :class:`DatabaseProbe` checks the database every half second off the request path; it opens
  and closes the breaker and is what ``/readyz`` reports (no I/O of its own).
"""

from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING

import structlog
from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError, SQLAlchemyError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError

from mizugiwa.service.audit import Decision, DecisionLog
from mizugiwa.service.breaker import DatabaseBreaker
from mizugiwa.service.errors import UnavailableError

if TYPE_CHECKING:
    from collections.abc import Callable

log = structlog.get_logger("mizugiwa.service.outage")
RETRY_AFTER_SECONDS = 5


def is_outage(exc: BaseException) -> bool:
    """True when ``exc`` means the database could not be reached or the connection was lost."""
    if isinstance(exc, OperationalError | InterfaceError | PoolTimeoutError):
        return True
    return isinstance(exc, DBAPIError) and bool(exc.connection_invalidated)


def unavailable() -> UnavailableError:
    return UnavailableError(
        "the database is unreachable; nothing was stored, retry later",
        retry_after=RETRY_AFTER_SECONDS,
    )


def require_database(breaker: DatabaseBreaker) -> None:
    """503 at once while the breaker is open."""
    if breaker.open:
        raise unavailable()


def log_decision(decision_log: DecisionLog, breaker: DatabaseBreaker, decision: Decision) -> bool:
    """Append ``decision``, or spool it while the database is away; True when it was chained
    now. A decision neither chained nor spooled is an error (the disk is gone too)."""
    if breaker.open:
        decision_log.spool(decision)
        return False
    try:
        decision_log.write(decision)
    except SQLAlchemyError as exc:
        if not is_outage(exc):
            raise
        breaker.failed()
        decision_log.spool(decision)
        return False
    return True


class DatabaseProbe:
    """A thread that runs ``SELECT 1`` every ``interval`` seconds.

    A failed probe opens the breaker (so requests stop waiting on the database); a good one
    closes it at once, so recovery is seen within one interval rather than the breaker's
    pause. ``healthy`` is False when no probe has succeeded for ``stale_after`` seconds, which
    also covers a probe that hangs on a black-holed connection.
    """

    def __init__(
        self,
        engine: Engine,
        breaker: DatabaseBreaker,
        *,
        interval: float = 0.5,
        stale_after: float = 1.5,
        on_recovery: Callable[[], None] | None = None,
    ) -> None:
        self.engine = engine
        self.breaker = breaker
        self.interval = interval
        self.stale_after = stale_after
        self.on_recovery = on_recovery
        self.last_ok: float | None = None
        self.last_error: str | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def running(self) -> bool:
        return self._thread is not None

    @property
    def healthy(self) -> bool:
        last = self.last_ok
        return last is not None and time.monotonic() - last < self.stale_after

    def check(self) -> bool:
        """One probe (blocking); records and returns the result."""
        try:
            with self.engine.connect() as connection:
                connection.exec_driver_sql("SELECT 1")
        except Exception as exc:  # any failure to answer is an outage, for readiness
            was_ok = self.last_error is None
            self.last_error = type(exc).__name__
            self.breaker.failed()
            if was_ok:
                log.warning("database unreachable", error=self.last_error)
            return False
        recovered = self.last_error is not None
        self.last_ok, self.last_error = time.monotonic(), None
        self.breaker.succeeded()
        if recovered:
            log.info("database reachable again")
            if self.on_recovery is not None:
                self.on_recovery()
        return True

    def start(self) -> None:
        if self._thread is not None:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="database-probe", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def _run(self) -> None:
        while not self._stop.is_set():
            self.check()
            self._stop.wait(self.interval)
