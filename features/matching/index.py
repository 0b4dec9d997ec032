"""The in-memory watchlist index: blocking keys to candidates, then scored candidates.

Build: every person and organisation name is parsed into token forms; each form adds blocking
keys to compact inverted lists: one key for the whole name in any order, one for every *pair*
of token variant keys (a name is found by any two of its parts, whatever their order), or the
single key of a one-token name. Phones are keyed by E.164, documents by number, addresses by
their tokens. Entities are kept in one JSON blob with offsets and decoded only when scored.

Query: the query's tokens, their variant keys, particle-free stems, adjacent tokens joined,
tokens split into two known tokens, and known tokens within one edit (a symmetric-delete
index) form the query's units; the whole name and every pair of units are looked up; the
entities reached most, and by the rarest keys, are scored (at most ``MAX_SCORED``), hidden
when recorded after ``as_of`` or no longer valid.
"""

from __future__ import annotations

import itertools
from array import array
from collections.abc import Iterable, Mapping
from datetime import date
from functools import lru_cache
from typing import Any

import numpy as np
import numpy.typing as npt
import orjson
from rapidfuzz.distance import OSA

from mizugiwa.features.matching.candidate import DEFAULT_THRESHOLDS, KINDS, Candidate, Feature
from mizugiwa.features.matching.names import NameForm, organisation_forms, person_forms
from mizugiwa.features.matching.postings import Postings, PostingsBuilder
from mizugiwa.features.matching.scoring import (
    dob_evidence,
    name_features,
    name_match,
    nationality_evidence,
    query_forms,
    score_address,
)
from mizugiwa.features.normalise.addresses import address_tokens
from mizugiwa.features.normalise.documents import document_number
from mizugiwa.features.normalise.phones import e164, national_key, one_digit_off, raw_digits_key
from mizugiwa.features.normalise.tokens import phonetic_key

MAX_SCORED = 30  # candidates scored per query, most-reached first
MAX_POSTINGS = 4000  # entities read per blocking key (very common name pairs)
MAX_FORM_TOKENS = 6
MAX_UNITS = 12
NEAR_MISS_SCORE = 0.3
FULL_NAME_WEIGHT = 10.0

_KIND_CODES = {kind: code for code, kind in enumerate(KINDS)}
_NO_LIMIT = np.iinfo(np.int32).max
_INDEXED_TYPES = frozenset(KINDS)


def _ordinal(value: Any, default: int) -> int:
    if value is None or value == "":
        return default
    if isinstance(value, date):
        return value.toordinal()
    return date.fromisoformat(str(value)[:10]).toordinal()


def _as_date(value: date | str | None, field: str) -> date | None:
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{field}: {value!r} is not a date (YYYY-MM-DD)") from None


def _form_units(form: NameForm) -> list[list[str]]:
    """Per token, the keys it is indexed under (its variant key and particle-free stem)."""
    return [
        [t.key] if t.bare is None or t.bare == t.key else [t.key, t.bare]
        for t in form.tokens[:MAX_FORM_TOKENS]
    ]


def _full_name_key(namespace: str, form: NameForm) -> int:
    """One key for the whole name, any order: same-name entities come first in the ranking."""
    return hash((namespace, "=", *sorted(token.key for token in form.tokens)))


@lru_cache(maxsize=200_000)
def _name_keys(kind: str, name: str) -> tuple[tuple[int, ...], tuple[str, ...]]:
    """Blocking keys of one name (every pair of token keys, or the single key of a one-token
    name) and its token texts (for the fuzzy vocabulary)."""
    parse = person_forms if kind == "person" else organisation_forms
    namespace = kind[0]
    keys: set[int] = set()
    texts: list[str] = []
    for form in parse(name):
        texts.extend(token.text for token in form.tokens)
        keys.add(_full_name_key(namespace, form))
        tokens = form.tokens[:MAX_FORM_TOKENS]
        if len(tokens) == 1:
            keys.update(hash((namespace, k)) for k in _form_units(form)[0])
        elif all(t.bare is None or t.bare == t.key for t in tokens):
            # Common case: one key per token; sorted, so each pair comes out ordered.
            ordered = sorted({t.key for t in tokens})
            keys.update(hash((namespace, a, b)) for a, b in itertools.combinations(ordered, 2))
        else:
            units = _form_units(form)
            for i, j in itertools.combinations(range(len(units)), 2):
                for a in units[i]:
                    for b in units[j]:
                        keys.add(hash((namespace, a, b) if a <= b else (namespace, b, a)))
    return tuple(keys), tuple(texts)


