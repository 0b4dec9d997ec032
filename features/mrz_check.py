"""Machine-readable zone integrity per ICAO 9303, vectorised over many documents.

Two questions are asked of an MRZ: do its check digits hold (ICAO 9303 Part 3, 4.9: weights
7-3-1 over the character values 0-9, A=10..Z=35, '<'=0, modulo 10), and do its fields agree with
the record it came with (name, birth date, sex, nationality, document number, expiry)?

The check digits are computed with numpy over a ``[n, characters]`` byte matrix, one matrix per
format (TD1 3x30, TD2 2x36, TD3 2x44), all digits of a format in one matrix product; texts already
in the schema's form go into that matrix without per-line work. The ``mrz`` library checks one
document at a time at about 0.3 ms each and serves as the reference in the tests. Field agreement
(:func:`disagreements`) is computed per field over many documents, transliterating each distinct
name once; :func:`disagreeing_fields` is the same code on one document.
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
_VALUES_F32 = _VALUES.astype(np.float32)
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


def _two_line(name: str, w: int) -> _Layout:
    """TD3 (passports, 44 characters) and TD2 (36) share one layout but for their width; only
    TD3 has a check digit of its own for the optional data."""
    optional: tuple[_Check, ...] = (
        (("optional_data", ((w + 28, w + 42),), w + 42),) if name == "TD3" else ()
    )
    return _Layout(
        name=name,
        lines=2,
        width=w,
        document_type=(0, 2),
        issuing_state=(2, 5),
        names=(5, w),
        number=(w + 0, w + 9),
        nationality=(w + 10, w + 13),
        birth_date=(w + 13, w + 19),
        sex=w + 20,
        expiry_date=(w + 21, w + 27),
        checks=(
            ("document_number", ((w + 0, w + 9),), w + 9),
            ("birth_date", ((w + 13, w + 19),), w + 19),
            ("expiry_date", ((w + 21, w + 27),), w + 27),
            *optional,
            ("composite", ((w + 0, w + 10), (w + 13, w + 20), (w + 21, 2 * w - 1)), 2 * w - 1),
        ),
    )


def _td3() -> _Layout:
    return _two_line("TD3", 44)


def _td2() -> _Layout:
    return _two_line("TD2", 36)


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


def _check_weights(layout: _Layout) -> tuple[np.ndarray, np.ndarray]:
    """Per check digit of a layout, the weights (7, 3, 1, 7...) of the characters it covers
    (0 elsewhere) as one ``[width, checks]`` matrix, and the check digits' positions."""
    # float32 sums of these small integers are exact (< 2**24) and run as one BLAS product
    weights = np.zeros((layout.lines * layout.width, len(layout.checks)), dtype=np.float32)
    for k, (_name, slices, _position) in enumerate(layout.checks):
        columns = np.concatenate([np.arange(a, b) for a, b in slices])
        weights[columns, k] = np.resize(_WEIGHTS, columns.size)
    return weights, np.asarray([position for _name, _slices, position in layout.checks])


_CHECK_WEIGHTS = {layout.name: _check_weights(layout) for layout in LAYOUTS.values()}


# Text length of an MRZ in schema form (lines joined by newlines) per layout.
_TEXT_LENGTHS = {shape[0] * shape[1] + shape[0] - 1: shape for shape in LAYOUTS}
_CLEAN_TEXTS = re.compile(r"[A-Z0-9<]+(?:\n[A-Z0-9<]+)*")
_NEWLINE = ord("\n")


def _newline_columns(lines: int, width: int) -> tuple[np.ndarray, np.ndarray]:
    """Where the newlines of texts joined by newlines fall, and the other columns."""
    stride = lines * width + lines
    breaks = np.arange(width, stride, width + 1)
    return breaks, np.setdiff1d(np.arange(stride), breaks)


_NEWLINE_COLUMNS = {shape: _newline_columns(*shape) for shape in LAYOUTS}


def _clean_group(texts: list[str], shape: tuple[int, int]) -> tuple[np.ndarray, np.ndarray] | None:
    """Texts of one length already in schema form, as a byte matrix without the newlines, and
    which of them have the layout's shape (a newline after each full line and nowhere else);
    ``None`` when some text is not in schema form."""
    lines = shape[0]
    blob = "\n".join(texts)
    if not _CLEAN_TEXTS.fullmatch(blob):
        return None
    breaks, keep = _NEWLINE_COLUMNS[shape]
    raw = np.frombuffer((blob + "\n").encode("ascii"), dtype=np.uint8).reshape(
        -1, keep.size + lines
    )
    newlines = raw == _NEWLINE
    shaped = newlines[:, breaks].all(axis=1) & (newlines.sum(axis=1) == lines)
    return raw[:, keep], shaped


