"""What screening a passenger list looks at: the booth's own lookups for each person, and
what only a whole list shows.

Each indicator is one function over a :class:`~features.paxlst.batch.PassengerBatch`, declared
with :func:`~features.indicators.registry.indicator` beside its reason code, its English and
Japanese texts and the threshold at which it is shown; its docstring is its definition in the
catalogue. Codes in :data:`REFERRING` refer the person to interview on arrival regardless of any
model (as the booth's rules do); the others are reasons an inspector reads. Evidence names list
rows by their 1-based position on the list (``person``), never by name.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from mizugiwa.features.indicators import lookups
from mizugiwa.features.indicators.context import FeatureContext
from mizugiwa.features.indicators.registry import Column, Details, Indicator, indicator
from mizugiwa.features.paxlst.batch import PassengerBatch
from mizugiwa.features.records import Concern

PASSENGER_FEATURES: list[Indicator[Any]] = []
ADULT_AGE = 18
_REFUSED = ("lost", "stolen", "forged", "revoked")


@dataclass(frozen=True)
class ListLinks:
    """What storage knows beyond the list, keyed by document key (``number|state``).

    ``applications``: visa applications naming the document: ``application_id``,
    ``identity`` (:func:`~features.normalise.sponsor_key` of the applicant's name and
    birth date), ``refer`` and ``reason_codes``. ``other_lists``: the same document on other
    stored lists: ``list_id``, ``flight``, ``role``, ``arrives``.
    """

    applications: Mapping[str, Sequence[Mapping[str, Any]]] = field(default_factory=dict)
    other_lists: Mapping[str, Sequence[Mapping[str, Any]]] = field(default_factory=dict)


@dataclass
class ScreeningContext:
    """The trafficking database as of each arrival (``features``, None when not loaded: the
    database lookups then read as "nothing found" and the screening says it was degraded) and
    the storage links."""

    features: FeatureContext | None
    links: ListLinks = field(default_factory=ListLinks)


def _column(values: np.ndarray, details: Details) -> Column:
    return Column(values.astype(np.float64), details)


def _reports(batch: PassengerBatch, ctx: ScreeningContext) -> Column:
    def compute() -> Column:
        if ctx.features is None:
            return Column(np.zeros(len(batch)))
        return lookups.document_reports(batch.document_key, batch.day, ctx.features)

    return batch.memo("document_reports", compute)


def _watchlist(batch: PassengerBatch, ctx: ScreeningContext) -> Column:
    def compute() -> Column:
        if ctx.features is None:
            return Column(np.zeros(len(batch)))
        return lookups.watchlisted_people(
            ctx.features,
            batch.day.astype(np.int64),
            batch.person_key(),
            batch.family_name,
            batch.given_names,
            batch.birth_day,
        )

    return batch.memo("watchlist", compute)


@indicator(
    PASSENGER_FEATURES,
    code="PL-DOC-REPORTED",
    concern=Concern.IMPERSONATION,
    en="The travel document on the passenger list is reported lost, stolen, forged or revoked.",
    ja="乗客名簿に記載された旅券等が紛失・盗難・偽造・失効として届け出られている。",
    fires=lambda v: v >= 1,
)
def passenger_document_reported(batch: PassengerBatch, ctx: ScreeningContext) -> Column:
    """1 when the document (number and issuing state) is reported lost, stolen, forged or
    revoked as of the arrival date, else 0."""
    reports = _reports(batch, ctx)
    keep = {
        row: evidence
        for row, evidence in reports.details.items()
        if evidence.get("document_status") in _REFUSED
    }
    values = np.zeros(len(batch))
    values[list(keep)] = 1.0
    return Column(values, keep)


@indicator(
    PASSENGER_FEATURES,
    code="PL-WATCHLIST-PERSON",
    concern=None,
    en="The traveller's name and date of birth match a known broker or trafficker.",
    ja="旅行者の氏名と生年月日が既知のブローカー・加害者と一致する。",
    fires=lambda v: v >= 1,
)
def passenger_watchlisted(batch: PassengerBatch, ctx: ScreeningContext) -> Column:
    """1 when the name and the date of birth agree with a broker, trafficker, recruiter or
    facilitator recorded and valid on the arrival date (exactly, or through the watchlist
    index across scripts with the birth date confirmed), else 0."""
    found = _watchlist(batch, ctx)
    confirmed = found.values >= lookups.CONFIRMED
    return _column(confirmed, {row: ev for row, ev in found.details.items() if confirmed[row]})


@indicator(
    PASSENGER_FEATURES,
    code="PL-WATCHLIST-NAME",
    concern=None,
    en="The traveller's name resembles a known broker or trafficker (date of birth not confirmed).",
    ja="旅行者の氏名が既知のブローカー・加害者に類似する（生年月日は未確認）。",
    fires=lambda v: v >= 1,
)
def passenger_watchlisted_name_only(batch: PassengerBatch, ctx: ScreeningContext) -> Column:
    """1 when the watchlist index matches the name but a birth date on one side is missing to
    confirm it, else 0. Shown to the inspector; a name alone never refers."""
    found = _watchlist(batch, ctx)
    name_only = found.values == lookups.NAME_ONLY
    return _column(name_only, {row: ev for row, ev in found.details.items() if name_only[row]})


@indicator(
    PASSENGER_FEATURES,
    code="PL-DOC-EXPIRED",
    concern=Concern.IMPERSONATION,
    en="The travel document had expired before the flight departed.",
    ja="旅券等の有効期限が航空便の出発前に切れている。",
    fires=lambda v: v > 0,
)
def passenger_document_expired(batch: PassengerBatch, ctx: ScreeningContext) -> Column:
    """Days by which the document had expired at departure (of the list's first leg, else the
    arrival); 0 or less when valid. NaN without an expiry date."""
    start = np.where(np.isnan(batch.departure_day), batch.day, batch.departure_day)
    values = start - batch.expiry_day
    details = {
        int(i): {"expired_days_before_departure": int(values[i])}
        for i in np.flatnonzero(values > 0)
    }
    return Column(values, details)


def _applications(batch: PassengerBatch, ctx: ScreeningContext) -> tuple[Column, Column]:
    """(linked application that was referred, document on another person's application)."""

    def compute() -> tuple[Column, Column]:
        referred = np.zeros(len(batch))
        other = np.zeros(len(batch))
        ref_details: Details = {}
        other_details: Details = {}
        identities = batch.person_key()
        for i, key in enumerate(batch.document_key.tolist()):
            found = ctx.links.applications.get(key, ()) if key else ()
            mine = [a for a in found if identities[i] and a.get("identity") == identities[i]]
            theirs = [a for a in found if a not in mine]
            if any(a.get("refer") for a in mine):
                referred[i] = 1.0
                ref_details[i] = {
                    "visa_applications": [a["application_id"] for a in mine if a.get("refer")],
                    "application_reasons": sorted(
                        {c for a in mine for c in a.get("reason_codes", ())}
                    ),
                }
            if theirs and not mine:
                other[i] = 1.0
                other_details[i] = {"visa_applications": [a["application_id"] for a in theirs]}
        return Column(referred, ref_details), Column(other, other_details)

    return batch.memo("applications", compute)


@indicator(
    PASSENGER_FEATURES,
    code="PL-VISA-REFERRED",
    concern=None,
    en="The traveller's visa application (same name, birth date and document) was referred "
    "to interview.",
    ja="旅行者の査証申請（氏名・生年月日・旅券が一致）が面接に回付されている。",
    fires=lambda v: v >= 1,
)
def passenger_visa_application_referred(batch: PassengerBatch, ctx: ScreeningContext) -> Column:
    """1 when a stored visa application with the same document, name and date of birth was
    referred to interview, else 0; the evidence carries its reason codes."""
    return _applications(batch, ctx)[0]


@indicator(
    PASSENGER_FEATURES,
    code="PL-DOC-OTHER-PERSON",
    concern=Concern.IMPERSONATION,
    en="The travel document was presented on a visa application by a different person.",
    ja="この旅券等は、別人による査証申請に用いられている。",
    fires=lambda v: v >= 1,
)
def passenger_document_on_other_application(batch: PassengerBatch, ctx: ScreeningContext) -> Column:
    """1 when stored visa applications name the document but none has the traveller's name
    and date of birth, else 0."""
    return _applications(batch, ctx)[1]


@indicator(
    PASSENGER_FEATURES,
    code="PL-DOC-SHARED",
    concern=Concern.IMPERSONATION,
    en="The same document number is given for several people on this passenger list.",
    ja="同一の旅券番号が、この乗客名簿の複数の人物に記載されている。",
    fires=lambda v: v >= 1,
)
def list_document_shared(batch: PassengerBatch, ctx: ScreeningContext) -> Column:
    """Number of other persons on the list with the same document number (issuing state
    aside: a forger changes that too) but another name or birth date; 0 when unique, NaN
    without a document."""
    by_number: dict[str, list[int]] = defaultdict(list)
    for i, number in enumerate(batch.document_number.tolist()):
        if number:
            by_number[number].append(i)
    identities = batch.person_key()
    names = [f"{f}|{g}" for f, g in zip(batch.family_name, batch.given_names, strict=True)]
    values = np.where(batch.document_number != None, 0.0, np.nan)  # noqa: E711
    details: Details = {}
    for rows in by_number.values():
        for i in rows:
            others = [
                j
                for j in rows
                if j != i and (names[j] != names[i] or identities[j] != identities[i])
            ]
            if others:
                values[i] = len(others)
                details[i] = {"same_document_as_person": [j + 1 for j in others]}
    return Column(values, details)


def _base_referral(batch: PassengerBatch, ctx: ScreeningContext) -> dict[int, list[str]]:
    """Rows referred by a rule that does not itself depend on co-travellers, with the codes."""

    def compute() -> dict[int, list[str]]:
        out: dict[int, list[str]] = defaultdict(list)
        for ind in PASSENGER_FEATURES:
            if ind.code not in REFERRING or ind.code in GROUP_CODES:
                continue
            column = ind.compute(batch, ctx)
            values = column.values if isinstance(column, Column) else column
            for i in np.flatnonzero(ind.fired(values)):
                out[int(i)].append(ind.code)
        return dict(out)

    return batch.memo("base_referral", compute)


@indicator(
    PASSENGER_FEATURES,
    code="PL-GROUP-REFERRED",
    concern=Concern.EXPLOITATION,
    en="Travels on one booking with a watchlisted or referred traveller: the group may be "
    "escorted by a broker.",
    ja="要注意人物または面接回付対象者と同一予約で渡航している（ブローカーによる引率の可能性）。",
    fires=lambda v: v >= 1,
)
def list_group_with_referred(batch: PassengerBatch, ctx: ScreeningContext) -> Column:
    """Number of other persons sharing the booking reference who are watchlisted or referred
    by a rule of their own (a reported or shared document, a referred visa application...);
    0 otherwise, NaN without a booking reference."""
    referred = _base_referral(batch, ctx)
    groups: dict[str, list[int]] = defaultdict(list)
    for i, booking in enumerate(batch.booking.tolist()):
        if booking:
            groups[booking].append(i)
    values = np.where(batch.booking != None, 0.0, np.nan)  # noqa: E711
    details: Details = {}
    for booking, rows in groups.items():
        flagged = [j for j in rows if j in referred]
        for i in rows:
            others = [j for j in flagged if j != i]
            if others:
                values[i] = len(others)
                details[i] = {
                    "booking_reference": booking,
                    "referred_co_travellers": [
                        {"person": j + 1, "codes": referred[j]} for j in others
                    ],
                }
    return Column(values, details)


@indicator(
    PASSENGER_FEATURES,
    code="PL-MINOR-UNRELATED",
    concern=Concern.EXPLOITATION,
    en="A minor travels on a booking with adults none of whom shares the child's family name.",
    ja="未成年者が、同じ姓の者がいない成人と同一予約で渡航している。",
    fires=lambda v: v >= 1,
)
def list_minor_unrelated_adult(batch: PassengerBatch, ctx: ScreeningContext) -> Column:
    """1 for a passenger under 18 on arrival whose booking holds at least one adult and no
    adult of the same family name, else 0; NaN without a birth date or a booking. (A shared
    family name is a weak sign of kinship; a different one asks the inspector to check.)"""
    age = batch.age
    groups: dict[str, list[int]] = defaultdict(list)
    for i, booking in enumerate(batch.booking.tolist()):
        if booking:
            groups[booking].append(i)
    values = np.full(len(batch), np.nan)
    details: Details = {}
    for booking, rows in groups.items():
        adults = [j for j in rows if age[j] >= ADULT_AGE and not batch.crew[j]]
        for i in rows:
            if np.isnan(age[i]):
                continue
            values[i] = 0.0
            if age[i] >= ADULT_AGE or not adults or batch.crew[i]:
                continue
            family = batch.family_name[i]
            if all(batch.family_name[j] != family for j in adults):
                values[i] = 1.0
                details[i] = {
                    "age": int(age[i]),
                    "booking_reference": booking,
                    "adults_on_booking": [j + 1 for j in adults],
                }
    return Column(values, details)


@indicator(
    PASSENGER_FEATURES,
    code="PL-CREW-PASSENGER",
    concern=None,
    en="A crew member's document also appears for a passenger on another list (or the reverse).",
    ja="乗務員の旅券が別の名簿で乗客として（またはその逆に）記載されている。",
    fires=lambda v: v >= 1,
)
def crew_also_passenger(batch: PassengerBatch, ctx: ScreeningContext) -> Column:
    """Number of other stored lists on which the person's document appears in the other
    role (a crew member listed as a passenger, a passenger listed as crew); 0 otherwise, NaN
    without a document."""
    values = np.where(batch.document_key != None, 0.0, np.nan)  # noqa: E711
    details: Details = {}
    for i, key in enumerate(batch.document_key.tolist()):
        if not key:
            continue
        crew = bool(batch.crew[i])
        other = [
            seen
            for seen in ctx.links.other_lists.get(key, ())
            if (str(seen.get("role", "")).endswith("crew")) != crew
        ]
        if other:
            values[i] = len(other)
            details[i] = {
                "other_lists": [
                    {k: seen.get(k) for k in ("list_id", "flight", "role", "arrives")}
                    for seen in other
                ]
            }
    return Column(values, details)


GROUP_CODES = frozenset({"PL-GROUP-REFERRED"})
# Codes that refer on arrival by themselves; the others are reasons shown to the inspector.
REFERRING = frozenset(
    {
        "PL-DOC-REPORTED",
        "PL-WATCHLIST-PERSON",
        "PL-DOC-EXPIRED",
        "PL-DOC-OTHER-PERSON",
        "PL-DOC-SHARED",
        "PL-GROUP-REFERRED",
        "PL-MINOR-UNRELATED",
        "PL-CREW-PASSENGER",
    }
)
