"""Batch lookups in the trafficking database, as of each case's date.

Indicators and rules call these; each returns a :class:`Column` (values plus, for the rows that
hit, the records behind them as ids). Everything is asked of a
:class:`~features.tipdb.snapshot.Snapshot` with one vectorised call per question, and results
are memoised on the batch so that an indicator and a rule asking the same question pay once.

Names are found in two steps: an exact key (normalised tokens, plus the birth date for persons)
against the snapshot's own records, then, when the context has a watchlist index, a fuzzy search
for the names not found exactly, once per distinct name (cached in the context) and without a
date; visibility on the case's date is checked afterwards on the candidate's own record, so the
cache never lets a later record through.
"""

from __future__ import annotations

import weakref
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from itertools import repeat
from typing import Any

import numpy as np

from mizugiwa.features.indicators.registry import Column, Details
from mizugiwa.features.indicators.sponsor_history import spouse_sponsorships_matched
from mizugiwa.features.normalise import address_key, organisation_key, phone_key, sponsor_keys
from mizugiwa.features.tipdb.entities import SUSPECT_ROLES
from mizugiwa.features.tipdb.identifiers import identifiers_of, lookup_keys
from mizugiwa.features.tipdb.snapshot import IntervalIndex, Snapshot, to_day

_NO_END = np.iinfo(np.int64).max
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()


def merge(*parts: Details) -> Details:
    """Per-row evidence of several lookups combined."""
    out: Details = {}
    for part in parts:
        for row, evidence in part.items():
            out.setdefault(row, {}).update(evidence)
    return out


def _span(record: Mapping[str, Any]) -> tuple[int, int]:
    end = record.get("valid_until")
    return to_day(record["recorded_at"]), (to_day(end) if end else _NO_END)


@dataclass(frozen=True)
class _Derived:
    """Exact-key indexes the snapshot does not keep itself, built once per snapshot."""

    suspects: IntervalIndex  # sponsor_key(name, dob) of brokers, traffickers...
    suspect_ids: dict[str, list[str]]
    victims: IntervalIndex  # sponsor_key(name, dob) of known victims
    organisations: dict[str, list[str]]  # normalised name -> organisation ids
    organisation_ids: frozenset[str]
    identifiers: dict[str, list[str]]  # "scheme:value" and "*:value" -> organisation ids
    contacts: dict[tuple[str, str], list[str]]  # (kind, key) -> phone/address entity ids


_DERIVED: weakref.WeakKeyDictionary[Snapshot, _Derived] = weakref.WeakKeyDictionary()


def derived(snapshot: Snapshot) -> _Derived:
    """The snapshot's exact-key name indexes (built on first use, then kept with it)."""
    found = _DERIVED.get(snapshot)
    if found is not None:
        return found
    suspect: tuple[list[str], list[int], list[int]] = ([], [], [])
    victim: tuple[list[str], list[int], list[int]] = ([], [], [])
    suspect_ids: dict[str, list[str]] = {}
    for person in snapshot.entities("person"):
        role = person.get("role")
        target = suspect if role in SUSPECT_ROLES else victim if role == "victim" else None
        if target is None:
            continue
        start, end = _span(person)
        for key in sponsor_keys(person["names"], person.get("date_of_birth")):
            target[0].append(key)
            target[1].append(start)
            target[2].append(end)
            if target is suspect:
                suspect_ids.setdefault(key, []).append(str(person["id"]))
    organisations: dict[str, list[str]] = {}
    identifiers: dict[str, list[str]] = {}
    for org in snapshot.entities("organisation"):
        for name in org["names"]:
            organisations.setdefault(organisation_key(name), []).append(str(org["id"]))
        for key in identifiers_of(org):
            for form in (key, "*:" + key.split(":", 1)[1]):
                identifiers.setdefault(form, []).append(str(org["id"]))
    contacts: dict[tuple[str, str], list[str]] = {}
    for phone in snapshot.entities("phone"):
        key = phone_key(phone["number"], phone.get("country"))
        contacts.setdefault(("phone", key), []).append(str(phone["id"]))
    for address in snapshot.entities("address"):
        contacts.setdefault(("address", address_key(address["address"])), []).append(
            str(address["id"])
        )
    built = _Derived(
        suspects=IntervalIndex(*suspect),
        suspect_ids=suspect_ids,
        victims=IntervalIndex(*victim),
        organisations=organisations,
        organisation_ids=frozenset(str(o["id"]) for o in snapshot.entities("organisation")),
        identifiers=identifiers,
        contacts=contacts,
    )
    _DERIVED[snapshot] = built
    return built


