"""Scores of one candidate against one query, as named features.

Each feature below is a small function whose docstring is its documentation; the score of a
name is the best alignment over every (query form, entity name form) pair, then supporting and
contradicting evidence moves it:

- ``dob_match`` +0.10, ``dob_year_match`` +0.03 (only a year is known),
  ``dob_day_month_swapped`` -0.05, ``dob_day_differs`` -0.15 (same year),
  ``dob_year_differs`` -0.35;
- ``nationality_match`` +0.03, ``nationality_differs`` -0.10;
- ``too_few_tokens`` caps a name at 0.60 when both names have two or more distinctive
  tokens but fewer than two met (a shared family name, or a shared brand word, is not a
  match; nor is a family name one letter off, which the alignment lists as a near miss),
  and when a syllable of a Vietnamese, Chinese or Burmese name is left out
  (``syllable_left_out``: Mai / Mai Anh are different given names).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from mizugiwa.features.matching.candidate import Feature
from mizugiwa.features.matching.compare import Alignment, align
from mizugiwa.features.matching.names import NameForm, organisation_forms, person_forms
from mizugiwa.features.normalise.addresses import address_tokens
from mizugiwa.features.normalise.syllables import is_one_syllable

PARTIAL_NAME_CAP = 0.60

DOB_MATCH = 0.10
DOB_YEAR_MATCH = 0.03
DOB_SWAPPED = -0.05
DOB_DAY_DIFFERS = -0.15
DOB_YEAR_DIFFERS = -0.35
NATIONALITY_MATCH = 0.03
NATIONALITY_DIFFERS = -0.10

#: Scripts whose romanisation makes voicing and r/l a spelling choice (김: gim / Kim).
_PHONETIC_SCRIPTS = frozenset(["hangul", "thai"])

_SCRIPT_NAMES = {
    "japanese": "Japanese kana/kanji, read with pykakasi",
    "han": "Chinese characters, read as Chinese and as Japanese",
    "hangul": "Korean Hangul, Revised Romanisation",
    "thai": "Thai, Royal Institute romanisation",
    "other": "transliterated to Latin",
}


def names_of(entity: Mapping[str, Any]) -> list[str]:
    """The names of a person or organisation entity (``names``, or ``name`` when alone)."""
    names = entity.get("names")
    if names is None:
        single = entity.get("name")
        return [single] if isinstance(single, str) else []
    return [n for n in names if isinstance(n, str) and n.strip()]


def too_few_tokens(alignment: Alignment, query: NameForm, candidate: NameForm) -> bool:
    """Both names have 2+ distinctive tokens, yet fewer than two of them met, or only one met
    while each side still has a distinctive token the other lacks."""
    met = sum(t.distinctive for t in alignment.query_matched)
    if met >= 2:
        return False
    c_distinct = sum(t.distinctive for t in candidate.tokens)
    if sum(t.distinctive for t in query.tokens) >= 2 and c_distinct >= 2:
        return True
    q_left = any(t.distinctive for t in alignment.query_unmatched)
    if q_left and any(t.distinctive for t in alignment.candidate_unmatched):
        return True
    # A single-token query (a family name alone) does not identify a multi-token name.
    return len(query.tokens) == 1 and c_distinct >= 2


def syllable_left_out(alignment: Alignment, query: NameForm, candidate: NameForm) -> bool:
    """A syllable of a Vietnamese, Chinese or Burmese name is left out on one side. In such
    names (every part one syllable: Bui Thi Mai Anh, Zhao Lei Ming, Khin Maung Nyunt; Burmese
    names have no family name at all) each syllable belongs to the given name, so Mai and Mai
    Anh, Lei and Lei Ming are different names, not a middle name left out. Van and Thi, a
    first Nguyen and a Burmese honorific in the first place (U, Daw, Ko) may still be left
    out."""
    left = [
        t
        for form, unmatched in (
            (query, alignment.query_unmatched),
            (candidate, alignment.candidate_unmatched),
        )
        for t in unmatched
        if t.distinctive and not _left_out_freely(form, t)
    ]
    if not left:
        return False
    return all(is_one_syllable(t.text) for t in (*query.tokens, *candidate.tokens))


#: Burmese honorifics written before a name (U, Daw, Ko, Maung, Ma, Saw, Naw, Sai, Nang...):
#: a form of address, left out freely, never a part of the name when it comes first.
_BURMESE_HONORIFICS = frozenset(
    ["u", "daw", "ko", "maung", "mg", "ma", "saw", "naw", "sai", "nang"]
)


def _left_out_freely(form: NameForm, token: Any) -> bool:
    """A Burmese honorific, or the minor family name Nguyen, in the first place."""
    first = form.tokens[0] is token
    return first and (token.text in _BURMESE_HONORIFICS or token.weight < 1.0)


@dataclass(frozen=True, slots=True)
class NameMatch:
    """The best alignment of a query against one entity's names."""

    score: float
    alignment: Alignment
    query_form: NameForm
    name_form: NameForm
    name: str
    capped: bool
    names: tuple[str, ...]


