"""Airline passenger and crew lists (UN/EDIFACT PAXLST, D02B and D05B).

Public API::

    from mizugiwa.features.paxlst import parse_paxlst, write_paxlst, PassengerList, PaxlstError
    pax = parse_paxlst(text)            # raises PaxlstError(segment, reason): nothing partial
    pax.to_json()                       # list_kind, legs, persons, warnings, ...

The screening of a list (indicators, rules, reasons) is in
:mod:`mizugiwa.features.paxlst.screening`; the format's details in ``docs/passenger-lists.md``.
"""

from __future__ import annotations

from mizugiwa.features.paxlst.errors import PaxlstError
from mizugiwa.features.paxlst.model import Document, Leg, PassengerList, Person
from mizugiwa.features.paxlst.reader import parse_paxlst
from mizugiwa.features.paxlst.writer import write_paxlst

__all__ = [
    "Document",
    "Leg",
    "PassengerList",
    "PaxlstError",
    "Person",
    "parse_paxlst",
    "write_paxlst",
]