def _shaped(mrz: Sequence[str | None]) -> dict[tuple[int, int], tuple[list[int], np.ndarray]]:
    """Rows with an ICAO 9303 shape, grouped by layout, with their characters as a byte matrix.

    Texts in the schema's form (upper case, ``<`` fillers, newline-separated) are taken per
    layout in one regex match and one matrix; anything else is normalised line by line.
    """
    by_length: dict[int, list[int]] = {}
    for row, text in enumerate(mrz):
        if text:
            by_length.setdefault(len(text) if text.__class__ is str else -1, []).append(row)
    rows_of: dict[tuple[int, int], list[list[int]]] = {}
    blocks: dict[tuple[int, int], list[np.ndarray]] = {}
    slow: list[int] = []
    for length, rows in by_length.items():
        shape = _TEXT_LENGTHS.get(length)
        group = None if shape is None else _clean_group([str(mrz[row]) for row in rows], shape)
        if shape is None or group is None:
            slow.extend(rows)
            continue
        matrix, shaped = group
        index = np.flatnonzero(shaped)
        rows_of.setdefault(shape, []).append(np.asarray(rows)[index].tolist())
        blocks.setdefault(shape, []).append(matrix[index])
        slow.extend(np.asarray(rows)[~shaped].tolist())
    texts_of: dict[tuple[int, int], tuple[list[int], list[str]]] = {}
    for row in slow:
        lines = _lines(str(mrz[row]))
        shape = (len(lines), len(lines[0]) if lines else 0)
        joined = "".join(lines)
        if shape in LAYOUTS and len(joined) == shape[0] * shape[1] and joined.isascii():
            rows, texts = texts_of.setdefault(shape, ([], []))
            rows.append(row)
            texts.append(joined)
    for shape, (rows, texts) in texts_of.items():
        width = shape[0] * shape[1]
        matrix = np.frombuffer("".join(texts).encode("ascii"), dtype=np.uint8).reshape(-1, width)
        rows_of.setdefault(shape, []).append(rows)
        blocks.setdefault(shape, []).append(matrix)
    return {
        shape: (
            [row for part in rows_of[shape] for row in part],
            np.concatenate(blocks[shape]) if len(blocks[shape]) > 1 else blocks[shape][0],
        )
        for shape in rows_of
    }


def _name_parts(names: np.ndarray) -> tuple[list[str], list[str]]:
    """Surname and given names of MRZ name fields (``<<`` between, ``<`` between words)."""
    surnames: list[str] = []
    given: list[str] = []
    for text in names.tolist():
        surname, _, rest = text.partition("<<")
        surnames.append(surname.replace("<", " ").strip())
        given.append(rest.replace("<", " ").strip())
    return surnames, given


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
    failed_names.fill(())
    for shape, (rows, matrix) in _shaped(mrz).items():
        layout = LAYOUTS[shape]
        index = np.asarray(rows, dtype=np.int64)
        present[index] = True
        out["format"][index] = layout.name
        for name in ("document_type", "issuing_state", "number", "nationality"):
            out[name][index] = np.char.rstrip(_field(matrix, getattr(layout, name)), "<")
        out["birth_date"][index] = _field(matrix, layout.birth_date)
        out["expiry_date"][index] = _field(matrix, layout.expiry_date)
        out["sex"][index] = _field(matrix, (layout.sex, layout.sex + 1))
        out["surname"][index], out["given_names"][index] = _name_parts(_field(matrix, layout.names))
        weights, positions = _CHECK_WEIGHTS[layout.name]
        values = _VALUES_F32[matrix]
        # every check digit at once; '<' is read as 0: ICAO allows a filler digit where an
        # optional field is empty
        sums = (values @ weights).astype(np.int64)
        bad = _VALUES[matrix[:, positions]] != sums % 10
        failed[index] = bad.sum(axis=1, dtype=np.int16)
        names = [check[0] for check in layout.checks]
        for k in np.flatnonzero(bad.any(axis=1)).tolist():
            failed_names[index[k]] = tuple(
                name for name, hit in zip(names, bad[k].tolist(), strict=True) if hit
            )
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
    record value is not compared): :func:`disagreements` for one row."""
    return disagreements(
        parsed,
        [row],
        family_name=[family_name],
        given_names=[given_names],
        birth_date=[birth_date],
        sex=[sex],
        nationality=[nationality],
        document_number=[document_number],
        expiry_date=[expiry_date],
    )[0]


def _letters(texts: Sequence[str]) -> list[str]:
    """:func:`mrz_name` of each text, computed once per distinct text."""
    table = {text: mrz_name(text) for text in set(texts)}
    return list(map(table.__getitem__, texts))


def _agree(mrz_letters: str, record_letters: str) -> bool:
    """Equal letters, or the MRZ holds a truncation of the record's name (long names are cut)."""
    return mrz_letters == record_letters or (
        len(mrz_letters) >= 4 and record_letters.startswith(mrz_letters)
    )


