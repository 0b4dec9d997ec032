"""Latin names written in another romanisation system, read again in the system the rest of
the matcher speaks (Hepburn, Pinyin, Revised Romanization).

The folds of :mod:`.tokens` cover spellings one letter or one habit apart; three published
systems differ by whole syllables and need a reading of their own:

- **Kunrei-shiki / Nihon-shiki** (Japanese): ``si ti tu hu zi sya tyo zyu di du``
  (``Tutiya Zyun'iti`` is Hepburn ``Tsuchiya Jun'ichi``). Read again only when every word is a
  string of Japanese syllables of at least two vowels and one of them is a Kunrei syllable, so a
  Vietnamese ``Van`` or ``Ho`` never turns into another name.
- **Wade-Giles** (Chinese, Taiwan passports): ``Ch'en Chih-ch'iang`` is Pinyin ``Chen
  Zhiqiang``, ``Hsiao`` is ``Xiao``, ``Chou`` is ``Zhou``, ``Kao`` is ``Gao``. Read again when
  every syllable (words split at hyphens) is a Wade-Giles syllable; a Pinyin name that is also
  valid Wade-Giles (``Tang Ke``) gets a second reading (``Dang Ge``), a known cost.
- **McCune-Reischauer** (Korean): ``Ch'oe Tonghyŏn`` is Revised ``Choe Donghyeon``; read
  again when the text carries the system's marks (ŏ, ŭ or an aspiration apostrophe).

Each returns ``None`` when the text is not in that system or reads the same; the original
spelling is always kept as the first reading, so a reading can add a match, never lose one.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_APOSTROPHE = "['’‘`´ʼ]"

# ------------------------------------------------------------------------------ Kunrei-shiki
_JAPANESE_SYLLABLES = re.compile(
    r"(?:(?:[kgsztdnhbpmr]y|sh|ch|ts|[kgsztdnhbpmrfjwy])?[aiueo]|n|"
    r"([kgsztdpbcfhjm])(?=\1|ch))+"
)
_KUNREI_MARK = re.compile(r"s[iy]|t[iuy]|h[u]|z[iy]|d[iu]")
_KUNREI_TO_HEPBURN = [
    (re.compile(p), r)
    for p, r in [
        (r"sy", "sh"),
        (r"ty", "ch"),
        (r"zy", "j"),
        (r"dy", "j"),
        (r"si", "shi"),
        (r"ti", "chi"),
        (r"tt(?=chi|ch)", "tch"),
        (r"tu", "tsu"),
        (r"(?<![sc])hu", "fu"),  # not the shu, chu just written
        (r"zi", "ji"),
        (r"di", "ji"),
        (r"du", "zu"),
    ]
]
_VOWELS = re.compile(r"[aiueo]")
_KUNREI_ONLY = re.compile(r"[szdt]y")


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


def kunrei_reading(text: str) -> str | None:
    """The Hepburn reading of a name written in Kunrei- or Nihon-shiki, else None."""
    words = re.sub(_APOSTROPHE, "", _plain(text)).replace(",", " ").split()
    if not words or not any(_KUNREI_MARK.search(w) for w in words):
        return None
    for word in words:
        if not word.isalpha() or _JAPANESE_SYLLABLES.fullmatch(word) is None:
            return None
        # A word of one vowel is read only with a syllable no other system writes (Zyun,
        # Syo, Tyo): Vietnamese Ho, Van, Tu or Pinyin Si stay as they are.
        if len(_VOWELS.findall(word)) < 2 and not _KUNREI_ONLY.search(word):
            return None
    read = []
    for word in words:
        for pattern, replacement in _KUNREI_TO_HEPBURN:
            word = pattern.sub(replacement, word)
        read.append(word)
    reading = " ".join(read)
    return reading if reading != " ".join(words) else None


# -------------------------------------------------------------------------------- Wade-Giles
_WG_INITIAL = r"(?:ch'|ch|hs|ts'|tz'|ts|tz|k'|t'|p'|sh|ss|sz|[pmftnlkhjsyw])?"
_WG_FINAL = (
    r"(?:iang|iung|uang|ieh|ien|iao|ing|ung|ang|eng|uai|uan|uei|ueh|ai|ei|ao|ou|an|en|ia|iu|"
    r"in|ih|ua|ui|un|uo|erh|eh|veh|van|vn|a|e|i|o|u|v)"
)
_WG_SYLLABLE = re.compile(_WG_INITIAL + _WG_FINAL)
_WG_NOT_SYLLABLE = re.compile(r"wi|yi$|wv")
# The whole name as Wade-Giles syllables, checked in one pass before any reading is made.
_WG_NAME = re.compile(
    rf"(?:{_WG_INITIAL}{_WG_FINAL})(?:-(?:{_WG_INITIAL}{_WG_FINAL}))*"
    rf"(?:[ ,]+(?:{_WG_INITIAL}{_WG_FINAL})(?:-(?:{_WG_INITIAL}{_WG_FINAL}))*)*"
)
_WG_INITIALS = [
    (re.compile(p), r)
    for p, r in [
        (r"ch'(?=ih)", "ch"),
        (r"ch(?=ih)", "zh"),
        (r"ch'(?=[iv])", "q"),
        (r"ch(?=[iv])", "j"),
        (r"ch'", "ch"),
        (r"ch", "zh"),
        (r"hs", "x"),
        (r"t[sz]'", "c"),
        (r"t[sz]", "z"),
        (r"k'", "k"),
        (r"^k", "g"),
        (r"t'", "t"),
        (r"^t", "d"),
        (r"p'", "p"),
        (r"^p", "b"),
        (r"^j", "r"),
        (r"^s[sz]", "s"),
    ]
]
_WG_FINALS = [
    (re.compile(p), r)
    for p, r in [
        (r"ieh$", "ie"),
        (r"ien$", "ian"),
        (r"iung$", "iong"),
        (r"ung$", "ong"),
        (r"(?<=[zcs]h)ih$", "i"),
        (r"^rih$", "ri"),
        (r"^([zcs])u$", r"\1i"),
        (r"^([gkh])o$", r"\1e"),
        (r"ueh$", "ue"),
        (r"uei$", "ui"),
        (r"eh$", "e"),
        (r"erh$", "er"),
    ]
]


def _wade_giles_syllable(syllable: str) -> str:
    for pattern, replacement in _WG_INITIALS:
        changed = pattern.sub(replacement, syllable, count=1)
        if changed != syllable:
            syllable = changed
            break
    for pattern, replacement in _WG_FINALS:
        syllable = pattern.sub(replacement, syllable)
    return syllable


def wade_giles_reading(text: str) -> str | None:
    """The Pinyin reading of a Chinese name written in Wade-Giles, else None."""
    if "v" in text.lower():  # Wade-Giles has no v (Vietnamese Van, Slavic names)
        return None
    # ü decides the initial (chü is ju, chu is zhu): kept as v until the syllable is read.
    lowered = re.sub(_APOSTROPHE, "'", text.lower()).replace("ü", "v")
    if not lowered.isascii() or _WG_NAME.fullmatch(lowered.strip()) is None:
        return None
    plain = "".join(
        ch for ch in unicodedata.normalize("NFKD", lowered) if not unicodedata.combining(ch)
    )
    words = plain.replace(",", " ").split()
    if not words:
        return None
    read = []
    for word in words:
        syllables = word.split("-")
        if not all(_WG_SYLLABLE.fullmatch(s) and not _WG_NOT_SYLLABLE.match(s) for s in syllables):
            return None
        read.append("".join(_wade_giles_syllable(s) for s in syllables).replace("v", "u"))
    reading = " ".join(read)
    original = " ".join(w.replace("-", "").replace("'", "").replace("v", "u") for w in words)
    return reading if reading != original else None


# ------------------------------------------------------------------------ McCune-Reischauer
_MR_MARKS = re.compile(r"[ŏŭŎŬ]|(?:ch|[ktp])" + _APOSTROPHE)
_MR_VOWELS = [("wŏ", "wo"), ("Wŏ", "Wo"), ("ŏ", "eo"), ("Ŏ", "Eo"), ("ŭ", "eu"), ("Ŭ", "Eu")]
_MR_PLAIN_STOP = re.compile(r"(ch|[ktp])(?!" + _APOSTROPHE + r")(?=[aeiouwy])")
_MR_VOICED = {"ch": "j", "k": "g", "t": "d", "p": "b"}


def mccune_reischauer_reading(text: str) -> str | None:
    """The Revised Romanization reading of a Korean name in McCune-Reischauer, else None."""
    if _MR_MARKS.search(text) is None:
        return None
    for mark, vowel in _MR_VOWELS:
        text = text.replace(mark, vowel)
    lowered = text.lower()
    lowered = _MR_PLAIN_STOP.sub(lambda m: _MR_VOICED[m.group(1)], lowered)
    return re.sub(_APOSTROPHE, "", lowered)


@lru_cache(maxsize=200_000)
def system_readings(name: str) -> tuple[str, ...]:
    """Readings of a Latin-script name in Hepburn, Pinyin or Revised Romanization when it is
    written in Kunrei-shiki, Wade-Giles or McCune-Reischauer (empty for most names)."""
    if any(ord(ch) > 0x24F for ch in name):  # another script: read by .scripts instead
        return ()
    chinese = wade_giles_reading(name)
    # A Wade-Giles apostrophe (ch', ts') is not a McCune-Reischauer one: one reading only.
    korean = None if chinese else mccune_reischauer_reading(name)
    found = (kunrei_reading(name), chinese, korean)
    return tuple(dict.fromkeys(r for r in found if r))