class WatchlistIndex:
    """Searchable snapshot of the trafficking database's persons, organisations, phones,
    addresses and travel documents. Build it with :meth:`build` or :meth:`from_database`."""

    thresholds: Mapping[str, float]
    version: str | None
    _ids: list[str]
    _blob: bytes
    _offsets: npt.NDArray[np.int64]
    _kinds: npt.NDArray[np.int8]
    _sizes: npt.NDArray[np.uint8]
    _recorded: npt.NDArray[np.int32]
    _valid_until: npt.NDArray[np.int32]
    _names: Postings
    _addresses: Postings
    _deletes: Postings
    _vocabulary: dict[str, int]
    _vocabulary_texts: list[str]
    _phones: dict[str, list[int]]
    _phone_nationals: dict[str, list[int]]
    _documents: dict[str, list[int]]

    # ---------------------------------------------------------------- construction
    @classmethod
    def build(
        cls,
        entities: Iterable[Mapping[str, Any]],
        *,
        thresholds: Mapping[str, float] | None = None,
        version: str | None = None,
    ) -> WatchlistIndex:
        """Index entities given as dicts in the JSON Lines import format.

        Entity types other than person, organisation, phone, address and travel_document are
        skipped. Raises ValueError naming the entity and field when one cannot be indexed.
        """
        self = cls.__new__(cls)
        self.thresholds = {**DEFAULT_THRESHOLDS, **(thresholds or {})}
        self.version = version
        self._ids = []
        # All entities as one JSON blob plus offsets: per-object overhead would cost more
        # than the entities themselves at a million.
        blob = bytearray()
        offsets = array("q", [0])
        kinds = bytearray()
        sizes = bytearray()
        recorded = np.empty(1024, dtype=np.int32)
        valid = np.empty(1024, dtype=np.int32)
        names = PostingsBuilder()
        addresses = PostingsBuilder()
        vocabulary: dict[str, int] = {}
        self._phones = {}
        self._phone_nationals = {}
        self._documents = {}
        for line, entity in enumerate(entities, start=1):
            kind = entity.get("entity_type")
            if kind not in _INDEXED_TYPES:
                continue
            position = len(self._ids)
            entity_id = entity.get("id")
            if not isinstance(entity_id, str) or not entity_id:
                raise ValueError(f"entity {line}: field 'id' is missing or not text")
            try:
                rec = _ordinal(entity.get("recorded_at"), 0)
                until = _ordinal(entity.get("valid_until"), _NO_LIMIT)
            except ValueError as error:
                raise ValueError(f"entity {entity_id}: recorded_at/valid_until: {error}") from None
            if position >= len(recorded):
                recorded = np.resize(recorded, 2 * len(recorded))
                valid = np.resize(valid, 2 * len(valid))
            recorded[position], valid[position] = rec, until
            self._ids.append(entity_id)
            blob += orjson.dumps(entity, default=str)
            offsets.append(len(blob))
            kinds.append(_KIND_CODES[kind])
            sizes.append(0)
            if kind in ("person", "organisation"):
                size = self._index_names(kind, entity, position, names, vocabulary)
                sizes[-1] = min(size, 255)
            elif kind == "phone":
                self._index_phone(entity, position)
            elif kind == "address":
                text = entity.get("address")
                if not isinstance(text, str):
                    raise ValueError(f"entity {entity_id}: field 'address' is missing")
                for token in address_tokens(text):
                    addresses.add(hash(("A", token)), position)
            else:
                number, state = entity.get("number"), entity.get("issuing_state")
                if not isinstance(number, str) or not isinstance(state, str):
                    raise ValueError(f"entity {entity_id}: fields 'number'/'issuing_state'")
                key = document_number(number)
                self._documents.setdefault(key, []).append(position)
        count = len(self._ids)
        self._blob = bytes(blob)
        self._offsets = np.frombuffer(offsets, dtype=np.int64).copy()
        self._kinds = np.frombuffer(bytes(kinds), dtype=np.int8)
        self._sizes = np.frombuffer(bytes(sizes), dtype=np.uint8)
        self._recorded = recorded[:count].copy()
        self._valid_until = valid[:count].copy()
        self._names = names.freeze()
        self._addresses = addresses.freeze()
        self._vocabulary = vocabulary
        self._vocabulary_texts = list(vocabulary)
        self._deletes = self._build_deletes(self._vocabulary_texts)
        return self

    def _index_names(
        self,
        kind: str,
        entity: Mapping[str, Any],
        position: int,
        postings: PostingsBuilder,
        vocabulary: dict[str, int],
    ) -> int:
        """Add the blocking keys of an entity's names; returns its first name's token count."""
        raw_names = entity.get("names")
        if raw_names is None and isinstance(entity.get("name"), str):
            raw_names = [entity["name"]]
        if not isinstance(raw_names, list) or not raw_names:
            raise ValueError(f"entity {entity.get('id')}: field 'names' must be a non-empty list")
        keys: set[int] = set()
        size = 0
        for name in raw_names:
            if not isinstance(name, str):
                raise ValueError(f"entity {entity.get('id')}: field 'names' holds a non-text")
            name_keys, texts = _name_keys(kind, name)
            size = size or len(texts)
            keys.update(name_keys)
            for text in texts:
                if text not in vocabulary:
                    vocabulary[text] = len(vocabulary)
        for key in keys:
            postings.add(key, position)
        return size

    def _index_phone(self, entity: Mapping[str, Any], position: int) -> None:
        """Key a phone by its E.164 form, read with the record's own ``country`` (so
        ``09171234567`` recorded for PHL is ``+639171234567``), and by its national number;
        a number that parses nowhere is kept digit for digit."""
        number = entity.get("number")
        if not isinstance(number, str):
            raise ValueError(f"entity {entity.get('id')}: field 'number' is missing")
        country = entity.get("country")
        country = country if isinstance(country, str) else None
        key = e164(number, country) or raw_digits_key(number)
        if key is None:
            raise ValueError(f"entity {entity.get('id')}: field 'number' {number!r} has no digits")
        self._phones.setdefault(key, []).append(position)
        national = national_key(number, country)
        if national is not None:
            self._phone_nationals.setdefault(national, []).append(position)

    @staticmethod
    def _build_deletes(texts: list[str]) -> Postings:
        builder = PostingsBuilder()
        for vocabulary_id, text in enumerate(texts):
            if len(text) < 4:
                continue
            builder.add(hash(("D", text)), vocabulary_id)
            for i in range(len(text)):
                builder.add(hash(("D", text[:i] + text[i + 1 :])), vocabulary_id)
        return builder.freeze()

    @classmethod
    def from_database(
        cls,
        engine: Any,
        *,
        as_of: date | None = None,
        thresholds: Mapping[str, float] | None = None,
    ) -> WatchlistIndex:
        """Index the trafficking database behind a SQLAlchemy ``engine`` (optionally only
        what was recorded by ``as_of``); ``version`` records the database version."""
        from mizugiwa.db.engine import session_scope
        from mizugiwa.features.tipdb.repository import database_version, iter_entities

        with session_scope(engine) as session:
            version = database_version(session)
            return cls.build(
                iter_entities(session, as_of=as_of), thresholds=thresholds, version=version
            )

    def __len__(self) -> int:
        return len(self._ids)

    def counts(self) -> dict[str, int]:
        """Number of indexed entities per kind."""
        codes, numbers = np.unique(self._kinds, return_counts=True)
        return {KINDS[int(c)]: int(n) for c, n in zip(codes, numbers, strict=True)}

    # ---------------------------------------------------------------- queries
    def search(
        self,
        kind: str,
        query: str,
        *,
        dob: date | str | None = None,
        nationality: str | None = None,
        as_of: date | None = None,
        limit: int = 10,
        issuing_state: str | None = None,
        default_region: str | None = None,
        threshold: float | None = None,
    ) -> list[Candidate]:
        """Candidates for ``query`` among entities of ``kind``, best first.

        ``kind`` is one of person, organisation, phone, address, travel_document. ``dob`` and
        ``nationality`` (ISO alpha-3) are evidence for persons; ``issuing_state`` is required
        for travel documents; ``default_region`` (ISO alpha-2) reads national phone numbers.
        ``threshold`` overrides the default match threshold of the kind for this call.
        Raises ValueError naming the argument when one is unusable.
        """
        if kind not in KINDS:
            raise ValueError(f"kind: {kind!r} is not one of {', '.join(KINDS)}")
        if not isinstance(query, str) or not query.strip():
            raise ValueError("query: must be non-empty text")
        if limit < 1:
            raise ValueError(f"limit: must be at least 1, not {limit}")
        if as_of is not None and not isinstance(as_of, date):
            raise ValueError(f"as_of: {as_of!r} is not a date")
        cut = self.thresholds[kind] if threshold is None else threshold
        if kind == "phone":
            found = self._phone(query, default_region, as_of, cut)
        elif kind == "address":
            found = self._address(query, as_of, cut)
        elif kind == "travel_document":
            if not issuing_state:
                raise ValueError("issuing_state: required for travel_document searches")
            found = self._document(query, issuing_state, as_of, cut)
        else:
            found = self._name(kind, query, _as_date(dob, "dob"), nationality, as_of, cut, limit)
        found.sort(key=lambda c: (-c.score, c.id))
        return found[:limit]

    def match_phone(
        self, number: str, *, default_region: str | None = None, as_of: date | None = None
    ) -> list[Candidate]:
        """Phone entities with this exact E.164 number (then one-digit near misses, not
        matching)."""
        return self.search("phone", number, default_region=default_region, as_of=as_of)

    def match_address(self, text: str, *, as_of: date | None = None) -> list[Candidate]:
        """Address entities whose normalised form agrees with ``text``."""
        return self.search("address", text, as_of=as_of)

    def match_document(
        self, number: str, issuing_state: str, *, as_of: date | None = None
    ) -> list[Candidate]:
        """Travel documents with this number and issuing state (reported lost, stolen...)."""
        return self.search("travel_document", number, issuing_state=issuing_state, as_of=as_of)

    # ---------------------------------------------------------------- internals
    def _visible(self, positions: npt.NDArray[np.int32], as_of: date | None) -> Any:
        """Positions recorded by ``as_of`` and still valid on it (or today)."""
        if len(positions) == 0:
            return positions
        day = (as_of or date.today()).toordinal()
        keep = self._valid_until[positions] >= day
        if as_of is not None:
            keep &= self._recorded[positions] <= day
        return positions[keep]

    def _entity(self, position: int) -> dict[str, Any]:
        start, end = self._offsets[position], self._offsets[position + 1]
        entity: dict[str, Any] = orjson.loads(memoryview(self._blob)[start:end])
        return entity

    def _candidate(
        self,
        position: int,
        score: float,
        cut: float,
        features: list[Feature],
        names: tuple[str, ...],
        entity: dict[str, Any] | None = None,
    ) -> Candidate:
        score = min(1.0, max(0.0, score))
        return Candidate(
            id=self._ids[position],
            kind=KINDS[int(self._kinds[position])],
            score=score,
            match=score >= cut,
            explanation=tuple(features),
            entity=entity if entity is not None else self._entity(position),
            names=names,
        )

    def _query_units(self, forms: tuple[NameForm, ...]) -> list[str]:
        """Keys to look up: tokens, stems, joined neighbours, known halves, one-edit tokens."""
        units: dict[str, None] = {}
        for form in forms:
            tokens = form.tokens[:MAX_FORM_TOKENS]
            for token in tokens:
                units[token.key] = None
                if token.bare:
                    units[token.bare] = None
            for left, right in itertools.pairwise(tokens):
                units[phonetic_key(left.text + right.text)] = None
            for token in tokens:
                for half in self._known_halves(token.text):
                    units[phonetic_key(half)] = None
            for token in tokens:
                for neighbour in self._neighbours(token.text):
                    units[phonetic_key(neighbour)] = None
        return list(units)[:MAX_UNITS]

    def _known_halves(self, text: str) -> list[str]:
        """``text`` cut into two indexed tokens (Minjun → min, jun), if it can be."""
        for cut in range(2, len(text) - 1):
            if text[:cut] in self._vocabulary and text[cut:] in self._vocabulary:
                return [text[:cut], text[cut:]]
        return []

    def _neighbours(self, text: str) -> list[str]:
        """Up to four indexed tokens within one edit of ``text``, a swap of neighbouring letters
        counting as one (symmetric deletes)."""
        if len(text) < 4:
            return []
        ids: set[int] = set()
        for probe in [text] + [text[:i] + text[i + 1 :] for i in range(len(text))]:
            ids.update(int(v) for v in self._deletes.get(hash(("D", probe)), limit=50))
        words = [self._vocabulary_texts[i] for i in ids]
        close = [w for w in words if w != text and OSA.distance(text, w, score_cutoff=1) <= 1]
        return sorted(close)[:4]

    def _blocked(
        self, kind: str, forms: tuple[NameForm, ...], units: list[str], as_of: date | None
    ) -> Any:
        """Entities reached by the query's units: those with the whole name first, then the
        most and rarest-reached, then those with as many tokens as the query."""
        namespace = kind[0]
        found = [self._names.get(_full_name_key(namespace, form), MAX_POSTINGS) for form in forms]
        weights = [FULL_NAME_WEIGHT] * len(found)
        for u in units:
            found.append(self._names.get(hash((namespace, u)), MAX_POSTINGS))
        for a, b in itertools.combinations(units, 2):
            key = (namespace, a, b) if a <= b else (namespace, b, a)
            found.append(self._names.get(hash(key), MAX_POSTINGS))
        weights += [1.0] * (len(found) - len(weights))
        kept = [(f, w) for f, w in zip(found, weights, strict=True) if len(f)]
        if not kept:
            return np.empty(0, dtype=np.int32)
        positions, inverse = np.unique(np.concatenate([f for f, _ in kept]), return_inverse=True)
        if len(positions) > MAX_SCORED:
            # A key shared by few entities says more than one shared by thousands.
            rarity = np.concatenate([np.full(len(f), w / np.log2(2 + len(f))) for f, w in kept])
            evidence = np.bincount(inverse, weights=rarity)
            size = max(len(form.tokens) for form in forms)
            evidence -= 0.05 * np.abs(self._sizes[positions].astype(np.float64) - size)
            positions = positions[np.argsort(-evidence, kind="stable")]
        return self._visible(positions, as_of)[:MAX_SCORED]

    def _name(
        self,
        kind: str,
        query: str,
        dob: date | None,
        nationality: str | None,
        as_of: date | None,
        cut: float,
        limit: int,
    ) -> list[Candidate]:
        forms = query_forms(kind, query)
        scored = []
        for position in self._blocked(kind, forms, self._query_units(forms), as_of):
            entity = self._entity(int(position))
            match = name_match(kind, forms, entity)
            if match is None:
                continue
            evidence: list[Feature] = []
            if kind == "person":
                for item in (dob_evidence(dob, entity), nationality_evidence(nationality, entity)):
                    if item is not None:
                        evidence.append(item)
            score = min(1.0, max(0.0, match.score + sum(e[1] for e in evidence)))
            scored.append(
                (-score, self._ids[int(position)], int(position), entity, match, evidence)
            )
        scored.sort(key=lambda item: (item[0], item[1]))
        found = []
        for negative, _, position, entity, match, evidence in scored[:limit]:
            features = [*name_features(match), *evidence]
            if entity.get("role") == "victim":
                text = "known victim: raise protection guidance only, never suspicion"
                features.append(("protected_person", 0.0, text))
            features.append(("score", -negative, f"threshold {cut:.2f}"))
            found.append(self._candidate(position, -negative, cut, features, match.names, entity))
        return found

    def _phone(
        self, query: str, default_region: str | None, as_of: date | None, cut: float
    ) -> list[Candidate]:
        """Same E.164 number; else the same national number where one side's country is
        unknown; one digit off listed as another line."""
        full = e164(query, default_region)
        national = national_key(query, default_region)
        found: dict[int, Candidate] = {}
        if full is None:
            # Agencies sometimes record numbers no phone plan knows; those are kept digit for
            # digit, and the same digits meet them.
            raw = raw_digits_key(query)
            exact_raw = np.array(self._phones.get(raw, []) if raw else [], dtype=np.int32)
            text = f"same digits {raw}, not a readable international number"
            for position in self._visible(exact_raw, as_of):
                features: list[Feature] = [("phone_digits", 1.0, text)]
                found[int(position)] = self._candidate(
                    int(position), 1.0, cut, features, (str(raw),)
                )
            if national is None and not found:
                raise ValueError(
                    f"query: {query!r} is not a readable phone number (give +country code, or "
                    "default_region)"
                )
        if full is not None:
            exact = np.array(self._phones.get(full, []), dtype=np.int32)
            for position in self._visible(exact, as_of):
                features = [("phone_e164", 1.0, f"same number {full}")]
                found[int(position)] = self._candidate(int(position), 1.0, cut, features, (full,))
        if national is not None:
            same = np.array(self._phone_nationals.get(national, []), dtype=np.int32)
            for position in self._visible(same, as_of):
                if int(position) in found or not self._region_unknown(int(position), full):
                    continue
                digits = national.removeprefix("nsn:")
                text = f"same national number {digits}; the country of one side is not known"
                features = [("phone_national", 1.0, text)]
                found[int(position)] = self._candidate(int(position), 1.0, cut, features, (digits,))
        if full is not None:
            for other, digit in one_digit_off(full):
                near = np.array(self._phones.get(other, []), dtype=np.int32)
                for position in self._visible(near, as_of):
                    text = f"{other} differs from {full} in digit {digit + 1}: another line"
                    features = [("phone_one_digit_off", NEAR_MISS_SCORE, text)]
                    found.setdefault(
                        int(position),
                        self._candidate(int(position), NEAR_MISS_SCORE, cut, features, (other,)),
                    )
        return list(found.values())

    def _region_unknown(self, position: int, query_e164: str | None) -> bool:
        """Whether a national-number agreement may decide: the query or the stored number
        could not be placed in a country (when both are placed, only E.164 equality counts)."""
        if query_e164 is None:
            return True
        entity = self._entity(position)
        country = entity.get("country")
        stored = e164(str(entity.get("number", "")), country if isinstance(country, str) else None)
        return stored is None

    def _address(self, query: str, as_of: date | None, cut: float) -> list[Candidate]:
        tokens = address_tokens(query)
        if not tokens:
            raise ValueError(f"query: no address could be read from {query!r}")
        numbers = [t for t in tokens if t[0].isdigit()]
        probes = numbers or list(tokens)
        found_lists = [self._addresses.get(hash(("A", t)), MAX_POSTINGS) for t in probes]
        found_lists = [f for f in found_lists if len(f)]
        if not found_lists:
            return []
        positions, reached = np.unique(np.concatenate(found_lists), return_counts=True)
        positions = self._visible(positions[np.argsort(-reached, kind="stable")], as_of)
        found = []
        for position in positions[:MAX_SCORED]:
            entity = self._entity(int(position))
            score, features = score_address(tokens, str(entity.get("address", "")))
            if score > 0:
                names = (str(entity.get("address")),)
                found.append(self._candidate(int(position), score, cut, features, names, entity))
        return found

    def _document(
        self, number: str, issuing_state: str, as_of: date | None, cut: float
    ) -> list[Candidate]:
        key = document_number(number)
        if not key:
            raise ValueError(f"query: {number!r} holds no document number")
        state = issuing_state.strip().upper()
        found = []
        positions = np.array(self._documents.get(key, []), dtype=np.int32)
        for position in self._visible(positions, as_of):
            entity = self._entity(int(position))
            stored_state = str(entity.get("issuing_state", "")).upper()
            status = entity.get("status", "recorded")
            if stored_state == state:
                text = f"document {key} of {state}, recorded as {status}"
                features: list[Feature] = [("document_number_state", 1.0, text)]
                score = 1.0
            else:
                text = f"number {key} recorded for {stored_state}, not {state}"
                features = [("document_state_differs", 0.5, text)]
                score = 0.5
            found.append(self._candidate(int(position), score, cut, features, (key,), entity))
        return found
