"""Running a look-back for a trigger: the follow-ups in one transaction, then the run's
decision-log entry.

Three triggers, one path: an import into the trafficking database (``mizugiwa db load``, the
facts that file wrote), a confirmed interview outcome (the facts it shared), and a period
(``mizugiwa lookback --since D``). The decision log gets one entry per run with counts only
(``FACTS:n``, ``FOLLOW_UPS:n``, the reason codes): no case or person appears in it.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from typing import Any

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


def run(
    engine: Engine,
    settings: Settings,
    select_facts: Callable[[Session], list[Fact]],
    *,
    trigger: str,
    user_id: int | None = None,
    decision_log: DecisionLog | None = None,
    exclude_case_ids: frozenset[str] = frozenset(),
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
            exclude_case_ids=exclude_case_ids,
        )
    log.write(_decision(report, trigger, user_id))
    return report


def after_import(engine: Engine, settings: Settings, sha256: str) -> LookbackReport:
    """The look-back of one accepted import file."""
    return run(engine, settings, lambda s: facts_of_import(s, sha256), trigger="db load")


def since(
    engine: Engine,
    settings: Settings,
    day: date,
    until: date | None = None,
    *,
    user_id: int | None = None,
    decision_log: DecisionLog | None = None,
) -> LookbackReport:
    """The look-back of every fact recorded on or after ``day``."""
    return run(
        engine,
        settings,
        lambda s: facts_recorded_since(s, day, until),
        trigger="since",
        user_id=user_id,
        decision_log=decision_log,
    )


def of_entities(
    engine: Engine,
    settings: Settings,
    ids: Mapping[str, Iterable[str]],
    *,
    trigger: str,
    user_id: int | None = None,
    decision_log: DecisionLog | None = None,
    exclude_case_ids: frozenset[str] = frozenset(),
) -> LookbackReport:
    """The look-back of the given entities (external ids per entity type)."""
    return run(
        engine,
        settings,
        lambda s: facts_by_id(s, ids),
        trigger=trigger,
        user_id=user_id,
        decision_log=decision_log,
        exclude_case_ids=exclude_case_ids,
    )


def of_shared_lines(
    engine: Engine,
    settings: Settings,
    lines: list[dict[str, Any]],
    case_id: str,
    *,
    trigger: str,
    user_id: int | None = None,
    decision_log: DecisionLog | None = None,
) -> LookbackReport:
    """The look-back of the lines a confirmed outcome shared (its own case excluded)."""
    # The case line names the sponsor and organisations the lines add, so it alone carries
    # their keys (one follow-up per other case); a forged document is a fact of its own. A
    # victim is never a fact against anyone.
    ids: dict[str, list[str]] = {}
    for line in lines:
        kind = str(line["entity_type"])
        if kind in ("case", "travel_document"):
            ids.setdefault(kind, []).append(str(line["id"]))
    return of_entities(
        engine,
        settings,
        ids,
        trigger=trigger,
        user_id=user_id,
        decision_log=decision_log,
        exclude_case_ids=frozenset({case_id}),
    )


def after_shared_case(
    engine: Engine,
    settings: Settings,
    shared_case_id: str,
    case_id: str,
    *,
    user_id: int | None = None,
    decision_log: DecisionLog | None = None,
) -> LookbackReport:
    """The look-back of the case an interview outcome shared (``service.cases`` names the
    lines of one outcome ``SVC-<digest>-<part>``: ``C`` the case, ``D`` a forged document)."""
    stem = shared_case_id.removesuffix("-C")
    return of_entities(
        engine,
        settings,
        {"case": [shared_case_id], "travel_document": [f"{stem}-D"]},
        trigger="interview outcome",
        user_id=user_id,
        decision_log=decision_log,
        exclude_case_ids=frozenset({case_id}),
    )
