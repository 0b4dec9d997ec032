"""Hand-made applications, entries and trafficking-database records for the indicator tests."""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

import pytest

from mizugiwa.features.indicators import FeatureContext
from mizugiwa.features.mrz_check import make_td3
from mizugiwa.features.tipdb.snapshot import Snapshot

SPECIMEN_MRZ = (
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10"
)


def mrz_for(app: dict[str, Any]) -> str:
    """A valid TD3 MRZ agreeing with the application's passport and applicant."""
    a, p = app["applicant"], app["passport"]
    return make_td3(
        family_name=a["family_name"],
        given_names=a.get("given_names", ""),
        number=p["number"],
        issuing_state=p["issuing_state"],
        nationality=a["nationality"],
        birth_date=date.fromisoformat(a["date_of_birth"]),
        sex=a["sex"],
        expiry_date=date.fromisoformat(p["expiry_date"]),
    )


def spouse_application(**changes: Any) -> dict[str, Any]:
    """A spouse-of-Japanese application in JSON form; ``changes`` are dotted paths."""
    app: dict[str, Any] = {
        "application_id": "A-1",
        "post_code": "MNL",
        "submitted_at": "2024-06-10T03:00:00Z",
        "visa_category": "spouse_of_japanese",
        "applicant": {
            "family_name": "DELA CRUZ",
            "given_names": "MARIA",
            "sex": "F",
            "date_of_birth": "1999-02-01",
            "nationality": "PHL",
            "languages": ["tl"],
            "phone": "+63 917 123 4567",
            "address": "12 Rizal Street, Quezon City",
        },
        "passport": {
            "number": "P1234567A",
            "issuing_state": "PHL",
            "issue_date": "2024-05-30",
            "expiry_date": "2034-05-29",
        },
        "sponsor": {
            "role": "spouse",
            "family_name": "TANAKA",
            "given_names": "ICHIRO",
            "date_of_birth": "1958-07-30",
            "phone": "+81 90 1111 2222",
            "address": "3-1-2 Roppongi, Minato-ku, Tokyo",
        },
        "marriage": {
            "marriage_date": "2024-04-01",
            "first_met_date": "2024-03-01",
            "met_via": "agency",
            "common_languages": [],
            "sponsor_prior_foreign_spouses": 0,
        },
        "travel": {
            "ticket_paid_by": "sponsor",
            "return_ticket": False,
            "intended_stay_days": 365,
            "accompanying_minors": 0,
        },
        "biometrics": {"face_match_score": 0.42},
    }
    for path, value in changes.items():
        target = app
        *parents, leaf = path.split(".")
        for part in parents:
            target = target[part]
        if value is None:
            target.pop(leaf, None)
        else:
            target[leaf] = value
    app["passport"]["mrz"] = app["passport"].get("mrz") or mrz_for(app)
    return copy.deepcopy(app)


def worker_application(**changes: Any) -> dict[str, Any]:
    """An entertainer application through an agency, ticket paid by the employer."""
    app = spouse_application(
        **{
            "application_id": "A-2",
            "post_code": "BKK",
            "visa_category": "entertainer",
            "sponsor": None,
            "marriage": None,
            "biometrics": None,
            "applicant.phone": "+66 81 555 0000",
            "applicant.address": "99 Sukhumvit Road, Bangkok",
            "applicant.languages": ["th", "en"],
            "travel.ticket_paid_by": "employer",
            "travel.accompanying_minors": 1,
        }
    )
    app["employment"] = {
        "employer_name": "Club Paradise Roppongi",
        "establishment_type": "adult_entertainment",
        "recruitment_agency": "Golden Star Promotions",
        "recruitment_fee_jpy": 600_000,
        "monthly_wage_jpy": 150_000,
    }
    for path, value in changes.items():
        target = app
        *parents, leaf = path.split(".")
        for part in parents:
            target = target[part]
        target[leaf] = value
    return app


TIPDB: list[dict[str, Any]] = [
    {
        "entity_type": "person",
        "id": "P-17",
        "names": ["SATO KENICHI", "佐藤健一"],
        "date_of_birth": "1961-04-02",
        "role": "broker",
        "source": "police",
        "recorded_at": "2024-03-01",
    },
    {
        "entity_type": "person",
        "id": "V-1",
        "names": ["SANTOS ROSA"],
        "date_of_birth": "2001-05-05",
        "role": "victim",
        "source": "ngo",
        "recorded_at": "2023-01-01",
    },
    {
        "entity_type": "organisation",
        "id": "O-3",
        "names": ["Club Paradise Roppongi"],
        "org_type": "establishment",
        "establishment_type": "adult_entertainment",
        "source": "police",
        "recorded_at": "2023-11-20",
    },
    {
        "entity_type": "phone",
        "id": "T-9",
        "number": "+63 917 123 4567",
        "linked_to": ["P-17"],
        "source": "mofa_post",
        "recorded_at": "2024-05-02",
    },
    {
        "entity_type": "address",
        "id": "A-4",
        "address": "3-1-2 Roppongi, Minato-ku, Tokyo",
        "linked_to": ["O-3"],
        "source": "police",
        "recorded_at": "2023-11-20",
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
    {
        "entity_type": "raid",
        "id": "R-5",
        "organisation_id": "O-3",
        "date": "2023-11-20",
        "authority": "police",
        "finding": "illegal_employment",
    },
    {
        "entity_type": "sponsorship",
        "id": "S-30",
        "sponsor_names": ["TANAKA ICHIRO"],
        "sponsor_date_of_birth": "1958-07-30",
        "relation": "spouse",
        "sponsored_name": "REYES ANA",
        "date": "2021-06-01",
    },
    {
        "entity_type": "sponsorship",
        "id": "S-31",
        "sponsor_names": ["TANAKA ICHIRO"],
        "sponsor_date_of_birth": "1958-07-30",
        "relation": "spouse",
        "sponsored_name": "LOPEZ JOY",
        "date": "2023-02-01",
    },
]


@pytest.fixture()
def snapshot() -> Snapshot:
    return Snapshot.from_entities(TIPDB)


@pytest.fixture()
def ctx(snapshot: Snapshot) -> FeatureContext:
    return FeatureContext(snapshot=snapshot)