def days_of(batch: Any) -> np.ndarray:
    """The batch's as-of dates as ``int64`` days since 1970."""
    return np.asarray(batch.day, dtype=np.int64)


def present(keys: np.ndarray) -> np.ndarray:
    return np.asarray(keys != None, dtype=bool)  # noqa: E711


def _sponsorship_details(values: np.ndarray, variants: Mapping[int, list[str]]) -> Details:
    details: Details = {}
    for i in np.flatnonzero(values > 0).tolist():
        details[i] = {"spouse_sponsorships_on_record": int(values[i])}
        if variants.get(i):
            details[i]["found_under_other_spellings"] = variants[i]
    return details


def prior_spouse_sponsorships(batch: Any, ctx: Any) -> Column:
    """Spouse sponsorships by the sponsor visible the day before the application (so the
    sponsorship being applied for is never counted); NaN without a sponsor key."""

    def compute() -> Column:
        keys = batch.sponsor_person_key()
        if ctx.index is not None:  # with a matcher: romanisation variants and kanji names too
            births = [_dob_text(day) or "" for day in batch.sponsor_birth_day.tolist()]
            values, variants = spouse_sponsorships_matched(batch, ctx, keys, births)
            return Column(values, _sponsorship_details(values, variants))
        has = present(keys)
        values = np.full(len(batch), np.nan)
        if has.any():
            counts = ctx.snapshot.sponsorship_counts(
                keys[has].tolist(), days_of(batch)[has] - 1, relation="spouse"
            )
            values[has] = counts
        return Column(values, _sponsorship_details(values, {}))

    return batch.memo(("prior_spouses", id(ctx)), compute)


def contact_links(
    batch: Any, ctx: Any, kind: str, keys: np.ndarray, role: str, days: np.ndarray | None = None
) -> Column:
    """1 where the phone or address ``keys`` is linked, as of each date, to a suspect person
    or to an organisation with a visible raid or finding, else 0 (0 for absent keys)."""

    def compute() -> Column:
        when = days_of(batch) if days is None else days
        has = present(keys)
        suspect = np.zeros(len(keys), dtype=bool)
        raided = np.zeros(len(keys), dtype=bool)
        if has.any():
            ask = keys[has].tolist()
            lookup = (
                ctx.snapshot.phones_linked if kind == "phone" else ctx.snapshot.addresses_linked
            )
            suspect[has] = lookup(ask, when[has], "suspect")
            raided[has] = lookup(ask, when[has], "raided_organisation")
        contacts = derived(ctx.snapshot).contacts
        details: Details = {}
        for i in np.flatnonzero(suspect | raided):
            targets = [
                name
                for name, hit in (("suspect", suspect[i]), ("raided_organisation", raided[i]))
                if hit
            ]
            details[int(i)] = {
                role: {"linked_to": targets, "records": contacts.get((kind, keys[i]), [])}
            }
        return Column((suspect | raided).astype(np.float64), details)

    return batch.memo(("links", kind, role, id(ctx)), compute)


def recorded_alone(batch: Any, ctx: Any, kind: str, keys: np.ndarray, role: str) -> Column:
    """1 where the phone or address ``keys`` is on record, as of each date, without a link to
    anyone: the trafficking database holds it in its own right (an advert's number, a
    hotline), so meeting it is what the record is for."""

    def compute() -> Column:
        has = present(keys)
        hit = np.zeros(len(keys), dtype=bool)
        if has.any():
            lookup = (
                ctx.snapshot.phones_linked if kind == "phone" else ctx.snapshot.addresses_linked
            )
            hit[has] = lookup(keys[has].tolist(), days_of(batch)[has], "recorded_alone")
        contacts = derived(ctx.snapshot).contacts
        details: Details = {
            int(i): {
                role: {
                    "linked_to": ["recorded_alone"],
                    "records": contacts.get((kind, keys[i]), []),
                }
            }
            for i in np.flatnonzero(hit)
        }
        return Column(hit.astype(np.float64), details)

    return batch.memo(("alone", kind, role, id(ctx)), compute)


def protected_links(batch: Any, ctx: Any, kind: str, keys: np.ndarray) -> np.ndarray:
    """Where a phone or address is linked, as of each date, to a known victim."""
    has = present(keys)
    out = np.zeros(len(keys), dtype=bool)
    if has.any():
        lookup = ctx.snapshot.phones_linked if kind == "phone" else ctx.snapshot.addresses_linked
        out[has] = lookup(keys[has].tolist(), days_of(batch)[has], "protected")
    return out


