"""Response bodies the service adds to the scoring contract of :mod:`models.contract`."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from mizugiwa.features.contract import CaseKind, ModelInfo, Score


class ScoreResponse(Score):
    """A score, with the id of the request that produced it (also the ``X-Request-ID``)."""

    request_id: str


class ReferralItem(BaseModel):
    """One scored case that was referred to interview."""

    model_config = ConfigDict(from_attributes=True)

    case_id: str
    kind: CaseKind
    post_code: str
    case_date: datetime
    scored_at: datetime | None
    risk: float | None
    referred_by: list[str]
    reason_codes: list[str]
    rule_codes: list[str]
    model_version: str | None
    status: Literal["pending", "interviewed"]


class ReferralPage(BaseModel):
    """A page of the worklist; pass ``next_cursor`` as ``cursor`` for the next one."""

    items: list[ReferralItem]
    next_cursor: str | None = Field(description="Absent on the last page.")


class OutcomeResponse(BaseModel):
    """An interview outcome as recorded."""

    case_id: str
    outcome: str
    status: Literal["interviewed"]
    shared_case_id: str | None = Field(
        description="The case written to the shared trafficking database, when confirmed."
    )
    request_id: str


class ModelResponse(BaseModel):
    """The model in service and its state."""

    model: ModelInfo | None
    loaded_at: datetime | None
    source: Literal["registry", "cache"] | None
    last_reload_error: str | None


class HealthResponse(BaseModel):
    status: Literal["ok", "ready", "not_ready"]
    checks: dict[str, Any] = Field(default_factory=dict)


class ErrorResponse(BaseModel):
    """Every error body: a message (or field errors) and the request id."""

    detail: str | list[dict[str, Any]]
    request_id: str | None = None
