"""Pydantic models of the trafficking-database import format: one JSON object per line.

Each line carries ``entity_type`` (the discriminator), an ``id`` unique within its type, and
provenance: ``source`` (agency), ``recorded_at`` (when the agency learnt it), an optional
``valid_until`` and a ``confidence`` in 0..1. Raids, cases and sponsorships are events: their
``recorded_at`` defaults to the event ``date`` (and ``source`` to the raid's ``authority`` or to
``"unspecified"``), and may not precede it. Fields beyond those declared are kept as they are.

Real exports are read as they come: ``recorded_at`` (and any date) given as a date-time is the
UTC day of that moment; a person born "about 1961" (or ``1961``, ``1961-00-00``, ``1961-XX-XX``)
has no date of birth but a ``birth_year`` (kept with ``date_of_birth_as_given``), which the
matcher compares as a year; a raid finding outside the closed list is stored as ``other`` with
the agency's wording kept in ``finding_as_given``, never refused. An organisation's
``identifiers`` (``[{"scheme": "jp_corporate_number", "value": "..."}]``) are checked by scheme
(:mod:`features.tipdb.identifiers`) and kept.

A person whose ``role`` is ``victim`` is a *protected* person: the loader stores them apart and
they may only ever raise protection guidance, never suspicion.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Annotated, Any, Literal, get_args

import pycountry
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    TypeAdapter,
    ValidationInfo,
    field_validator,
    model_validator,
)

from mizugiwa.features.records import ICAO_EXTRA_CODES
from mizugiwa.features.tipdb.identifiers import checked_identifiers

_ISO3 = frozenset(c.alpha_3 for c in pycountry.countries)
# ICAO 9303 writes Germany as "D" in machine-readable zones; agencies copy it from there.
_ICAO_SHORT_CODES = frozenset({"D"})
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
# "about 1961", "c. 1961", "~1961", "1961", "1961-00-00", "1961-XX-XX", "1961-06-XX"
_YEAR_ONLY = re.compile(
    r"^(?:(?:about|abt\.?|approx\.?|circa|ca\.?|c\.|~)\s*)?(\d{4})"
    r"(?:-(?:\d{2}|XX|00)-(?:XX|00))?$",
    re.IGNORECASE,
)

_Date = date  # models below have a field named `date`, which shadows the type in their bodies

SUSPECT_ROLES: tuple[str, ...] = ("broker", "trafficker", "recruiter", "facilitator")
PersonRole = Literal["broker", "trafficker", "recruiter", "facilitator", "victim", "other"]
OrgType = Literal["employer", "establishment", "recruitment_agency", "other"]
EstablishmentType = Literal[
    "adult_entertainment",
    "restaurant_bar",
    "factory",
    "agriculture",
    "construction",
    "care",
    "hospitality",
    "other",
]
DocumentStatus = Literal["lost", "stolen", "forged", "revoked"]
RaidKind = Literal["raid", "labour_inspection"]
RaidFinding = Literal[
    "illegal_employment",
    "labour_law_violation",
    "unpaid_wages",
    "passport_confiscation",
    "forced_labour",
    "sexual_exploitation",
    "debt_bondage",
    "other",
]
_FINDINGS = frozenset(get_args(RaidFinding))
CaseType = Literal[
    "sham_marriage",
    "impersonation",
    "forged_document",
    "trafficking",
    "labour_exploitation",
    "sexual_exploitation",
    "other_fraud",
]
SponsorRelation = Literal["spouse", "employer", "inviter", "agency"]
Sex = Literal["F", "M", "X"]


def _iso_date(value: Any) -> Any:
    """Dates are ``YYYY-MM-DD`` text (or ``date`` objects); an ISO 8601 date-time is read as
    the UTC day of that moment (a time without offset is UTC). Numbers are refused."""
    if isinstance(value, datetime):
        return _utc_day(value)
    if isinstance(value, date):
        return value
    if isinstance(value, str) and _ISO_DATE_TIME.match(value.strip()):
        try:
            return _utc_day(datetime.fromisoformat(value.strip()))
        except ValueError as error:
            raise ValueError(f"{value!r} is not an ISO 8601 date-time: {error}") from None
    if not isinstance(value, str) or not _ISO_DATE.match(value.strip()):
        raise ValueError(f"{value!r} is not a date in YYYY-MM-DD form (or an ISO date-time)")
    return date.fromisoformat(value.strip())


def entity_day(value: Any) -> date:
    """A date field of an import line as the import reads it (a date-time is its UTC day)."""
    day: date = _iso_date(value)
    return day


def _utc_day(moment: datetime) -> date:
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC).date()


def _year_only_birth(data: Any) -> Any:
    """A date of birth known to the year only becomes ``birth_year``; nothing is invented."""
    if not isinstance(data, dict):
        return data
    given = data.get("date_of_birth")
    if not isinstance(given, str):
        return data
    match = _YEAR_ONLY.match(given.strip())
    if match is None:
        return data
    rest = {k: v for k, v in data.items() if k != "date_of_birth"}
    return {**rest, "birth_year": int(match.group(1)), "date_of_birth_as_given": given.strip()}


def _identifiers_checked(data: Any) -> Any:
    """An organisation's ``identifiers`` (scheme and value, e.g. Japan's corporate number)
    checked and made canonical; kept with the line's other fields."""
    if isinstance(data, dict) and data.get("identifiers") is not None:
        items = data["identifiers"]
        if not isinstance(items, list):
            raise ValueError('identifiers is a list of {"scheme": ..., "value": ...}')
        data = {**data, "identifiers": checked_identifiers(items)}
    return data