def name_match(
    kind: str, forms: tuple[NameForm, ...], entity: Mapping[str, Any]
) -> NameMatch | None:
    """Best name score of a person or organisation entity over all its names and readings;
    None when no token meets."""
    person = kind == "person"
    parse = person_forms if person else organisation_forms
    names = names_of(entity)
    best: NameMatch | None = None
    for name in names:
        for c_form in parse(name):
            for q_form in forms:
                phonetic = q_form.script in _PHONETIC_SCRIPTS or c_form.script in _PHONETIC_SCRIPTS
                if person and not phonetic:
                    # Two Korean names in Latin: voicing is a spelling choice (Kiltong).
                    phonetic = q_form.korean and c_form.korean
                alignment = align(q_form.tokens, c_form.tokens, phonetic=phonetic, person=person)
                if not alignment.query_matched:
                    continue
                capped = too_few_tokens(alignment, q_form, c_form) or (
                    person and syllable_left_out(alignment, q_form, c_form)
                )
                score = min(alignment.score, PARTIAL_NAME_CAP) if capped else alignment.score
                if best is None or score > best.score:
                    best = NameMatch(score, alignment, q_form, c_form, name, capped, ())
    if best is None:
        return None
    ordered = (best.name, *(n for n in names if n != best.name))
    return NameMatch(
        best.score, best.alignment, best.query_form, best.name_form, best.name, best.capped, ordered
    )


def name_features(match: NameMatch) -> list[Feature]:
    """The explanation of a name match: scripts, rewrites, each token pairing, what is left
    unmatched, legal forms and branches ignored, the cap, the name score."""
    alignment, q_form, c_form, name = match.alignment, match.query_form, match.name_form, match.name
    features: list[Feature] = []
    if q_form.script != "latin":
        features.append(("query_script", 0.0, f"query {_SCRIPT_NAMES[q_form.script]}"))
    if c_form.script != "latin":
        features.append(("name_script", 0.0, f"'{name}': {_SCRIPT_NAMES[c_form.script]}"))
    for token in (*q_form.tokens, *c_form.tokens):
        if token.note:
            features.append(("abbreviation", 0.0, token.note))
    for p in alignment.pairings:
        if p.how == "near_miss":
            text = f"{p.query} ~ {p.candidate}: one letter apart, read as another name"
        else:
            text = f"{p.query} ~ {p.candidate} ({p.how.replace('_', ' ')})"
        features.append((f"token_{p.how}", p.value, text))
    for t in alignment.query_unmatched:
        features.append(("token_unmatched_query", -t.weight, f"query '{t.text}' not in name"))
    for t in alignment.candidate_unmatched:
        features.append(("token_unmatched_name", -t.weight, f"name's '{t.text}' not in query"))
    if q_form.legal_form or c_form.legal_form:
        forms = ", ".join(f for f in (q_form.legal_form, c_form.legal_form) if f)
        features.append(("legal_form_stripped", 0.0, f"legal form ignored: {forms}"))
    if q_form.branch or c_form.branch:
        where = ", ".join(b for b in (q_form.branch, c_form.branch) if b)
        features.append(("branch_stripped", 0.0, f"branch suffix ignored: {where}"))
    if match.capped:
        text = "too few distinctive words in common: capped"
        if not too_few_tokens(alignment, q_form, c_form):
            text = "a syllable of the given name left out, read as another name: capped"
        features.append(("too_few_tokens", PARTIAL_NAME_CAP, text))
    features.append(("name_score", match.score, f"best name '{name}'"))
    return features


