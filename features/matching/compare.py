"""Token alignment between two names, with an explanation of each pairing.

Each query token is paired with at most one candidate token (any order), best pairs first:

====================  ======  =====================================================
how two tokens meet    value   rule
====================  ======  =====================================================
``exact``              1.00    same Latin text
``variant``            0.95    same romanisation-variant key (Satoh / Sato, Lee / Yi)
``particle``           0.85    same once a glued particle is dropped (Delacruz / Cruz)
``fuzzy``              ≤0.90   Jaro-Winkler of the keys; allowed only within one edit
                               (two for tokens of 8+ letters) of the text, or of the key
                               when the texts are also close (JW ≥ 0.88)
``initial``            0.60    a single letter and a name starting with it
``joined``             0.95    two adjacent tokens written as one (Min Jun / Minjun)
====================  ======  =====================================================

The name score is the mean of the two sides' *coverage*: the weighted share of each side's
tokens that found a partner, each counted at its pairing value. A partial name (a second
family name left out) keeps a high score; a different given name halves it.
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz.distance import JaroWinkler, Levenshtein

from features.matching.tokens import Token, variant_key


@dataclass(frozen=True, slots=True)
class Pairing:
    """Two tokens (or joined tokens) that were matched, and how."""

    query: str
    candidate: str
    how: str
    value: float


@dataclass(frozen=True, slots=True)
class Alignment:
    """The outcome of aligning two token lists."""

    score: float
    pairings: tuple[Pairing, ...]
    query_unmatched: tuple[Token, ...]
    candidate_unmatched: tuple[Token, ...]
    query_matched: tuple[Token, ...]
    candidate_matched: tuple[Token, ...]


def _edit_allowance(length: int) -> int:
    if length < 4:
        return 0
    return 1 if length < 8 else 2


_SIMILARITY_CACHE: dict[tuple[str, str | None, str, str | None], tuple[float, str]] = {}
_SIMILARITY_CACHE_SIZE = 500_000


def token_similarity(a: Token, b: Token) -> tuple[float, str]:
    """How well two tokens match (0 when they do not), and the rule that decided it."""
    cache_key = (a.text, a.bare, b.text, b.bare)
    found = _SIMILARITY_CACHE.get(cache_key)
    if found is None:
        if len(_SIMILARITY_CACHE) >= _SIMILARITY_CACHE_SIZE:
            _SIMILARITY_CACHE.clear()
        found = _SIMILARITY_CACHE[cache_key] = _token_similarity(a, b)
    return found


def _token_similarity(a: Token, b: Token) -> tuple[float, str]:
    if a.text == b.text:
        return 1.0, "exact"
    if a.key == b.key:
        return 0.95, "variant"
    if (a.bare or a.key) == (b.bare or b.key):
        return 0.85, "particle"
    if a.is_initial or b.is_initial:
        initial, full = (a, b) if a.is_initial else (b, a)
        if not full.is_initial and full.text.startswith(initial.text):
            return 0.6, "initial"
        return 0.0, ""
    allowance = _edit_allowance(min(len(a.text), len(b.text)))
    if allowance == 0:
        return 0.0, ""
    close_text = (
        abs(len(a.text) - len(b.text)) <= allowance
        and Levenshtein.distance(a.text, b.text, score_cutoff=allowance) <= allowance
    )
    close_key = (
        not close_text
        and abs(len(a.key) - len(b.key)) <= allowance
        and Levenshtein.distance(a.key, b.key, score_cutoff=allowance) <= allowance
        and JaroWinkler.similarity(a.text, b.text) >= 0.88
    )
    if close_text or close_key:
        return min(0.9, JaroWinkler.similarity(a.key, b.key)), "fuzzy"
    return 0.0, ""


def align(query: tuple[Token, ...], candidate: tuple[Token, ...]) -> Alignment:
    """Pair the tokens of two names greedily, best pairs first, then try joined tokens."""
    scored = []
    for i, q in enumerate(query):
        for j, c in enumerate(candidate):
            value, how = token_similarity(q, c)
            if value > 0:
                scored.append((value * min(q.weight, c.weight), value, how, i, j))
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
            if j in whole_value or (token.text != joined and token.key != joined_key):
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
