"""The consular worklist and one case's page: which referrals a post sees, in which order, and
what the officer reads before the interview.

The worklist reads the service's referral query (:func:`service.cases.referrals`) for the
officer's own post and orders it by referral priority: cases a rule referred first (a stolen
passport or a trafficker's phone refers whatever the model's score), then cases with a
protection concern (a possible victim of exploitation), then the model's score, highest first.

A case's reasons with their evidence come from scoring its stored record again with the model
in service: scores are computed as of the application's submission date, so the reasons are
those of the referral unless the model has changed since (the page names the model that
produced them).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select

from mizugiwa.db.engine import session_scope
from mizugiwa.features.contract import Score
from mizugiwa.features.records import VisaApplication
from mizugiwa.service.cases import referrals
from mizugiwa.service.console.outcome_correction import PastOutcome, aware, history
from mizugiwa.service.console.words import is_protection_code
from mizugiwa.service.runtime import ServiceRuntime
from mizugiwa.service.tables import InterviewOutcome, StoredCase

STATUSES: tuple[str, ...] = ("pending", "interviewed")
MAX_ITEMS = 500


@dataclass(frozen=True)
class WorklistFilters:
    status: str | None = None
    date_from: date | None = None
    date_to: date | None = None


@dataclass(frozen=True)
class WorklistItem:
    case_id: str
    case_date: datetime
    risk: float | None
    status: str
    reason_codes: list[str]
    rule_codes: list[str]
    referred_by: list[str]

    @property
    def protection(self) -> bool:
        """A possible victim: an exploitation reason or a known victim's record matched."""
        return any(is_protection_code(code) for code in self.reason_codes)

    @property
    def why(self) -> str:
        """Why the case is on the worklist: ``rule``, ``model`` or ``random_audit``."""
        if self.rule_codes or "rule" in self.referred_by:
            return "rule"
        if "model" in self.referred_by or not self.referred_by:
            return "model"
        return self.referred_by[0]

    @property
    def priority(self) -> int:
        """0 for a rule referral, 1 for a protection concern, 2 for the model's score alone."""
        if self.why == "rule":
            return 0
        return 1 if self.protection else 2


def priority_order(items: list[WorklistItem]) -> list[WorklistItem]:
    """Pending first; then rules, protection concerns, and the model's score, highest first."""
    return sorted(
        items, key=lambda i: (i.status != "pending", i.priority, -(i.risk or 0.0), i.case_id)
    )


@dataclass(frozen=True)
class CaseDetail:
    case_id: str
    case_date: str
    applicant: str
    category: str | None
    score: Score
    recorded: PastOutcome | None
    history: list[PastOutcome]
    referral_source: str
    post_code: str


def worklist(engine: Any, post_code: str, filters: WorklistFilters) -> list[WorklistItem]:
    """The post's referred applications matching ``filters`` in referral priority
    (:func:`priority_order`), at most ``MAX_ITEMS``."""
    with session_scope(engine) as session:
        rows, _ = referrals(
            session,
            post_code=post_code,
            status=filters.status,
            since=filters.date_from,
            until=filters.date_to,
            cursor=None,
            limit=MAX_ITEMS,
        )
        items = [
            WorklistItem(
                case_id=row.case_id,
                case_date=row.case_date,
                risk=row.risk,
                status=row.status,
                reason_codes=list(row.reason_codes or []),
                rule_codes=list(row.rule_codes or []),
                referred_by=list(row.referred_by or []),
            )
            for row in rows
            if row.kind == "application"
        ]
    return priority_order(items)


def case_detail(runtime: ServiceRuntime, post_code: str, case_id: str) -> CaseDetail | None:
    """A referred application of the officer's own post, scored for reading; None otherwise
    (another post's case is as invisible as a missing one)."""
    with session_scope(runtime.engine) as session:
        row = session.scalar(
            select(StoredCase).where(
                StoredCase.case_id == case_id,
                StoredCase.post_code == post_code,
                StoredCase.kind == "application",
            )
        )
        if row is None:
            return None
        record = dict(row.record)
        referred_by = list(row.referred_by or [])
        current = session.scalar(
            select(InterviewOutcome).where(InterviewOutcome.case_id == case_id)
        )
        recorded = (
            None
            if current is None
            else PastOutcome(
                current.outcome,
                aware(current.interviewed_at),
                current.victim_support_offered,
                aware(current.recorded_at),
                None,
                None,
            )
        )
        past = history(session, case_id)
    model = runtime.model
    if model is None:
        return None
    application = VisaApplication.model_validate(record)
    context, _missing = runtime.feature_context()
    [score] = model.scorer.score_cases("application", [application], context)
    applicant = application.applicant
    name = " ".join(p for p in (applicant.family_name, applicant.given_names) if p)
    if applicant.name_native:
        name = f"{name} ({applicant.name_native})"
    return CaseDetail(
        case_id=case_id,
        case_date=application.submitted_at.date().isoformat(),
        applicant=name,
        category=application.visa_category.value,
        score=score,
        recorded=recorded,
        history=past,
        referral_source=referral_source(referred_by),
        post_code=post_code,
    )


def referral_source(referred_by: list[str]) -> str:
    """What referred the case, as an outcome records it: a rule when any rule did (a rule refers
    whatever the score), else the model, else the random audit."""
    if "rule" in referred_by:
        return "rule"
    if "model" in referred_by or not referred_by:
        return "model"
    return referred_by[0]
