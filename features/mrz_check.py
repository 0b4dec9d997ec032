"""Machine-readable zone integrity per ICAO 9303, vectorised over many documents.

Two questions are asked of an MRZ: do its check digits hold (ICAO 9303 Part 3, 4.9: weights
7-3-1 over the character values 0-9, A=10..Z=35, '<'=0, modulo 10), and do its fields agree with
the record it came with (name, birth date, sex, nationality, document number, expiry)?

The check digits are computed with numpy over a ``[n, characters]`` byte matrix, one matrix per
format (TD1 3x30, TD2 2x36, TD3 2x44), so a million passports take well under a second; the
``mrz`` library checks one document at a time at about 0.3 ms each and serves as the reference in
the tests. Field agreement compares short strings and runs per document.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
from anyascii import anyascii

_VALUES = np.zeros(256, dtype=np.int64)
_VALUES[ord("0") : ord("9") + 1] = np.arange(10)
_VALUES[ord("A") : ord("Z") + 1] = np.arange(10, 36)
_WEIGHTS = np.array([7, 3, 1], dtype=np.int64)
_NOT_LETTERS = re.compile(r"[^A-Z]+")

# Field layout per format, as (start, end) over the lines joined without separators.
# Each check is (name, slices the digit covers, position of the check digit).
_Slices = tuple[tuple[int, int], ...]
_Check = tuple[str, _Slices, int]


@dataclass(frozen=True)
class _Layout:
    name: str
    lines: int
    width: int
    document_type: tuple[int, int]
    issuing_state: tuple[int, int]
    names: tuple[int, int]
    number: tuple[int, int]
    nationality: tuple[int, int]
    birth_date: tuple[int, int]
    sex: int
    expiry_date: tuple[int, int]
    checks: tuple[_Check, ...]


def _td3() -> _Layout:
    w = 44
    return _Layout(
        name="TD3",
        lines=2,
        width=w,
        document_type=(0, 2),
        issuing_state=(2, 5),
        names=(5, 44),
        number=(w + 0, w + 9),
        nationality=(w + 10, w + 13),
        birth_date=(w + 13, w + 19),
        sex=w + 20,
        expiry_date=(w + 21, w + 27),
        checks=(
            ("document_number", ((w + 0, w + 9),), w + 9),
            ("birth_date", ((w + 13, w + 19),), w + 19),
            ("expiry_date", ((w + 21, w + 27),), w + 27),
            ("optional_data", ((w + 28, w + 42),), w + 42),
            ("composite", ((w + 0, w + 10), (w + 13, w + 20), (w + 21, w + 43)), w + 43),
        ),
    )


def _td2() -> _Layout:
    w = 36
    return _Layout(
        name="TD2",
        lines=2,
        width=w,
        document_type=(0, 2),
        issuing_state=(2, 5),
        names=(5, 36),
        number=(w + 0, w + 9),
        nationality=(w + 10, w + 13),
        birth_date=(w + 13, w + 19),
        sex=w + 20,
        expiry_date=(w + 21, w + 27),
        checks=(
            ("document_number", ((w + 0, w + 9),), w + 9),
            ("birth_date", ((w + 13, w + 19),), w + 19),
            ("expiry_date", ((w + 21, w + 27),), w + 27),
            ("composite", ((w + 0, w + 10), (w + 13, w + 20), (w + 21, w + 35)), w + 35),
        ),
    )


def _td1() -> _Layout:
    w = 30
    return _Layout(
        name="TD1",
        lines=3,
        width=w,
        document_type=(0, 2),
        issuing_state=(2, 5),
        names=(2 * w, 3 * w),
        number=(5, 14),
        nationality=(w + 15, w + 18),
        birth_date=(w + 0, w + 6),
        sex=w + 7,
        expiry_date=(w + 8, w + 14),
        checks=(
            ("document_number", ((5, 14),), 14),
            ("birth_date", ((w + 0, w + 6),), w + 6),
            ("expiry_date", ((w + 8, w + 14),), w + 14),
            ("composite", ((5, 30), (w + 0, w + 7), (w + 8, w + 15), (w + 18, w + 29)), w + 29),
        ),
    )


LAYOUTS: dict[tuple[int, int], _Layout] = {(2, 44): _td3(), (2, 36): _td2(), (3, 30): _td1()}


def check_digit(text: str) -> str:
    """The ICAO 9303 check digit of ``text`` (weights 7, 3, 1; '<' counts as 0)."""
    codes = np.frombuffer(text.upper().encode("ascii"), dtype=np.uint8)
    weights = np.resize(_WEIGHTS, codes.size)
    return str(int((_VALUES[codes] * weights).sum() % 10))


@dataclass(frozen=True)
class MrzBatch:
    """Parsed MRZs of a batch; every array has one entry per input (empty text where absent).

    ``present`` is False where there was no MRZ or it had no ICAO 9303 shape; ``failed_checks``
    counts failing check digits (0 where absent) and ``failed_names`` lists them per row.
    """

    present: np.ndarray
    format: np.ndarray
    document_type: np.ndarray
    issuing_state: np.ndarray
    surname: np.ndarray
    given_names: np.ndarray
    number: np.ndarray
    nationality: np.ndarray
    birth_date: np.ndarray
    sex: np.ndarray
    expiry_date: np.ndarray
    failed_checks: np.ndarray
    failed_names: np.ndarray

    def __len__(self) -> int:
        return int(self.present.size)


def _lines(mrz: str) -> list[str]:
    return [line.strip().upper() for line in mrz.replace("\r", "").split("\n") if line.strip()]


def _field(matrix: np.ndarray, span: tuple[int, int]) -> np.ndarray:
    """Column slice of a byte matrix decoded to one string per row."""
    start, end = span
    block = np.ascontiguousarray(matrix[:, start:end])
    return block.view(f"S{end - start}").ravel().astype(str)


def _check_values(matrix: np.ndarray, slices: _Slices) -> np.ndarray:
    values = np.concatenate([_VALUES[matrix[:, a:b]] for a, b in slices], axis=1)
    weights = np.resize(_WEIGHTS, values.shape[1])
    return np.asarray((values * weights).sum(axis=1) % 10)


def parse_mrz(mrz: Sequence[str | None]) -> MrzBatch:
    """Parse and check many MRZs at once (newline-separated lines, as the records keep them)."""
    n = len(mrz)
    empty = np.full(n, "", dtype=object)
    out: dict[str, np.ndarray] = {
        name: empty.copy()
        for name in (
            "format",
            "document_type",
            "issuing_state",
            "surname",
            "given_names",
            "number",
            "nationality",
            "birth_date",
            "sex",
            "expiry_date",
        )
    }
    present = np.zeros(n, dtype=bool)
    failed = np.zeros(n, dtype=np.int16)
    failed_names = np.empty(n, dtype=object)
    failed_names[:] = [()] * n
    groups: dict[tuple[int, int], tuple[list[int], list[str]]] = {}
    for row, text in enumerate(mrz):
        if not text:
            continue
        lines = _lines(text)
        shape = (len(lines), len(lines[0]) if lines else 0)
        joined = "".join(lines)
        if shape in LAYOUTS and len(joined) == shape[0] * shape[1] and joined.isascii():
            rows, texts = groups.setdefault(shape, ([], []))
            rows.append(row)
            texts.append(joined)
    for shape, (rows, texts) in groups.items():
        layout = LAYOUTS[shape]
        index = np.asarray(rows)
        width = layout.lines * layout.width
        matrix = np.frombuffer("".join(texts).encode("ascii"), dtype=np.uint8).reshape(-1, width)
        present[index] = True
        out["format"][index] = layout.name
        for name in ("document_type", "issuing_state", "number", "nationality"):
            out[name][index] = np.char.rstrip(_field(matrix, getattr(layout, name)), "<")
        out["birth_date"][index] = _field(matrix, layout.birth_date)
        out["expiry_date"][index] = _field(matrix, layout.expiry_date)
        out["sex"][index] = _field(matrix, (layout.sex, layout.sex + 1))
        names = _field(matrix, layout.names)
        parts = np.char.partition(names, "<<")
        out["surname"][index] = np.char.strip(np.char.replace(parts[:, 0], "<", " "))
        out["given_names"][index] = np.char.strip(np.char.replace(parts[:, 2], "<", " "))
        bad_names: list[list[str]] = [[] for _ in rows]
        for check_name, slices, position in layout.checks:
            expected = _check_values(matrix, slices)
            # '<' is read as 0: ICAO allows a filler digit where an optional field is empty.
            bad = _VALUES[matrix[:, position]] != expected
            failed[index] += bad.astype(np.int16)
            for position_in_group in np.flatnonzero(bad).tolist():
                bad_names[position_in_group].append(check_name)
        for k, row in enumerate(rows):
            failed_names[row] = tuple(bad_names[k])
    return MrzBatch(present=present, failed_checks=failed, failed_names=failed_names, **out)


def mrz_name(text: str) -> str:
    """A name as an MRZ writes it, letters only: transliterated, upper-case, no separators."""
    return _NOT_LETTERS.sub("", anyascii(text).upper())


def _names_agree(mrz_text: str, record_text: str) -> bool:
    """Equal letters, or the MRZ holds a truncation of the record's name (long names are cut)."""
    mrz_letters = mrz_name(mrz_text)
    record_letters = mrz_name(record_text)
    if mrz_letters == record_letters:
        return True
    return len(mrz_letters) >= 4 and record_letters.startswith(mrz_letters)