def document_reports(keys: np.ndarray, days: np.ndarray, ctx: Any) -> Column:
    """1 where the document is reported lost, stolen, forged or revoked as of the date."""
    has = present(keys)
    statuses = np.full(len(keys), None, dtype=object)
    if has.any():
        statuses[has] = ctx.snapshot.document_statuses(
            keys[has].tolist(), np.asarray(days, dtype=np.int64)[has]
        )
    hit = present(statuses)
    details = {int(i): {"document_status": statuses[i]} for i in np.flatnonzero(hit)}
    return Column(hit.astype(np.float64), details)


def _fuzzy(ctx: Any, kind: str, name: str, dob: str | None) -> list[Any]:
    """Matching candidates for a name from the watchlist index, cached per (kind, name, dob)."""
    key = ("fuzzy", kind, name, dob)
    if key not in ctx.cache:
        found = ctx.index.search(kind, name, dob=dob, limit=5)
        ctx.cache[key] = [candidate for candidate in found if candidate.match]
    return ctx.cache[key]


def _visible(record: Mapping[str, Any], day: int) -> bool:
    start, end = _span(record)
    return start <= day <= end


def resolve_organisations(batch: Any, ctx: Any, names: np.ndarray) -> np.ndarray:
    """Organisation ids (a tuple per row, empty where none) for the names given: exact
    normalised name first, then the watchlist index when there is one."""
    by_name = derived(ctx.snapshot).organisations
    listed = names.tolist()
    table: dict[str, tuple[str, ...]] = {}
    for name in set(listed):
        if not name:
            continue
        ids = by_name.get(organisation_key(name))
        if ids is None and ctx.index is not None:
            ids = [c.id for c in _fuzzy(ctx, "organisation", name, None)]
        table[name] = tuple(ids or ())
    return np.fromiter(map(table.get, listed, repeat(())), dtype=object, count=len(listed))


def resolve_organisation_ids(ctx: Any, given: np.ndarray) -> np.ndarray:
    """Organisation ids (a tuple per row) for the ids agencies send: the database's own id,
    else an identifier by scheme (a corporate number, ``scheme:value``); the text itself when
    nothing is known of it (its raids then count as none)."""
    built = derived(ctx.snapshot)
    listed = given.tolist()
    table: dict[str, tuple[str, ...]] = {}
    for text in set(listed):
        if not text:
            continue
        if text in built.organisation_ids:
            table[text] = (text,)
            continue
        found = [org for key in lookup_keys(text) for org in built.identifiers.get(key, [])]
        table[text] = tuple(dict.fromkeys(found)) or (text,)
    return np.fromiter(map(table.get, listed, repeat(())), dtype=object, count=len(listed))


def organisation_findings(batch: Any, ctx: Any) -> Column:
    """Raids and labour inspections, as of the application date, against the employer, the
    recruitment agency and the sponsoring organisation (each counted once per application);
    NaN when none is named."""

    def compute() -> Column:
        n = len(batch)
        # (row, organisation) from each source in turn: ids given, then names resolved
        row_parts: list[np.ndarray] = []
        orgs_found: list[str] = []
        for ids in (batch.employer_id, batch.sponsor_organisation_id):
            found = resolve_organisation_ids(ctx, ids).tolist()
            sizes = np.fromiter(map(len, found), np.int64, n)
            row_parts.append(np.repeat(np.arange(n), sizes))
            orgs_found.extend(org for ids in found if ids for org in ids)
        for names in (
            batch.employer_name,
            batch.recruitment_agency,
            batch.sponsor_organisation_name,
        ):
            found = resolve_organisations(batch, ctx, names).tolist()
            sizes = np.fromiter(map(len, found), np.int64, n)
            row_parts.append(np.repeat(np.arange(n), sizes))
            orgs_found.extend(org for ids in found if ids for org in ids)
        named = (
            present(batch.employer_name)
            | present(batch.recruitment_agency)
            | present(batch.sponsor_organisation_name)
            | present(batch.sponsor_organisation_id)
        )
        # per row in source order (a stable sort), each organisation counted once
        all_rows = np.concatenate(row_parts)
        order = np.argsort(all_rows, kind="stable").tolist()
        pairs = dict.fromkeys(
            zip(all_rows[order].tolist(), [orgs_found[k] for k in order], strict=True)
        )
        rows = [row for row, _ in pairs]
        orgs = [org for _, org in pairs]
        values = np.where(named, 0.0, np.nan)
        details: Details = {}
        if orgs:
            row_index = np.asarray(rows, dtype=np.int64)
            counts = ctx.snapshot.raid_counts(orgs, days_of(batch)[row_index])
            np.add.at(values, row_index, counts)
            for row, org, count in zip(rows, orgs, counts.tolist(), strict=True):
                if count:
                    details.setdefault(row, {}).setdefault(
                        "organisations_with_findings", []
                    ).append({"id": org, "findings": count})
        return Column(values, details)

    return batch.memo(("org_findings", id(ctx)), compute)


