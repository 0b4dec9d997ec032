"""Response bodies the service adds to the scoring contract of :mod:`models.contract`."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator

from mizugiwa.features.contract import CaseKind, ModelInfo, Score

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _iso_date_text(value: Any) -> Any:
    """A query date is written ``YYYY-MM-DD``; a number is not read as a Unix time."""
    if isinstance(value, str) and not _ISO_DATE.match(value):
        raise ValueError("must be a date written YYYY-MM-DD")
    return value


QueryDate = Annotated[date, BeforeValidator(_iso_date_text)]


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

    @field_validator("case_date", "scored_at")
    @classmethod
    def _in_utc(cls, value: datetime | None) -> datetime | None:
        """Times are stored in UTC; SQLite hands them back without a zone, and an RFC 3339
        ``date-time`` needs one."""
        return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value


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