def yymmdd(day: date) -> str:
    """A date as an MRZ writes it."""
    return day.strftime("%y%m%d")


# ICAO 9303 writes Germany as "D" in the MRZ.
_MRZ_STATE_ALIASES = {"D": "DEU"}

MRZ_FIELDS: tuple[str, ...] = (
    "name",
    "birth_date",
    "sex",
    "nationality",
    "document_number",
    "expiry_date",
)


def disagreeing_fields(
    parsed: MrzBatch,
    row: int,
    *,
    family_name: str,
    given_names: str,
    birth_date: str,
    sex: str,
    nationality: str,
    document_number: str,
    expiry_date: str,
) -> tuple[str, ...]:
    """The MRZ fields of ``row`` that disagree with the record (dates as ``YYMMDD``; an empty
    record value is not compared)."""
    if not parsed.present[row]:
        return ()
    bad: list[str] = []
    names_ok = _names_agree(str(parsed.surname[row]), family_name) and (
        not given_names or _names_agree(str(parsed.given_names[row]), given_names)
    )
    if not names_ok:
        bad.append("name")
    if birth_date and parsed.birth_date[row] != birth_date:
        bad.append("birth_date")
    mrz_sex = str(parsed.sex[row]).replace("<", "X")
    if sex and mrz_sex != sex:
        bad.append("sex")
    mrz_state = str(parsed.nationality[row])
    if nationality and _MRZ_STATE_ALIASES.get(mrz_state, mrz_state) != nationality:
        bad.append("nationality")
    record_number = document_number.replace("<", "")[:9]
    if document_number and parsed.number[row] != record_number:
        bad.append("document_number")
    if expiry_date and parsed.expiry_date[row] != expiry_date:
        bad.append("expiry_date")
    return tuple(bad)


