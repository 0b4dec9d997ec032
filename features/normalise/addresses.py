"""The one address normaliser: what the loader stores, the snapshot and the indicators look up,
and the watchlist index matches.

An address becomes its sorted tokens: house numbers as ``3-1-2`` (from ``3-chome 1-2``,
``3丁目1-2`` or ``3-1-2``), words read in Latin by the same romanisation as names (kanji and
kana through pykakasi, see :mod:`.scripts`) and folded to their romanisation-variant key,
street and ward words (street, ku, shi, barangay...) dropped, any order. So
``3-1-2 Roppongi, Minato-ku, Tokyo`` and ``東京都港区六本木3丁目1-2`` have one key.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from mizugiwa.features.normalise.scripts import romanisations, script_of
from mizugiwa.features.normalise.tokens import variant_key

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
    "apartment rm room unit brgy barangay no nr number lane ln dori gil ro quan"
)
_ADDRESS_NOISE = frozenset(_ADDRESS_NOISE_TEXT.split())
_GLUED_SUFFIX = re.compile(r"^(.{4,}?)(?:ku|to|shi|ken)$")


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
        if raw in _ADDRESS_NOISE or raw in _ADDRESS_SUFFIXES:
            continue
        glued = _GLUED_SUFFIX.match(raw) if glued_suffixes else None
        tokens.add(variant_key(glued.group(1) if glued else raw))
    return tuple(sorted(tokens))


def address_key(text: str) -> str:
    """Exact lookup key of an address: its sorted tokens (:func:`address_tokens`) joined by
    spaces, e.g. ``"3-1-2 minato ropongi tokyo"``."""
    return " ".join(address_tokens(text))
