"""One normaliser per kind of value: the loader stores these forms, the snapshot and the
indicators look them up, and the watchlist index matches on them, so a value recorded in the
trafficking database and the same value in an application meet however either was written.

- :mod:`.scripts`: Latin readings of names in any script (``romanisations``);
- :mod:`.tokens`: romanisation-variant and phonetic keys of name tokens;
- :mod:`.persons`: exact keys of names (``sponsor_key``, ``organisation_key``);
- :mod:`.phones`: E.164 and national keys of phone numbers (``e164``, ``phone_key``);
- :mod:`.addresses`: sorted-token keys of addresses (``address_key``);
- :mod:`.documents`: travel-document numbers and keys (``document_key``).
"""

from mizugiwa.features.normalise.addresses import address_key, address_tokens
from mizugiwa.features.normalise.documents import document_key, document_number
from mizugiwa.features.normalise.persons import organisation_key, sponsor_key, sponsor_keys
from mizugiwa.features.normalise.phones import e164, national_key, phone_key, region
from mizugiwa.features.normalise.scripts import romanisations, script_of, writing_system

__all__ = [
    "address_key",
    "address_tokens",
    "document_key",
    "document_number",
    "e164",
    "national_key",
    "organisation_key",
    "phone_key",
    "region",
    "romanisations",
    "script_of",
    "sponsor_key",
    "sponsor_keys",
    "writing_system",
]