def make_td3(
    *,
    family_name: str,
    given_names: str,
    number: str,
    issuing_state: str,
    nationality: str,
    birth_date: date,
    sex: str,
    expiry_date: date,
    optional_data: str = "",
    document_type: str = "P",
) -> str:
    """A valid TD3 (passport) MRZ for the given details, newline-separated."""

    def pad(text: str, width: int) -> str:
        return (text + "<" * width)[:width]

    def letters(text: str) -> str:
        return "<".join(part for part in re.split(r"[^A-Z]+", anyascii(text).upper()) if part)

    line1 = pad(
        f"{pad(document_type, 2)}{pad(issuing_state, 3)}"
        f"{letters(family_name)}<<{letters(given_names)}",
        44,
    )
    number_field = pad(number.upper(), 9)
    birth = yymmdd(birth_date)
    expiry = yymmdd(expiry_date)
    optional = pad(optional_data.upper(), 14)
    sex_char = sex if sex in ("F", "M") else "<"
    body = (
        f"{number_field}{check_digit(number_field)}{pad(nationality, 3)}"
        f"{birth}{check_digit(birth)}{sex_char}{expiry}{check_digit(expiry)}"
        f"{optional}{check_digit(optional)}"
    )
    composite = body[0:10] + body[13:20] + body[21:43]
    return f"{line1}\n{body}{check_digit(composite)}"
