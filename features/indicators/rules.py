"""Rules that refer a case to interview regardless of any model: a watchlisted broker or
trafficker, a document reported lost, stolen or forged, MRZ check digits that fail.

A known victim never fires a rule: a match on one only raises protection guidance.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from mizugiwa.features.indicators import lookups
from mizugiwa.features.indicators.documents import application_document_reports, mrz_of
from mizugiwa.features.indicators.entries import entry_document_reports, entry_mrz
from mizugiwa.features.indicators.registry import Column, Details, Rule
from mizugiwa.features.records import Concern

_REFUSED_STATUSES = ("lost", "stolen", "forged")


def _suspect_only(column: Column) -> Column:
    """Keep the rows whose contact is linked to a suspect person (not only a raided place)."""
    details: Details = {
        row: evidence
        for row, evidence in column.details.items()
        if any("suspect" in value.get("linked_to", ()) for value in evidence.values())
    }
    values = np.zeros(column.values.size)
    values[list(details)] = 1.0
    return Column(values, details)


def _either(*columns: Column) -> Column:
    values = np.zeros(columns[0].values.size)
    for column in columns:
        values = np.fmax(values, column.values)  # NaN counts as 0
    return Column(values, lookups.merge(*(column.details for column in columns)))


def watchlist_person(batch: Any, ctx: Any) -> Column:
    """The sponsor (name and birth date, exact or via the watchlist index) is a broker,
    trafficker, recruiter or facilitator recorded and valid on the application date. A name
    without a date of birth to confirm it is not enough to refer by rule."""
    column = lookups.watchlisted_sponsors(batch, ctx)
    confirmed = column.values >= lookups.CONFIRMED
    details = {row: evidence for row, evidence in column.details.items() if confirmed[row]}
    return Column(confirmed.astype(np.float64), details)


def _watchlisted(batch: Any, ctx: Any, kind: str, keys: Any, role: str) -> Column:
    """Linked to a suspect person, or on record alone (watchlisted in its own right)."""
    return _either(
        _suspect_only(lookups.contact_links(batch, ctx, kind, keys, role)),
        lookups.recorded_alone(batch, ctx, kind, keys, role),
    )


def watchlist_phone(batch: Any, ctx: Any) -> Column:
    """The applicant's or the sponsor's phone is linked to a suspect person on the date, or
    is recorded in the trafficking database on its own (not linked to anyone)."""
    applicant, sponsor = batch.phone_keys()
    return _either(
        _watchlisted(batch, ctx, "phone", applicant, "applicant_phone"),
        _watchlisted(batch, ctx, "phone", sponsor, "sponsor_phone"),
    )


def watchlist_address(batch: Any, ctx: Any) -> Column:
    """The applicant's or the sponsor's address is linked to a suspect person on the date, or
    is recorded in the trafficking database on its own."""
    applicant, sponsor = batch.address_keys()
    return _either(
        _watchlisted(batch, ctx, "address", applicant, "applicant_address"),
        _watchlisted(batch, ctx, "address", sponsor, "sponsor_address"),
    )


def entry_watchlist_address(batch: Any, ctx: Any) -> Column:
    """The address declared at the border is linked to a suspect person on the arrival date."""
    keys = batch.declared_address_key()
    return _watchlisted(batch, ctx, "address", keys, "declared_address")


def _refused(column: Column) -> Column:
    details = {
        row: evidence
        for row, evidence in column.details.items()
        if evidence.get("document_status") in _REFUSED_STATUSES
    }
    values = np.zeros(column.values.size)
    values[list(details)] = 1.0
    return Column(values, details)


def document_reported(batch: Any, ctx: Any) -> Column:
    """The passport (number, issuing state) is reported lost, stolen or forged as of the
    application date."""
    return _refused(application_document_reports(batch, ctx))


def entry_document_reported(batch: Any, ctx: Any) -> Column:
    """The passport read at the border is reported lost, stolen or forged as of arrival."""
    return _refused(entry_document_reports(batch, ctx))


def _mrz_failures(parsed: Any) -> Column:
    bad = parsed.failed_checks > 0
    details = {
        int(i): {"failed_check_digits": list(parsed.failed_names[i])} for i in np.flatnonzero(bad)
    }
    return Column(bad.astype(np.float64), details)


def mrz_check_digits(batch: Any, ctx: Any) -> Column:
    """At least one ICAO 9303 check digit of the passport MRZ fails."""
    return _mrz_failures(mrz_of(batch))


def entry_mrz_check_digits(batch: Any, ctx: Any) -> Column:
    """At least one ICAO 9303 check digit of the MRZ read at the border fails."""
    return _mrz_failures(entry_mrz(batch))


WATCHLIST_PERSON = Rule(
    code="RULE-WATCHLIST-PERSON",
    concern=None,
    text_en="The sponsor matches a known broker or trafficker in the trafficking database.",
    text_ja="身元保証人が人身取引データベース上の既知のブローカー・加害者と一致する。",
    check=watchlist_person,
)
WATCHLIST_PHONE = Rule(
    code="RULE-WATCHLIST-PHONE",
    concern=None,
    text_en=(
        "A phone number given matches one linked to a known broker or trafficker, or one "
        "recorded on its own in the trafficking database."
    ),
    text_ja=(
        "申告された電話番号が、既知のブローカー・加害者に結び付く番号、"
        "または人身取引データベースに単独で登録された番号と一致する。"
    ),
    check=watchlist_phone,
)
WATCHLIST_ADDRESS = Rule(
    code="RULE-WATCHLIST-ADDRESS",
    concern=None,
    text_en=(
        "An address given matches one linked to a known broker or trafficker, or one "
        "recorded on its own in the trafficking database."
    ),
    text_ja=(
        "申告された住所が、既知のブローカー・加害者に結び付く住所、"
        "または人身取引データベースに単独で登録された住所と一致する。"
    ),
    check=watchlist_address,
)
DOC_REPORTED = Rule(
    code="RULE-DOC-REPORTED",
    concern=Concern.IMPERSONATION,
    text_en="The passport is reported lost, stolen or forged.",
    text_ja="旅券が紛失・盗難・偽造として届け出られている。",
    check=document_reported,
)
MRZ_CHECK = Rule(
    code="RULE-MRZ-CHECK",
    concern=Concern.IMPERSONATION,
    text_en="Check digits of the passport's machine-readable zone fail (ICAO 9303).",
    text_ja="旅券の機械読取部（MRZ）のチェックディジットが一致しない（ICAO 9303）。",
    check=mrz_check_digits,
)

#: The rules of visa applications.
APPLICATION_RULES: list[Rule] = [
    WATCHLIST_PERSON,
    WATCHLIST_PHONE,
    WATCHLIST_ADDRESS,
    DOC_REPORTED,
    MRZ_CHECK,
]

#: The rules of border entries: the same codes and texts, checked on what the booth reads.
ENTRY_RULES: list[Rule] = [
    WATCHLIST_ADDRESS.with_check(entry_watchlist_address),
    DOC_REPORTED.with_check(entry_document_reported),
    MRZ_CHECK.with_check(entry_mrz_check_digits),
]
