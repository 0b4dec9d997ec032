"""Korean names written in Latin letters on both sides.

The Revised Romanization writes the plain stops of 길동 or 동욱 as ``g d b j`` (Gildong,
Dongwook), McCune-Reischauer as ``k t p ch`` at the start of a word (Kiltong, Tonguk) and drops
its marks in most records, and passports mix the two (Kim, Park, Kang). Between two Korean
names, voicing is therefore a spelling choice, as it is for a name read from Hangul: the
matcher then compares given names on their phonetic key. A name counts as Korean when its first
or last part is one of the common Korean family names below (every spelling in use) and it has
two or three parts.
"""

from __future__ import annotations

from collections.abc import Sequence

from mizugiwa.features.normalise.syllables import is_chinese_or_vietnamese

#: The common Korean family names (about 95% of the population), in the Revised Romanization,
#: McCune-Reischauer without marks and the usual passport spellings.
_KOREAN_FAMILY_TEXT = (
    "kim gim lee yi rhee ri i park pak bak choi choe jung jeong chung chong kang gang cho jo "
    "yoon yun youn jang chang lim im rim han oh o seo suh so shin sin kwon gwon hwang ahn an "
    "song yoo yu ryu jeon jun chun chon hong go ko koh moon mun yang son bae pae baek paek "
    "paik heo hur ho nam sim shim noh roh no ro ha kwak gwak sung seong cha joo ju chu woo u "
    "koo gu ku min na jin chin ji chi eom um uhm chae won cheon bang pang kong gong hyun "
    "hyeon hyon pyo byun byeon pyon yeo yo yeom yum ryeom"
)
KOREAN_FAMILY_NAMES = frozenset(_KOREAN_FAMILY_TEXT.split())


def is_korean_latin(texts: Sequence[str]) -> bool:
    """The lower-case Latin name parts ``texts`` are a Korean name (see module docstring),
    unless every part is also a Pinyin or Vietnamese spelling, where voicing is not a choice
    (Chinese Song Tao and Song Dao are different names)."""
    if not 2 <= len(texts) <= 3:
        return False
    if texts[0] not in KOREAN_FAMILY_NAMES and texts[-1] not in KOREAN_FAMILY_NAMES:
        return False
    return not all(is_chinese_or_vietnamese(t) for t in texts)
