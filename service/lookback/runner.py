"""Running a look-back for a trigger, in one transaction, with its decision-log entry.

Three triggers, one path: an import into the trafficking database (``mizugiwa db load``, the
facts that file wrote), a confirmed interview outcome (the facts it shared), and a period
(``mizugiwa lookback --since D``). The decision log gets one entry per run with counts only
(``FACTS:n``, ``FOLLOW_UPS:n``, the reason codes): no case or person appears in it.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from datetime import date

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from mizugiwa.db.engine import session_scope
from mizugiwa.service.audit import Decision, DecisionLog
from mizugiwa.service.lookback.engine import LookbackReport, horizon_days, look_back
from mizugiwa.service.lookback.facts import (
    Fact,
    facts_by_id,
    facts_of_import,
    facts_recorded_since,
)
from mizugiwa.settings import Settings

LOOKBACK_ENDPOINT = "LOOKBACK"


def _decision(report: LookbackReport, trigger: str, user_id: int | None) -> Decision:
    codes = [f"FACTS:{report.facts}", f"FOLLOW_UPS:{report.created}"]
    codes += [f"{code}:{count}" for code, count in sorted(report.by_reason.items())]
    return Decision(
        endpoint=f"{LOOKBACK_ENDPOINT} {trigger}",
        request_id=report.run_id,
        status=200,
        user_id=user_id,
        reason_codes=codes,
    )


def run_in_session(
    session: Session,
    decision_log: DecisionLog | None,
    facts: list[Fact],
    settings: Settings,
    *,
    trigger: str,
    user_id: int | None = None,
) -> LookbackReport:
    """Look back over ``facts`` in the caller's transaction (the one that recorded them, for
    an outcome); the decision-log entry is written after, in a transaction of its own."""
    report = look_back(
        session,
        facts,
        horizon_days=horizon_days(settings.lookback_horizon_years),
        run_id=uuid.uuid4().hex,
    )
    if decision_log is not None:
        decision_log.write(_decision(report, trigger, user_id))
    return report


def run(
    engine: Engine,
    settings: Settings,
    select_facts: Callable[[Session], list[Fact]],
    *,
    trigger: str,
    user_id: int | None = None,
    decision_log: DecisionLog | None = None,
) -> LookbackReport:
    """Read the facts, look back and store the follow-ups (one transaction), then write the
    run's decision-log entry."""
    log = decision_log if decision_log is not None else DecisionLog(engine)
    with session_scope(engine) as session:
        report = look_back(
            session,
            select_facts(session),
            horizon_days=horizon_days(settings.lookback_horizon_years),
            run_id=uuid.uuid4().hex,
        )
    log.write(_decision(report, trigger, user_id))
    return report


def after_import(engine: Engine, settings: Settings, sha256: str) -> LookbackReport:
    """The look-back of one accepted import file."""
    return run(engine, settings, lambda s: facts_of_import(s, sha256), trigger="db load")


def since(
    engine: Engine, settings: Settings, day: date, until: date | None = None
) -> LookbackReport:
    """The look-back of every fact recorded on or after ``day``."""
    return run(engine, settings, lambda s: facts_recorded_since(s, day, until), trigger="since")


def of_entities(
    engine: Engine, settings: Settings, ids: dict[str, Iterable[str]], *, trigger: str
) -> LookbackReport:
    """The look-back of the given entities (external ids per entity type)."""
    return run(engine, settings, lambda s: facts_by_id(s, ids), trigger=trigger)
