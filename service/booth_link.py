"""At the booth: the traveller's pre-arrival case, found by document and flight.

When a border entry is scored, :func:`add_prearrival_reasons` looks for the person on the
stored passenger list of the flight (same document number and issuing state read from the MRZ,
same flight, arriving within a day), links the case to the entry, and adds what the screening
found to the answer: its referring codes as rules that fired (the entry is then referred by
rule), its other codes as reasons, each with the pre-arrival case id in the evidence. A database
that does not answer degrades the answer, never fails it.
"""

from __future__ import annotations

from datetime import UTC, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import SQLAlchemyError

from mizugiwa.features.mrz_check import parse_mrz
from mizugiwa.features.normalise import document_key
from mizugiwa.features.records import BorderEntry
from mizugiwa.service.runtime import ServiceRuntime
from mizugiwa.service.tables import PreArrivalCase

ARRIVAL_WINDOW = timedelta(days=1)


def _document_key(entry: BorderEntry) -> str | None:
    parsed = parse_mrz([entry.mrz])
    if not parsed.present[0]:
        return None
    return document_key(str(parsed.number[0]), str(parsed.issuing_state[0]))


def add_prearrival_reasons(
    runtime: ServiceRuntime, entry: BorderEntry, row: dict[str, Any], skipped: list[str]
) -> str | None:
    """Link ``entry`` to its pre-arrival case and add the case's reasons to ``row`` (the
    score's JSON form); returns the case id, or None when the traveller was on no list."""
    key = _document_key(entry)
    if key is None or entry.flight_number is None:  # no MRZ read, or arrived by sea
        return None
    if runtime.database.open:
        skipped.append("pre-arrival lookup skipped: database unreachable")
        return None
    flight = entry.flight_number.replace(" ", "").upper()
    arrived = entry.arrived_at.astimezone(UTC)  # stored in UTC (SQLite keeps no offset)
    query = (
        select(
            PreArrivalCase.case_id,
            PreArrivalCase.refer,
            PreArrivalCase.rule_codes,
            PreArrivalCase.reasons,
        )
        .where(PreArrivalCase.document_key == key, PreArrivalCase.flight == flight)
        .where(
            PreArrivalCase.arrives_at.between(arrived - ARRIVAL_WINDOW, arrived + ARRIVAL_WINDOW)
        )
        .order_by(PreArrivalCase.arrives_at.desc())
        .limit(1)
    )
    try:
        with runtime.engine.begin() as connection:
            found = connection.execute(query).first()
            if found is None:
                return None
            connection.execute(
                update(PreArrivalCase)
                .where(PreArrivalCase.case_id == found.case_id)
                .values(entry_case_id=entry.entry_id)
            )
    except SQLAlchemyError as exc:
        runtime.database.failed()
        skipped.append(f"pre-arrival lookup skipped: database unreachable ({type(exc).__name__})")
        return None
    rules = set(found.rule_codes or ())
    for reason in found.reasons or ():
        evidence = {**reason.get("evidence", {}), "prearrival_case_id": found.case_id}
        if reason["code"] in rules:
            row["rules_fired"].append(
                {
                    "code": reason["code"],
                    "text_en": reason["text_en"],
                    "text_ja": reason["text_ja"],
                    "evidence": evidence,
                }
            )
        else:
            row["reasons"].append({**reason, "evidence": evidence})
    if found.refer:
        row["refer"] = True
        if "rule" not in row["referred_by"]:
            row["referred_by"].append("rule")
    return str(found.case_id)
