"""Sham-marriage indicators: the relationship a spouse visa rests on, and the sponsor's record.

Each function returns one column over the batch; ``NaN`` means "does not apply" (no marriage,
no sponsor who is a person) or "unknown".
"""

from __future__ import annotations

from typing import Any

import numpy as np

from mizugiwa.features.indicators import lookups
from mizugiwa.features.indicators.batch import ApplicationBatch
from mizugiwa.features.indicators.registry import Column, Indicator, indicator
from mizugiwa.features.records import Concern

SHAM_MARRIAGE: list[Indicator[Any]] = []
_SM = Concern.SHAM_MARRIAGE
_DAYS_PER_YEAR = 365.2425


@indicator(
    SHAM_MARRIAGE,
    code="SM-AGE-GAP",
    concern=_SM,
    en="Large age gap between the applicant and the sponsoring spouse.",
    ja="申請者と配偶者（身元保証人）の年齢差が大きい。",
    fires=lambda v: v >= 20,
)
def age_gap_years(batch: ApplicationBatch, ctx: Any) -> np.ndarray:
    """Absolute difference in years between the applicant's and the sponsor's birth dates.
    A relationship feature, not the applicant's age. NaN without a sponsor birth date."""
    return np.abs(batch.sponsor_birth_day - batch.birth_day) / _DAYS_PER_YEAR


@indicator(
    SHAM_MARRIAGE,
    code="SM-COURTSHIP",
    concern=_SM,
    en="Short courtship: little time between first meeting and marriage.",
    ja="初めて会ってから婚姻までの期間が短い。",
    fires=lambda v: v <= 90,
)
def courtship_days(batch: ApplicationBatch, ctx: Any) -> np.ndarray:
    """Days from the declared first meeting to the marriage. NaN without a marriage."""
    return batch.marriage_day - batch.first_met_day


@indicator(
    SHAM_MARRIAGE,
    code="SM-MET-AGENCY",
    concern=_SM,
    en="The couple met through a marriage or introduction agency.",
    ja="結婚相談所・紹介業者を通じて知り合った。",
    fires=lambda v: v >= 1,
)
def met_via_agency(batch: ApplicationBatch, ctx: Any) -> np.ndarray:
    """1 when the couple declare they met through an agency, else 0. NaN without a marriage."""
    has = batch.met_via != None  # noqa: E711
    return np.where(has, (batch.met_via == "agency").astype(np.float64), np.nan)


@indicator(
    SHAM_MARRIAGE,
    code="SM-NO-COMMON-LANG",
    concern=_SM,
    en="The couple declare no language in common.",
    ja="夫婦に共通の言語がない。",
    fires=lambda v: v >= 1,
)
def no_common_language(batch: ApplicationBatch, ctx: Any) -> np.ndarray:
    """1 when the marriage declares no common language, else 0. NaN without a marriage."""
    has = batch.common_languages != None  # noqa: E711
    empty = np.fromiter((not langs for langs in batch.common_languages), bool, len(batch))
    return np.where(has, empty.astype(np.float64), np.nan)


@indicator(
    SHAM_MARRIAGE,
    code="SM-PRIOR-SPOUSES",
    concern=_SM,
    en="The sponsor has sponsored other foreign spouses before (sponsorship records).",
    ja="身元保証人が過去にも外国人配偶者を呼び寄せている（身元保証の記録）。",
    fires=lambda v: v >= 2,
)
def sponsor_prior_spouses(batch: ApplicationBatch, ctx: Any) -> Column:
    """Spouse sponsorships recorded for the sponsor (name and birth date) before the
    application date, from the trafficking database as of that date. NaN when the sponsor is
    not a person with a name and a birth date."""
    return lookups.prior_spouse_sponsorships(batch, ctx)


@indicator(
    SHAM_MARRIAGE,
    code="SM-DECLARED-SPOUSES",
    concern=_SM,
    en="The sponsor declares earlier foreign spouses.",
    ja="身元保証人が過去の外国人配偶者を申告している。",
    fires=lambda v: v >= 2,
)
def declared_prior_spouses(batch: ApplicationBatch, ctx: Any) -> np.ndarray:
    """The sponsor's self-declared number of earlier foreign spouses. NaN when not declared."""
    return batch.declared_prior_spouses.copy()


@indicator(
    SHAM_MARRIAGE,
    code="SM-UNDECLARED-SPOUSES",
    concern=_SM,
    en="Sponsorship records show more earlier foreign spouses than the sponsor declared.",
    ja="身元保証の記録上の外国人配偶者数が、本人の申告より多い。",
    fires=lambda v: v >= 1,
)
def undeclared_prior_spouses(batch: ApplicationBatch, ctx: Any) -> np.ndarray:
    """Recorded spouse sponsorships minus the declared number, floored at 0. NaN when either
    is unknown."""
    recorded = lookups.prior_spouse_sponsorships(batch, ctx).values
    return np.maximum(recorded - batch.declared_prior_spouses, 0.0)


@indicator(
    SHAM_MARRIAGE,
    code="SM-SPONSOR-LINKED",
    concern=_SM,
    en="The sponsor's phone or address is linked to a broker or a raided establishment.",
    ja="身元保証人の電話番号または住所が、ブローカーまたは摘発された店舗と結び付いている。",
    fires=lambda v: v >= 1,
)
def sponsor_tip_links(batch: ApplicationBatch, ctx: Any) -> Column:
    """Number of the sponsor's phone and address that the trafficking database (as of the
    application date) links to a suspect person or to an establishment raided by then (0..2).
    NaN without a sponsor phone or address."""
    _, phone = batch.phone_keys()
    _, address = batch.address_keys()
    phones = lookups.contact_links(batch, ctx, "phone", phone, "sponsor_phone")
    addresses = lookups.contact_links(batch, ctx, "address", address, "sponsor_address")
    linked = (phones.values > 0).astype(np.float64) + (addresses.values > 0)
    none = (phone == None) & (address == None)  # noqa: E711
    return Column(np.where(none, np.nan, linked), lookups.merge(phones.details, addresses.details))