def disagreements(
    parsed: MrzBatch,
    rows: Sequence[int] | np.ndarray,
    *,
    family_name: Sequence[str],
    given_names: Sequence[str],
    birth_date: Sequence[str],
    sex: Sequence[str],
    nationality: Sequence[str],
    document_number: Sequence[str],
    expiry_date: Sequence[str],
) -> list[tuple[str, ...]]:
    """Per MRZ row of ``rows``, the fields (in :data:`MRZ_FIELDS` order) that disagree with the
    record values given for it (aligned with ``rows``; dates as ``YYMMDD``; an empty record
    value is not compared; a row without an MRZ disagrees in nothing)."""
    index = np.asarray(rows, dtype=np.int64)
    present = parsed.present[index].tolist()
    surname = _letters(parsed.surname[index].tolist())
    mrz_given = _letters(parsed.given_names[index].tolist())
    record_surname = _letters(list(family_name))
    record_given = _letters([name or "" for name in given_names])
    name = [
        not (_agree(a, b) and (not g or _agree(c, d)))
        for a, b, c, d, g in zip(
            surname, record_surname, mrz_given, record_given, given_names, strict=True
        )
    ]
    born = [
        bool(mine) and theirs != mine
        for theirs, mine in zip(parsed.birth_date[index].tolist(), birth_date, strict=True)
    ]
    sexes = [
        bool(mine) and theirs.replace("<", "X") != mine
        for theirs, mine in zip(parsed.sex[index].tolist(), sex, strict=True)
    ]
    states = [
        bool(mine) and _MRZ_STATE_ALIASES.get(theirs, theirs) != mine
        for theirs, mine in zip(parsed.nationality[index].tolist(), nationality, strict=True)
    ]
    numbers = [
        bool(mine) and theirs != mine.replace("<", "")[:9]
        for theirs, mine in zip(parsed.number[index].tolist(), document_number, strict=True)
    ]
    expires = [
        bool(mine) and theirs != mine
        for theirs, mine in zip(parsed.expiry_date[index].tolist(), expiry_date, strict=True)
    ]
    out: list[tuple[str, ...]] = []
    for flags in zip(present, name, born, sexes, states, numbers, expires, strict=True):
        if flags[0] and any(flags[1:]):
            out.append(
                tuple(field for field, bad in zip(MRZ_FIELDS, flags[1:], strict=True) if bad)
            )
        else:
            out.append(())
    return out


_FEW = 8
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()


def _ymd(day: float) -> str:
    return yymmdd(date.fromordinal(int(day) + _EPOCH_ORDINAL))


def yymmdd_of_days(days: np.ndarray) -> list[str]:
    """Float days since 1970 as MRZ dates ``YYMMDD`` (empty text for NaN)."""
    values = np.asarray(days, dtype=np.float64)
    if values.size <= _FEW:  # a request's row or two: numpy's datetime set-up costs more
        return ["" if np.isnan(value) else _ymd(value) for value in values.tolist()]
    known = ~np.isnan(values)
    out = [""] * values.size
    if known.any():
        moments = values[known].astype(np.int64).astype("datetime64[D]")
        years = moments.astype("datetime64[Y]").astype(np.int64) + 1970
        months = moments.astype("datetime64[M]")
        month = months.astype(np.int64) % 12 + 1
        day = (moments - months.astype("datetime64[D]")).astype(np.int64) + 1
        digits = np.stack(
            [years % 100 // 10, years % 10, month // 10, month % 10, day // 10, day % 10], axis=1
        ).astype(np.uint8) + ord("0")
        texts = digits.view("S6").ravel().astype(str).tolist()
        for position, text in zip(np.flatnonzero(known).tolist(), texts, strict=True):
            out[position] = text
    return out


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
