"""Whether a Latin spelling is a well-formed name in a language whose letters are syllables.

In Japanese, Vietnamese and Chinese names one letter dropped from a short name usually leaves
another real name (Saito / Sato, Kaneda / Kanda, Truong / Trong, Zhuang / Zhang), so a dropped
letter may be read as a typo only when what is left is no name such a grammar allows
(``Ngyen``, ``Ocapo``). The grammars are the syllable inventories of Hepburn / Kunrei
Japanese, of Vietnamese written without diacritics, and of Pinyin, as regular expressions.
"""

from __future__ import annotations

import re
from functools import lru_cache

_JAPANESE = re.compile(
    r"(?:(?:[kgnhbpmr]y)[auo]|(?:sh|ch|j)[aiueo]|ts?u|f[aiueo]|[kgsztdnhbpmrw][aiueo]|y[auo]|[aiueo]|n|"
    r"([kgsztdpbcfhj])(?=\1|ch))+"
)
_VIETNAMESE = re.compile(
    r"(?:(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnpqrstvx])?"
    r"(?:uye|uya|uyu|ieu|uoi|uou|oai|oay|uay|ai|ao|au|ay|eo|eu|ia|ie|iu|oa|oe|oi|ua|ue|ui|uo|"
    r"uu|uy|a|e|i|o|u|y)"
    r"|yeu|ye)"  # yê stands alone: after a consonant it is written iê
    r"(?:ng|nh|ch|[cmnpt])?"
)
_PINYIN_SYLLABLE = (
    r"(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?"
    r"(?:iang|iong|uang|ueng|ang|eng|ing|ong|ian|iao|uai|uan|ai|ei|ao|ou|an|en|er|ia|ie|iu|in|"
    r"ua|uo|ui|un|ue|a|o|e|i|u|v)"
)
_PINYIN = re.compile(f"{_PINYIN_SYLLABLE}(?:{_PINYIN_SYLLABLE})?")
_PINYIN_ONE = re.compile(_PINYIN_SYLLABLE)
# One syllable of a Burmese name as passports write it (Khin, Maung, Nyunt, Kyaw, Htun, Hlaing,
# Thein, Soe, Zaw): an initial, an optional medial w or y, one rhyme, an optional final.
_BURMESE = re.compile(
    r"(?:hl|hm|hn|ht|hs|kh|ky|gy|ny|ng|ph|sh|th|[bdghklmnprstwyz])?[wy]?"
    r"(?:aung|aing|aw|ay|ai|ei|ou|oo|ee|au|a|e|i|o|u)(?:nt|ng|n|k|t)?"
)


@lru_cache(maxsize=100_000)
def is_japanese_word(text: str) -> bool:
    """``text`` (lower-case Latin) is a string of Hepburn or Kunrei syllables."""
    return _JAPANESE.fullmatch(text) is not None


@lru_cache(maxsize=100_000)
def is_chinese_or_vietnamese(text: str) -> bool:
    """``text`` (lower-case Latin) is one Vietnamese syllable or one or two Pinyin syllables."""
    return _VIETNAMESE.fullmatch(text) is not None or _PINYIN.fullmatch(text) is not None


@lru_cache(maxsize=100_000)
def is_one_syllable(text: str) -> bool:
    """``text`` (lower-case Latin) is one syllable of a Vietnamese, Chinese (Pinyin) or Burmese
    name: the names in which every syllable is a part of the given name (Bui Thi Mai Anh,
    Zhao Lei Ming, Khin Maung Nyunt) and none is left out without changing the name."""
    return any(g.fullmatch(text) for g in (_VIETNAMESE, _PINYIN_ONE, _BURMESE))


@lru_cache(maxsize=100_000)
def is_syllabic_name(text: str) -> bool:
    """``text`` (lower-case Latin) spells a Japanese word, one Vietnamese syllable, or one or
    two Pinyin syllables."""
    return any(grammar.fullmatch(text) for grammar in (_JAPANESE, _VIETNAMESE, _PINYIN))
