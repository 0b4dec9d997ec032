"""Input problems on the border inspection page as plain sentences, in the page's language.

The record schema's messages are for API clients ("String should match pattern
'^[A-Z]{3}$'"). An inspector gets a sentence that names the field as the page labels it and says
what a right value looks like, in Japanese on the Japanese page.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from pydantic import ValidationError

from mizugiwa.service.console.i18n import Lang

FIELD_MESSAGES: dict[str, tuple[str, str]] = {
    "flight_number": (
        "Flight number: give the airline's code and the flight's number, for example PR428.",
        "便名：航空会社コードと便番号を入力してください（例：PR428）。",
    ),
    "port_code": (
        "Port of entry: give its three-letter code, for example NRT.",
        "出入国港：3文字のコードを入力してください（例：NRT）。",
    ),
    "visa_reference": (
        "Visa application number: letters, digits and hyphens only, up to 64 characters.",
        "査証申請番号：英数字とハイフンのみ、64文字以内で入力してください。",
    ),
    "declared_purpose": (
        "Declared purpose: choose one from the list.",
        "渡航目的：一覧から選択してください。",
    ),
    "declared_stay_days": (
        "Declared stay: give a whole number of days from 0 to 3650.",
        "滞在予定日数：0から3650までの整数で入力してください。",
    ),
    "mrz": (
        "Machine-readable zone (MRZ): scan the passport or paste its two or three lines.",
        "機械読取領域（MRZ）：旅券を読み取るか、2行または3行を貼り付けてください。",
    ),
}

_MRZ_PATTERNS: list[tuple[re.Pattern[str], str, str]] = [
    (
        re.compile(r"an MRZ has 2 or 3 lines, got (\d+)"),
        "Machine-readable zone (MRZ): it has {0} lines; a passport has 2 (or 3 on ID cards).",
        "機械読取領域（MRZ）：{0}行あります。旅券は2行（IDカードは3行）です。",
    ),
    (
        re.compile(r"MRZ line (\d+) has (\d+) characters, line 1 has (\d+)"),
        "Machine-readable zone (MRZ) line {0} has {1} characters, line 1 has {2}: "
        "scan the passport again.",
        "機械読取領域（MRZ）の{0}行目は{1}文字ですが、1行目は{2}文字です。旅券を読み取り直してください。",
    ),
    (
        re.compile(r"MRZ line (\d+) has characters outside A-Z, 0-9 and '<': (.*)"),
        "Machine-readable zone (MRZ) line {0} has characters that cannot be in an MRZ: {1}.",
        "機械読取領域（MRZ）の{0}行目に使用できない文字があります：{1}",
    ),
    (
        re.compile(r"MRZ of (\d+) lines of (\d+) characters"),
        "Machine-readable zone (MRZ): {0} lines of {1} characters is not a passport or ID "
        "card layout.",
        "機械読取領域（MRZ）：{1}文字×{0}行は旅券・IDカードの形式ではありません。",
    ),
]


def mrz_problem(message: str, lang: Lang) -> str:
    """The MRZ validator's message as a sentence for the inspector."""
    for pattern, en, ja in _MRZ_PATTERNS:
        match = pattern.search(message)
        if match:
            return (ja if lang == "ja" else en).format(*match.groups())
    en, ja = FIELD_MESSAGES["mrz"]
    return ja if lang == "ja" else en


def field_problems(exc: ValidationError, lang: Lang, skip: Iterable[str] = ()) -> list[str]:
    """One sentence per field in error (the first error of each), in the page's language."""
    skipped = set(skip)
    lines: list[str] = []
    seen: set[str] = set()
    for error in exc.errors():
        field = str(error["loc"][0]) if error["loc"] else ""
        if field in skipped or field in seen:
            continue
        seen.add(field)
        if field == "mrz":
            lines.append(mrz_problem(str(error["msg"]), lang))
            continue
        en, ja = FIELD_MESSAGES.get(field, (f"{field}: not valid.", f"{field}：正しくありません。"))
        lines.append(ja if lang == "ja" else en)
    return lines
