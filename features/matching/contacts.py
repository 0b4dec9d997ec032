"""Phones, addresses and travel documents: normal forms that are compared exactly.

Phones are compared on their E.164 form only: one digit off is another line, so fuzzy phone
matching would only make false hits. Addresses are compared on a normalised token form (house
numbers exact, words by variant key, any order, so "3-1-2 Roppongi, Minato-ku, Tokyo" meets
"東京都港区六本木3丁目1-2"). Travel documents on the number (letters and digits only) plus the
issuing state.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import phonenumbers

from mizugiwa.features.matching.scripts import romanisations, script_of
from mizugiwa.features.matching.tokens import variant_key

_CHOME_NATIVE = re.compile(r"(\d+)\s*丁目\s*(\d+)\s*(?:番地?|-)\s*(\d+)\s*号?")
_CHOME_LATIN = re.compile(
    r"(\d+)\s*-?\s*(?:chome|choume)\s*-?\s*(\d+)\s*-?\s*(?:ban(?:chi)?\s*-?\s*)?(\d+)\s*(?:go|gou)?\b"
)
_ADDRESS_TOKEN = re.compile(r"\d+(?:-\d+)*|[a-z]+")
_ADDRESS_SUFFIXES = frozenset(
    [
        *("ku", "shi", "to", "ken", "fu", "cho", "chou", "machi", "gun", "mura", "son"),
        *("city", "ward", "prefecture", "district", "province", "japan", "nihon"),
    ]
)
# Words that say what kind of place a token is, not which one: ignored in comparisons.
_ADDRESS_NOISE_TEXT = (
    "st str street rd road ave av avenue blvd boulevard bldg bld building fl flr floor apt "
    "apartment rm room unit brgy barangay no nr number lane ln dori gil ro"
)
_ADDRESS_NOISE = frozenset(_ADDRESS_NOISE_TEXT.split())
_GLUED_SUFFIX = re.compile(r"^(.{4,}?)(?:ku|to|shi|ken)$")
_DOCUMENT_NOISE = re.compile(r"[^0-9A-Z]")


def normalise_phone(text: str, default_region: str | None = None) -> str | None:
    """E.164 form of a phone number (``+639171234567``), or None when it cannot be read.

    A number without a leading ``+`` (or ``00``) needs ``default_region`` (ISO 3166 alpha-2,
    e.g. ``"JP"``) to be read as national.
    """
    cleaned = text.strip()
    if cleaned.startswith("00"):
        cleaned = "+" + cleaned[2:]
    try:
        number = phonenumbers.parse(cleaned, default_region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


@lru_cache(maxsize=100_000)
def address_tokens(text: str) -> tuple[str, ...]:
    """Sorted tokens of an address: house numbers as ``3-1-2``, words by variant key."""
    text = unicodedata.normalize("NFKC", text)
    text = _CHOME_NATIVE.sub(r" \1-\2-\3 ", text)
    latin = romanisations(text)[-1].lower()
    latin = _CHOME_LATIN.sub(r"\1-\2-\3", latin)
    # Japanese script glues the ward or prefecture suffix to the name (港区 → minatoku);
    # Latin text writes it apart (Minato-ku), and is not stripped lest "Minato" lose its "to".
    glued_suffixes = script_of(text) in ("japanese", "han")
    tokens: set[str] = set()
    for raw in _ADDRESS_TOKEN.findall(latin):
        if raw[0].isdigit():
            tokens.add(raw)
            continue
        word = raw
        if word in _ADDRESS_NOISE or word in _ADDRESS_SUFFIXES:
            continue
        glued = _GLUED_SUFFIX.match(word) if glued_suffixes else None
        key = variant_key(glued.group(1) if glued else word)
        tokens.add(key)
    return tuple(sorted(tokens))


def normalise_address(text: str) -> str:
    """The normal form of an address: its sorted tokens (see :func:`address_tokens`)."""
    return " ".join(address_tokens(text))


def normalise_document_number(number: str) -> str:
    """Document number as printed in the MRZ: upper-case letters and digits only."""
    return _DOCUMENT_NOISE.sub("", unicodedata.normalize("NFKC", number).upper())


def phone_near_misses(e164: str) -> list[tuple[str, int]]:
    """Numbers one digit away from ``e164`` (substituted digit), with the position changed."""
    digits = e164[1:]
    out = []
    for position, digit in enumerate(digits):
        for other in "0123456789":
            if other != digit:
                out.append(("+" + digits[:position] + other + digits[position + 1 :], position))
    return out
