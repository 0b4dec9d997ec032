"""The scoring contract (docs/design.md): what every score says, whoever asks for it.

A score answers how likely each concern is, whether the case is referred to a secondary
interview (and by which threshold, or by which rule), the reasons in English and Japanese with the
evidence behind each, what the interviewer needs to know, and which model and rules produced it.
These models are the service's response bodies and the rows ``mizugiwa score`` writes.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from mizugiwa.features.records import Concern


def _registered_kind(name: str) -> str:
    """A kind of case registered in :mod:`mizugiwa.features.kinds` (imported here, not at the
    top: the kinds' specs import the indicators, which import this contract)."""
    from mizugiwa.features.kinds import UnknownKindError, kind

    try:
        return kind(name).name
    except UnknownKindError as exc:
        raise ValueError(str(exc)) from None


#: The name of a registered kind of case (``application``, ``entry``, ...): derived from the
#: registry of kinds, so a new kind needs no edit here.
CaseKind = Annotated[
    str,
    AfterValidator(_registered_kind),
    Field(description="A registered kind of case, e.g. application or entry."),
]


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True)


class Reason(_Out):
    """One reason a person can read, with the evidence behind it."""

    code: str = Field(description="Stable reason code, e.g. SM-AGE-GAP.")
    concern: Concern | None = Field(description="The concern it supports; None for protection.")
    text_en: str
    text_ja: str
    evidence: dict[str, Any] = Field(
        default_factory=dict,
        description="The indicator value and any matched database record (ids, not names).",
    )
    weight: float = Field(default=0.0, description="How much it moved the score (0..1 scale).")


class RuleHit(_Out):
    """A rule that refers regardless of any model (watchlist broker, stolen document, MRZ)."""

    code: str
    text_en: str
    text_ja: str
    evidence: dict[str, Any] = Field(default_factory=dict)


class Guidance(_Out):
    """What the interviewer needs: people flagged are often victims."""

    languages: list[str] = Field(
        description="ISO 639-1 languages to interview in, preferred first."
    )
    interpreter_needed: bool
    interviewer_sex: Literal["F", "M", "any"] = Field(
        description="F where the person is a woman or asks for one; 'any' otherwise."
    )
    protection_referral: bool = Field(
        description="Offer referral to protection services (possible victim)."
    )
    notes_en: list[str] = Field(default_factory=list)
    notes_ja: list[str] = Field(default_factory=list)


class ModelInfo(_Out):
    name: str
    version: str
    alias: str | None = None
    run_id: str | None = None
    rules_version: str


class Score(_Out):
    """The answer for one application or entry."""

    case_id: str
    kind: CaseKind
    post_code: str = Field(description="Consular post or port that owns the case.")
    probabilities: dict[Concern, float] = Field(description="Calibrated, per concern, 0..1.")
    risk: float = Field(description="The referral score: the largest concern probability.")
    refer: bool = Field(description="Refer to a secondary interview. Never a refusal.")
    threshold: float = Field(description="Referral threshold set from the post's capacity.")
    capacity: float = Field(description="Share of cases the post can interview.")
    referred_by: list[Literal["model", "rule"]] = Field(default_factory=list)
    reasons: list[Reason] = Field(default_factory=list)
    rules_fired: list[RuleHit] = Field(default_factory=list)
    guidance: Guidance
    model: ModelInfo
    degraded: bool = False
    degraded_reasons: list[str] = Field(default_factory=list)
