"""Indicators for a traveller at the border: the passport read at the booth against the visa
application it refers to, and the trafficking database as of the arrival date."""

from __future__ import annotations

from typing import Any

import numpy as np

from mizugiwa.features.indicators import lookups
from mizugiwa.features.indicators.batch import EntryBatch
from mizugiwa.features.indicators.registry import Column, Indicator, indicator
from mizugiwa.features.mrz_check import MrzBatch, disagreements, parse_mrz, yymmdd_of_days
from mizugiwa.features.normalise import document_key
from mizugiwa.features.records import Concern, DeclaredPurpose, VisaCategory

ENTRY_FEATURES: list[Indicator[Any]] = []

# Declared purposes that fit each visa category; anything else is a mismatch.
_PURPOSES: dict[str, frozenset[str]] = {
    VisaCategory.TEMPORARY_VISITOR: frozenset({"tourism", "business", "family", "transit"}),
    VisaCategory.SPOUSE_OF_JAPANESE: frozenset({"family"}),
    VisaCategory.ENTERTAINER: frozenset({"work"}),
    VisaCategory.TECHNICAL_INTERN: frozenset({"work", "study"}),
    VisaCategory.STUDENT: frozenset({"study"}),
    VisaCategory.SKILLED_WORKER: frozenset({"work", "business"}),
    VisaCategory.TRANSIT: frozenset({"transit"}),
    VisaCategory.OTHER: frozenset(p.value for p in DeclaredPurpose),
    VisaCategory.LONG_TERM_RESIDENT: frozenset({"family", "work", "study"}),
    VisaCategory.DESIGNATED_ACTIVITIES: frozenset(p.value for p in DeclaredPurpose),
    VisaCategory.PERMANENT_RESIDENT: frozenset(p.value for p in DeclaredPurpose),
    VisaCategory.SPOUSE_OF_PERMANENT_RESIDENT: frozenset({"family"}),
    VisaCategory.SPECIFIED_SKILLED_WORKER: frozenset({"work"}),
    VisaCategory.DEPENDENT: frozenset({"family", "study"}),
    VisaCategory.TRAINEE: frozenset({"work", "study"}),
    VisaCategory.CULTURAL_ACTIVITIES: frozenset({"study", "other"}),
    VisaCategory.BUSINESS_MANAGER: frozenset({"business", "work"}),
    VisaCategory.ENGINEER_HUMANITIES_INTERNATIONAL: frozenset({"work", "business"}),
    VisaCategory.INTRA_COMPANY_TRANSFEREE: frozenset({"work", "business"}),
    VisaCategory.NURSING_CARE: frozenset({"work"}),
    VisaCategory.HIGHLY_SKILLED_PROFESSIONAL: frozenset({"work", "business", "study"}),
    VisaCategory.DIPLOMAT: frozenset({"work", "business", "family"}),
    VisaCategory.OFFICIAL: frozenset({"work", "business", "family"}),
}


def entry_mrz(batch: EntryBatch) -> MrzBatch:
    """The MRZs read at the booth, parsed and checked once."""
    return batch.memo("mrz", lambda: parse_mrz(batch.mrz.tolist()))


def entry_document_keys(batch: EntryBatch) -> np.ndarray:
    """Document keys (number, issuing state) read from the MRZ; None where unreadable."""

    def compute() -> np.ndarray:
        parsed = entry_mrz(batch)
        out = np.empty(len(batch), dtype=object)
        for i in np.flatnonzero(parsed.present):
            out[i] = document_key(str(parsed.number[i]), str(parsed.issuing_state[i]))
        return out

    return batch.memo("document_key", compute)


def entry_document_reports(batch: EntryBatch, ctx: Any) -> Column:
    """Document reports as of the arrival date (shared by the indicator and the rule)."""
    return batch.memo(
        ("document_reports", id(ctx)),
        lambda: lookups.document_reports(entry_document_keys(batch), batch.day, ctx),
    )


