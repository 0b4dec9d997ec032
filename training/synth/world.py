"""Write a whole synthetic world: records, outcomes, the trafficking database and the truth.

Rows are generated in fixed-size blocks, block ``b`` of a stream from
``SeedSequence(seed, spawn_key=(stream, b))``, so the files depend on the seed and the counts
only (not on memory or chunking), and the same seed gives byte-identical files. Records are
written as they are generated; only numeric columns (and the MRZs entries re-use) are kept.
"""

from __future__ import annotations

import hashlib
import itertools
import multiprocessing
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar

import numpy as np
import orjson

from mizugiwa.training.legacy_rules import legacy_entry_scores, legacy_refer, legacy_scores
from mizugiwa.training.synth.actors import ESTABLISHMENTS, FINDINGS, NEVER, Actors, draw_actors
from mizugiwa.training.synth.applications import (
    ApplicationBlock,
    broker_person_names,
    generate_applications,
)
from mizugiwa.training.synth.entries import ApplicationIndex, EntryBlock, generate_entries
from mizugiwa.training.synth.names import spelling_variant
from mizugiwa.training.synth.population import CRACKDOWN
from mizugiwa.training.synth.schemes import CONCERNS, EXEMPT_MODEL, EXEMPT_SCHEMES, SCHEMES

GENERATOR_VERSION = "1.2"
BLOCK = 20_000
CAPACITY = 0.03  # share of cases the legacy process interviews
AUDIT_SHARE = 0.01  # random audit of the cases it does not refer
DETECTION = {"sham_marriage": 0.85, "impersonation": 0.85, "exploitation": 0.80}
FALSE_FINDING = 0.01  # innocent interviewees recorded as some other fraud
FILES = ("applications.jsonl", "entries.jsonl", "outcomes.jsonl", "tipdb.jsonl", "truth.jsonl")
_SCHEME_CONCERN = {s.name: s.concern for s in SCHEMES} | {
    name: concern for name, concern, _share in EXEMPT_SCHEMES
}
_CASE_TYPE = {
    "sham_marriage_ring": ("sham_marriage", "sham_marriage"),
    "impersonation_lookalike": ("impersonation", "impersonation"),
    "forged_document": ("forged_document", "forged_document"),
    "hostess_exploitation": ("trafficking_victim", "sexual_exploitation"),
    "visitor_exploitation": ("trafficking_victim", "trafficking"),
    "intern_labour": ("trafficking_victim", "labour_exploitation"),
    "labour_exploitation": ("trafficking_victim", "labour_exploitation"),
}


def _stream(seed: int, *key: int) -> np.random.Generator:
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=key))


