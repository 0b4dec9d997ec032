"""Input records: the API's request bodies and the JSON Lines file format, one schema everywhere.

``VisaApplication``, ``BorderEntry`` and ``Outcome`` follow "Records" in docs/design.md.
Validation is what a border officer would expect (ISO 3166-1 alpha-3 states, ISO 639 languages,
dates that agree with each other, closed enumerations); an error names the field and what is
wrong. Values as real exports write them (three-letter language codes, partial dates of birth,
seaport arrivals, vendor face-match scales, flight numbers with a space) are read by
:mod:`mizugiwa.features.record_values`.

A border entry may come without an MRZ (a damaged chip page, a passport read by hand): it is
scored all the same, ``mrz_missing_reason`` says why, and the reasons say the document checks
could not be made.

An MRZ is checked for *shape* only (two or three lines of the ICAO 9303 lengths and alphabet). A
failing check digit is not a schema error: it is evidence of a forged document and must reach the
scorer, which refers the case by rule.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Annotated, Any, get_args

import pycountry
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from mizugiwa.features.record_values import (
    FLIGHT_NUMBER,
    FaceMatchScale,
    canonical_language,
    date_bounds,
    flight_number,
    imo_number,
    partial_date,
    unit_face_match,
)

# ICAO 9303 Part 3 codes that are not ISO 3166-1 alpha-3: the specimen state, stateless and
# refugee codes, the UN, British categories, Kosovo and the EU.
ICAO_EXTRA_CODES = frozenset(
    {
        "UTO",
        "XXA",
        "XXB",
        "XXC",
        "XXX",
        "UNO",
        "UNA",
        "UNK",
        "GBD",
        "GBN",
        "GBO",
        "GBP",
        "GBS",
        "RKS",
        "EUE",
        "XOM",
        "XPO",
        "XES",
        "XMP",
        "XCC",
        "XBA",
        "XIM",
    }
)
_ISO3 = frozenset(c.alpha_3 for c in pycountry.countries)
_MRZ_ALPHABET = re.compile(r"^[A-Z0-9<]+$")
_MRZ_SHAPES = {(2, 44): "TD3", (2, 36): "TD2", (3, 30): "TD1"}


def _upper(value: Any) -> Any:
    """Codes are compared upper-case and without surrounding or inner spaces."""
    return value.strip().upper().replace(" ", "") if isinstance(value, str) else value


def _state_code(value: str) -> str:
    code = value.strip().upper()
    if code not in _ISO3 and code not in ICAO_EXTRA_CODES:
        raise ValueError(f"{value!r} is not an ISO 3166-1 alpha-3 or ICAO 9303 state code")
    return code


def _language_code(value: str) -> str:
    return canonical_language(value)


# Every code canonical_language accepts, for the published schema (lower case, as it compares).
LANGUAGE_CODES: list[str] = sorted(
    {
        code
        for language in pycountry.languages
        for code in (
            getattr(language, "alpha_2", None),
            language.alpha_3,
            getattr(language, "bibliographic", None),
        )
        if code
    }
)


def _mrz_text(value: Any) -> str:
    """Accept the MRZ as one string with newlines or as a list of lines; return newline-joined."""
    lines = value if isinstance(value, list) else str(value).replace("\r", "").split("\n")
    lines = [str(line).strip().upper().replace(" ", "") for line in lines if str(line).strip()]
    shape = (len(lines), len(lines[0]) if lines else 0)
    if len(lines) not in (2, 3):
        raise ValueError(f"an MRZ has 2 or 3 lines, got {len(lines)}")
    for number, line in enumerate(lines, start=1):
        if not _MRZ_ALPHABET.match(line):
            bad = sorted({ch for ch in line if not re.match(r"[A-Z0-9<]", ch)})
            raise ValueError(f"MRZ line {number} has characters outside A-Z, 0-9 and '<': {bad}")
        if len(line) != shape[1]:
            raise ValueError(f"MRZ line {number} has {len(line)} characters, line 1 has {shape[1]}")
    if shape not in _MRZ_SHAPES:
        raise ValueError(
            f"MRZ of {shape[0]} lines of {shape[1]} characters is not an ICAO 9303 format "
            "(TD3: 2x44, TD2: 2x36, TD1: 3x30)"
        )
    return "\n".join(lines)


def _json_number(value: Any) -> Any:
    """A number as JSON writes one: ``"90"`` and ``true`` are refused, not read as 90 and 1."""
    if isinstance(value, bool | str | bytes):
        raise ValueError("must be a JSON number, not a string or a boolean")
    return value


JSONInt = Annotated[int, BeforeValidator(_json_number)]
JSONFloat = Annotated[float, BeforeValidator(_json_number)]


StateCode = Annotated[
    str,
    AfterValidator(_state_code),
    WithJsonSchema(
        {
            "type": "string",
            "enum": sorted(_ISO3 | ICAO_EXTRA_CODES),
            "description": "ISO 3166-1 alpha-3, or an ICAO 9303 code (e.g. D, UTO, XXA).",
        }
    ),
]
LanguageCode = Annotated[
    str,
    AfterValidator(_language_code),
    WithJsonSchema(
        {
            "type": "string",
            "enum": LANGUAGE_CODES,
            "description": "ISO 639-1, or ISO 639-2/3 for a language without a two-letter "
            "code (e.g. fil, ceb); held as the two-letter code where there is one.",
        }
    ),
]
_MRZ_LINE = {44: "[A-Za-z0-9<]{44}", 36: "[A-Za-z0-9<]{36}", 30: "[A-Za-z0-9<]{30}"}
MRZ_JSON_SCHEMA: dict[str, Any] = {
    "description": "The machine-readable zone, ICAO 9303: TD3 (2 lines of 44 characters), TD2 "
    "(2 x 36) or TD1 (3 x 30) of A-Z, 0-9 and '<', as a list of lines or one string with "
    "newlines. Lower case is read as upper case; spaces are ignored.",
    "anyOf": [
        {
            "type": "array",
            "items": {"type": "string", "pattern": f"^{_MRZ_LINE[44]}$"},
            "minItems": 2,
            "maxItems": 2,
        },
        {
            "type": "array",
            "items": {"type": "string", "pattern": f"^{_MRZ_LINE[36]}$"},
            "minItems": 2,
            "maxItems": 2,
        },
        {
            "type": "array",
            "items": {"type": "string", "pattern": f"^{_MRZ_LINE[30]}$"},
            "minItems": 3,
            "maxItems": 3,
        },
        {
            "type": "string",
            "pattern": (
                f"^({_MRZ_LINE[44]}\n{_MRZ_LINE[44]}|{_MRZ_LINE[36]}\n{_MRZ_LINE[36]}"
                f"|{_MRZ_LINE[30]}\n{_MRZ_LINE[30]}\n{_MRZ_LINE[30]})$"
            ),
        },
    ],
}
MrzText = Annotated[str, BeforeValidator(_mrz_text), WithJsonSchema(MRZ_JSON_SCHEMA)]
PartialDate = Annotated[str, BeforeValidator(partial_date)]
FlightNumber = Annotated[
    str,
    BeforeValidator(flight_number),
    StringConstraints(pattern=FLIGHT_NUMBER.pattern),
    # as sent: a space after the airline code is allowed and removed ("PR 428" -> "PR428")
    WithJsonSchema({"type": "string", "pattern": "^[A-Za-z0-9]{2} ?[A-Za-z]?\\d{1,4}[A-Za-z]?$"}),
]
ImoNumber = Annotated[str, BeforeValidator(imo_number)]
Identifier = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True,
        min_length=1,
        max_length=64,
        pattern=r"^[A-Za-z0-9][A-Za-z0-9._:/-]*$",
    ),
]
# Codes compared upper-case (spaces dropped): the schema shows the pattern, in either case.
PostCode = Annotated[
    str,
    BeforeValidator(_upper),
    StringConstraints(pattern=r"^[A-Z]{3}$"),
    WithJsonSchema({"type": "string", "pattern": "^[A-Za-z]{3}$"}),
]
PassportNumber = Annotated[
    str,
    BeforeValidator(_upper),
    StringConstraints(pattern=r"^[A-Z0-9<]{1,20}$"),
    WithJsonSchema({"type": "string", "pattern": "^[A-Za-z0-9<]{1,20}$"}),
]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
OptionalText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=300)]


class VisaCategory(StrEnum):
    TEMPORARY_VISITOR = "temporary_visitor"
    SPOUSE_OF_JAPANESE = "spouse_of_japanese"
    ENTERTAINER = "entertainer"
    TECHNICAL_INTERN = "technical_intern"
    STUDENT = "student"
    SKILLED_WORKER = "skilled_worker"
    TRANSIT = "transit"
    OTHER = "other"
    # Further statuses of residence (Immigration Control Act, appended tables): new members go
    # at the end, so that the model's category codes of earlier members never change.
    LONG_TERM_RESIDENT = "long_term_resident"
    DESIGNATED_ACTIVITIES = "designated_activities"
    PERMANENT_RESIDENT = "permanent_resident"
    SPOUSE_OF_PERMANENT_RESIDENT = "spouse_of_permanent_resident"
    SPECIFIED_SKILLED_WORKER = "specified_skilled_worker"
    DEPENDENT = "dependent"
    TRAINEE = "trainee"
    CULTURAL_ACTIVITIES = "cultural_activities"
    BUSINESS_MANAGER = "business_manager"
    ENGINEER_HUMANITIES_INTERNATIONAL = "engineer_humanities_international"
    INTRA_COMPANY_TRANSFEREE = "intra_company_transferee"
    NURSING_CARE = "nursing_care"
    HIGHLY_SKILLED_PROFESSIONAL = "highly_skilled_professional"
    DIPLOMAT = "diplomat"
    OFFICIAL = "official"


class MrzMissingReason(StrEnum):
    """Why a border entry has no MRZ: the officer read the data page by hand."""

    DAMAGED = "damaged"
    NOT_MACHINE_READABLE = "not_machine_readable"
    READER_FAULT = "reader_fault"
    OTHER = "other"


class Sex(StrEnum):
    FEMALE = "F"
    MALE = "M"
    UNSPECIFIED = "X"


class SponsorRole(StrEnum):
    SPOUSE = "spouse"
    EMPLOYER = "employer"
    INVITER = "inviter"
    AGENCY = "agency"


class MetVia(StrEnum):
    AGENCY = "agency"
    ONLINE = "online"
    WORK = "work"
    FRIENDS = "friends"
    OTHER = "other"


class EstablishmentType(StrEnum):
    ADULT_ENTERTAINMENT = "adult_entertainment"
    RESTAURANT_BAR = "restaurant_bar"
    FACTORY = "factory"
    AGRICULTURE = "agriculture"
    CONSTRUCTION = "construction"
    CARE = "care"
    HOSPITALITY = "hospitality"
    OTHER = "other"


class TicketPaidBy(StrEnum):
    SELF = "self"
    SPONSOR = "sponsor"
    EMPLOYER = "employer"
    AGENCY = "agency"
    THIRD_PARTY = "third_party"


class DeclaredPurpose(StrEnum):
    TOURISM = "tourism"
    BUSINESS = "business"
    FAMILY = "family"
    WORK = "work"
    STUDY = "study"
    TRANSIT = "transit"
    OTHER = "other"


class OutcomeKind(StrEnum):
    NO_CONCERN = "no_concern"
    SHAM_MARRIAGE = "sham_marriage"
    IMPERSONATION = "impersonation"
    FORGED_DOCUMENT = "forged_document"
    TRAFFICKING_VICTIM = "trafficking_victim"
    OTHER_FRAUD = "other_fraud"


class ReferralSource(StrEnum):
    MODEL = "model"
    RULE = "rule"
    RANDOM_AUDIT = "random_audit"
    OFFICER = "officer"


class Concern(StrEnum):
    """What the models estimate; an interview outcome maps onto at most one of them."""

    SHAM_MARRIAGE = "sham_marriage"
    IMPERSONATION = "impersonation"  # impersonation or a forged document
    EXPLOITATION = "exploitation"


CONCERNS: tuple[Concern, ...] = tuple(Concern)
OUTCOME_CONCERN: dict[OutcomeKind, Concern | None] = {
    OutcomeKind.NO_CONCERN: None,
    OutcomeKind.SHAM_MARRIAGE: Concern.SHAM_MARRIAGE,
    OutcomeKind.IMPERSONATION: Concern.IMPERSONATION,
    OutcomeKind.FORGED_DOCUMENT: Concern.IMPERSONATION,
    OutcomeKind.TRAFFICKING_VICTIM: Concern.EXPLOITATION,
    OutcomeKind.OTHER_FRAUD: None,
}


def _is_temporal(annotation: Any) -> bool:
    if annotation in (date, datetime):
        return True
    return any(_is_temporal(arg) for arg in get_args(annotation))


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)

    @field_validator("*", mode="before")
    @classmethod
    def _dates_are_written(cls, value: Any, info: ValidationInfo) -> Any:
        """A date or a time is written (``YYYY-MM-DD``, RFC 3339): a number is refused, not
        read as a Unix time, as the published schema says."""
        if isinstance(value, int | float) and not isinstance(value, bool):
            field = cls.model_fields.get(info.field_name or "")
            if field is not None and _is_temporal(field.annotation):
                raise ValueError("must be a date or date-time written as text, not a number")
        return value


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


AwareDatetime = Annotated[datetime, AfterValidator(_aware)]


class Applicant(_Record):
    family_name: Name
    given_names: Annotated[str, StringConstraints(strip_whitespace=True, max_length=120)] = ""
    name_native: Name | None = None
    sex: Sex
    date_of_birth: PartialDate
    nationality: StateCode
    languages: list[LanguageCode] = Field(default_factory=list, max_length=12)
    phone: OptionalText | None = None
    address: OptionalText | None = None
    email: OptionalText | None = None

    @model_validator(mode="after")
    def _born_in_the_past(self) -> Applicant:
        earliest, _ = date_bounds(self.date_of_birth)
        if earliest > date.today():
            raise ValueError("date_of_birth is in the future")
        if earliest.year < 1900:
            raise ValueError("date_of_birth is before 1900")
        return self


class Passport(_Record):
    number: PassportNumber
    issuing_state: StateCode
    issue_date: date
    expiry_date: date
    mrz: MrzText | None = None

    @model_validator(mode="after")
    def _expiry_after_issue(self) -> Passport:
        if self.expiry_date <= self.issue_date:
            raise ValueError(
                f"expiry_date {self.expiry_date} is not after issue_date {self.issue_date}"
            )
        return self


class Sponsor(_Record):
    role: SponsorRole
    family_name: Name | None = None
    given_names: Name | None = None
    name_native: Name | None = None
    date_of_birth: PartialDate | None = None
    organisation_name: Name | None = None
    organisation_id: Identifier | None = None
    phone: OptionalText | None = None
    address: OptionalText | None = None

    @model_validator(mode="after")
    def _someone_named(self) -> Sponsor:
        if not (self.family_name or self.organisation_name or self.name_native):
            raise ValueError("a sponsor needs family_name, name_native or organisation_name")
        return self


class Marriage(_Record):
    marriage_date: date
    first_met_date: date
    met_via: MetVia
    common_languages: list[LanguageCode] = Field(default_factory=list, max_length=12)
    sponsor_prior_foreign_spouses: (
        Annotated[int, Field(ge=0, le=50), BeforeValidator(_json_number)] | None
    ) = None

    @model_validator(mode="after")
    def _met_before_marrying(self) -> Marriage:
        if self.marriage_date < self.first_met_date:
            raise ValueError(
                f"marriage_date {self.marriage_date} is before first_met_date {self.first_met_date}"
            )
        return self


class Employment(_Record):
    employer_name: Name
    employer_id: Identifier | None = None
    establishment_type: EstablishmentType
    recruitment_agency: Name | None = None
    recruitment_fee_jpy: (
        Annotated[int, Field(ge=0, le=100_000_000), BeforeValidator(_json_number)] | None
    ) = None
    monthly_wage_jpy: (
        Annotated[int, Field(ge=0, le=100_000_000), BeforeValidator(_json_number)] | None
    ) = None


class Travel(_Record):
    ticket_paid_by: TicketPaidBy
    return_ticket: bool
    intended_stay_days: JSONInt = Field(ge=0, le=3650)
    accompanying_minors: JSONInt = Field(default=0, ge=0, le=20)


def _face_match_on_unit_scale(data: Any) -> Any:
    """A score given on a declared vendor scale is held on 0..1 (the scale then says so)."""
    if isinstance(data, dict) and data.get("face_match_scale") not in (None, "unit"):
        score = unit_face_match(data.get("face_match_score"), data["face_match_scale"])
        data = {**data, "face_match_score": score, "face_match_scale": "unit"}
    return data


class Biometrics(_Record):
    """``face_match_score`` on 0..1; a vendor's 0..100 score comes with
    ``face_match_scale: "percent"`` and is held divided by 100."""

    face_match_score: JSONFloat = Field(ge=0.0, le=1.0)
    face_match_scale: FaceMatchScale = "unit"

    _unit_scale = model_validator(mode="before")(_face_match_on_unit_scale)


class VisaApplication(_Record):
    """A visa application as a consular post receives it."""

    application_id: Identifier
    post_code: PostCode
    submitted_at: AwareDatetime
    visa_category: VisaCategory
    applicant: Applicant
    passport: Passport
    sponsor: Sponsor | None = None
    marriage: Marriage | None = None
    employment: Employment | None = None
    travel: Travel
    biometrics: Biometrics | None = None

    @model_validator(mode="after")
    def _dates_agree(self) -> VisaApplication:
        submitted = self.submitted_at.date()
        born_earliest, _ = date_bounds(self.applicant.date_of_birth)
        if born_earliest >= submitted:
            raise ValueError("applicant.date_of_birth is not before submitted_at")
        if self.passport.issue_date < born_earliest:
            raise ValueError("passport.issue_date is before applicant.date_of_birth")
        if self.passport.issue_date > submitted:
            raise ValueError("passport.issue_date is after submitted_at")
        if self.marriage is not None and self.marriage.first_met_date > submitted:
            raise ValueError("marriage.first_met_date is after submitted_at")
        return self


class BorderEntry(_Record):
    """One traveller at a port booth: passport MRZ plus flight or vessel, optionally linked to
    a visa.

    An airport arrival names its ``flight_number``; a seaport arrival names its vessel
    (``vessel_name`` and/or ``imo_number``). Without an MRZ, ``mrz_missing_reason`` says why.
    """

    entry_id: Identifier
    port_code: PostCode
    arrived_at: AwareDatetime
    flight_number: FlightNumber | None = None
    vessel_name: Name | None = None
    imo_number: ImoNumber | None = None
    mrz: MrzText | None = None
    mrz_missing_reason: MrzMissingReason | None = None
    visa_reference: Identifier | None = None
    face_match_score: (
        Annotated[float, Field(ge=0.0, le=1.0), BeforeValidator(_json_number)] | None
    ) = None
    face_match_scale: FaceMatchScale = "unit"
    declared_purpose: DeclaredPurpose
    declared_stay_days: JSONInt = Field(ge=0, le=3650)
    declared_address: OptionalText | None = None
    return_ticket: bool | None = None
    travelling_with: list[Identifier] = Field(default_factory=list, max_length=50)

    _unit_scale = model_validator(mode="before")(_face_match_on_unit_scale)

    @model_validator(mode="after")
    def _arrived_by_something(self) -> BorderEntry:
        if self.flight_number is None and self.vessel_name is None and self.imo_number is None:
            raise ValueError(
                "an entry needs flight_number (airport) or vessel_name/imo_number (seaport)"
            )
        if self.mrz is not None and self.mrz_missing_reason is not None:
            raise ValueError("mrz_missing_reason is given but the MRZ was read")
        return self


class Outcome(_Record):
    """The result of a secondary interview; it becomes a label for retraining."""

    case_id: Identifier
    interviewed_at: AwareDatetime
    outcome: OutcomeKind
    referral_source: ReferralSource
    victim_support_offered: bool = False

    @property
    def concern(self) -> Concern | None:
        """The concern this outcome confirms, if any."""
        return OUTCOME_CONCERN[self.outcome]


RECORD_TYPES: dict[str, type[_Record]] = {
    "visa-application": VisaApplication,
    "border-entry": BorderEntry,
    "outcome": Outcome,
}