def _parse_date(value: Any) -> tuple[int, int | None, int | None] | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value.year, value.month, value.day
    parts = str(value).split("-")
    try:
        numbers = [int(p) for p in parts[:3]]
    except ValueError:
        return None
    year = numbers[0]
    month = numbers[1] if len(numbers) > 1 else None
    day = numbers[2] if len(numbers) > 2 else None
    return year, month, day


def dob_evidence(query_dob: date | str | None, entity: Mapping[str, Any]) -> Feature | None:
    """Date of birth agreement: same date up, swapped day and month a little down, another
    day in the same year down, another year strongly down; nothing when either is unknown."""
    q = _parse_date(query_dob)
    c = _parse_date(entity.get("date_of_birth") or entity.get("birth_year"))
    if q is None or c is None:
        return None
    shown = f"{entity.get('date_of_birth') or entity.get('date_of_birth_as_given')}"
    if q[0] != c[0]:
        return ("dob_year_differs", DOB_YEAR_DIFFERS, f"born {shown}, not in {q[0]}")
    if q[1] is None or c[1] is None or q[2] is None or c[2] is None:
        return ("dob_year_match", DOB_YEAR_MATCH, f"same year of birth {q[0]}")
    if q == c:
        return ("dob_match", DOB_MATCH, f"same date of birth {shown}")
    if (q[1], q[2]) == (c[2], c[1]):
        return ("dob_day_month_swapped", DOB_SWAPPED, f"born {shown}: day and month swapped")
    return ("dob_day_differs", DOB_DAY_DIFFERS, f"born {shown}: same year, other day")


def nationality_evidence(query: str | None, entity: Mapping[str, Any]) -> Feature | None:
    """Nationality (ISO alpha-3) agreement; entities may record several."""
    stored = entity.get("nationality") or entity.get("nationalities")
    if not query or not stored:
        return None
    codes = {stored.upper()} if isinstance(stored, str) else {str(s).upper() for s in stored}
    if query.upper() in codes:
        return ("nationality_match", NATIONALITY_MATCH, f"same nationality {query.upper()}")
    shown = "/".join(sorted(codes))
    return ("nationality_differs", NATIONALITY_DIFFERS, f"nationality {shown}, not {query}")


def score_address(query: tuple[str, ...], stored_text: str) -> tuple[float, list[Feature]]:
    """Address agreement: house numbers must agree, then the share of words in common."""
    stored = address_tokens(stored_text)
    q_num = {t for t in query if t[0].isdigit()}
    c_num = {t for t in stored if t[0].isdigit()}
    q_words = {t for t in query if not t[0].isdigit()}
    c_words = {t for t in stored if not t[0].isdigit()}
    features: list[Feature] = []
    numbers_agree = bool(q_num) and bool(c_num) and (q_num <= c_num or c_num <= q_num)
    if q_num or c_num:
        shown = ", ".join(sorted(q_num & c_num)) or "none"
        value = 1.0 if numbers_agree else 0.0
        features.append(("address_numbers", value, f"house numbers in common: {shown}"))
    common = {w for w in q_words if w in c_words or _prefix_in(w, c_words)}
    words = 0.0
    if q_words and c_words:
        words = (len(common) / len(q_words) + len(common) / len(c_words)) / 2
    features.append(("address_words", words, f"words in common: {', '.join(sorted(common))}"))
    base = 0.4 if numbers_agree else (0.0 if q_num and c_num else 0.2)
    return base + 0.6 * words * (1.0 if numbers_agree or not (q_num and c_num) else 0.5), features


def _prefix_in(word: str, others: set[str]) -> bool:
    return len(word) >= 4 and any(
        len(o) >= 4 and (o.startswith(word) or word.startswith(o)) for o in others
    )


def query_forms(kind: str, text: str) -> tuple[NameForm, ...]:
    """Parsed forms of a query name (raises ValueError when nothing readable remains)."""
    forms = person_forms(text) if kind == "person" else organisation_forms(text)
    if not forms:
        raise ValueError(f"query: no name could be read from {text!r}")
    return forms