class _Writer:
    """JSON Lines writer that hashes what it writes."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._file = path.open("wb")
        self._hash = hashlib.sha256()
        self.lines = 0

    def write(self, rows: list[dict[str, Any]]) -> None:
        self.write_bytes(_dumps(rows), len(rows))

    def write_bytes(self, data: bytes, lines: int) -> None:
        self._file.write(data)
        self._hash.update(data)
        self.lines += lines

    def __enter__(self) -> _Writer:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._file.close()

    @property
    def summary(self) -> dict[str, Any]:
        return {"lines": self.lines, "sha256": self._hash.hexdigest()}


@dataclass
class _Cases:
    """Per-case columns the outcome stage needs, gathered over blocks."""

    ids: list[str] = field(default_factory=list)
    scheme: list[str] = field(default_factory=list)
    day: list[np.ndarray] = field(default_factory=list)
    scores: list[np.ndarray] = field(default_factory=list)
    broker: list[str | None] = field(default_factory=list)
    org: list[str | None] = field(default_factory=list)
    names: list[Any] = field(default_factory=list)

    def add(
        self,
        result: dict[str, Any],
        day: np.ndarray,
        broker: list[str | None],
        org: list[str | None],
        names: list[Any],
    ) -> None:
        self.ids.extend(result["ids"])
        self.scheme.extend(result["schemes"])
        self.day.append(day)
        self.scores.append(result["scores"])
        self.broker.extend(broker)
        self.org.extend(org)
        self.names.extend(names)


@dataclass(frozen=True)
class WorldSummary:
    """What :func:`generate_world` wrote (also saved as ``manifest.json``)."""

    out: Path
    manifest: dict[str, Any]


_B = TypeVar("_B", ApplicationBlock, EntryBlock)
_SHARED: dict[str, Any] = {}  # read by worker processes (inherited when they fork)


def _dumps(rows: list[dict[str, Any]]) -> bytes:
    return b"".join(orjson.dumps(r, option=orjson.OPT_APPEND_NEWLINE) for r in rows)


def _application_block(b: int) -> dict[str, Any]:
    seed, total, actors = _SHARED["seed"], _SHARED["applications"], _SHARED["actors"]
    start = b * BLOCK
    block = generate_applications(_stream(seed, 1, b), start, min(BLOCK, total - start), actors)
    schemes = [SCHEMES[s].name for s in block.scheme.tolist()]
    return {
        "records": _dumps(block.records),
        "tipdb": _dumps(block.tipdb),
        "truth": _dumps(
            _truth(
                block.records, "application_id", "application", schemes, block.oracle, block.links
            )
        ),
        "n": len(block.records),
        "ids": [r["application_id"] for r in block.records],
        "schemes": schemes,
        "scores": legacy_scores(block.records),
        "tipdb_n": len(block.tipdb),
        "block": _lighten(block),
    }


def _entry_block(b: int) -> dict[str, Any]:
    seed, total = _SHARED["seed"], _SHARED["entries"]
    start = b * BLOCK
    block = generate_entries(
        _stream(seed, 2, b), start, min(BLOCK, total - start), _SHARED["index"], _SHARED["actors"]
    )
    return {
        "records": _dumps(block.records),
        "tipdb": _dumps(block.tipdb),
        "truth": _dumps(
            _truth(
                block.records,
                "entry_id",
                "entry",
                block.scheme_name,
                block.oracle,
                [{"broker": b} if b else {} for b in block.broker_id],
            )
        ),
        "n": len(block.records),
        "ids": [r["entry_id"] for r in block.records],
        "schemes": block.scheme_name,
        "scores": legacy_entry_scores(block.records),
        "tipdb_n": len(block.tipdb),
        "block": _lighten(block),
    }


def _lighten(block: _B) -> _B:
    """The block without its records, which are already serialised (cheaper to send back)."""
    block.records = []
    block.tipdb = []
    return block


def _blocks(
    func: Callable[[int], dict[str, Any]], count: int, workers: int
) -> Iterator[dict[str, Any]]:
    """Results of ``func`` over block numbers, in order, from ``workers`` processes."""
    if workers <= 1 or count <= 1:
        yield from map(func, range(count))
        return
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        yield from pool.imap(func, range(count))


def generate_world(
    seed: int, applications: int, entries: int, out: Path, workers: int = 1
) -> WorldSummary:
    """Generate a world of ``applications`` visa applications and ``entries`` border entries.

    Writes ``applications.jsonl``, ``entries.jsonl``, ``outcomes.jsonl``, ``tipdb.jsonl``,
    ``truth.jsonl`` and ``manifest.json`` into ``out`` (created if needed). ``workers``
    processes generate blocks in parallel; the files do not depend on it.
    """
    if seed < 0:
        raise ValueError(f"seed must be non-negative, got {seed}")
    if applications < 0 or entries < 0:
        raise ValueError("applications and entries must be non-negative")
    out.mkdir(parents=True, exist_ok=True)
    actors = draw_actors(_stream(seed, 0), applications)
    misc = _stream(seed, 5)
    app_cases, entry_cases = _Cases(), _Cases()
    kept: dict[str, list[Any]] = {k: [] for k in ApplicationIndex.__dataclass_fields__}
    _SHARED.update(seed=seed, applications=applications, entries=entries, actors=actors)
    try:
        with (
            _Writer(out / "applications.jsonl") as app_w,
            _Writer(out / "entries.jsonl") as entry_w,
            _Writer(out / "tipdb.jsonl") as db_w,
            _Writer(out / "truth.jsonl") as truth_w,
        ):
            db_w.write(broker_person_names(actors, misc))
            db_w.write(_organisation_lines(actors))
            n_blocks = -(-applications // BLOCK)
            for result in _blocks(_application_block, n_blocks, workers):
                block = result["block"]
                app_w.write_bytes(result["records"], result["n"])
                db_w.write_bytes(result["tipdb"], result["tipdb_n"])
                truth_w.write_bytes(result["truth"], result["n"])
                app_cases.add(result, block.day, block.broker_id, block.org_id, block.names)
                for key in kept:
                    kept[key].append(getattr(block, key))
            columns: dict[str, Any] = {k: _concat(v, k) for k, v in kept.items() if k != "mrz"}
            index = ApplicationIndex(
                mrz=list(itertools.chain.from_iterable(kept["mrz"])), **columns
            )
            del kept
            _SHARED["index"] = index
            for result in _blocks(_entry_block, -(-entries // BLOCK), workers):
                eblock = result["block"]
                entry_w.write_bytes(result["records"], result["n"])
                db_w.write_bytes(result["tipdb"], result["tipdb_n"])
                truth_w.write_bytes(result["truth"], result["n"])
                names = [
                    eblock.names[i] if eblock.names[i] is not None
                    else app_cases.names[int(eblock.application[i])]
                    for i in range(result["n"])
                ]  # fmt: skip
                entry_cases.add(result, eblock.day, eblock.broker_id, [None] * result["n"], names)
            db_w.write(_stolen_noise(misc, max(5, applications // 500)))
            with _Writer(out / "outcomes.jsonl") as outcome_w:
                cases: list[dict[str, Any]] = []
                for stream, data, hours in (
                    (3, app_cases, (2 * 24, 30 * 24)),
                    (4, entry_cases, (0, 3)),
                ):
                    rows, found = _outcomes(_stream(seed, stream), data, hours)
                    outcome_w.write(rows)
                    cases.extend(found)
                db_w.write(_case_lines(misc, cases, actors))
            summaries = {w.path.name: w.summary for w in (app_w, entry_w, db_w, truth_w, outcome_w)}
    finally:
        _SHARED.clear()
    manifest = _manifest(seed, applications, entries, summaries, app_cases, entry_cases)
    (out / "manifest.json").write_bytes(
        orjson.dumps(manifest, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS) + b"\n"
    )
    return WorldSummary(out=out, manifest=manifest)


def _concat(parts: list[np.ndarray], key: str) -> np.ndarray:
    if parts:
        return np.concatenate(parts)
    width = len(SCHEMES) if key in ("log_joint", "mrz_ll") else None
    return np.zeros((0, width) if width else 0)


def _truth(
    records: list[dict[str, Any]],
    id_key: str,
    kind: str,
    schemes: list[str],
    oracle: np.ndarray,
    links: list[dict[str, str]] | None = None,
) -> list[dict[str, Any]]:
    """Truth rows; ``links`` are the actors a case is truly linked to (the broker whose phone
    or address it carries, its employer, the establishment a sham-marriage ring placed the
    spouse at), which a look-back should find when they are recorded later."""
    rounded = np.round(oracle, 6).tolist()
    return [
        {
            "case_id": r[id_key],
            "kind": kind,
            "scheme": schemes[i],
            "concern": _SCHEME_CONCERN[schemes[i]],
            "oracle": dict(zip(CONCERNS, rounded[i], strict=True)),
            "links": links[i] if links is not None else {},
        }
        for i, r in enumerate(records)
    ]


def _outcomes(
    rng: np.random.Generator, cases: _Cases, hours: tuple[int, int]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Interviews chosen by the legacy checklist plus a random audit, with imperfect findings."""
    n = len(cases.ids)
    if n == 0:
        return [], []
    scores = np.concatenate(cases.scores)
    day = np.concatenate(cases.day)
    referred = legacy_refer(scores, CAPACITY, cases.ids)
    audited = ~referred & (rng.random(n) < AUDIT_SHARE)
    found_roll = rng.random(n)
    false_roll = rng.random(n)
    support_roll = rng.random(n)
    delay = rng.integers(hours[0] * 3600 + 600, hours[1] * 3600 + 3600, n)
    base = day.astype("datetime64[D]").astype("datetime64[s]") + np.timedelta64(9 * 3600, "s")
    when = np.datetime_as_string(base + delay.astype("timedelta64[s]"), unit="s")
    rows: list[dict[str, Any]] = []
    found: list[dict[str, Any]] = []
    for i in np.flatnonzero(referred | audited).tolist():
        scheme = cases.scheme[i]
        concern = _SCHEME_CONCERN[scheme]
        outcome = "no_concern"
        if concern is not None and found_roll[i] < DETECTION[concern]:
            outcome = _CASE_TYPE[scheme][0]
        elif concern is None and false_roll[i] < FALSE_FINDING:
            outcome = "other_fraud"
        support = outcome == "trafficking_victim" or (
            outcome == "sham_marriage" and support_roll[i] < 0.3
        )
        rows.append(
            {
                "case_id": cases.ids[i],
                "interviewed_at": str(when[i]) + "Z",
                "outcome": outcome,
                "referral_source": "rule" if referred[i] else "random_audit",
                "victim_support_offered": bool(support),
            }
        )
        if outcome not in ("no_concern", "other_fraud"):
            found.append(
                {
                    "case_id": cases.ids[i],
                    "scheme": scheme,
                    "day": int((base[i] + delay[i]).astype("datetime64[D]").astype(np.int64)),
                    "broker": cases.broker[i],
                    "org": cases.org[i],
                    "names": cases.names[i],
                }
            )
    return rows, found


