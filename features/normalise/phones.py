"""The one phone normaliser: what the loader stores, the snapshot and the indicators look up,
and the watchlist index matches.

A phone is compared on its E.164 form (``+639171234567``): one digit off is another line, so
nothing here is fuzzy. A number written in national form (``0917 123 4567``, ``03-5555-1234``)
needs the region it was dialled in; it comes from the record (an import line's ``country``, an
application's nationality) or from the query (``default_region``), as ISO 3166 alpha-2 (``PH``)
or alpha-3 (``PHL``). ``00`` international prefixes and ``(0)`` trunk digits are read.

When no region is known, a national number cannot be placed in a country: such a number is
kept by its :func:`national_key` (the national significant number, trunk zeros dropped) so it
can still meet the same line written in full international form, but never decides a match
between two numbers whose countries are both known.
"""

from __future__ import annotations

import re
from functools import lru_cache

import phonenumbers
import pycountry
from phonenumbers.phonemetadata import PhoneMetadata

_NOT_DIGITS = re.compile(r"[^0-9]+")
_MIN_DIGITS = 6


@lru_cache(maxsize=1024)
def region(country: str | None) -> str | None:
    """ISO alpha-2 region for ``phonenumbers`` from an alpha-2 or alpha-3 code (None if
    unknown or empty)."""
    if not country:
        return None
    code = country.strip().upper()
    if len(code) == 2:
        return code if pycountry.countries.get(alpha_2=code) is not None else None
    record = pycountry.countries.get(alpha_3=code)
    return record.alpha_2 if record is not None else None


@lru_cache(maxsize=200_000)
def _parse(raw: str, country: str | None) -> phonenumbers.PhoneNumber | None:
    cleaned = raw.strip()
    if cleaned.startswith("00"):
        cleaned = "+" + cleaned[2:]
    try:
        number = phonenumbers.parse(cleaned, region(country))
    except phonenumbers.NumberParseException:
        return None
    return number if phonenumbers.is_possible_number(number) else None


@lru_cache(maxsize=200_000)
def e164(raw: str, country: str | None = None) -> str | None:
    """The E.164 form of a phone number, or ``None`` when it cannot be read.

    A number without a leading ``+`` (or ``00``) needs ``country`` (alpha-2 or alpha-3).
    """
    number = _parse(raw, country)
    if number is None:
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _possible_lengths(country_code: int) -> frozenset[int] | None:
    """National number lengths ``phonenumbers`` accepts as possible for a calling code."""
    code_region = phonenumbers.region_code_for_country_code(country_code)
    meta = (
        None
        if code_region == "ZZ"
        else PhoneMetadata.metadata_for_region_or_calling_code(country_code, code_region)
    )
    if meta is None or meta.general_desc is None:
        return None
    desc = meta.general_desc
    return frozenset((*desc.possible_length, *(desc.possible_length_local_only or ())))


_LENGTHS_BY_CODE: dict[str, frozenset[int]] = {
    str(code): lengths
    for code in phonenumbers.COUNTRY_CODE_TO_REGION_CODE
    if (lengths := _possible_lengths(code)) is not None
}


def phone_key(raw: str, country: str | None = None) -> str:
    """Exact lookup key of a phone: its E.164 form, or ``"raw:<digits>"`` when it does not
    parse (agencies record numbers no plan knows; only the same digits meet them).

    Parsing costs ~17 us, too much for batches of applications: a number in international
    form with only spaces, dashes or dots between its digits has its E.164 form by dropping
    the separators when its national part has a length ``phonenumbers`` holds possible (else
    its key is ``raw:<digits>``, as parsing would give).
    """
    if raw[:1] == "+" and "(" not in raw:
        digits = raw[1:].replace(" ", "").replace("-", "").replace(".", "")
        if digits.isdigit() and digits[0] != "0":
            for size in (1, 2, 3):
                lengths = _LENGTHS_BY_CODE.get(digits[:size])
                if lengths is not None:
                    national = len(digits) - size
                    return "+" + digits if national in lengths else "raw:" + digits
    parsed = e164(raw, country)
    return parsed if parsed is not None else "raw:" + _NOT_DIGITS.sub("", raw)


@lru_cache(maxsize=200_000)
def national_key(raw: str, country: str | None = None) -> str | None:
    """The national significant number (``9171234567``) of a phone, marked ``nsn:``.

    From a number that parses, its national number; from a national number without a region,
    its digits without the trunk zeros (``0917 123 4567`` → ``nsn:9171234567``). None for
    fewer than six digits or an international number that does not parse.
    """
    number = _parse(raw, country)
    if number is not None:
        return f"nsn:{phonenumbers.national_significant_number(number)}"
    text = raw.strip()
    if text.startswith("+") or text.startswith("00"):
        return None
    digits = _NOT_DIGITS.sub("", text).lstrip("0")
    return f"nsn:{digits}" if len(digits) >= _MIN_DIGITS else None


def raw_digits_key(raw: str) -> str | None:
    """Key of a number that does not parse: its digits (at least six), marked ``raw:``."""
    digits = _NOT_DIGITS.sub("", raw)
    return f"raw:{digits}" if len(digits) >= _MIN_DIGITS else None


def one_digit_off(number: str) -> list[tuple[str, int]]:
    """Numbers one digit away from the E.164 ``number`` (one digit replaced), with the
    position changed: listed as near misses, never matches."""
    digits = number[1:]
    out = []
    for position, digit in enumerate(digits):
        for other in "0123456789":
            if other != digit:
                out.append(("+" + digits[:position] + other + digits[position + 1 :], position))
    return out
