"""An immutable in-memory copy of the trafficking database for feature code.

Batch scoring (a million applications) and online scoring (one request, a few milliseconds for
every feature) both ask the same questions "as of date D". A :class:`Snapshot` answers each in
O(log n) with ``numpy.searchsorted`` over sorted arrays of days, one call for a whole batch.

Semantics, shared with :mod:`features.tipdb.repository`: a record is *visible on D* when
``recorded_at <= D`` and (``valid_until`` is open or ``valid_until >= D``). A fact that joins
several records (a phone linked to a broker; a phone linked to an organisation that was raided)
holds on D when every record it joins is visible on D.

Every lookup takes an already normalised key, built with :mod:`features.normalise`
(``sponsor_key``, ``phone_key``, ``address_key``, ``document_key``) or an entity id, and dates
as ``datetime.date``, ISO text or ``numpy.datetime64``; vectorised variants take a sequence of
keys and an array of ``datetime64[D]`` (or one date for all).
"""

from __future__ import annotations

import hashlib
from collections.abc import Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal

import numpy as np
from sqlalchemy import Engine

from mizugiwa.features.normalise import address_key, document_key, phone_key, sponsor_keys
from mizugiwa.features.tipdb.entities import SUSPECT_ROLES, entity_day, parse_entity, to_line

LinkTarget = Literal["suspect", "raided_organisation", "protected", "recorded_alone"]
DateLike = date | str | np.datetime64
DatesLike = DateLike | Sequence[DateLike] | np.ndarray

_DAY_OFFSET = 1 << 20  # days are stored shifted so that dates from 1000 to 4000 AD are >= 0
_KEY_SHIFT = 21
_NO_END = np.iinfo(np.int64).max


def to_day(value: DateLike) -> int:
    """Days since 1970-01-01 of a date, ISO text or ``datetime64``."""
    if isinstance(value, np.datetime64):
        return int(value.astype("datetime64[D]").astype(np.int64))
    if isinstance(value, str):
        # a raw import line may give a date-time: its UTC day, as the import reads it
        value = date.fromisoformat(value) if len(value) == 10 else entity_day(value)
    return value.toordinal() - 719163  # date(1970, 1, 1).toordinal()


def to_days(values: DatesLike, n: int) -> np.ndarray:
    """``int64`` days of ``values`` (one date broadcast to ``n``, or ``n`` dates)."""
    if isinstance(values, date | str | np.datetime64):
        return np.full(n, to_day(values), dtype=np.int64)
    array = np.asarray(values)
    if array.dtype.kind != "M":
        array = array.astype("datetime64[D]")
    days = array.astype("datetime64[D]").astype(np.int64)
    if days.shape != (n,):
        raise ValueError(f"expected {n} dates, got an array of shape {days.shape}")
    return days


