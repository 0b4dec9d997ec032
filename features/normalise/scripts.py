"""Latin readings of names written in other scripts.

Every comparison happens on Latin text, so each script is first read aloud in Latin:

- Japanese kana (and kanji mixed with kana) through pykakasi's Hepburn readings;
- text made only of Han characters gets two readings, Chinese (pinyin, via anyascii) and
  Japanese (pykakasi), because the same characters name people of both countries;
- Korean Hangul through anyascii's Revised Romanisation, syllables of a given name joined
  as passports write them (``김민준`` → ``gim minjun``);
- Thai through PyThaiNLP in RTGS: its thai2rom model, its rule-based Royal Institute engine
  where the model stops early (anyascii's letter-by-letter reading drops implicit vowels);
- everything else (Latin with diacritics, Vietnamese, Cyrillic...) through anyascii.

pykakasi and PyThaiNLP are slow to load and to run, so they are loaded on first use, only for
text that needs them, and every reading is cached.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any

from anyascii import anyascii

_KANA = re.compile(r"[\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9f]")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_HANGUL = re.compile(r"[\uac00-\ud7af]")
_THAI = re.compile(r"[\u0e00-\u0e7f]")
_CAPITALISED_SYLLABLE = re.compile(r"[A-Z][a-z]*")

# Chinese double-character family names, kept whole when a name is split family/given.
_CHINESE_COMPOUND_FAMILY = frozenset(
    ["欧阳", "歐陽", "司马", "司馬", "诸葛", "諸葛", "上官", "东方", "東方", "皇甫", "令狐", "夏侯"]
)
# Korean two-syllable family names.
_KOREAN_COMPOUND_FAMILY = frozenset(["남궁", "제갈", "선우", "황보", "독고", "사공"])


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


def writing_system(name: str) -> str:
    """The writing system a name is recorded in, as the database stores it: ``latin``,
    ``han``, ``japanese`` (kanji with kana), ``kana``, ``hangul``, ``cyrillic``, ``thai``...
    ``mixed`` or ``other``. (:func:`script_of` says how a text is romanised instead.)"""
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


def script_of(text: str) -> str:
    """The script that decides how ``text`` is romanised (``latin`` when plain ASCII)."""
    if text.isascii():
        return "latin"
    if _KANA.search(text):
        return "japanese"
    if _THAI.search(text):
        return "thai"
    if _HAN.search(text):
        return "han"
    if _HANGUL.search(text):
        return "hangul"
    return "other"


@lru_cache(maxsize=200_000)
def romanisations(text: str) -> tuple[str, ...]:
    """Latin readings of ``text``, most likely first (one, or two for Han-only text)."""
    text = unicodedata.normalize("NFKC", text)
    script = script_of(text)
    if script == "latin":
        return (text,)
    if script == "japanese":
        return (_japanese(text),)
    if script == "thai":
        return (_thai(text),)
    if script == "han":
        return tuple(dict.fromkeys([_syllabic(text, _CHINESE_COMPOUND_FAMILY), _japanese(text)]))
    if script == "hangul":
        return (_syllabic(text, _KOREAN_COMPOUND_FAMILY),)
    return (anyascii(text),)


def _syllabic(text: str, compound_family: frozenset[str]) -> str:
    """Chinese or Korean name: one Latin syllable per character, given name syllables joined.

    Passports write ``王小明`` as ``WANG XIAOMING`` and ``김민준`` as ``KIM MINJUN``: a name
    written without spaces is split after the family name (one character, or two for the
    known compound family names); parts already separated by spaces are kept as written.
    """
    parts = text.split()
    if len(parts) == 1 and len(text) > 1:
        cut = 2 if text[:2] in compound_family else 1
        parts = [text[:cut], text[cut:]]
    return " ".join(
        "".join(_CAPITALISED_SYLLABLE.findall(anyascii(part))) or anyascii(part) for part in parts
    )


@lru_cache(maxsize=1)
def _kakasi() -> Any:
    import pykakasi  # slow to import and to build: only for Japanese text

    return pykakasi.kakasi()


def _japanese(text: str) -> str:
    words = _kakasi().convert(text)
    return " ".join(word["hepburn"] or anyascii(word["orig"]) for word in words)


@lru_cache(maxsize=1)
def _thai_romanisers() -> tuple[Any, ...]:
    """PyThaiNLP's bundled thai2rom model (run by onnxruntime), then its rule-based Royal
    Institute engine, both writing RTGS. The model reads most names right (ธนกร → thanakon,
    อรุณ → arun, where the rules give ``run``) but now and then stops early (บุญเรือง →
    ``bunr``, where the rules give ``bunrueang``)."""
    try:
        from pythainlp.transliterate import romanize
    except ImportError:  # optional: anyascii still gives a consonant-faithful reading
        return ()
    engines: list[Any] = []
    try:
        import onnxruntime  # noqa: F401  (the model's runtime)

        engines.append(lambda part: romanize(part, engine="thai2rom_onnx"))
    except ImportError:
        pass
    engines.append(lambda part: romanize(part, engine="royin"))
    return tuple(engines)


@lru_cache(maxsize=50_000)
def _thai_word(part: str) -> str:
    """One Thai word in RTGS: the model's reading, or the rules' when the model's is only
    the beginning of it (stopped early)."""
    readings = [str(engine(part)) for engine in _thai_romanisers()]
    first = readings[0]
    for other in readings[1:]:
        if other.isascii() and len(other) > len(first) and other.startswith(first):
            return other
    return first


def _thai(text: str) -> str:
    if not _thai_romanisers():
        return anyascii(text)
    return " ".join(_thai_word(part) for part in text.split())
