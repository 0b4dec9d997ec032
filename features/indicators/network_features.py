"""Network and cross-post indicators: the visa WAN's view across consular posts.

A broker sends many applicants through different posts with the same sponsor, phone, address
or employer; each post alone sees one application. These count earlier applications (strictly
before this one, within the context's window, 365 days by default) at *other* posts that share
a key with this one, from :class:`~features.network.NetworkHistory`.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from mizugiwa.features.indicators import lookups
from mizugiwa.features.indicators.batch import ApplicationBatch, unless_same
from mizugiwa.features.indicators.registry import Column, Indicator, indicator
from mizugiwa.features.records import Concern

NETWORK: list[Indicator[Any]] = []


def _other_posts(
    batch: ApplicationBatch, ctx: Any, kind: str, *columns: np.ndarray
) -> list[np.ndarray]:
    """Per key column, the counts at other posts (NaN where the key is absent), all asked of
    the history in one query."""
    n = len(batch)
    keys = np.concatenate(columns)
    counts = ctx.history.count_before(
        kind,
        keys.tolist(),
        np.tile(batch.submitted_s, len(columns)),
        window_days=ctx.cross_post_window_days,
        other_than=batch.post_code.tolist() * len(columns),
    )
    values = np.where(keys != None, counts, np.nan)  # noqa: E711
    return [values[k * n : (k + 1) * n] for k in range(len(columns))]


def _either(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Row-wise sum where either is known (NaN where both are)."""
    a_nan, b_nan = np.isnan(a), np.isnan(b)
    return np.where(a_nan & b_nan, np.nan, np.where(a_nan, 0.0, a) + np.where(b_nan, 0.0, b))


@indicator(
    NETWORK,
    code="NW-SPONSOR-CROSS-POST",
    concern=Concern.SHAM_MARRIAGE,
    en="The same sponsor appears in recent applications at other consular posts.",
    ja="同じ身元保証人が、最近、他の在外公館への申請にも現れている。",
    fires=lambda v: v >= 1,
)
def sponsor_other_posts(batch: ApplicationBatch, ctx: Any) -> np.ndarray:
    """Earlier applications at other posts, within the window, with the same sponsor (name
    and birth date). NaN when the sponsor is not a person with a birth date."""
    return _other_posts(batch, ctx, "sponsor", batch.sponsor_person_key())[0]


@indicator(
    NETWORK,
    code="NW-PHONE-CROSS-POST",
    concern=Concern.EXPLOITATION,
    en="The same phone number appears in recent applications at other consular posts.",
    ja="同じ電話番号が、最近、他の在外公館への申請にも現れている。",
    fires=lambda v: v >= 2,
)
def phone_other_posts(batch: ApplicationBatch, ctx: Any) -> np.ndarray:
    """Earlier applications at other posts, within the window, giving the applicant's or the
    sponsor's phone (E.164) as either of theirs. NaN when neither phone is given."""
    applicant, sponsor = batch.phone_keys()
    sponsor = unless_same(sponsor, applicant)
    return _either(*_other_posts(batch, ctx, "phone", applicant, sponsor))


@indicator(
    NETWORK,
    code="NW-ADDRESS-CROSS-POST",
    concern=Concern.EXPLOITATION,
    en="The same address appears in recent applications at other consular posts.",
    ja="同じ住所が、最近、他の在外公館への申請にも現れている。",
    fires=lambda v: v >= 2,
)
def address_other_posts(batch: ApplicationBatch, ctx: Any) -> np.ndarray:
    """Earlier applications at other posts, within the window, giving the applicant's or the
    sponsor's address (normalised). NaN when neither address is given."""
    applicant, sponsor = batch.address_keys()
    sponsor = unless_same(sponsor, applicant)
    return _either(*_other_posts(batch, ctx, "address", applicant, sponsor))


@indicator(
    NETWORK,
    code="NW-EMPLOYER-CROSS-POST",
    concern=Concern.EXPLOITATION,
    en="The same employer appears in recent applications at other consular posts.",
    ja="同じ雇用主が、最近、他の在外公館への申請にも現れている。",
    fires=lambda v: v >= 5,
)
def employer_other_posts(batch: ApplicationBatch, ctx: Any) -> np.ndarray:
    """Earlier applications at other posts, within the window, naming the same employer (id,
    else normalised name). NaN without employment."""
    return _other_posts(batch, ctx, "employer", batch.employer_key())[0]


@indicator(
    NETWORK,
    code="NW-BROKER-PHONE",
    concern=Concern.EXPLOITATION,
    en="The applicant's phone is linked to a known broker and shared by other applicants.",
    ja="申請者の電話番号が既知のブローカーと結び付いており、他の申請者とも共有されている。",
    fires=lambda v: v >= 1,
)
def broker_phone_sharers(batch: ApplicationBatch, ctx: Any) -> Column:
    """When the applicant's phone is linked to a suspect or raided establishment as of the
    application date: the number of earlier applications (any post, within the window) that
    gave the same phone; 0 when it is not so linked. NaN without a phone."""
    applicant, _ = batch.phone_keys()
    linked = lookups.contact_links(batch, ctx, "phone", applicant, "applicant_phone")
    shared = ctx.history.count_before(
        "phone", applicant.tolist(), batch.submitted_s, window_days=ctx.cross_post_window_days
    )
    values = np.where(linked.values > 0, shared, 0.0)
    return Column(np.where(applicant != None, values, np.nan), linked.details)  # noqa: E711


@indicator(
    NETWORK,
    code="NW-CONTACT-LINKED",
    concern=Concern.EXPLOITATION,
    en="The applicant's phone or address is linked to a broker or a raided establishment.",
    ja="申請者の電話番号または住所が、ブローカーまたは摘発された店舗と結び付いている。",
    fires=lambda v: v >= 1,
)
def applicant_tip_links(batch: ApplicationBatch, ctx: Any) -> Column:
    """Number of the applicant's phone and address that the trafficking database links, as of
    the application date, to a suspect person or to a raided establishment (0..2). NaN when the
    applicant gives neither."""
    phone, _ = batch.phone_keys()
    address, _ = batch.address_keys()
    phones = lookups.contact_links(batch, ctx, "phone", phone, "applicant_phone")
    addresses = lookups.contact_links(batch, ctx, "address", address, "applicant_address")
    linked = phones.values + addresses.values
    none = (phone == None) & (address == None)  # noqa: E711
    return Column(np.where(none, np.nan, linked), lookups.merge(phones.details, addresses.details))


@indicator(
    NETWORK,
    code="NW-SPONSOR-NAME",
    concern=Concern.EXPLOITATION,
    en="The sponsor's name matches a known broker or trafficker; no date of birth confirms it.",
    ja="身元保証人の氏名が既知のブローカー等と一致するが、生年月日による確認はできない。",
    fires=lambda v: v == 1,
)
def sponsor_name_watchlisted(batch: ApplicationBatch, ctx: Any) -> Column:
    """2 where the sponsor's name and date of birth match a suspect person recorded by the
    application date (that also refers by rule), 1 where the name alone matches and one side has
    no date of birth, else 0. NaN without a sponsor who is a person."""
    column = lookups.watchlisted_sponsors(batch, ctx)
    person = lookups.present(batch.sponsor_family_name)
    return Column(np.where(person, column.values, np.nan), column.details)
