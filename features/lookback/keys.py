"""The keys of a case: every phone, address, organisation, sponsor and travel document it
names, in the normal forms the trafficking database stores (``features.normalise``).

A key is ``(kind, key, field)``: ``kind`` is what the key is (``phone``, ``address``,
``org_id``, ``org_name``, ``sponsor``, ``document``; and ``visa_ref``, an entry's visa
reference), ``key`` its normal form and ``field``
where on the record it was found (``sponsor_phone``, ``employer``...), which the follow-up's
reasons name. The keys are exact: a look-back is an index lookup, never a fuzzy scan.

Phones written without a country code are read both as the writer's own country and as
Japanese (a number on a Japanese visa form without ``+`` is most often a Japanese one), so a
domestic ``090-1234-5678`` meets the ``+819012345678`` an agency recorded.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple

from mizugiwa.features.mrz_check import parse_mrz
from mizugiwa.features.normalise import (
    address_key,
    document_key,
    phone_key,
    sponsor_key,
)

KEY_KINDS: tuple[str, ...] = (
    "phone",
    "address",
    "org_id",
    "org_name",
    "sponsor",
    "document",
    "visa_ref",
)
_MAX_KEY = 600


class CaseKey(NamedTuple):
    """One lookup key of a case."""

    kind: str
    key: str
    field: str


def phone_keys(raw: str | None, country: str | None = None) -> list[str]:
    """The keys of a phone as written: its E.164 form when it has a country code; otherwise
    its reading in ``country`` (ISO alpha-3) and in Japan, each where it parses."""
    if not raw or not raw.strip():
        return []
    keys = [phone_key(raw)]
    if keys[0].startswith("raw:"):
        for region in (country, "JPN"):
            if region:
                keys.append(phone_key(raw, region))
    return list(dict.fromkeys(key for key in keys if key != "raw:"))


def organisation_name_key(name: str) -> str:
    """An organisation's name as compared (the normal form indicators use for names)."""
    return address_key(name)


def organisation_id_key(identifier: str) -> str:
    """An organisation's id or corporate number as compared: trimmed, upper case."""
    return identifier.strip().upper()


def sponsor_person_keys(
    family: str | None, given: str | None, native: str | None, dob: str | None
) -> list[str]:
    """Keys of a sponsor who is a person: the Latin and native names, with the date of birth
    and (so that a suspect recorded without one still meets them) without it."""
    names = [" ".join(part for part in (family, given) if part), native or ""]
    keys: list[str] = []
    for name in names:
        if not name.strip():
            continue
        for day in (dob, None):
            key = sponsor_key(name, day)
            if not key.startswith("|"):
                keys.append(key)
    return list(dict.fromkeys(keys))


def _add(out: list[CaseKey], kind: str, keys: Iterable[str], field: str) -> None:
    for key in keys:
        if key and len(key) <= _MAX_KEY:
            out.append(CaseKey(kind, key, field))


def application_keys(record: Mapping[str, Any]) -> list[CaseKey]:
    """Keys of a visa application (JSON form)."""
    out: list[CaseKey] = []
    applicant = record.get("applicant") or {}
    nationality = applicant.get("nationality")
    _add(out, "phone", phone_keys(applicant.get("phone"), nationality), "applicant_phone")
    if applicant.get("address"):
        _add(out, "address", [address_key(applicant["address"])], "applicant_address")
    sponsor = record.get("sponsor") or {}
    _add(out, "phone", phone_keys(sponsor.get("phone"), "JPN"), "sponsor_phone")
    if sponsor.get("address"):
        _add(out, "address", [address_key(sponsor["address"])], "sponsor_address")
    if sponsor.get("organisation_id"):
        _add(out, "org_id", [organisation_id_key(sponsor["organisation_id"])], "sponsor_org")
    if sponsor.get("organisation_name"):
        _add(out, "org_name", [organisation_name_key(sponsor["organisation_name"])], "sponsor_org")
    _add(
        out,
        "sponsor",
        sponsor_person_keys(
            sponsor.get("family_name"),
            sponsor.get("given_names"),
            sponsor.get("name_native"),
            sponsor.get("date_of_birth"),
        ),
        "sponsor",
    )
    employment = record.get("employment") or {}
    if employment.get("employer_id"):
        _add(out, "org_id", [organisation_id_key(employment["employer_id"])], "employer")
    if employment.get("employer_name"):
        _add(out, "org_name", [organisation_name_key(employment["employer_name"])], "employer")
    if employment.get("recruitment_agency"):
        _add(out, "org_name", [organisation_name_key(employment["recruitment_agency"])], "agency")
    passport = record.get("passport") or {}
    if passport.get("number") and passport.get("issuing_state"):
        _add(
            out,
            "document",
            [document_key(passport["number"], passport["issuing_state"])],
            "passport",
        )
    return list(dict.fromkeys(out))


def entry_keys(record: Mapping[str, Any]) -> list[CaseKey]:
    """Keys of a border entry (JSON form): the passport read from its MRZ and the declared
    address."""
    out: list[CaseKey] = []
    mrz = record.get("mrz")
    if isinstance(mrz, list):  # lines, as a request may send them; stored records join them
        mrz = "\n".join(str(line) for line in mrz)
    parsed = parse_mrz([mrz])
    if bool(parsed.present[0]) and parsed.number[0] and parsed.issuing_state[0]:
        _add(
            out,
            "document",
            [document_key(str(parsed.number[0]), str(parsed.issuing_state[0]))],
            "passport",
        )
    if record.get("declared_address"):
        _add(out, "address", [address_key(record["declared_address"])], "declared_address")
    if record.get("visa_reference"):
        # Not a fact's key: it lets a look-back that hits an application find the entries
        # made on that visa.
        _add(out, "visa_ref", [str(record["visa_reference"])], "visa_reference")
    return list(dict.fromkeys(out))


def case_keys(kind: str, record: Mapping[str, Any]) -> list[CaseKey]:
    """Keys of a stored case of ``kind`` (``application`` or ``entry``); none for kinds that
    carry no keys yet."""
    if kind == "application":
        return application_keys(record)
    if kind == "entry":
        return entry_keys(record)
    return []
