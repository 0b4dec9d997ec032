"""A phone or address the trafficking database holds on its own (linked to no person or
organisation) is still on the watchlist: the rule fires when an application gives it, in
national or international form."""

from __future__ import annotations

from typing import Any

from mizugiwa.features.indicators import ApplicationBatch, FeatureContext, compute_rules
from mizugiwa.features.tipdb.snapshot import Snapshot

from .conftest import spouse_application

ALONE: list[dict[str, Any]] = [
    {
        "entity_type": "phone",
        "id": "T-1",
        "number": "09171234567",
        "country": "PHL",
        "source": "police",
        "recorded_at": "2024-01-10",
    },
    {
        "entity_type": "phone",
        "id": "T-2",
        "number": "03-5555-1234",
        "country": "JPN",
        "source": "police",
        "recorded_at": "2024-01-10",
    },
    {
        "entity_type": "address",
        "id": "A-1",
        "address": "東京都港区六本木3丁目1-2",
        "country": "JPN",
        "source": "police",
        "recorded_at": "2024-01-10",
    },
]


def _fired(
    records: list[dict[str, Any]], code: str, tipdb: list[dict[str, Any]] = ALONE
) -> tuple[list[bool], dict[int, Any]]:
    ctx = FeatureContext(snapshot=Snapshot.from_entities(tipdb))
    rules = compute_rules(ApplicationBatch.from_records(records), ctx)
    column = rules.codes.index(code)
    return rules.fired[:, column].tolist(), rules.evidence.get(code, {})


def test_a_phone_recorded_alone_fires_the_phone_rule() -> None:
    philippine = spouse_application(**{"applicant.phone": "+63 917 123 4567"})
    tokyo = spouse_application(
        **{"applicant.phone": "+63 2 8888 0000", "sponsor.phone": "+81-3-5555-1234"}
    )
    other = spouse_application(
        **{"applicant.phone": "+63 917 123 4568", "sponsor.phone": "+81 3 5555 1235"}
    )
    fired, evidence = _fired([philippine, tokyo, other], "RULE-WATCHLIST-PHONE")
    assert fired == [True, True, False]
    assert evidence[0]["applicant_phone"]["linked_to"] == ["recorded_alone"]
    assert evidence[0]["applicant_phone"]["records"] == ["T-1"]
    assert evidence[1]["sponsor_phone"]["records"] == ["T-2"]


def test_an_address_recorded_alone_fires_the_address_rule() -> None:
    same = spouse_application(**{"sponsor.address": "3-1-2 Roppongi, Minato-ku, Tokyo"})
    other = spouse_application(**{"sponsor.address": "3-1-3 Roppongi, Minato-ku, Tokyo"})
    fired, _ = _fired([same, other], "RULE-WATCHLIST-ADDRESS")
    assert fired == [True, False]


def test_before_it_was_recorded_nothing_fires() -> None:
    later = [{**ALONE[0], "recorded_at": "2024-07-01"}]  # the application is of 2024-06-10
    application = spouse_application(**{"applicant.phone": "+63 917 123 4567"})
    fired, _ = _fired([application], "RULE-WATCHLIST-PHONE", later)
    assert fired == [False]