@indicator(
    ENTRY_FEATURES,
    code="ID-MRZ-CHECK",
    concern=Concern.IMPERSONATION,
    en="Check digits of the passport's machine-readable zone do not hold (ICAO 9303).",
    ja="旅券の機械読取部（MRZ）のチェックディジットが一致しない（ICAO 9303）。",
    fires=lambda v: v >= 1,
)
def entry_mrz_failed_check_digits(batch: EntryBatch, ctx: Any) -> Column:
    """Failing ICAO 9303 check digits in the MRZ read at the booth. NaN if unreadable."""
    parsed = entry_mrz(batch)
    details = {
        int(i): {"failed_check_digits": list(parsed.failed_names[i])}
        for i in np.flatnonzero(parsed.failed_checks > 0)
    }
    return Column(np.where(parsed.present, parsed.failed_checks.astype(float), np.nan), details)


@indicator(
    ENTRY_FEATURES,
    code="ID-MRZ-MISMATCH",
    concern=Concern.IMPERSONATION,
    en="The passport's machine-readable zone disagrees with the application's details.",
    ja="旅券の機械読取部（MRZ）の内容が申請内容と一致しない。",
    fires=lambda v: v >= 1,
)
def entry_mrz_visa_mismatches(batch: EntryBatch, ctx: Any) -> Column:
    """MRZ fields read at the booth (name, birth date, sex, nationality, number, expiry) that
    disagree with the linked visa application. NaN without a linked application or MRZ."""
    parsed = entry_mrz(batch)
    apps = batch.applications
    values = np.full(len(batch), np.nan)
    details = {}
    rows = np.flatnonzero(parsed.present & (batch.application_row >= 0))
    linked = batch.application_row[rows]
    found = disagreements(
        parsed,
        rows,
        family_name=apps.family_name[linked].tolist(),
        given_names=apps.given_names[linked].tolist(),
        birth_date=yymmdd_of_days(apps.birth_day[linked]),
        sex=apps.sex[linked].tolist(),
        nationality=apps.nationality[linked].tolist(),
        document_number=apps.passport_number[linked].tolist(),
        expiry_date=yymmdd_of_days(apps.passport_expiry_day[linked]),
    )
    for i, bad in zip(rows.tolist(), found, strict=True):
        values[i] = len(bad)
        if bad:
            details[i] = {"mismatched_fields": list(bad)}
    return Column(values, details)


@indicator(
    ENTRY_FEATURES,
    code="ID-MRZ-UNREAD",
    concern=Concern.IMPERSONATION,
    en="No machine-readable zone was read at the booth: the passport's check digits, its "
    "agreement with the application and its lost/stolen status could not be checked.",
    ja="入国審査で旅券の機械読取部（MRZ）が読み取られず、チェックディジット・申請内容との一致・"
    "紛失盗難登録を確認できなかった。",
    fires=lambda v: v >= 1,
)
def entry_mrz_unread(batch: EntryBatch, ctx: Any) -> Column:
    """1 when the entry came without an MRZ (damaged, not machine-readable, reader fault),
    else 0; the evidence is the reason recorded at the booth. The entry is still scored: the
    document indicators are NaN and the model weighs the rest."""
    parsed = entry_mrz(batch)
    details = {
        int(i): {"mrz_missing_reason": batch.mrz_missing_reason[i] or "not recorded"}
        for i in np.flatnonzero(~parsed.present)
    }
    return Column((~parsed.present).astype(np.float64), details)


@indicator(
    ENTRY_FEATURES,
    code="ID-DOC-REPORTED",
    concern=Concern.IMPERSONATION,
    en="The passport is recorded as lost, stolen, forged or revoked.",
    ja="旅券が紛失・盗難・偽造・失効として登録されている。",
    fires=lambda v: v >= 1,
)
def entry_document_reported(batch: EntryBatch, ctx: Any) -> Column:
    """1 when the passport read at the booth is reported lost, stolen, forged or revoked as
    of the arrival date, else 0. NaN when the MRZ is unreadable."""
    reports = entry_document_reports(batch, ctx)
    return Column(np.where(entry_mrz(batch).present, reports.values, np.nan), reports.details)


