"""Token alignment between two names, with an explanation of each pairing.

Each query token is paired with at most one candidate token (any order), best pairs first:

====================  ======  =====================================================
how two tokens meet    value   rule
====================  ======  =====================================================
``exact``              1.00    same Latin text
``variant``            0.95    same romanisation-variant key (Satoh / Sato, Lee / Yi), or
                               Cyrillic х as kh / h in 7+ letters (Khasanov / Hasanov)
``script_variant``     0.90    same phonetic key, one side read from Hangul or Thai
                               (Gyeong / Kyung), or both Korean names in Latin
                               (Kiltong / Gildong): there voicing and r/l are spelling
``particle``           0.85    same once a glued particle is dropped (Delacruz / Cruz)
``typo``               ≤0.90   one letter dropped, added or two swapped in a name of 7+
                               letters (a replaced letter: 8+), never the first letter;
                               organisation words from 6 (7) letters
``initial``            0.60    a single letter and a name starting with it
``joined``             0.95    two adjacent tokens written as one (Min Jun / Minjun)
====================  ======  =====================================================

A shorter name one letter away from another (Sato / Saito / Kato, Oda / Ota, Yuki / Yuko,
An / Anh) is *another name*: in Japanese, Vietnamese or Filipino names of three to six letters
one letter is a whole syllable, and the two spellings are both common names. Such pairs are
listed as ``near_miss`` (value 0.30) for the explanation and count as unmatched. So are two
Japanese spellings one mora apart in longer names (Shinichi / Shunichi, Kikukawa / Kikkawa)
and two Romance or Slavic names that differ in their gender ending (Francisco / Francisca).

The name score is the mean of the two sides' *coverage*: the weighted share of each side's
tokens that found a partner, each counted at its pairing value. A partial name (a second
family name left out) keeps a high score; a different given name halves it.
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz.distance import OSA, JaroWinkler

from mizugiwa.features.normalise.syllables import is_japanese_word, is_syllabic_name
from mizugiwa.features.normalise.tokens import Token, variant_key

NEAR_MISS_VALUE = 0.3
_VOWELS = frozenset("aeiouy")
_KEYBOARD_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
_KEYBOARD_NEIGHBOURS: dict[str, str] = {}
for _row, _letters in enumerate(_KEYBOARD_ROWS):
    for _column, _letter in enumerate(_letters):
        _KEYBOARD_NEIGHBOURS[_letter] = "".join(
            _KEYBOARD_ROWS[r][c]
            for r in (_row - 1, _row, _row + 1)
            if 0 <= r < len(_KEYBOARD_ROWS)
            for c in (_column - 1, _column, _column + 1)
            if 0 <= c < len(_KEYBOARD_ROWS[r]) and (r, c) != (_row, _column)
        )
#: Shortest token (letters of the longer spelling) in which one dropped, added or swapped
#: letter is read as a typo, and in which one replaced letter is; persons, organisations.
TYPO_MIN_LENGTH = {True: (7, 8), False: (6, 7)}


@dataclass(frozen=True, slots=True)
class Pairing:
    """Two tokens (or joined tokens) that were matched, and how."""

    query: str
    candidate: str
    how: str
    value: float


@dataclass(frozen=True, slots=True)
class Alignment:
    """The outcome of aligning two token lists (near misses are listed in ``pairings`` with
    ``how == "near_miss"`` and stay among the unmatched tokens)."""

    score: float
    pairings: tuple[Pairing, ...]
    query_unmatched: tuple[Token, ...]
    candidate_unmatched: tuple[Token, ...]
    query_matched: tuple[Token, ...]
    candidate_matched: tuple[Token, ...]


_SIMILARITY_CACHE: dict[tuple[str, str | None, str, str | None, bool, bool], tuple[float, str]]
_SIMILARITY_CACHE = {}
_SIMILARITY_CACHE_SIZE = 500_000


def token_similarity(
    a: Token, b: Token, *, phonetic: bool = False, person: bool = True
) -> tuple[float, str]:
    """How well two tokens match (0 when they do not), and the rule that decided it.

    ``phonetic`` allows phonetic-key equality (one name was read from Hangul or Thai);
    ``person`` selects the typo lengths of person names (else organisation words). A near
    miss returns ``(0.0, "near_miss")``.
    """
    cache_key = (a.text, a.bare, b.text, b.bare, phonetic, person)
    found = _SIMILARITY_CACHE.get(cache_key)
    if found is None:
        if len(_SIMILARITY_CACHE) >= _SIMILARITY_CACHE_SIZE:
            _SIMILARITY_CACHE.clear()
        found = _SIMILARITY_CACHE[cache_key] = _token_similarity(a, b, phonetic, person)
    return found


def _token_similarity(a: Token, b: Token, phonetic: bool, person: bool) -> tuple[float, str]:
    if a.text == b.text:
        return 1.0, "exact"
    if a.variant == b.variant:
        return 0.95, "variant"
    if phonetic and a.key == b.key:
        return 0.9, "script_variant"
    if (a.bare or a.key) == (b.bare or b.key) and (a.bare or b.bare):
        return 0.85, "particle"
    if a.is_initial or b.is_initial:
        initial, full = (a, b) if a.is_initial else (b, a)
        if not full.is_initial and full.text.startswith(initial.text):
            return 0.6, "initial"
        return 0.0, ""
    if _cyrillic_kh(a.text, b.text):
        return 0.95, "variant"
    near = a.key == b.key
    if person and _mora_change(a.text, b.text):
        return 0.0, "near_miss"
    japanese = is_japanese_word(a.text) and is_japanese_word(b.text)
    for x, y in ((a.variant, b.variant), (a.text, b.text)):
        if abs(len(x) - len(y)) > 1 or OSA.distance(x, y, score_cutoff=1) > 1:
            continue
        if _is_typo(x, y, person, japanese) or (person and x is a.text and _short_typo(x, y)):
            return min(0.9, JaroWinkler.similarity(a.variant, b.variant)), "typo"
        near = True
    return (0.0, "near_miss") if near else (0.0, "")


def _cyrillic_kh(x: str, y: str) -> bool:
    """Cyrillic х written ``kh`` (ICAO Doc 9303) on one side and ``h`` on the other, in names of
    seven letters or more (Khabibullin / Habibullin, Mikhailov / Mihailov). Shorter tokens keep
    the two apart: Khanh / Hanh and Khuong / Huong are different Vietnamese names, Khan / Han
    different families."""
    if ("kh" not in x and "kh" not in y) or max(len(x), len(y)) < 7:
        return False
    a, b = x.replace("kh", "h"), y.replace("kh", "h")
    return a == b or variant_key(a) == variant_key(b)


def _mora_change(x: str, y: str) -> bool:
    """A vowel replaced (not the last letter), or dropped so that a consonant doubles, between
    two spellings that are both strings of Japanese syllables: one mora, so another name
    (Shinichi / Shunichi, Kikukawa / Kikkawa), never a typo. A slip that leaves no Japanese
    syllable string (Takahshi, Yamamto) or no geminate (Watanbe) is still a typo."""
    if abs(len(x) - len(y)) > 1 or x == y:
        return False
    if len(x) == len(y):
        diff = [i for i, (p, q) in enumerate(zip(x, y, strict=True)) if p != q]
        if len(diff) != 1 or diff[0] == len(x) - 1:
            return False
        if x[diff[0]] not in _VOWELS or y[diff[0]] not in _VOWELS:
            return False
    else:
        shorter, longer = (x, y) if len(x) < len(y) else (y, x)
        i = next((k for k in range(len(shorter)) if shorter[k] != longer[k]), len(shorter))
        if longer[i] not in _VOWELS or longer[:i] + longer[i + 1 :] != shorter:
            return False
        # Only a vowel whose loss doubles a consonant (a geminate: Kikukawa / Kikkawa); a
        # vowel dropped before another consonant is a slip (Watanabe / Watanbe).
        if not 0 < i < len(shorter) or shorter[i - 1] != shorter[i]:
            return False
    return is_japanese_word(x) and is_japanese_word(y)


def _is_typo(x: str, y: str, person: bool, japanese: bool) -> bool:
    """Two spellings one edit apart: a typo when the first letter agrees, the name is long
    enough (see ``TYPO_MIN_LENGTH``) and the edit is one a hand makes: a replaced letter is
    a neighbour on the keyboard (or a vowel for a vowel at the very end: Yamamota), and a
    letter added or dropped at the end is a grammatical ending, not a typo (Valerii /
    Valeriia, Zaitsev / Zaitseva, Carlo / Carlos); else another name (Tsuchida / Tsuchiya,
    Surachai / Supachai, Xiaoping / Xiaopeng)."""
    if x[0] != y[0]:
        return False
    edit_length, replace_length = TYPO_MIN_LENGTH[person]
    if len(x) != len(y):
        shorter, longer = (x, y) if len(x) < len(y) else (y, x)
        if longer[:-1] == shorter:
            return False
        return len(longer) >= edit_length
    if sorted(x) == sorted(y):  # two neighbours swapped
        return len(x) >= edit_length
    return len(x) >= replace_length and _slip_of_the_hand(x, y, japanese)


def _slip_of_the_hand(x: str, y: str, japanese: bool) -> bool:
    """The one replaced letter of two equal-length spellings is a keyboard neighbour, or a
    vowel for a vowel in the last position of a Japanese name (``japanese``: both spellings
    are strings of Japanese syllables; Yamamota). In Romance and
    Slavic names the last vowel is a gender ending (Francisco / Francisca, Antonio / Antonia):
    there it is another name."""
    position = next(i for i, (p, q) in enumerate(zip(x, y, strict=True)) if p != q)
    p, q = x[position].lower(), y[position].lower()
    if position == len(x) - 1 and p in _VOWELS and q in _VOWELS:
        return japanese
    return q in _KEYBOARD_NEIGHBOURS.get(p, "")


def _short_typo(x: str, y: str) -> bool:
    """A vowel dropped inside a person-name token of six letters or fewer (``Ngyen`` for
    Nguyen, ``Sntos`` for Santos) is a typo only when the shorter spelling is no name a
    syllable grammar allows: in Japanese, Vietnamese and Chinese names one letter is a whole
    syllable, and Sato / Saito, Kanda / Kaneda, Trong / Truong are different people. A dropped
    consonant stays another name (Reyes / Reynes; so ``Ocapo`` for Ocampo is still missed).
    The first and last letters must agree and the shorter spelling must keep five letters."""
    if len(x) == len(y) or x[0] != y[0]:
        return False
    shorter, longer = (x, y) if len(x) < len(y) else (y, x)
    if len(shorter) < 5 or len(longer) > 6 or longer[:-1] == shorter:
        return False
    dropped = next((longer[i] for i in range(len(shorter)) if longer[i] != shorter[i]), longer[-1])
    return dropped in _VOWELS and not is_syllabic_name(shorter)


def align(
    query: tuple[Token, ...],
    candidate: tuple[Token, ...],
    *,
    phonetic: bool = False,
    person: bool = True,
) -> Alignment:
    """Pair the tokens of two names greedily, best pairs first, then try joined tokens;
    ``phonetic`` and ``person`` as for :func:`token_similarity`."""
    scored = []
    near = []
    for i, q in enumerate(query):
        for j, c in enumerate(candidate):
            value, how = token_similarity(q, c, phonetic=phonetic, person=person)
            if value > 0:
                scored.append((value * min(q.weight, c.weight), value, how, i, j))
            elif how:
                near.append((i, j))
    scored.sort(reverse=True)
    q_value: dict[int, float] = {}
    c_value: dict[int, float] = {}
    pairings: list[Pairing] = []
    for _, value, how, i, j in scored:
        if i in q_value or j in c_value:
            continue
        q_value[i] = c_value[j] = value
        pairings.append(Pairing(query[i].text, candidate[j].text, how, value))
    _join_adjacent(query, candidate, q_value, c_value, pairings, query_side=True)
    _join_adjacent(candidate, query, c_value, q_value, pairings, query_side=False)
    near_q: set[int] = set()
    near_c: set[int] = set()
    for i, j in near:
        if i in q_value or j in c_value or i in near_q or j in near_c:
            continue
        near_q.add(i)
        near_c.add(j)
        pairings.append(Pairing(query[i].text, candidate[j].text, "near_miss", NEAR_MISS_VALUE))
    q_cover = _coverage(query, q_value)
    c_cover = _coverage(candidate, c_value)
    return Alignment(
        score=(q_cover + c_cover) / 2,
        pairings=tuple(pairings),
        query_unmatched=tuple(t for i, t in enumerate(query) if i not in q_value),
        candidate_unmatched=tuple(t for j, t in enumerate(candidate) if j not in c_value),
        query_matched=tuple(t for i, t in enumerate(query) if i in q_value),
        candidate_matched=tuple(t for j, t in enumerate(candidate) if j in c_value),
    )


def _join_adjacent(
    split: tuple[Token, ...],
    whole: tuple[Token, ...],
    split_value: dict[int, float],
    whole_value: dict[int, float],
    pairings: list[Pairing],
    *,
    query_side: bool,
) -> None:
    """Match two adjacent unmatched tokens on one side with one unmatched token on the other."""
    for i in range(len(split) - 1):
        if i in split_value or i + 1 in split_value:
            continue
        joined = split[i].text + split[i + 1].text
        joined_key = variant_key(joined)
        for j, token in enumerate(whole):
            if j in whole_value or (token.text != joined and token.variant != joined_key):
                continue
            split_value[i] = split_value[i + 1] = whole_value[j] = 0.95
            pair = (f"{split[i].text} {split[i + 1].text}", token.text)
            query_text, candidate_text = pair if query_side else pair[::-1]
            pairings.append(Pairing(query_text, candidate_text, "joined", 0.95))
            break


def _coverage(tokens: tuple[Token, ...], values: dict[int, float]) -> float:
    total = sum(t.weight for t in tokens)
    if total == 0:
        return 0.0
    return sum(tokens[i].weight * v for i, v in values.items()) / total