def _dob_text(day: float) -> str | None:
    return None if np.isnan(day) else date.fromordinal(int(day) + _EPOCH_ORDINAL).isoformat()


CONFIRMED = 2.0  # name and date of birth agree with a watchlisted person
NAME_ONLY = 1.0  # the name agrees; no date of birth on one side to confirm or refute it


def watchlisted_sponsors(batch: Any, ctx: Any) -> Column:
    """How strongly a sponsor who is a person matches a broker, trafficker, recruiter or
    facilitator recorded and valid on the application date: ``CONFIRMED`` (2) where the name and
    the date of birth agree (exactly, or through the watchlist index with a date-of-birth match),
    ``NAME_ONLY`` (1) where the index matches the name but one side has no date of birth, else 0
    (0 without a sponsor name). Common names are shared by many innocent people, so only a
    confirmed identity may refer by rule; a name alone is evidence for the model."""
    return batch.memo(
        ("watchlist_sponsor", id(ctx)),
        lambda: watchlisted_people(
            ctx,
            days_of(batch),
            batch.sponsor_person_key(),
            batch.sponsor_family_name,
            batch.sponsor_given_names,
            batch.sponsor_birth_day,
        ),
    )


def watchlisted_people(
    ctx: Any,
    days: np.ndarray,
    keys: np.ndarray,
    family_names: np.ndarray,
    given_names: np.ndarray,
    birth_days: np.ndarray,
) -> Column:
    """The match of :func:`watchlisted_sponsors` for any persons: ``keys`` their
    :func:`~features.normalise.sponsor_key` (None without a birth date), the names and
    birth days (float days, NaN unknown) to search the watchlist index with, as of ``days``."""
    values = np.zeros(len(keys), dtype=np.float64)
    details: Details = {}
    has = present(keys)
    built = derived(ctx.snapshot)
    if has.any():
        exact = built.suspects.counts(keys[has].tolist(), days[has]) > 0
        for i in np.flatnonzero(has)[exact]:
            values[i] = CONFIRMED
            details[int(i)] = {
                "watchlist_person": built.suspect_ids.get(keys[i], []),
                "match": "exact name and date of birth",
            }
    if ctx.index is not None:
        named = np.flatnonzero(present(family_names) & (values == 0))
        for i in named:
            name = " ".join(part for part in (given_names[i], family_names[i]) if part)
            hits = [
                c
                for c in _fuzzy(ctx, "person", name, _dob_text(birth_days[i]))
                if c.entity.get("role") in SUSPECT_ROLES and _visible(c.entity, int(days[i]))
            ]
            if hits:
                confirmed = [c for c in hits if _dob_agrees(c)]
                values[i] = CONFIRMED if confirmed else NAME_ONLY
                details[int(i)] = {
                    "watchlist_person": [c.id for c in confirmed or hits],
                    "match_score": round(max(c.score for c in confirmed or hits), 3),
                    "match": "name and date of birth" if confirmed else "name only",
                }
    return Column(values, details)


def _dob_agrees(candidate: Any) -> bool:
    """The watchlist index found the same date of birth on both sides."""
    return any(feature == "dob_match" for feature, *_ in candidate.explanation)


def known_victim(batch: Any, ctx: Any) -> Column:
    """1 where the applicant matches a known victim (exact name and date of birth) or gives a
    phone or address linked to one, as of the application date. Protection guidance only."""

    def compute() -> Column:
        days = days_of(batch)
        identity = batch.identity_key()
        by_name = derived(ctx.snapshot).victims.counts(identity.tolist(), days) > 0
        phone, _ = batch.phone_keys()
        address, _ = batch.address_keys()
        by_phone = protected_links(batch, ctx, "phone", phone)
        by_address = protected_links(batch, ctx, "address", address)
        hit = by_name | by_phone | by_address
        details = {
            int(i): {
                "known_victim_match": [
                    what
                    for what, flag in (
                        ("name_and_birth_date", by_name[i]),
                        ("phone", by_phone[i]),
                        ("address", by_address[i]),
                    )
                    if flag
                ]
            }
            for i in np.flatnonzero(hit)
        }
        return Column(hit.astype(np.float64), details)

    return batch.memo(("known_victim", id(ctx)), compute)
