"""The one travel-document normaliser: the number as the machine-readable zone prints it."""

from __future__ import annotations

import re
import unicodedata

_DOCUMENT_NOISE = re.compile(r"[^0-9A-Z]+")


def document_number(number: str) -> str:
    """A document number as compared: NFKC, upper-case letters and digits only (no spaces,
    MRZ fillers, dashes or dots)."""
    return _DOCUMENT_NOISE.sub("", unicodedata.normalize("NFKC", number).upper())


def document_key(number: str, issuing_state: str) -> str:
    """Key of a travel document: :func:`document_number` and the issuing state, e.g.
    ``"L898902C3|UTO"``."""
    return f"{document_number(number)}|{issuing_state.strip().upper()}"
