"""Sample records, accounts and helpers shared by the service tests."""

from __future__ import annotations

import copy
from typing import Any

from mizugiwa.service.auth import Role

APPLICATION: dict[str, Any] = {
    "application_id": "APP-MNL-0001",
    "post_code": "MNL",
    "submitted_at": "2025-03-01T09:00:00+08:00",
    "visa_category": "spouse_of_japanese",
    "applicant": {
        "family_name": "DELA CRUZ",
        "given_names": "MARIA",
        "sex": "F",
        "date_of_birth": "1998-05-04",
        "nationality": "PHL",
        "languages": ["tl", "en"],
        "phone": "+63 917 555 0101",
    },
    "passport": {
        "number": "P1234567A",
        "issuing_state": "PHL",
        "issue_date": "2020-01-10",
        "expiry_date": "2030-01-09",
    },
    "sponsor": {
        "role": "spouse",
        "family_name": "TANAKA",
        "given_names": "ICHIRO",
        "date_of_birth": "1958-07-30",
        "phone": "+81 90 1234 5678",
    },
    "marriage": {
        "marriage_date": "2025-01-20",
        "first_met_date": "2024-12-01",
        "met_via": "agency",
        "common_languages": [],
    },
    "travel": {
        "ticket_paid_by": "sponsor",
        "return_ticket": False,
        "intended_stay_days": 365,
    },
}

ENTRY: dict[str, Any] = {
    "entry_id": "ENT-NRT-0001",
    "port_code": "NRT",
    "arrived_at": "2025-04-01T14:30:00+09:00",
    "flight_number": "PR428",
    "mrz": [
        "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
        "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
    ],
    "visa_reference": "APP-MNL-0001",
    "declared_purpose": "family",
    "declared_stay_days": 365,
}

OUTCOME: dict[str, Any] = {
    "case_id": "APP-MNL-0001",
    "interviewed_at": "2025-03-10T10:00:00+08:00",
    "outcome": "sham_marriage",
    "referral_source": "model",
    "victim_support_offered": False,
}

# A one-passenger PAXLST D05B list for the traveller of ENTRY (flight PR428 to NRT).
PASSENGER_LIST = """\
UNB+UNOA:4+PRAPI:ZZ+JPNAPIS:ZZ+250401:0130+900001'
UNH+1+PAXLST:D:05B:UN:IATA'
BGM+745'
RFF+TN:PR428-20250401'
TDT+20+PR428+++PR'
LOC+125+MNL'
DTM+189:2504010930:201'
LOC+87+NRT'
DTM+232:2504011430:201'
NAD+FL+++ERIKSSON:ANNA:MARIA'
ATT+2++F'
DTM+329:740812'
NAT+2+UTO'
RFF+AVF:QX7K2M'
DOC+P:110:111+L898902C3'
DTM+36:120415'
LOC+91+UTO'
CNT+42:1'
UNT+18+1'
UNZ+1+900001'
"""


ROLE_ACCOUNTS: dict[str, tuple[Role, str | None]] = {
    "officer_mnl": (Role.CONSULAR_OFFICER, "MNL"),
    "officer_bkk": (Role.CONSULAR_OFFICER, "BKK"),
    "inspector": (Role.BORDER_INSPECTOR, None),
    "analyst": (Role.ANALYST, None),
    "auditor": (Role.AUDITOR, None),
    "admin": (Role.ADMIN, None),
    "investigator": (Role.INVESTIGATOR, None),
    "airline_gateway": (Role.API_FEED, None),
}


def sample(record: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """A deep copy of a sample record with top-level fields changed."""
    out = copy.deepcopy(record)
    out.update(changes)
    return out


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