class IntervalIndex:
    """Per key, intervals of days [start, end]; counts the intervals that contain a day.

    Count on day D = #(start <= D) - #(end < D), exact because start <= end for every interval;
    both terms are one ``searchsorted`` in arrays sorted by (key, day). Keys become small
    integers and are packed with the day into one ``int64`` so that a whole batch of (key, day)
    pairs is answered by a single ``searchsorted`` per array.
    """

    def __init__(self, keys: Sequence[Hashable], starts: Sequence[int], ends: Sequence[int]):
        starts_array = np.asarray(starts, dtype=np.int64)
        ends_array = np.asarray(ends, dtype=np.int64)
        keep = starts_array <= ends_array
        self._ids: dict[Hashable, int] = {}
        key_ids = np.fromiter(
            (self._ids.setdefault(k, len(self._ids)) for k in keys), dtype=np.int64, count=len(keys)
        )[keep]
        starts_array, ends_array = starts_array[keep], ends_array[keep]
        self._starts = np.sort(_pack(key_ids, starts_array))
        finite = ends_array != _NO_END
        self._ends = np.sort(_pack(key_ids[finite], ends_array[finite]))
        all_ids = np.arange(len(self._ids), dtype=np.int64)
        self._start_base = np.searchsorted(self._starts, all_ids << _KEY_SHIFT, side="left")
        self._end_base = np.searchsorted(self._ends, all_ids << _KEY_SHIFT, side="left")

    def __len__(self) -> int:
        return len(self._starts)

    def count(self, key: Hashable, day: int) -> int:
        """Intervals of ``key`` containing ``day``."""
        key_id = self._ids.get(key)
        if key_id is None:
            return 0
        query = (key_id << _KEY_SHIFT) + _clip(day)
        started = int(np.searchsorted(self._starts, query, side="right")) - self._start_base[key_id]
        ended = int(np.searchsorted(self._ends, query, side="left")) - self._end_base[key_id]
        return int(started - ended)

    def counts(self, keys: Sequence[Hashable], days: np.ndarray) -> np.ndarray:
        """:meth:`count` for each (key, day) pair, as an ``int64`` array."""
        key_ids = np.fromiter((self._ids.get(k, -1) for k in keys), dtype=np.int64, count=len(keys))
        known = key_ids >= 0
        result = np.zeros(len(keys), dtype=np.int64)
        if not known.any():
            return result
        ids = key_ids[known]
        query = (ids << _KEY_SHIFT) + np.clip(days[known] + _DAY_OFFSET, 0, (1 << _KEY_SHIFT) - 1)
        started = np.searchsorted(self._starts, query, side="right") - self._start_base[ids]
        ended = np.searchsorted(self._ends, query, side="left") - self._end_base[ids]
        result[known] = started - ended
        return result


class LatestIndex:
    """Per key, records with a start day, an end day and a value; returns the value of the record
    with the latest start among those visible on a day (ties: the later record)."""

    def __init__(
        self,
        keys: Sequence[Hashable],
        starts: Sequence[int],
        ends: Sequence[int],
        values: list[Any],
    ):
        self._ids: dict[Hashable, int] = {}
        key_ids = np.fromiter(
            (self._ids.setdefault(k, len(self._ids)) for k in keys), dtype=np.int64, count=len(keys)
        )
        packed = _pack(key_ids, np.asarray(starts, dtype=np.int64))
        order = np.argsort(packed, kind="stable")
        self._starts = packed[order]
        self._ends = np.asarray(ends, dtype=np.int64)[order]
        self._values = np.asarray(values, dtype=object)[order]
        self._key_ids = key_ids[order]

    def get(self, key: Hashable, day: int) -> Any:
        """The value visible for ``key`` on ``day``, or ``None``."""
        key_id = self._ids.get(key)
        if key_id is None:
            return None
        position = int(np.searchsorted(self._starts, (key_id << _KEY_SHIFT) + _clip(day), "right"))
        return self._walk_back(key_id, position - 1, day)

    def _walk_back(self, key_id: int, position: int, day: int) -> Any:
        # The latest record may have expired while an older one still holds: step back.
        while position >= 0 and self._key_ids[position] == key_id:
            if self._ends[position] >= day:
                return self._values[position]
            position -= 1
        return None

    def get_many(self, keys: Sequence[Hashable], days: np.ndarray) -> np.ndarray:
        """:meth:`get` for each (key, day) pair, as an object array (``None`` where nothing)."""
        key_ids = np.fromiter((self._ids.get(k, -1) for k in keys), dtype=np.int64, count=len(keys))
        result = np.full(len(keys), None, dtype=object)
        known = np.flatnonzero(key_ids >= 0)
        if len(known) == 0:
            return result
        ids, known_days = key_ids[known], days[known]
        query = (ids << _KEY_SHIFT) + np.clip(known_days + _DAY_OFFSET, 0, (1 << _KEY_SHIFT) - 1)
        positions = np.searchsorted(self._starts, query, side="right") - 1
        safe = np.maximum(positions, 0)
        hit = (positions >= 0) & (self._key_ids[safe] == ids) & (self._ends[safe] >= known_days)
        result[known[hit]] = self._values[safe[hit]]
        # Rare: the latest record for the key had expired; walk back one key at a time.
        for index in np.flatnonzero(~hit & (positions >= 0)):
            result[known[index]] = self._walk_back(
                int(ids[index]), int(positions[index]) - 1, int(known_days[index])
            )
        return result


