"""Normalisers that turn what an agency wrote into lookup keys.

The loader stores these keys beside the raw values, and feature code builds its query keys with
the same functions, so a lookup matches exactly when both sides normalise to the same text.
Fuzzy name matching is not done here: these keys are exact.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from datetime import date

import phonenumbers
import pycountry
from anyascii import anyascii

_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_DOCUMENT_NOISE = re.compile(r"[\s<\-./]+")
_PHONE_DIGITS = re.compile(r"[^0-9]+")


def _tokens(text: str) -> list[str]:
    """Latin-transliterated, case-folded alphanumeric tokens of ``text``."""
    folded = anyascii(unicodedata.normalize("NFKC", text)).casefold()
    return [token for token in _NON_ALNUM.split(folded) if token]


def name_tokens(name: str) -> list[str]:
    """The sorted tokens of one name, so that word order ("TANAKA ICHIRO" / "Ichiro Tanaka")
    and punctuation do not matter."""
    return sorted(_tokens(name))


def sponsor_key(names: str | Iterable[str], dob: date | str | None) -> str:
    """Exact key of a sponsor: the sorted tokens of the name and the date of birth.

    ``names`` is one person's name, either whole (``"TANAKA ICHIRO"``) or in parts
    (``["Tanaka", "Ichiro"]``); every token is transliterated to Latin (anyascii), case-folded
    and the tokens sorted. The date of birth is appended as ISO text (empty when unknown), e.g.
    ``"ichiro tanaka|1958-07-30"``. A sponsorship that records several alternative names (a
    Latin and a kanji spelling) is indexed under :func:`sponsor_keys` of those names.
    """
    parts = [names] if isinstance(names, str) else list(names)
    tokens = sorted(token for part in parts for token in _tokens(part))
    dob_text = dob.isoformat() if isinstance(dob, date) else (dob or "")
    return f"{' '.join(tokens)}|{dob_text}"


def sponsor_keys(alternative_names: Iterable[str], dob: date | str | None) -> list[str]:
    """One :func:`sponsor_key` per alternative full name, without duplicates, in order."""
    keys = [sponsor_key(name, dob) for name in alternative_names]
    return list(dict.fromkeys(key for key in keys if not key.startswith("|")))


def _region(country: str | None) -> str | None:
    """ISO alpha-2 region for phonenumbers from an alpha-3 country code, if known."""
    if not country:
        return None
    record = pycountry.countries.get(alpha_3=country.upper())
    return record.alpha_2 if record is not None else None


def e164(raw: str, country: str | None = None) -> str | None:
    """The E.164 form of a phone number, or ``None`` when it cannot be parsed.

    Numbers without a leading ``+`` need ``country`` (ISO alpha-3) to be read.
    """
    try:
        number = phonenumbers.parse(raw, _region(country))
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phone_key(raw: str, country: str | None = None) -> str:
    """Lookup key of a phone: its E.164 form, or ``"raw:<digits>"`` when it does not parse."""
    parsed = e164(raw, country)
    return parsed if parsed is not None else "raw:" + _PHONE_DIGITS.sub("", raw)


def address_key(raw: str) -> str:
    """Normalised address: NFKC, transliterated, case-folded, punctuation reduced to spaces.

    ``"3-1-2 Roppongi, Minato-ku, Tokyo"`` becomes ``"3 1 2 roppongi minato ku tokyo"``.
    """
    return " ".join(_tokens(raw))


def document_number(number: str) -> str:
    """A document number as compared: upper-case, without spaces, MRZ fillers, dashes or dots."""
    return _DOCUMENT_NOISE.sub("", unicodedata.normalize("NFKC", number)).upper()


def document_key(number: str, issuing_state: str) -> str:
    """Key of a travel document: :func:`document_number` and the issuing state, e.g.
    ``"L898902C3|UTO"``."""
    return f"{document_number(number)}|{issuing_state.strip().upper()}"


_SCRIPT_PREFIXES = (
    ("LATIN", "latin"),
    ("CJK", "han"),
    ("HIRAGANA", "kana"),
    ("KATAKANA", "kana"),
    ("HANGUL", "hangul"),
    ("CYRILLIC", "cyrillic"),
    ("THAI", "thai"),
    ("ARABIC", "arabic"),
    ("DEVANAGARI", "devanagari"),
    ("KHMER", "khmer"),
    ("MYANMAR", "myanmar"),
    ("LAO", "lao"),
    ("BENGALI", "bengali"),
)


def script_of(name: str) -> str:
    """The writing system of a name: ``latin``, ``han``, ``japanese`` (kanji with kana),
    ``kana``, ``hangul``, ``cyrillic``, ``thai``... ``mixed`` or ``other``."""
    scripts: set[str] = set()
    for char in name:
        if not char.isalpha():
            continue
        char_name = unicodedata.name(char, "")
        scripts.add(
            next(
                (script for prefix, script in _SCRIPT_PREFIXES if char_name.startswith(prefix)),
                "other",
            )
        )
    if not scripts:
        return "other"
    if scripts == {"han", "kana"}:
        return "japanese"
    return scripts.pop() if len(scripts) == 1 else "mixed"
