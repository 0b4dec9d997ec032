"""The legacy referral checklist: how posts and ports choose interviews without a model.

The checklist is a points score over a handful of single indicators, each read off the record
alone (no database lookups, no combinations): a large age gap, a short courtship, an entertainer
visa, an adult-entertainment establishment, a third party paying the ticket, an MRZ whose check
digits fail, a poor face match. Cases are referred in descending order of points until the
interview capacity is used. It is the baseline every model is compared with, and the process
that chose which cases of the synthetic world were interviewed (and so labelled).

All functions are pure and vectorised over a batch of records (dicts in the JSON Lines form).
"""

from __future__ import annotations

import zlib
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

import numpy as np

from mizugiwa.features.mrz_check import parse_mrz

# Points of the checklist; the names are what an officer's form calls them.
POINTS: dict[str, float] = {
    "entertainer_visa": 2.0,
    "age_gap_20_years": 2.0,
    "courtship_under_6_months": 1.0,
    "met_through_agency": 1.0,
    "no_common_language": 1.0,
    "adult_entertainment_employer": 2.0,
    "fee_over_3_months_wage": 1.0,
    "ticket_paid_by_third_party": 1.0,
    "visitor_without_return_ticket": 1.0,
    "mrz_check_digits_fail": 5.0,
    "face_match_below_0_5": 3.0,
    "declared_stay_over_30_days": 1.0,
}


def _date(text: Any) -> date | None:
    """A date, or None when absent or partial (a date of birth with an unknown day or month)."""
    if not isinstance(text, str) or len(text) < 10:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def _years(later: date | None, earlier: date | None) -> float:
    if later is None or earlier is None:
        return float("nan")
    return (later - earlier).days / 365.25


def application_indicators(applications: Sequence[Mapping[str, Any]]) -> dict[str, np.ndarray]:
    """The checklist's indicators (bool arrays keyed like :data:`POINTS`) for applications."""
    n = len(applications)
    out = {name: np.zeros(n, dtype=bool) for name in POINTS}
    mrz_texts: list[str | None] = []
    for i, app in enumerate(applications):
        category = app.get("visa_category")
        sponsor = app.get("sponsor") or {}
        marriage = app.get("marriage")
        employment = app.get("employment")
        travel = app.get("travel") or {}
        biometrics = app.get("biometrics")
        out["entertainer_visa"][i] = category == "entertainer"
        if marriage:
            dob = _date((app.get("applicant") or {}).get("date_of_birth"))
            gap = _years(dob, _date(sponsor.get("date_of_birth")))
            out["age_gap_20_years"][i] = gap >= 20
            courtship = _date(marriage.get("marriage_date")), _date(marriage.get("first_met_date"))
            out["courtship_under_6_months"][i] = _years(*courtship) < 0.5
            out["met_through_agency"][i] = marriage.get("met_via") == "agency"
            out["no_common_language"][i] = not marriage.get("common_languages")
        if employment:
            out["adult_entertainment_employer"][i] = (
                employment.get("establishment_type") == "adult_entertainment"
            )
            fee, wage = employment.get("recruitment_fee_jpy"), employment.get("monthly_wage_jpy")
            out["fee_over_3_months_wage"][i] = bool(fee and wage and fee >= 3 * wage)
        out["ticket_paid_by_third_party"][i] = travel.get("ticket_paid_by") == "third_party"
        out["visitor_without_return_ticket"][i] = (
            category == "temporary_visitor" and travel.get("return_ticket") is False
        )
        if biometrics and biometrics.get("face_match_score") is not None:
            out["face_match_below_0_5"][i] = biometrics["face_match_score"] < 0.5
        mrz_texts.append((app.get("passport") or {}).get("mrz"))
    out["mrz_check_digits_fail"] = parse_mrz(mrz_texts).failed_checks > 0
    return out


def entry_indicators(entries: Sequence[Mapping[str, Any]]) -> dict[str, np.ndarray]:
    """The checklist's indicators at a port booth (MRZ, face match, ticket, stay)."""
    n = len(entries)
    out = {name: np.zeros(n, dtype=bool) for name in POINTS}
    for i, entry in enumerate(entries):
        score = entry.get("face_match_score")
        out["face_match_below_0_5"][i] = score is not None and score < 0.5
        out["visitor_without_return_ticket"][i] = entry.get("return_ticket") is False
        out["declared_stay_over_30_days"][i] = (entry.get("declared_stay_days") or 0) > 30
    out["mrz_check_digits_fail"] = parse_mrz([e.get("mrz") for e in entries]).failed_checks > 0
    return out


def _total(indicators: dict[str, np.ndarray], n: int) -> np.ndarray:
    total = np.zeros(n)
    for name, hit in indicators.items():
        total += POINTS[name] * hit
    return total


def legacy_scores(applications: Sequence[Mapping[str, Any]]) -> np.ndarray:
    """Checklist points of each visa application (float array, higher refers first)."""
    return _total(application_indicators(applications), len(applications))


def legacy_entry_scores(entries: Sequence[Mapping[str, Any]]) -> np.ndarray:
    """Checklist points of each border entry."""
    return _total(entry_indicators(entries), len(entries))


def tie_break_keys(case_ids: Sequence[str]) -> np.ndarray:
    """A stable pseudo-random order among equal scores (CRC-32 of the case id)."""
    return np.fromiter(
        (zlib.crc32(c.encode()) for c in case_ids), dtype=np.int64, count=len(case_ids)
    )


def legacy_refer(scores: np.ndarray, capacity: float, case_ids: Sequence[str]) -> np.ndarray:
    """Refer the top ``capacity`` share of cases by score (bool array).

    Only cases with at least one point are referred; ties at the threshold are broken by
    :func:`tie_break_keys`, so the same cases give the same referrals.
    """
    if not 0.0 <= capacity <= 1.0:
        raise ValueError(f"capacity must be within 0..1, got {capacity}")
    scores = np.asarray(scores, dtype=float)
    if scores.size != len(case_ids):
        raise ValueError(f"{scores.size} scores for {len(case_ids)} case ids")
    k = int(np.floor(capacity * scores.size))
    order = np.lexsort((tie_break_keys(case_ids), -scores))
    refer = np.zeros(scores.size, dtype=bool)
    refer[order[:k]] = True
    return refer & (scores > 0)
