"""Impersonation and document indicators: the passport and the person presenting it."""

from __future__ import annotations

from typing import Any

import numpy as np

from mizugiwa.features.indicators import lookups
from mizugiwa.features.indicators.batch import ApplicationBatch
from mizugiwa.features.indicators.registry import Column, Indicator, indicator
from mizugiwa.features.mrz_check import MrzBatch, disagreements, parse_mrz, yymmdd_of_days
from mizugiwa.features.records import Concern

DOCUMENTS: list[Indicator[Any]] = []
_ID = Concern.IMPERSONATION


def mrz_of(batch: ApplicationBatch) -> MrzBatch:
    """The batch's passport MRZs, parsed and checked once."""
    return batch.memo("mrz", lambda: parse_mrz(batch.mrz.tolist()))


def _as_objects(values: list[tuple[str, ...]]) -> np.ndarray:
    """Tuples as elements of an object array (never as a second dimension)."""
    return np.fromiter(values, dtype=object, count=len(values))


def application_document_reports(batch: ApplicationBatch, ctx: Any) -> Column:
    """Reports on the passport as of the application date (shared by indicator and rule)."""
    return batch.memo(
        ("document_reports", id(ctx)),
        lambda: lookups.document_reports(batch.document_key(), batch.day, ctx),
    )


def mrz_disagreements(batch: ApplicationBatch) -> np.ndarray:
    """Per row, the tuple of MRZ fields that disagree with the application (empty without MRZ)."""

    def compute() -> np.ndarray:
        parsed = mrz_of(batch)
        rows = np.flatnonzero(parsed.present)
        out = np.empty(len(batch), dtype=object)
        out.fill(())
        if rows.size:
            out[rows] = _as_objects(
                disagreements(
                    parsed,
                    rows,
                    family_name=batch.family_name[rows].tolist(),
                    given_names=batch.given_names[rows].tolist(),
                    birth_date=yymmdd_of_days(batch.birth_day[rows]),
                    sex=batch.sex[rows].tolist(),
                    nationality=batch.nationality[rows].tolist(),
                    document_number=batch.passport_number[rows].tolist(),
                    expiry_date=yymmdd_of_days(batch.passport_expiry_day[rows]),
                )
            )
        return out

    return batch.memo("mrz_disagreements", compute)


@indicator(
    DOCUMENTS,
    code="ID-MRZ-CHECK",
    concern=_ID,
    en="Check digits of the passport's machine-readable zone do not hold (ICAO 9303).",
    ja="旅券の機械読取部（MRZ）のチェックディジットが一致しない（ICAO 9303）。",
    fires=lambda v: v >= 1,
)
def mrz_failed_check_digits(batch: ApplicationBatch, ctx: Any) -> Column:
    """Number of ICAO 9303 check digits (document number, birth date, expiry, optional data,
    composite) that fail in the passport MRZ. NaN without an MRZ."""
    parsed = mrz_of(batch)
    values = np.where(parsed.present, parsed.failed_checks.astype(np.float64), np.nan)
    details = {
        int(i): {"failed_check_digits": list(parsed.failed_names[i])}
        for i in np.flatnonzero(parsed.failed_checks > 0)
    }
    return Column(values, details)


@indicator(
    DOCUMENTS,
    code="ID-MRZ-MISMATCH",
    concern=_ID,
    en="The passport's machine-readable zone disagrees with the application's details.",
    ja="旅券の機械読取部（MRZ）の内容が申請内容と一致しない。",
    fires=lambda v: v >= 1,
)
def mrz_field_mismatches(batch: ApplicationBatch, ctx: Any) -> Column:
    """Number of MRZ fields (name, birth date, sex, nationality, document number, expiry)
    that disagree with the application. The attributes are compared, never used as values.
    NaN without an MRZ."""
    parsed = mrz_of(batch)
    bad = mrz_disagreements(batch)
    counts = np.fromiter((len(fields) for fields in bad), np.float64, len(batch))
    details = {int(i): {"mismatched_fields": list(bad[i])} for i in np.flatnonzero(counts > 0)}
    return Column(np.where(parsed.present, counts, np.nan), details)


@indicator(
    DOCUMENTS,
    code="ID-NEW-PASSPORT",
    concern=_ID,
    en="The passport was issued shortly before the application.",
    ja="旅券が申請の直前に発給されている。",
    fires=lambda v: v <= 30,
)
def passport_age_days(batch: ApplicationBatch, ctx: Any) -> np.ndarray:
    """Days from the passport's issue date to the application date."""
    return batch.day - batch.passport_issue_day


@indicator(
    DOCUMENTS,
    code="ID-DOC-REPORTED",
    concern=_ID,
    en="The passport is recorded as lost, stolen, forged or revoked.",
    ja="旅券が紛失・盗難・偽造・失効として登録されている。",
    fires=lambda v: v >= 1,
)
def document_reported(batch: ApplicationBatch, ctx: Any) -> Column:
    """1 when the trafficking database, as of the application date, records the passport
    (number and issuing state) as lost, stolen, forged or revoked; else 0."""
    return application_document_reports(batch, ctx)


@indicator(
    DOCUMENTS,
    code="ID-FACE-MATCH",
    concern=_ID,
    en="Low similarity between the passport photo and the applicant's face.",
    ja="旅券の顔写真と申請者本人の顔の一致度が低い。",
    fires=lambda v: v < 0.6,
)
def face_match_score(batch: ApplicationBatch, ctx: Any) -> np.ndarray:
    """Face-match score (0..1) between the passport image and the live capture. NaN when
    no biometrics were taken."""
    return batch.face_match_score.copy()


@indicator(
    DOCUMENTS,
    code="ID-IDENTITY-CHANGED",
    concern=_ID,
    en="The same passport appeared earlier with another name or date of birth.",
    ja="同じ旅券が以前、別の氏名または生年月日で使われている。",
    fires=lambda v: v >= 1,
)
def passport_other_identity(batch: ApplicationBatch, ctx: Any) -> np.ndarray:
    """Earlier applications (any post, any time before this one) with the same passport
    number and issuing state but another holder name or date of birth."""
    return ctx.history.count_before(
        "document",
        batch.document_key().tolist(),
        batch.submitted_s,
        other_than=batch.identity_key().tolist(),
    ).astype(np.float64)
