"""Name tokens and their romanisation-variant keys.

A :class:`Token` keeps the Latin text of one name part (lower case, without diacritics or
apostrophes) and a *variant key*: a folded spelling under which romanisation variants of the
same sound coincide. The key is a blocking and equality device, never shown alone: the
comparison also looks at the text, so that folding cannot turn two different names into a
match by itself.

Folding rules, in order (each one is a romanisation habit seen in passports):

1. a table of known variant spellings: Korean family names (Lee / Yi / Rhee, Park / Pak /
   Bak, Choi / Choe, Jung / Jeong / Chung...) and Muhammad's many spellings;
2. vowels: Japanese long vowels ``ou``/``oo``/``oh`` → ``o``, ``uu``/``uh`` → ``u`` (Satou,
   Satoh, Sato, Satō; Ohno, Oono, Ono) and doubled vowels generally; Korean ``eo`` → ``u``
   (Seong / Sung); a ``w`` closing a syllable → ``o`` (Thai Kaew / Kaeo);
3. aspirated consonants lose their ``h`` (Thai ``th``/``ph``/``kh``: Thanakorn / Tanakon),
   ``sh`` → ``s``, ``ch``/``j`` → one sound (Somchai / Somjai, Jung / Chung);
4. an ``r`` closing a syllable is dropped (Thai Tanakorn / Tanakon, Korean Park / Pak);
5. voiced and unvoiced stops merge (b/p, d/t, g/k: Korean Gim / Kim), ``r``/``l``, ``v``/``w``,
   ``z``/``s``, ``y``/``i``; doubled letters collapse.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

_KNOWN_VARIANTS: dict[str, str] = {
    **dict.fromkeys(["lee", "yi", "rhee", "rhie", "ri", "i", "yee", "li"], "i"),
    **dict.fromkeys(["park", "pak", "bak", "bag", "bahk", "pahk"], "pak"),
    **dict.fromkeys(["choi", "choe", "chwe", "choy"], "coe"),
    **dict.fromkeys(["jung", "jeong", "chung", "cheong", "chong", "jong"], "cong"),
    **dict.fromkeys(["kim", "gim"], "kim"),
    **dict.fromkeys(["kang", "gang"], "kang"),
    **dict.fromkeys(["shin", "sin", "shinn"], "sin"),
    **dict.fromkeys(["yoon", "yun", "youn"], "yun"),
    **dict.fromkeys(["oh", "o"], "o"),
    **dict.fromkeys(["noh", "roh", "no", "ro"], "no"),
    **dict.fromkeys(["ryu", "yu", "yoo", "ryoo", "rhyu"], "yu"),
    **dict.fromkeys(["lim", "im", "rim"], "im"),
    **dict.fromkeys(["han", "hahn"], "han"),
    **dict.fromkeys(["moon", "mun"], "mun"),
    **dict.fromkeys(["cho", "jo"], "co"),
    **dict.fromkeys(["kwon", "gwon"], "kwon"),
    **dict.fromkeys(
        [
            "muhammad",
            "muhammed",
            "mohammad",
            "mohammed",
            "mohamad",
            "mohamed",
            "muhamad",
            "muhamed",
            "mohd",
            "muhd",
            "md",
            "mohamud",
            "mahomed",
        ],
        "mhmd",
    ),
}

_FOLDS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(p), r)
    for p, r in [
        (r"tch|ch|j", "C"),
        (r"sh", "s"),
        (r"ts(?=u)", "t"),
        (r"([tpkbdg])h", r"\1"),
        (r"ou|oo", "o"),
        (r"uu", "u"),
        (r"([aeiou])h(?=[^aeiou]|$)", r"\1"),
        (r"(?<=[aeiou])w(?=[^aeiou]|$)", "o"),
        (r"eo", "u"),
        (r"eu", "u"),
        (r"ee|ii", "i"),
        (r"aa", "a"),
        (r"(?<=[aeiou])r(?=[^aeiouy]|$)", ""),
        (r"y", "i"),
        (r"b", "p"),
        (r"d", "t"),
        (r"g", "k"),
        (r"[cq]", "k"),
        (r"z", "s"),
        (r"r", "l"),
        (r"v", "w"),
        (r"(.)\1+", r"\1"),
    ]
]


@lru_cache(maxsize=500_000)
def variant_key(text: str) -> str:
    """The romanisation-variant key of one lower-case Latin token (see module docstring)."""
    known = _KNOWN_VARIANTS.get(text)
    if known is not None:
        return known
    key = text
    for pattern, replacement in _FOLDS:
        key = pattern.sub(replacement, key)
    return key.lower()


@dataclass(frozen=True, slots=True)
class Token:
    """One name part: its Latin text, variant key, weight, and how it was read.

    ``bare`` is the key without a glued particle (``delacruz`` → ``kruz``), so that "Maria
    Cruz" can meet "Maria dela Cruz". ``note`` records a rewrite (``"Ma." read as maria``).
    """

    text: str
    key: str
    weight: float = 1.0
    bare: str | None = None
    note: str | None = None
    #: A single letter standing for a name (``J.`` for Jose).
    is_initial: bool = False
    #: Weighs enough to identify a name (not generic, a place or an initial).
    distinctive: bool = True


def make_token(
    text: str, weight: float = 1.0, bare: str | None = None, note: str | None = None
) -> Token:
    """A token of ``text`` (already lower-case Latin) with its variant key."""
    initial = len(text) == 1
    return Token(
        text,
        variant_key(text),
        weight,
        variant_key(bare) if bare else None,
        note,
        initial,
        weight >= 0.7 and not initial,
    )