def _organisation_lines(actors: Actors) -> list[dict[str, Any]]:
    """Raided organisations and their raids, recorded on the day of the raid."""
    lines: list[dict[str, Any]] = []
    o = actors.organisations
    for e, kind in enumerate(ESTABLISHMENTS):
        for k in range(o.ids[e].size):
            if o.raid_day[e][k] == NEVER:
                continue
            oid = str(o.ids[e][k])
            day = str(np.datetime64(int(o.raid_day[e][k]), "D"))
            org_type = (
                "establishment" if kind in ("adult_entertainment", "restaurant_bar") else "employer"
            )
            finding = FINDINGS[int(o.finding[e][k])]
            authority = "police" if kind == "adult_entertainment" else "labour_standards_office"
            lines.append(
                {
                    "entity_type": "organisation",
                    "id": oid,
                    "names": [o.names[e][k]],
                    "org_type": org_type,
                    "establishment_type": kind,
                    "country": "JPN",
                    "corporate_number": str(o.corporate_number[e][k]),
                    "source": authority,
                    "recorded_at": day,
                }
            )
            lines.append(
                {
                    "entity_type": "address",
                    "id": f"A-{oid}",
                    "address": o.address[e][k],
                    "country": "JPN",
                    "linked_to": [oid],
                    "source": authority,
                    "recorded_at": day,
                }
            )
            lines.append(
                {
                    "entity_type": "raid",
                    "id": f"R-{oid}",
                    "organisation_id": oid,
                    "date": day,
                    "authority": authority,
                    "kind": "raid" if authority == "police" else "labour_inspection",
                    "finding": finding,
                    "recorded_at": day,
                }
            )
    return lines


