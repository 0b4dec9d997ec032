"""Request and response bodies of the follow-up worklist (``/v1/follow-ups``)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from mizugiwa.features.records import OutcomeKind


class ReasonText(BaseModel):
    """A catalogue code with its text in English and Japanese, the fact's date filled in."""

    code: str
    text_en: str
    text_ja: str


class FactRef(BaseModel):
    """The database entity whose recording caused the follow-up (ids and codes only)."""

    type: str
    id: str
    date: dt.date
    recorded_at: dt.date
    detail: dict[str, str | bool] = Field(default_factory=dict)


class FollowUpItem(BaseModel):
    """A stored case that a fact recorded after it concerns."""

    follow_up_id: int
    case_id: str
    case_kind: str
    post_code: str
    case_date: dt.datetime
    visa_category: str | None
    fact: FactRef
    rank: int = Field(description="0 first: spouse-visa holders linked to a raided establishment.")
    reasons: list[ReasonText]
    guidance: list[ReasonText] = Field(description="Protection first: the person may be a victim.")
    matched_fields: list[str] = Field(description="Where on the case the fact's keys met.")
    status: Literal["open", "closed"]
    outcome: str | None = None


class FollowUpPage(BaseModel):
    """A page of follow-ups; pass ``next_cursor`` as ``cursor`` for the next one."""

    items: list[FollowUpItem]
    next_cursor: str | None = Field(description="Absent on the last page.")


class FollowUpOutcomeIn(BaseModel):
    """What a follow-up found. Outcome kinds are those of interviews (they become labels)."""

    model_config = ConfigDict(extra="forbid")

    outcome: OutcomeKind
    concluded_at: AwareDatetime
    victim_support_offered: bool = False


class FollowUpOutcomeResponse(BaseModel):
    follow_up_id: int
    case_id: str
    outcome: str
    status: Literal["closed"]
    shared_case_id: str | None = Field(
        description="The case written to the shared trafficking database, when confirmed."
    )
    follow_ups_created: int = Field(
        description="Further follow-ups the confirmed case's own look-back found."
    )
    request_id: str