def _finding_kept(data: Any) -> Any:
    """A finding outside :data:`RaidFinding` is stored as ``other``, its wording kept."""
    if not isinstance(data, dict):
        return data
    finding = data.get("finding")
    if isinstance(finding, str) and finding not in _FINDINGS:
        return {**data, "finding": "other", "finding_as_given": finding}
    return data


def _state_code(value: str) -> str:
    code = value.strip().upper()
    if code not in _ISO3 and code not in ICAO_EXTRA_CODES and code not in _ICAO_SHORT_CODES:
        raise ValueError(f"{value!r} is not an ISO 3166-1 alpha-3 or ICAO 9303 state code")
    return code


IsoDate = Annotated[date, BeforeValidator(_iso_date)]
StateCode = Annotated[str, AfterValidator(_state_code)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
EntityId = Annotated[
    str,
    StringConstraints(strip_whitespace=True, pattern=r"^[A-Za-z0-9][A-Za-z0-9._:/\-]{0,63}$"),
]
Names = Annotated[list[Text], Field(min_length=1)]


class EntityBase(BaseModel):
    """Fields every entity line has: its id and its provenance."""

    model_config = ConfigDict(extra="allow", frozen=True)

    id: EntityId
    source: Text
    recorded_at: IsoDate
    valid_until: IsoDate | None = None
    confidence: float = Field(default=1.0, ge=0.0, le=1.0)

    @field_validator("valid_until")
    @classmethod
    def _valid_after_recorded(cls, value: date | None, info: ValidationInfo) -> date | None:
        recorded = info.data.get("recorded_at")
        if value is not None and recorded is not None and value < recorded:
            raise ValueError(f"valid_until {value} is before recorded_at {recorded}")
        return value

    @property
    def extra(self) -> dict[str, Any]:
        """Fields of the line that this schema does not declare, kept as they came."""
        return dict(self.model_extra or {})


def _not_after_recorded(value: date | None, info: ValidationInfo, what: str) -> date | None:
    recorded = info.data.get("recorded_at")
    if value is not None and recorded is not None and value > recorded:
        raise ValueError(f"{what} {value} is after recorded_at {recorded}")
    return value


class EventBase(EntityBase):
    """An event (raid, case, sponsorship): recorded on its date unless told otherwise."""

    source: Text = "unspecified"
    recorded_at: IsoDate = None  # type: ignore[assignment]  # filled from `date` before checks

    @model_validator(mode="before")
    @classmethod
    def _default_recorded_at(cls, data: Any) -> Any:
        if isinstance(data, dict) and data.get("recorded_at") is None and "date" in data:
            data = {**data, "recorded_at": data["date"]}
        return data


class Person(EntityBase):
    """A suspect (broker, trafficker, recruiter, facilitator, other) or a protected victim."""

    entity_type: Literal["person"]
    names: Names
    role: PersonRole
    date_of_birth: IsoDate | None = None
    nationality: StateCode | None = None
    sex: Sex | None = None

    _year_only = model_validator(mode="before")(_year_only_birth)

    @field_validator("date_of_birth")
    @classmethod
    def _born_before_recorded(cls, value: date | None, info: ValidationInfo) -> date | None:
        return _not_after_recorded(value, info, "date_of_birth")

    @property
    def protected(self) -> bool:
        """Known victims are protected persons: kept apart, never a ground for suspicion."""
        return self.role == "victim"


class Organisation(EntityBase):
    """An employer, establishment or recruitment agency."""

    entity_type: Literal["organisation"]
    names: Names
    org_type: OrgType
    establishment_type: EstablishmentType | None = None
    country: StateCode | None = None

    _identifiers = model_validator(mode="before")(_identifiers_checked)


class Phone(EntityBase):
    """A phone number linked to persons or organisations (``linked_to``: their ids)."""

    entity_type: Literal["phone"]
    number: Text
    country: StateCode | None = None
    linked_to: list[EntityId] = Field(default_factory=list)


class Address(EntityBase):
    """An address linked to persons or organisations (``linked_to``: their ids)."""

    entity_type: Literal["address"]
    address: Text
    country: StateCode | None = None
    linked_to: list[EntityId] = Field(default_factory=list)


class TravelDocument(EntityBase):
    """A travel document reported lost, stolen, forged or revoked."""

    entity_type: Literal["travel_document"]
    number: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)]
    issuing_state: StateCode
    status: DocumentStatus


