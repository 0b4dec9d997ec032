"""Name tokens, their romanisation-variant keys and their phonetic keys.

A :class:`Token` keeps the Latin text of one name part (lower case, without diacritics or
apostrophes) and two folded spellings:

- the **variant key**: tokens with the same variant key are the same name written under
  another romanisation. It folds only spellings that romanisation systems and passport offices
  use interchangeably for one sound, never two sounds a language keeps apart:

  1. a table of known variant spellings: Korean family names (Lee / Yi / Rhee, Park / Pak /
     Bak, Ko / Go / Koh, Baek / Paek / Paik...) and Muhammad's many spellings;
  2. Japanese long vowels: ``ou``/``oo``/``oh`` → ``o``, ``uu``/``uh`` → ``u`` (Satou, Satoh,
     Satō, Sato; Ohno, Oono, Ōno, Ono), and doubled vowels generally. The fold reads letters,
     not syllables, as offices that drop long-vowel marks do: ``Inoue`` (i-no-ue) also gives
     ``inoe``, the spelling such records carry for 井上; ``ei`` is kept (Hepburn writes えい
     as ``ei``);
  3. Kunrei-shiki and Hepburn: ``shi``/``si``, ``sha``/``sya``, ``tsu``/``tu``;
     ``m`` before ``b``/``p``/``m`` as ``n`` (Homma / Honma, Sampei / Sanpei);
  4. Thai and Korean habits: aspirates lose their ``h`` (``th``/``ph``/``kh``: Thanakorn /
     Tanakorn), ``ch``/``j`` (Somchai / Somjai, Jung / Chung), an ``r`` closing a final
     syllable before ``n`` (Thanakorn / Thanakon), a ``w`` closing a syllable (Kaew / Kaeo),
     ``eo``/``eu`` → ``u`` (Seong / Sung);
  5. spellings of one Latin sound: ``y``/``i``, ``z``/``s`` (Gonzalez / Gonzales), ``v``/``w``,
     ``c``/``q``/``k``; doubled letters collapse (Kennichi / Kenichi).

  Voicing (b/p, d/t, g/k) and r/l are *not* folded: Oda and Ota, Goto and Koto, Ando and Anto
  are different Japanese names.

- the **phonetic key** folds further (voiced and unvoiced stops, r/l, closing ``r``): it is
  the blocking key of the index, so a candidate is found however it was romanised, and it
  decides equality only where the script of one side makes those letters a romanisation
  choice (a name read from Hangul or Thai: 김 is ``gim`` by the Revised Romanisation and
  ``Kim`` in passports).

Keys are equality and blocking devices, never shown alone.
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
    **dict.fromkeys(["ryu", "yu", "yoo", "ryoo", "rhyu", "lyu"], "yu"),
    **dict.fromkeys(["lim", "im", "rim"], "im"),
    **dict.fromkeys(["han", "hahn"], "han"),
    **dict.fromkeys(["moon", "mun"], "mun"),
    **dict.fromkeys(["cho", "jo"], "co"),
    **dict.fromkeys(["kwon", "gwon"], "kwon"),
    **dict.fromkeys(["ko", "go", "koh"], "ko"),
    **dict.fromkeys(["koo", "ku", "gu"], "ku"),
    **dict.fromkeys(["kong", "gong"], "kong"),
    **dict.fromkeys(["kwak", "gwak", "gwag"], "kwak"),
    **dict.fromkeys(["baek", "paek", "paik", "baik", "baeg", "back"], "paek"),
    **dict.fromkeys(["bae", "pae"], "pae"),
    **dict.fromkeys(["byun", "byeon", "pyun", "pyon", "byon"], "piun"),
    **dict.fromkeys(["do", "doh", "toh"], "to"),
    **dict.fromkeys(["kil", "gil"], "kil"),
    **dict.fromkeys(["ki", "gi", "kee"], "ki"),
    **dict.fromkeys(["kook", "guk", "gug", "kuk"], "kuk"),
    **dict.fromkeys(["kyung", "gyeong", "kyeong"], "kiung"),
    **dict.fromkeys(["tak", "tag"], "tak"),
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

# (pattern, replacement, letters of which one must be present for the pattern to apply: a
# cheap test that skips most of the regular expressions for most tokens)
_VARIANT_FOLDS: list[tuple[re.Pattern[str], str, frozenset[str]]] = [
    (re.compile(p), r, frozenset(needles))
    for p, r, needles in [
        # Cyrillic transliterations (ICAO Doc 9303 and older habits): кс as x or ks, щ as
        # shch / sch / sh, ж as zh or j, a first е as ye or e (Yevgeniy / Evgenii).
        (r"x", "ks", "x"),
        (r"shch|sch", "sh", "c"),
        (r"zh", "j", "z"),
        (r"^ye(?=[^aeiou])", "e", "y"),
        # Burmese ထ written Ht or T; Thai ศรี written Sri or (RTGS) Si.
        (r"^ht", "t", "h"),
        (r"^sr", "s", "r"),
        # The short vowel of ั written u in everyday spellings where RTGS writes a, in a
        # closing syllable spelled the English way: -ut, -uth, -udh (Sombut / Sombat,
        # Phetcharut / Phetcharat) and -uck (Yaowaluck / Yaowalak); only there, since a u
        # before k is also ุ (Srisuk and Srisak are different names). Final ต and จ written by
        # their letter, -j or -te, where RTGS writes t (Pairoj, Pairote / Phairot).
        (r"(?<=...)u[td]+h?$", "at", "u"),
        (r"uck$", "ak", "c"),
        (r"(?<=...[aeiou])j$", "t", "j"),
        (r"(?<=..o)te$", "t", "e"),
        # Thai everyday spellings against RTGS: oo and u (Boon / Bun), uea and ua (Rueang /
        # Ruang), er and oe (Lert / Loet, Charern / Charoen), a closing r after a (Paisarn /
        # Phaisan, Apichart / Aphichat), final d and l as t and n (Boonlerd, Kamol / Kamon).
        # A first oo stays a Japanese long o (Oono / Ono, never Uno).
        (r"(?<=[^aeiou])oo", "u", "o"),
        (r"uea", "ua", "e"),
        (r"ue(?=ng)", "ua", "g"),
        (r"er(?=[^aeiouy]|$)", "oe", "r"),
        (r"(?<=a)r(?=[^aeiouy])", "", "r"),
        (r"tch|ch|j", "C", "cj"),
        (r"shi", "si", "h"),
        (r"sh(?=[aou])", "sy", "h"),
        (r"ts(?=u)", "t", "t"),
        (r"([tpkbdg])h", r"\1", "h"),
        (r"d$", "t", "d"),
        (r"l$", "n", "l"),
        (r"ou|oo", "o", "o"),
        (r"uu", "u", "u"),
        (r"([aeiou])h(?=[^aeiou]|$)", r"\1", "h"),
        (r"(?<=[aeiou])w(?=[^aeiou]|$)", "o", "w"),
        # Korean 우 is u in the Revised Romanization, woo in passports (Hyunwoo / Hyeonu).
        (r"(?<=[^aeiouw])wu", "u", "w"),
        (r"eo", "u", "o"),
        # eu after a vowel stays: Jieun (지은) is not Jiyeon (지연).
        (r"(?<![aeiouy])eu", "u", "u"),
        (r"ee|ii", "i", "ei"),
        (r"aa", "a", "a"),
        (r"(?<=[aeiou])r(?=n$)", "", "r"),
        (r"y", "i", "y"),
        (r"[cq]", "k", "cq"),
        (r"z", "s", "z"),
        (r"v", "w", "v"),
        (r"m(?=[bpm])", "n", "m"),
        (r"(.)\1+", r"\1", ""),
    ]
]

_PHONETIC_FOLDS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(p), r)
    for p, r in [
        (r"(?<=[aeiou])r(?=[^aeiouy]|$)", ""),
        (r"b", "p"),
        (r"d", "t"),
        (r"g", "k"),
        (r"r", "l"),
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
    for pattern, replacement, needles in _VARIANT_FOLDS:
        if not needles or not needles.isdisjoint(key):
            key = pattern.sub(replacement, key)
    return key.lower()


@lru_cache(maxsize=500_000)
def phonetic_key(text: str) -> str:
    """The looser phonetic key of one lower-case Latin token: the variant key with voiced and
    unvoiced stops, r and l merged (see module docstring)."""
    key = variant_key(text)
    if text in _KNOWN_VARIANTS:
        return key
    for pattern, replacement in _PHONETIC_FOLDS:
        key = pattern.sub(replacement, key)
    return key


@dataclass(frozen=True, slots=True)
class Token:
    """One name part: its Latin text, keys, weight, and how it was read.

    ``key`` is the phonetic key (blocking), ``variant`` the romanisation-variant key.
    ``bare`` is the phonetic key without a glued particle (``delacruz`` → ``kruz``), so that
    "Maria Cruz" can meet "Maria dela Cruz". ``note`` records a rewrite (``"Ma." read as
    maria``).
    """

    text: str
    key: str
    variant: str
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
    """A token of ``text`` (already lower-case Latin) with its keys."""
    initial = len(text) == 1
    return Token(
        text,
        phonetic_key(text),
        variant_key(text),
        weight,
        phonetic_key(bare) if bare else None,
        note,
        initial,
        weight >= 0.7 and not initial,
    )