@indicator(
    ENTRY_FEATURES,
    code="ID-FACE-MATCH",
    concern=Concern.IMPERSONATION,
    en="Low similarity between the passport photo and the applicant's face.",
    ja="旅券の顔写真と申請者本人の顔の一致度が低い。",
    fires=lambda v: v < 0.6,
)
def entry_face_match_score(batch: EntryBatch, ctx: Any) -> np.ndarray:
    """Face-match score between the passport chip image and the live image. NaN if not taken."""
    return batch.face_match_score.copy()


@indicator(
    ENTRY_FEATURES,
    code="ID-NEW-PASSPORT",
    concern=Concern.IMPERSONATION,
    en="The passport was issued shortly before the application.",
    ja="旅券が申請の直前に発給されている。",
    fires=lambda v: v <= 30,
)
def entry_passport_age_days(batch: EntryBatch, ctx: Any) -> np.ndarray:
    """Days from the passport's issue date (from the linked application) to arrival. NaN
    without a linked application."""
    return batch.day - batch.linked(batch.applications.passport_issue_day)


@indicator(
    ENTRY_FEATURES,
    code="EN-STAY-EXCESS",
    concern=Concern.EXPLOITATION,
    en="The stay declared at the border is longer than the stay the visa was applied for.",
    ja="入国時に申告した滞在期間が、査証申請時の予定より長い。",
    fires=lambda v: v >= 30,
)
def entry_stay_excess_days(batch: EntryBatch, ctx: Any) -> np.ndarray:
    """Declared stay minus the stay intended in the linked application, in days. NaN without
    a linked application."""
    return batch.declared_stay_days - batch.linked(batch.applications.intended_stay_days)


@indicator(
    ENTRY_FEATURES,
    code="EN-PURPOSE-MISMATCH",
    concern=Concern.EXPLOITATION,
    en="The purpose declared at the border does not fit the visa held.",
    ja="入国時に申告した目的が、所持する査証の種類と合わない。",
    fires=lambda v: v >= 1,
)
def entry_purpose_mismatch(batch: EntryBatch, ctx: Any) -> np.ndarray:
    """1 when the declared purpose does not fit the linked application's visa category, else
    0. NaN without a linked application."""
    category = batch.linked(batch.applications.visa_category)
    return np.array(
        [
            np.nan if c is None else float(p not in _PURPOSES.get(c, frozenset()))
            for c, p in zip(category.tolist(), batch.declared_purpose.tolist(), strict=True)
        ],
        dtype=np.float64,
    ).reshape(len(batch))


@indicator(
    ENTRY_FEATURES,
    code="EX-NO-RETURN",
    concern=Concern.EXPLOITATION,
    en="No return ticket.",
    ja="帰りの航空券がない。",
    fires=lambda v: v >= 1,
)
def entry_no_return_ticket(batch: EntryBatch, ctx: Any) -> np.ndarray:
    """1 without a return ticket, 0 with one. NaN when not asked."""
    return 1.0 - batch.return_ticket


@indicator(
    ENTRY_FEATURES,
    code="NW-CONTACT-LINKED",
    concern=Concern.EXPLOITATION,
    en="The applicant's phone or address is linked to a broker or a raided establishment.",
    ja="申請者の電話番号または住所が、ブローカーまたは摘発された店舗と結び付いている。",
    fires=lambda v: v >= 1,
)
def entry_address_linked(batch: EntryBatch, ctx: Any) -> Column:
    """1 when the address declared at the border is linked, as of arrival, to a suspect
    person or a raided establishment, else 0. NaN without a declared address."""
    keys = batch.declared_address_key()
    links = lookups.contact_links(batch, ctx, "address", keys, "declared_address")
    return Column(np.where(keys != None, links.values, np.nan), links.details)  # noqa: E711


@indicator(
    ENTRY_FEATURES,
    code="EN-GROUP-SIZE",
    concern=None,
    en="Number of travellers in the group.",
    ja="同行者の人数。",
    fires=None,
)
def entry_group_size(batch: EntryBatch, ctx: Any) -> np.ndarray:
    """Number of other entries the traveller declares travelling with (model input only)."""
    return batch.travelling_with.copy()