class Raid(EventBase):
    """A raid on, or a labour inspection of, an organisation, and what it found."""

    entity_type: Literal["raid"]
    organisation_id: EntityId
    date: IsoDate
    authority: Text
    kind: RaidKind = "raid"
    finding: RaidFinding

    _finding = model_validator(mode="before")(_finding_kept)

    @model_validator(mode="before")
    @classmethod
    def _source_is_authority(cls, data: Any) -> Any:
        if isinstance(data, dict) and "source" not in data and "authority" in data:
            data = {**data, "source": data["authority"]}
        return data

    @field_validator("date")
    @classmethod
    def _happened_before_recorded(cls, value: _Date, info: ValidationInfo) -> _Date | None:
        return _not_after_recorded(value, info, "date")


class Case(EventBase):
    """A confirmed case and the persons and organisations it involved."""

    entity_type: Literal["case"]
    case_type: CaseType
    date: IsoDate
    persons: list[EntityId] = Field(default_factory=list)
    organisations: list[EntityId] = Field(default_factory=list)

    @field_validator("date")
    @classmethod
    def _happened_before_recorded(cls, value: _Date, info: ValidationInfo) -> _Date | None:
        return _not_after_recorded(value, info, "date")


class Sponsorship(EventBase):
    """One sponsorship by a sponsor (spouse, employer, inviter, agency) of a foreign national.

    ``sponsor_names`` are alternative spellings of the one sponsor's full name.
    """

    entity_type: Literal["sponsorship"]
    sponsor_names: Names
    sponsor_date_of_birth: IsoDate | None = None
    relation: SponsorRelation
    sponsored_name: Text
    sponsored_nationality: StateCode | None = None
    sponsor_organisation_id: EntityId | None = None
    date: IsoDate

    @field_validator("date")
    @classmethod
    def _happened_before_recorded(cls, value: _Date, info: ValidationInfo) -> _Date | None:
        return _not_after_recorded(value, info, "date")


Entity = Annotated[
    Person | Organisation | Phone | Address | TravelDocument | Raid | Case | Sponsorship,
    Field(discriminator="entity_type"),
]
ENTITY_TYPES: tuple[str, ...] = (
    "person",
    "organisation",
    "phone",
    "address",
    "travel_document",
    "raid",
    "case",
    "sponsorship",
)
entity_adapter: TypeAdapter[Entity] = TypeAdapter(Entity)


def parse_entity(data: dict[str, Any]) -> Entity:
    """Validate one import line (already decoded from JSON); raises ``ValidationError``."""
    return entity_adapter.validate_python(data)


def to_line(entity: EntityBase) -> dict[str, Any]:
    """The import-format dict of an entity (JSON-ready: dates as ISO text), extras included."""
    line = entity.model_dump(mode="json", exclude_none=True)
    return {"entity_type": line.pop("entity_type"), "id": line.pop("id"), **line}
