"""Organisation identifiers by scheme: what agencies send as ``employer_id``.

An employer is known to the trafficking database by the database's own id (``O-3``), but the
agencies that send applications know it by an official number: in Japan the 13-digit corporate
number (法人番号, National Tax Agency), which every registered company has. Read as the
database's own id, 0 of 400 such numbers were found. Organisations therefore carry
``identifiers``, each a scheme and a value, and an ``employer_id`` is looked up both ways:

- ``jp_corporate_number``: 13 digits (hyphens and spaces ignored) whose leading check digit is
  ``9 - (sum of the 12 base digits weighted 1, 2, 1, 2... from the right) mod 9``;
- ``lei``: 20 characters (ISO 17442), ISO 7064 MOD 97-10 check digits;
- any other scheme name: the text, without blanks, upper-cased, unchecked.

An ``employer_id`` may name its scheme (``jp_corporate_number:1234567890123``) or not; a bare
13-digit number with a valid check digit is read as a corporate number.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable, Mapping
from typing import Any

JP_CORPORATE_NUMBER = "jp_corporate_number"
LEI = "lei"
_SEPARATORS = re.compile(r"[\s\-‐－ー]")


def jp_corporate_check_digit(base: str) -> int:
    """The check digit of a 12-digit corporate number base (法人番号の検査用数字)."""
    total = sum(int(d) * (1 if k % 2 == 0 else 2) for k, d in enumerate(reversed(base)))
    return 9 - total % 9


def _jp_corporate(value: str) -> str:
    digits = _SEPARATORS.sub("", value)
    if not re.fullmatch(r"\d{13}", digits):
        raise ValueError(f"{value!r} is not a corporate number (13 digits)")
    if int(digits[0]) != jp_corporate_check_digit(digits[1:]):
        raise ValueError(f"{value!r}: the corporate number's check digit does not hold")
    return digits


def _lei(value: str) -> str:
    text = _SEPARATORS.sub("", value).upper()
    if not re.fullmatch(r"[A-Z0-9]{18}\d{2}", text):
        raise ValueError(f"{value!r} is not an LEI (20 characters)")
    if int("".join(str(int(ch, 36)) for ch in text)) % 97 != 1:
        raise ValueError(f"{value!r}: the LEI check digits do not hold")
    return text


_SCHEMES = {JP_CORPORATE_NUMBER: _jp_corporate, LEI: _lei}


def normalise_identifier(scheme: str, value: str) -> str:
    """``scheme:value`` in canonical form; raises ``ValueError`` for a value its scheme refuses."""
    name = scheme.strip().lower()
    if not re.fullmatch(r"[a-z][a-z0-9_]{0,39}", name):
        raise ValueError(f"{scheme!r} is not an identifier scheme (lower-case letters, digits, _)")
    check = _SCHEMES.get(name)
    canonical = check(str(value)) if check else _SEPARATORS.sub("", str(value)).upper()
    if not canonical:
        raise ValueError("an identifier needs a value")
    return f"{name}:{canonical}"


def identifiers_of(entity: Mapping[str, Any]) -> list[str]:
    """The canonical identifiers of an organisation line (``identifiers`` already checked)."""
    found = entity.get("identifiers") or []
    return [f"{item['scheme']}:{item['value']}" for item in found if isinstance(item, Mapping)]


def checked_identifiers(items: Iterable[Any]) -> list[dict[str, str]]:
    """``identifiers`` of an import line, each ``{"scheme", "value"}`` checked and canonical."""
    out = []
    for item in items:
        if not isinstance(item, Mapping) or "scheme" not in item or "value" not in item:
            raise ValueError('each identifier is {"scheme": ..., "value": ...}')
        scheme, value = normalise_identifier(str(item["scheme"]), str(item["value"])).split(":", 1)
        out.append({"scheme": scheme, "value": value})
    return out


def lookup_keys(given: str) -> list[str]:
    """The identifier keys an ``employer_id`` as sent may stand for: ``scheme:value`` when it
    names a scheme, else a corporate number when it is one, and the text itself as an id of
    any scheme (``*:VALUE``)."""
    text = given.strip()
    scheme, sep, value = text.partition(":")
    if sep and re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", scheme):
        try:
            return [normalise_identifier(scheme, value)]
        except ValueError:
            return []
    keys = []
    with contextlib.suppress(ValueError):  # not a corporate number: only the bare form
        keys.append(normalise_identifier(JP_CORPORATE_NUMBER, text))
    keys.append("*:" + _SEPARATORS.sub("", text).upper())
    return keys