def _clip(day: int) -> int:
    return min(max(day + _DAY_OFFSET, 0), (1 << _KEY_SHIFT) - 1)


def _pack(key_ids: np.ndarray, days: np.ndarray) -> np.ndarray:
    return (key_ids << _KEY_SHIFT) + np.clip(days + _DAY_OFFSET, 0, (1 << _KEY_SHIFT) - 1)


@dataclass
class _Intervals:
    keys: list[Hashable] = field(default_factory=list)
    starts: list[int] = field(default_factory=list)
    ends: list[int] = field(default_factory=list)

    def add(self, key: Hashable, start: int, end: int) -> None:
        self.keys.append(key)
        self.starts.append(start)
        self.ends.append(end)

    def index(self) -> IntervalIndex:
        return IntervalIndex(self.keys, self.starts, self.ends)


def _span(line: Mapping[str, Any]) -> tuple[int, int]:
    end = line.get("valid_until")
    return to_day(line["recorded_at"]), (to_day(end) if end else _NO_END)


class Snapshot:
    """Immutable point-in-time lookups over a set of entities (see the module docstring).

    Build with :meth:`from_entities`, :meth:`from_jsonl` or :meth:`from_database`; ``version``
    says what it was built from (for a database, :func:`repository.database_version`).
    """

    def __init__(self, lines: Iterable[Mapping[str, Any]], version: str) -> None:
        self.version = version
        self._entities: dict[tuple[str, str], Mapping[str, Any]] = {}
        for line in lines:
            frozen = MappingProxyType(dict(line))
            self._entities[(str(line["entity_type"]), str(line["id"]))] = frozen
        self._build()

    # -- construction ----------------------------------------------------------------------------

    @classmethod
    def from_entities(
        cls, entities: Iterable[Mapping[str, Any]], version: str = "in-memory"
    ) -> Snapshot:
        """From import-format dicts; each is validated like a loaded line (defaults filled)."""
        return cls((to_line(parse_entity(dict(entity))) for entity in entities), version)

    @classmethod
    def from_jsonl(cls, path: str | Path) -> Snapshot:
        """From a JSON Lines import file (validated, not written anywhere)."""
        from mizugiwa.features.jsonl import parse_line

        raw = Path(path).read_bytes()
        lines = (
            parse_line(path, number, line)
            for number, line in enumerate(raw.splitlines(), start=1)
            if line.strip()
        )
        return cls.from_entities(lines, version="sha256:" + hashlib.sha256(raw).hexdigest())

    @classmethod
    def from_database(cls, engine: Engine, as_of: date | None = None) -> Snapshot:
        """From the database (only rows visible on ``as_of`` when given)."""
        from mizugiwa.db.engine import session_scope
        from mizugiwa.features.tipdb.repository import database_version, iter_entities

        with session_scope(engine) as session:
            version = database_version(session)
            return cls(list(iter_entities(session, as_of)), version)

    def _build(self) -> None:
        by_type: dict[str, list[Mapping[str, Any]]] = {}
        for (entity_type, _), line in self._entities.items():
            by_type.setdefault(entity_type, []).append(line)
        persons = {line["id"]: line for line in by_type.get("person", [])}
        organisations = {line["id"]: line for line in by_type.get("organisation", [])}

        sponsorships: dict[str | None, _Intervals] = {None: _Intervals()}
        for line in by_type.get("sponsorship", []):
            span = _span(line)
            for key in sponsor_keys(line["sponsor_names"], line.get("sponsor_date_of_birth")):
                for relation in (None, line["relation"]):
                    sponsorships.setdefault(relation, _Intervals()).add(key, *span)
        self._sponsorships = {rel: acc.index() for rel, acc in sponsorships.items()}

        raids: dict[str | None, _Intervals] = {None: _Intervals()}
        raid_spans: dict[str, list[tuple[int, int]]] = {}
        for line in by_type.get("raid", []):
            span = _span(line)
            for kind in (None, line.get("kind", "raid")):
                raids.setdefault(kind, _Intervals()).add(line["organisation_id"], *span)
            raid_spans.setdefault(line["organisation_id"], []).append(span)
        self._raids = {kind: acc.index() for kind, acc in raids.items()}

        known = _Intervals()
        for line in organisations.values():
            known.add(line["id"], *_span(line))
        self._organisations = known.index()

        cases = _Intervals()
        for line in by_type.get("case", []):
            span = _span(line)
            for member in dict.fromkeys([*line.get("persons", []), *line.get("organisations", [])]):
                cases.add(member, *span)
        self._cases = cases.index()

        documents = by_type.get("travel_document", [])
        doc_spans = [_span(line) for line in documents]
        self._documents = LatestIndex(
            [document_key(line["number"], line["issuing_state"]) for line in documents],
            [span[0] for span in doc_spans],
            [span[1] for span in doc_spans],
            [line["status"] for line in documents],
        )

        links: dict[tuple[str, str], _Intervals] = {}
        for kind, key_of in (
            ("phone", lambda line: phone_key(line["number"], line.get("country"))),
            ("address", lambda line: address_key(line["address"])),
        ):
            for target in ("suspect", "raided_organisation", "protected", "recorded_alone"):
                links[(kind, target)] = _Intervals()
            for line in by_type.get(kind, []):
                key = key_of(line)
                start, end = _span(line)
                if not line.get("linked_to"):
                    # On the watchlist in its own right (a number from an advert, a hotline):
                    # recording it is the reason to look.
                    links[(kind, "recorded_alone")].add(key, start, end)
                for ref in line.get("linked_to", []):
                    self._add_link(
                        links, kind, key, (start, end), ref, persons, organisations, raid_spans
                    )
        self._links = {name: acc.index() for name, acc in links.items()}

    @staticmethod
    def _add_link(
        links: dict[tuple[str, str], _Intervals],
        kind: str,
        key: str,
        span: tuple[int, int],
        ref: str,
        persons: Mapping[str, Mapping[str, Any]],
        organisations: Mapping[str, Mapping[str, Any]],
        raid_spans: Mapping[str, list[tuple[int, int]]],
    ) -> None:
        """One interval per way the link can hold: the intersection of the records it joins."""
        person = persons.get(ref)
        if person is not None:
            start, end = _span(person)
            target: LinkTarget | None = (
                "protected"
                if person["role"] == "victim"
                else "suspect"
                if person["role"] in SUSPECT_ROLES
                else None
            )
            if target is not None:
                links[(kind, target)].add(key, max(span[0], start), min(span[1], end))
        organisation = organisations.get(ref)
        if organisation is not None:
            org_start, org_end = _span(organisation)
            for raid_start, raid_end in raid_spans.get(ref, []):
                links[(kind, "raided_organisation")].add(
                    key, max(span[0], org_start, raid_start), min(span[1], org_end, raid_end)
                )

    # -- lookups -----------------------------------------------------------------------------------

    def sponsorship_count(self, key: str, as_of: DateLike, relation: str | None = None) -> int:
        """Sponsorships visible on ``as_of`` by the sponsor with ``sponsor_key`` ``key`` (of one
        ``relation`` — spouse, employer, inviter, agency — or of any when ``None``)."""
        index = self._sponsorships.get(relation)
        return index.count(key, to_day(as_of)) if index is not None else 0

    def sponsorship_counts(
        self, keys: Sequence[str], as_of: DatesLike, relation: str | None = None
    ) -> np.ndarray:
        """:meth:`sponsorship_count` for many sponsors at once (``int64`` array)."""
        index = self._sponsorships.get(relation)
        if index is None:
            return np.zeros(len(keys), dtype=np.int64)
        return index.counts(keys, to_days(as_of, len(keys)))

    def raid_count(self, org_id: str, as_of: DateLike, kind: str | None = None) -> int:
        """Raids (``kind="raid"``), labour inspections (``"labour_inspection"``) or both
        (``None``) on organisation ``org_id`` visible on ``as_of``."""
        index = self._raids.get(kind)
        return index.count(org_id, to_day(as_of)) if index is not None else 0

    def raid_counts(
        self, org_ids: Sequence[str], as_of: DatesLike, kind: str | None = None
    ) -> np.ndarray:
        """:meth:`raid_count` for many organisations at once (``int64`` array)."""
        index = self._raids.get(kind)
        if index is None:
            return np.zeros(len(org_ids), dtype=np.int64)
        return index.counts(org_ids, to_days(as_of, len(org_ids)))

    def document_status(self, key: str, as_of: DateLike) -> str | None:
        """Status of the latest report on the document ``key`` (``document_key(number, state)``)
        visible on ``as_of``: ``lost``, ``stolen``, ``forged``, ``revoked``; ``None`` if none."""
        status = self._documents.get(key, to_day(as_of))
        return str(status) if status is not None else None

    def document_statuses(self, keys: Sequence[str], as_of: DatesLike) -> np.ndarray:
        """:meth:`document_status` for many documents (object array, ``None`` where clean)."""
        return self._documents.get_many(keys, to_days(as_of, len(keys)))

    def phone_linked(self, key: str, as_of: DateLike, target: LinkTarget = "suspect") -> bool:
        """Whether the phone ``key`` (``phone_key``) is linked, on ``as_of``, to a suspect
        (broker, trafficker, recruiter, facilitator), to an organisation with a visible raid or
        labour finding, or to a protected person (``target``), every record involved visible;
        ``recorded_alone``: the phone is on record with no link at all."""
        return self._links[("phone", target)].count(key, to_day(as_of)) > 0

    def phones_linked(
        self, keys: Sequence[str], as_of: DatesLike, target: LinkTarget = "suspect"
    ) -> np.ndarray:
        """:meth:`phone_linked` for many phones (``bool`` array)."""
        return self._links[("phone", target)].counts(keys, to_days(as_of, len(keys))) > 0

    def address_linked(self, key: str, as_of: DateLike, target: LinkTarget = "suspect") -> bool:
        """As :meth:`phone_linked`, for a normalised address (``address_key``)."""
        return self._links[("address", target)].count(key, to_day(as_of)) > 0

    def addresses_linked(
        self, keys: Sequence[str], as_of: DatesLike, target: LinkTarget = "suspect"
    ) -> np.ndarray:
        """:meth:`address_linked` for many addresses (``bool`` array)."""
        return self._links[("address", target)].counts(keys, to_days(as_of, len(keys))) > 0

    def organisation_known(self, org_id: str, as_of: DateLike) -> bool:
        """Whether organisation ``org_id`` is recorded and valid on ``as_of``."""
        return self._organisations.count(org_id, to_day(as_of)) > 0

    def organisations_known(self, org_ids: Sequence[str], as_of: DatesLike) -> np.ndarray:
        """:meth:`organisation_known` for many ids (``bool`` array)."""
        return self._organisations.counts(org_ids, to_days(as_of, len(org_ids))) > 0

    def case_count(self, entity_id: str, as_of: DateLike) -> int:
        """Confirmed cases visible on ``as_of`` involving the person or organisation
        ``entity_id``."""
        return self._cases.count(entity_id, to_day(as_of))

    def case_counts(self, entity_ids: Sequence[str], as_of: DatesLike) -> np.ndarray:
        """:meth:`case_count` for many ids (``int64`` array)."""
        return self._cases.counts(entity_ids, to_days(as_of, len(entity_ids)))

    # -- entities ----------------------------------------------------------------------------------

    def entity(self, entity_type: str, entity_id: str) -> Mapping[str, Any] | None:
        """The import-format record of an entity (read-only), whatever its dates."""
        return self._entities.get((entity_type, entity_id))

    def entities(self, entity_type: str | None = None) -> Iterator[Mapping[str, Any]]:
        """Every record (of one type), read-only; victims have ``role: "victim"``."""
        for (kind, _), line in self._entities.items():
            if entity_type is None or kind == entity_type:
                yield line

    def __len__(self) -> int:
        return len(self._entities)
