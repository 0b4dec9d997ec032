"""Values as real agency exports write them, read into one canonical form.

Exports from consular posts, ports and police systems differ from the textbook record in ways a
border officer sees every day; each function here reads one of them, for the record schemas
(:mod:`features.records`) and for the fast column readers alike, so that a validated record and
a file read without validation agree:

- **Languages** with no ISO 639-1 code (Filipino ``fil``, Cebuano ``ceb``) are written in
  ISO 639-2 or 639-3; a code with a two-letter form is compared in that form (``eng`` is ``en``).
- **Dates of birth** with an unknown day or month: ICAO 9303 (Part 3, 4.6) prints them as ``XX``
  in the visual zone and ``<<`` in the MRZ, and databases export them as ``1985-00-00``. They
  stay *partial* (``1985-XX-XX``); no day is invented, so indicators that need the exact day
  (age gap, MRZ agreement) treat it as unknown.
- **Flight numbers** written with a space or a dash (``PR 428``, ``pr-428``) are the same flight
  as ``PR428``. Seaport arrivals have a vessel instead: its name and IMO number (7 digits, the
  last a check digit).
- **Face-match scores** come on the vendor's scale; the record says which (``face_match_scale``:
  ``unit`` for 0..1, ``percent`` for 0..100) and the score is held on 0..1.
"""

from __future__ import annotations

import re
from calendar import monthrange
from datetime import date
from functools import lru_cache
from typing import Any, Literal

import pycountry

# ----------------------------------------------------------------------------- languages


@lru_cache(maxsize=4096)
def canonical_language(value: str) -> str:
    """An ISO 639-1, 639-2 (bibliographic or terminology) or 639-3 code as compared: the
    two-letter code where the language has one, else its three-letter ISO 639-3 code.
    Raises ``ValueError`` for a code in none of them."""
    code = value.strip().lower()
    found = None
    if len(code) == 2:
        found = pycountry.languages.get(alpha_2=code)
    elif len(code) == 3:
        found = pycountry.languages.get(alpha_3=code) or pycountry.languages.get(bibliographic=code)
    if found is None:
        raise ValueError(f"{value!r} is not an ISO 639-1, 639-2 or 639-3 language code")
    return str(getattr(found, "alpha_2", None) or found.alpha_3)


def language_as_compared(value: str) -> str:
    """:func:`canonical_language`, or the code trimmed and lower-cased when it is unknown (the
    column readers do not validate; the schema refuses unknown codes)."""
    try:
        return canonical_language(value)
    except ValueError:
        return value.strip().lower()


# ----------------------------------------------------------------------------- dates of birth
_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2}|XX|xx|<<)(?:-(\d{2}|XX|xx|<<))?)?$")
UNKNOWN = "XX"


def partial_date(value: Any) -> str:
    """A date of birth as canonical text: ``YYYY-MM-DD`` when complete, else with ``XX`` for
    the unknown parts (``1985-XX-XX``, ``1985-06-XX``). Accepts ``date`` objects, ``00`` or
    ``XX`` for an unknown day or month, and ``YYYY`` or ``YYYY-MM`` alone."""
    if isinstance(value, date):
        return value.isoformat()
    if not isinstance(value, str):
        raise ValueError(f"{value!r} is not a date (YYYY-MM-DD, unknown parts as XX or 00)")
    match = _PARTIAL_DATE.match(value.strip())
    if match is None:
        raise ValueError(f"{value!r} is not a date (YYYY-MM-DD, unknown parts as XX or 00)")
    year, month, day = match.group(1), match.group(2), match.group(3)
    month = None if month is None or not month.isdigit() or month == "00" else month
    day = None if day is None or not day.isdigit() or day == "00" else day
    if month is not None and not 1 <= int(month) <= 12:
        raise ValueError(f"{value!r}: month {month} is not 01-12 (write XX when unknown)")
    if day is not None:
        last = monthrange(int(year), int(month))[1] if month else 31
        if not 1 <= int(day) <= last:
            raise ValueError(f"{value!r}: day {day} does not exist (write XX when unknown)")
    if month is not None and day is not None:
        return date(int(year), int(month), int(day)).isoformat()
    return f"{year}-{month or UNKNOWN}-{day or UNKNOWN}"


def is_partial(text: str) -> bool:
    """Whether a canonical date of birth leaves its day or month unknown."""
    return UNKNOWN in text


def date_bounds(text: str) -> tuple[date, date]:
    """The earliest and the latest day a canonical (possibly partial) date can be."""
    year, month, day = text.split("-")
    if month == UNKNOWN:
        return date(int(year), 1, 1), date(int(year), 12, 31)
    if day == UNKNOWN:
        last = monthrange(int(year), int(month))[1]
        return date(int(year), int(month), 1), date(int(year), int(month), last)
    exact = date.fromisoformat(text)
    return exact, exact


# ----------------------------------------------------------------------------- transport
FLIGHT_NUMBER = re.compile(r"^[A-Z0-9]{2}[A-Z]?\d{1,4}[A-Z]?$")


def flight_number(value: Any) -> Any:
    """A flight number as one code: upper-case, without spaces or dashes (``PR 428``,
    ``pr-428`` -> ``PR428``); anything else is left for the pattern to refuse."""
    if not isinstance(value, str):
        return value
    return re.sub(r"[\s\-]+", "", value.strip().upper())


def imo_number(value: Any) -> str:
    """An IMO ship identification number: 7 digits (``IMO`` prefix allowed) whose last digit
    is the check digit (the first six weighted 7..2, summed, modulo 10)."""
    text = re.sub(r"^IMO\s*", "", str(value).strip().upper())
    if not re.fullmatch(r"\d{7}", text):
        raise ValueError(f"{value!r} is not an IMO number (7 digits, optionally after 'IMO')")
    total = sum(int(d) * w for d, w in zip(text[:6], range(7, 1, -1), strict=True))
    if total % 10 != int(text[6]):
        raise ValueError(f"{value!r}: the IMO check digit does not hold")
    return text


# ----------------------------------------------------------------------------- face match
FaceMatchScale = Literal["unit", "percent"]
_SCALE_DIVISOR: dict[str, float] = {"unit": 1.0, "percent": 100.0}


def unit_face_match(score: Any, scale: Any) -> float | None:
    """A face-match score on 0..1 from a score on its declared scale (``unit``: 0..1,
    ``percent``: a vendor's 0..100; absent means ``unit``). Raises ``ValueError`` for an
    unknown scale or a score outside it."""
    if score is None:
        return None
    name = scale or "unit"
    if name not in _SCALE_DIVISOR:
        raise ValueError(f"face_match_scale {scale!r} is not one of {sorted(_SCALE_DIVISOR)}")
    top = _SCALE_DIVISOR[name]
    value = float(score)
    if not 0.0 <= value <= top:
        raise ValueError(f"face_match_score {score} is outside the {name} scale 0..{top:g}")
    return value / top