def _stolen_noise(rng: np.random.Generator, n: int) -> list[dict[str, Any]]:
    """Lost and stolen passports that never reach a Japanese post or port."""
    states = ("PHL", "VNM", "CHN", "IDN", "THA", "MYS", "KOR", "USA")
    days = rng.integers(16000, 20000, n)
    return [
        {
            "entity_type": "travel_document",
            "id": f"D-X{i + 1}",
            "number": f"X{int(rng.integers(10**7, 10**8))}",
            "issuing_state": states[int(rng.integers(len(states)))],
            "status": "stolen" if rng.random() < 0.5 else "lost",
            "source": "interpol_sltd",
            "recorded_at": str(np.datetime64(int(days[i]), "D")),
        }
        for i in range(n)
    ]


def _case_lines(
    rng: np.random.Generator, found: list[dict[str, Any]], actors: Actors
) -> list[dict[str, Any]]:
    """Confirmed cases (and their victims) as agencies record them after the interview."""
    recorded_broker = {
        str(i): int(d)
        for ids, days in zip(actors.brokers.ids, actors.brokers.recorded_day, strict=True)
        for i, d in zip(ids.tolist(), days.tolist(), strict=True)
    }
    raided = {
        str(i): int(d)
        for ids, days in zip(actors.organisations.ids, actors.organisations.raid_day, strict=True)
        for i, d in zip(ids.tolist(), days.tolist(), strict=True)
    }
    lines: list[dict[str, Any]] = []
    for case in found:
        day = case["day"]
        recorded = day + int(rng.integers(0, 30))
        persons = [case["broker"]] if recorded_broker.get(case["broker"], NEVER) <= day else []
        orgs = [case["org"]] if raided.get(case["org"], NEVER) <= day else []
        outcome, case_type = _CASE_TYPE[case["scheme"]]
        lines.append(
            {
                "entity_type": "case",
                "id": f"C-{case['case_id']}",
                "case_type": case_type,
                "date": str(np.datetime64(int(day), "D")),
                "persons": persons,
                "organisations": orgs,
                "source": "immigration_services",
                "recorded_at": str(np.datetime64(int(recorded), "D")),
            }
        )
        if outcome == "trafficking_victim" and case["names"] is not None:
            fam, giv, birth, nat = case["names"]
            lines.append(
                {
                    "entity_type": "person",
                    "id": f"V-{case['case_id']}",
                    "names": [spelling_variant(rng, fam, giv, nat)],
                    "date_of_birth": birth,
                    "nationality": nat,
                    "role": "victim",
                    "source": "immigration_services",
                    "recorded_at": str(np.datetime64(int(recorded), "D")),
                }
            )
    return lines


def _manifest(
    seed: int,
    applications: int,
    entries: int,
    files: dict[str, Any],
    app_cases: _Cases,
    entry_cases: _Cases,
) -> dict[str, Any]:
    def span(days: list[np.ndarray]) -> list[str] | None:
        if not days or not sum(d.size for d in days):
            return None
        allday = np.concatenate(days)
        return [
            str(np.datetime64(int(allday.min()), "D")),
            str(np.datetime64(int(allday.max()), "D")),
        ]

    return {
        "generator": "mizugiwa synth",
        "generator_version": GENERATOR_VERSION,
        "seed": seed,
        "counts": {"applications": applications, "entries": entries}
        | {name.removesuffix(".jsonl"): files[name]["lines"] for name in FILES},
        "files": files,
        "period": {"applications": span(app_cases.day), "entries": span(entry_cases.day)},
        "entertainer_crackdown": str(CRACKDOWN),
        "legacy_capacity": CAPACITY,
        "audit_share": AUDIT_SHARE,
        "concerns": list(CONCERNS),
        "exempt_schemes": list(EXEMPT_MODEL.names),
    }
