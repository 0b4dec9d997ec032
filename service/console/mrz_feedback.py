"""What an inspector is told about a pasted or scanned MRZ, line by line.

Two kinds of finding. A *shape* error (wrong number of lines, wrong length, characters outside
the MRZ alphabet) comes from the record schema's validator and stops the query: there is nothing
to score. A failing *check digit* is not an input error: it is evidence of a forged or altered
document, so the query goes ahead and the scorer refers it by rule; the page still says which
line and which field failed, so the inspector can look at the right place on the document.
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import TypeAdapter, ValidationError

from mizugiwa.features.mrz_check import LAYOUTS, parse_mrz
from mizugiwa.features.records import MrzText

_MRZ_ADAPTER: TypeAdapter[str] = TypeAdapter(MrzText)

_CHECK_LABELS: dict[str, tuple[str, str]] = {
    "document_number": ("document number", "旅券番号"),
    "birth_date": ("date of birth", "生年月日"),
    "expiry_date": ("date of expiry", "有効期限"),
    "optional_data": ("optional data", "任意データ"),
    "optional_data_2": ("optional data", "任意データ"),
    "composite": ("composite (whole line)", "複合チェック（行全体）"),
}


@dataclass(frozen=True)
class CheckDigitFinding:
    """A check digit that does not match the field it covers."""

    line: int
    field: str
    label_en: str
    label_ja: str


def normalise_mrz(text: str) -> str:
    """The MRZ as the schema keeps it (upper case, no spaces, newline-separated); raises
    ``ValueError`` naming the line at fault when it has no ICAO 9303 shape."""
    try:
        return _MRZ_ADAPTER.validate_python(text)
    except ValidationError as error:
        first = error.errors()[0]
        message = str(first.get("msg", "invalid MRZ")).removeprefix("Value error, ")
        raise ValueError(message) from None


def failing_check_digits(mrz: str) -> list[CheckDigitFinding]:
    """The check digits of a well-shaped MRZ that fail, each with its line number (1-based)."""
    parsed = parse_mrz([mrz])
    if not parsed.present[0]:
        return []
    lines = mrz.split("\n")
    layout = LAYOUTS[(len(lines), len(lines[0]))]
    positions = {name: position for name, _slices, position in layout.checks}
    findings = []
    for name in parsed.failed_names[0]:
        en, ja = _CHECK_LABELS.get(name, (name.replace("_", " "), name))
        findings.append(CheckDigitFinding(positions[name] // layout.width + 1, name, en, ja))
    return findings
