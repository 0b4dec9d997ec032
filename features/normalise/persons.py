"""Exact keys of names (a person's with the birth date, an organisation's), read like the
matcher reads names.

Every name is first read in Latin by :func:`~.scripts.romanisations` (pykakasi for Japanese,
Pinyin and Japanese for Han-only text, Hangul and Thai by their own systems, anyascii for the
rest), so the exact keys of the trafficking database and the fuzzy watchlist index read kanji
the same way. Fuzzy matching is not done here: these keys are exact.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

from anyascii import anyascii

from mizugiwa.features.normalise.scripts import romanisations

_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def _readings(text: str) -> list[list[str]]:
    """The case-folded alphanumeric tokens of each Latin reading of ``text``."""
    out = []
    for reading in romanisations(text):
        folded = anyascii(reading).casefold()
        out.append([token for token in _NON_ALNUM.split(folded) if token])
    return out


def _key(tokens: Iterable[str], dob: date | str | None) -> str:
    dob_text = dob.isoformat() if isinstance(dob, date) else (dob or "")
    return f"{' '.join(sorted(tokens))}|{dob_text}"


def sponsor_key(names: str | Iterable[str], dob: date | str | None) -> str:
    """Exact key of a sponsor: the sorted tokens of the name and the date of birth.

    ``names`` is one person's name, either whole (``"TANAKA ICHIRO"``) or in parts
    (``["Tanaka", "Ichiro"]``); each part is read in Latin (its most likely reading),
    case-folded, and the tokens sorted. The date of birth is appended as ISO text (empty when
    unknown), e.g. ``"ichiro tanaka|1958-07-30"``. A sponsorship that records several
    alternative names (a Latin and a kanji spelling) is indexed under :func:`sponsor_keys`.
    """
    parts = [names] if isinstance(names, str) else list(names)
    return _key((token for part in parts for token in _readings(part)[0]), dob)


def sponsor_keys(alternative_names: Iterable[str], dob: date | str | None) -> list[str]:
    """One :func:`sponsor_key` per reading of each alternative full name (Han-only names are
    read as Chinese and as Japanese), without duplicates, in order."""
    keys = [_key(tokens, dob) for name in alternative_names for tokens in _readings(name)]
    return list(dict.fromkeys(key for key in keys if not key.startswith("|")))


def organisation_key(name: str) -> str:
    """Exact key of an organisation's name: its tokens in their most likely Latin reading,
    case-folded and sorted (``"Club Paradise, Roppongi"`` → ``"club paradise roppongi"``).
    Legal forms and branches are the fuzzy matcher's business, not this key's."""
    return " ".join(sorted(_readings(name)[0]))
