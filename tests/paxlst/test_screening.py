"""Screening a list: the booth's lookups for each person and the links only a list shows, each
with its reason code and evidence."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

import pytest

from mizugiwa.features.indicators import FeatureContext
from mizugiwa.features.matching import WatchlistIndex
from mizugiwa.features.normalise import sponsor_key
from mizugiwa.features.paxlst import Document, Leg, PassengerList, Person
from mizugiwa.features.paxlst.indicators import ListLinks, ScreeningContext
from mizugiwa.features.paxlst.screening import screen_list
from mizugiwa.features.tipdb.snapshot import Snapshot

TIPDB: list[dict[str, Any]] = [
    {
        "entity_type": "person",
        "id": "P-17",
        "names": ["佐藤健一"],
        "date_of_birth": "1961-04-02",
        "nationality": "JPN",
        "role": "broker",
        "source": "police",
        "recorded_at": "2024-03-01",
    },
    {
        "entity_type": "person",
        "id": "P-18",
        "names": ["REYES BONG"],
        "date_of_birth": "1970-01-01",
        "role": "trafficker",
        "source": "police",
        "recorded_at": "2024-03-01",
    },
    {
        "entity_type": "travel_document",
        "id": "D-2",
        "number": "L898902C3",
        "issuing_state": "UTO",
        "status": "stolen",
        "source": "interpol_sltd",
        "recorded_at": "2022-01-09",
    },
]
LEG = Leg(
    "PR428",
    "PR",
    "MNL",
    "NRT",
    datetime(2025, 4, 1, 9, 30, tzinfo=UTC),
    datetime(2025, 4, 1, 14, 30, tzinfo=UTC),
)


def person(family: str, given: str, born: str, number: str, **values: Any) -> Person:
    expiry = values.pop("expiry", date(2030, 1, 1))
    state = values.pop("state", "PHL")
    return Person(
        role=values.pop("role", "passenger"),
        family_name=family,
        given_names=given,
        date_of_birth=date.fromisoformat(born),
        documents=(Document("P", number, expiry=expiry, issuing_state=state),),
        **values,
    )


def listing(*persons: Person, kind: str = "passengers") -> PassengerList:
    return PassengerList(
        list_kind=kind,  # type: ignore[arg-type]
        sender="PRAPI",
        recipient="JPNAPIS",
        reference="T1",
        prepared_at=datetime(2025, 4, 1, 8, 0, tzinfo=UTC),
        legs=(LEG,),
        persons=persons,
    )


@pytest.fixture(scope="module")
def features() -> FeatureContext:
    return FeatureContext(snapshot=Snapshot.from_entities(TIPDB), index=WatchlistIndex.build(TIPDB))


def codes(screen: Any) -> list[list[str]]:
    return [[reason.code for reason in p.reasons] for p in screen.persons]


def test_a_clean_list_refers_nobody(features: FeatureContext) -> None:
    pax = listing(person("DELA CRUZ", "MARIA", "1998-05-04", "P1234567A"))
    screen = screen_list(pax, ScreeningContext(features))
    assert [p.refer for p in screen.persons] == [False]
    assert codes(screen) == [[]]
    assert screen.degraded == []


def test_watchlisted_name_across_scripts_and_stolen_document(features: FeatureContext) -> None:
    pax = listing(
        person("SATO", "KENICHI", "1961-04-02", "TZ0000001", state="JPN"),
        person("ERIKSSON", "ANNA", "1974-08-12", "L898902C3", state="UTO"),
    )
    screen = screen_list(pax, ScreeningContext(features))
    broker, stolen = screen.persons
    assert broker.refer and broker.rule_codes == ["PL-WATCHLIST-PERSON"]
    assert broker.reasons[0].evidence["watchlist_person"] == ["P-17"]
    assert stolen.rule_codes == ["PL-DOC-REPORTED"]
    assert stolen.reasons[0].evidence["document_status"] == "stolen"
    assert stolen.reasons[0].text_ja


def test_document_expired_before_travel(features: FeatureContext) -> None:
    pax = listing(person("LOPEZ", "JOY", "1990-01-01", "P5555555C", expiry=date(2025, 3, 1)))
    [screened] = screen_list(pax, ScreeningContext(features)).persons
    assert screened.rule_codes == ["PL-DOC-EXPIRED"]
    assert screened.reasons[0].evidence["expired_days_before_departure"] == 31


def test_same_document_for_several_people(features: FeatureContext) -> None:
    pax = listing(
        person("REYES", "ANA", "1999-02-02", "P9999999X"),
        person("SANTOS", "LIZA", "2000-03-03", "P9999999X"),
        person("GARCIA", "ROSE", "2001-04-04", "P8888888Y"),
    )
    screen = screen_list(pax, ScreeningContext(features))
    assert codes(screen)[:2] == [["PL-DOC-SHARED"], ["PL-DOC-SHARED"]]
    assert screen.persons[0].reasons[0].evidence["same_document_as_person"] == [2]
    assert not screen.persons[2].refer


def test_group_on_a_booking_with_a_watchlisted_traveller(features: FeatureContext) -> None:
    pax = listing(
        person("REYES", "BONG", "1970-01-01", "P1000001A", booking_reference="GRP001"),
        person("CRUZ", "ANA", "2001-01-01", "P1000002A", booking_reference="GRP001"),
        person("LIM", "JOY", "2002-02-02", "P1000003A", booking_reference="GRP001"),
        person("TAN", "MAY", "2002-02-02", "P1000004A", booking_reference="OTHER1"),
    )
    screen = screen_list(pax, ScreeningContext(features))
    assert codes(screen) == [
        ["PL-WATCHLIST-PERSON"],
        ["PL-GROUP-REFERRED"],
        ["PL-GROUP-REFERRED"],
        [],
    ]
    evidence = screen.persons[1].reasons[0].evidence
    assert evidence["booking_reference"] == "GRP001"
    assert evidence["referred_co_travellers"] == [{"person": 1, "codes": ["PL-WATCHLIST-PERSON"]}]


def test_minor_with_an_unrelated_adult(features: FeatureContext) -> None:
    pax = listing(
        person("MENDOZA", "CARLO", "1980-01-01", "P2000001A", booking_reference="KID001"),
        person("VILLA", "NINA", "2012-06-01", "P2000002A", booking_reference="KID001"),
        person("SANTOS", "PEDRO", "1978-01-01", "P2000003A", booking_reference="FAM001"),
        person("SANTOS", "LEA", "2014-06-01", "P2000004A", booking_reference="FAM001"),
    )
    screen = screen_list(pax, ScreeningContext(features))
    # the adult on the child's booking is referred through the group, with the child's reason
    assert codes(screen) == [["PL-GROUP-REFERRED"], ["PL-MINOR-UNRELATED"], [], []]
    assert screen.persons[1].reasons[0].evidence["adults_on_booking"] == [1]
    assert screen.persons[1].reasons[0].evidence["age"] == 12


def test_visa_application_links(features: FeatureContext) -> None:
    me = person("DELA CRUZ", "MARIA", "1998-05-04", "P1234567A")
    impostor = person("REYES", "ANA", "1990-01-01", "P7777777Z")
    identity = sponsor_key(["DELA CRUZ", "MARIA"], date(1998, 5, 4))
    links = ListLinks(
        applications={
            "P1234567A|PHL": [
                {
                    "application_id": "APP-1",
                    "identity": identity,
                    "refer": True,
                    "reason_codes": ["SM-AGE-GAP"],
                }
            ],
            "P7777777Z|PHL": [{"application_id": "APP-2", "identity": "x|1980-01-01"}],
        }
    )
    screen = screen_list(listing(me, impostor), ScreeningContext(features, links))
    assert codes(screen) == [["PL-VISA-REFERRED"], ["PL-DOC-OTHER-PERSON"]]
    assert not screen.persons[0].refer  # a referred application is a reason, not a rule
    assert screen.persons[0].reasons[0].evidence["application_reasons"] == ["SM-AGE-GAP"]
    assert screen.persons[1].refer


def test_crew_member_seen_as_a_passenger_elsewhere(features: FeatureContext) -> None:
    crew = replace(person("KOVAC", "ANNE", "1985-03-17", "25FR99881", state="FRA"), role="crew")
    links = ListLinks(
        other_lists={
            "25FR99881|FRA": [
                {"list_id": "L-9", "flight": "AF276", "role": "passenger", "arrives": "x"},
                {"list_id": "L-8", "flight": "JL44", "role": "crew", "arrives": "y"},
            ]
        }
    )
    screen = screen_list(listing(crew, kind="crew"), ScreeningContext(features, links))
    [screened] = screen.persons
    assert screened.rule_codes == ["PL-CREW-PASSENGER"]
    assert [seen["list_id"] for seen in screened.reasons[0].evidence["other_lists"]] == ["L-9"]


def test_without_the_database_the_list_still_screens_and_says_so() -> None:
    pax = listing(
        person("REYES", "ANA", "1999-02-02", "P9999999X"),
        person("SANTOS", "LIZA", "2000-03-03", "P9999999X"),
    )
    screen = screen_list(pax, ScreeningContext(None))
    assert codes(screen) == [["PL-DOC-SHARED"], ["PL-DOC-SHARED"]]
    assert screen.degraded == ["trafficking database not loaded"]
