"""Applications in their JSON form read into columns, fast enough for a million lines.

Each record becomes one tuple of its raw field values (per nested object, one C-level dict merge
with the optional keys' defaults and one ``itemgetter``); the tuples are transposed into columns a
chunk at a time, and each column is normalised at once: values that repeat (codes, dates,
languages) are converted once per distinct value, numbers in one numpy call, timestamps in one
numpy parse where they all have the canonical ``YYYY-MM-DDTHH:MM:SSZ`` form. A value that cannot
be read raises :class:`BatchError` naming the record (number and id) and the field.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime
from operator import itemgetter
from typing import Any

import numpy as np

from mizugiwa.features.jsonl import JsonLinesError
from mizugiwa.features.record_values import (
    is_partial,
    language_as_compared,
    partial_date,
    unit_face_match,
)

_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
_READ_ERRORS = (KeyError, TypeError, ValueError, AttributeError)
_CHUNK = 16_384  # rows transposed at a time
_FEW = 8  # up to this many values, per-value parsing is cheaper than numpy's set-up
_CLEAN_MRZ = re.compile(r"[A-Z0-9<]+(?:\n[A-Z0-9<]+)*")


class BatchError(ValueError):
    """A record could not be read into a batch; the message names the record and the field."""


def day(text: str | None) -> float:
    """ISO date text as days since 1970-01-01 (NaN when absent)."""
    if text is None:
        return np.nan
    return float(date.fromisoformat(text[:10]).toordinal() - _EPOCH_ORDINAL)


def birth_day(text: str | None) -> float:
    """A date of birth as days since 1970-01-01; NaN when absent or partial (an unknown day or
    month, ICAO 9303's ``XX``): the day is not invented."""
    if text is None:
        return np.nan
    canonical = partial_date(text)
    return np.nan if is_partial(canonical) else day(canonical)


def seconds(text: str) -> int:
    """ISO timestamp as whole seconds since 1970 (UTC; a naive time is read as UTC)."""
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp())


def mrz_text(value: Any) -> str | None:
    """An MRZ as newline-separated lines, upper-case, without blanks (None when absent)."""
    if value is None:
        return None
    if value.__class__ is str and _CLEAN_MRZ.fullmatch(value):
        return value  # already in that form, as every MRZ a record validated
    lines = value if isinstance(value, list) else str(value).replace("\r", "").split("\n")
    return "\n".join(
        str(line).strip().upper().replace(" ", "") for line in lines if str(line).strip()
    )


def code(text: str) -> str:
    """A post, state or nationality code as compared: trimmed, upper-case."""
    return text.strip().upper()


def languages(codes: Iterable[str]) -> tuple[str, ...]:
    """ISO 639 codes as compared: the two-letter code where one exists (``eng`` is ``en``),
    else the three-letter one (``fil``, ``ceb``)."""
    return tuple(language_as_compared(code) for code in codes)


def passport_number(text: str) -> str:
    """A passport number as the record compares it: upper-case, without blanks."""
    return text.strip().upper().replace(" ", "")


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while millions of acyclic rows and columns are built:
    otherwise its full passes walk every object allocated so far, over and over."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


# ----------------------------------------------------------------------------- records to rows
def _fields(*names: str) -> Callable[[Mapping[str, Any]], tuple[Any, ...]]:
    getter = itemgetter(*names)
    return getter if len(names) > 1 else lambda record: (getter(record),)


_APPLICANT = _fields(
    "family_name",
    "given_names",
    "name_native",
    "sex",
    "date_of_birth",
    "nationality",
    "languages",
    "phone",
    "address",
)
_APPLICANT_OPTIONAL = dict.fromkeys(("given_names", "name_native", "languages", "phone", "address"))
_PASSPORT = _fields("number", "issuing_state", "issue_date", "expiry_date", "mrz")
_PASSPORT_OPTIONAL: dict[str, Any] = {"mrz": None}
_SPONSOR_FIELDS = (
    "role",
    "family_name",
    "given_names",
    "name_native",
    "date_of_birth",
    "organisation_name",
    "organisation_id",
    "phone",
    "address",
)
_SPONSOR = _fields(*_SPONSOR_FIELDS)
_SPONSOR_OPTIONAL = dict.fromkeys(_SPONSOR_FIELDS)
_MARRIAGE_FIELDS = ("marriage_date", "first_met_date", "met_via")
_MARRIAGE = _fields(*_MARRIAGE_FIELDS)
_MARRIAGE_OPTIONAL = dict.fromkeys(_MARRIAGE_FIELDS)
_EMPLOYMENT_FIELDS = (
    "employer_name",
    "employer_id",
    "establishment_type",
    "recruitment_agency",
    "recruitment_fee_jpy",
    "monthly_wage_jpy",
)
_EMPLOYMENT = _fields(*_EMPLOYMENT_FIELDS)
_EMPLOYMENT_OPTIONAL = dict.fromkeys(_EMPLOYMENT_FIELDS)
_NO_SPONSOR = (None,) * len(_SPONSOR_FIELDS)
# marriage fields, common languages (None: no marriage) and declared earlier spouses
_NO_MARRIAGE = (None,) * (len(_MARRIAGE_FIELDS) + 2)
_NO_EMPLOYMENT = (None,) * len(_EMPLOYMENT_FIELDS)

# Column order of a row, i.e. of ``ApplicationBatch``'s fields.
APPLICATION_FIELDS: tuple[str, ...] = (
    "application_id",
    "post_code",
    "submitted_s",
    "visa_category",
    "family_name",
    "given_names",
    "name_native",
    "sex",
    "birth_day",
    "nationality",
    "languages",
    "applicant_phone",
    "applicant_address",
    "passport_number",
    "issuing_state",
    "passport_issue_day",
    "passport_expiry_day",
    "mrz",
    "sponsor_role",
    "sponsor_family_name",
    "sponsor_given_names",
    "sponsor_name_native",
    "sponsor_birth_day",
    "sponsor_organisation_name",
    "sponsor_organisation_id",
    "sponsor_phone",
    "sponsor_address",
    "marriage_day",
    "first_met_day",
    "met_via",
    "common_languages",
    "declared_prior_spouses",
    "employer_name",
    "employer_id",
    "establishment_type",
    "recruitment_agency",
    "recruitment_fee_jpy",
    "monthly_wage_jpy",
    "ticket_paid_by",
    "return_ticket",
    "intended_stay_days",
    "accompanying_minors",
    "face_match_score",
)


# Where a column comes from in the JSON form, for error messages.
_JSON_NAMES = {
    "post_code": "post_code",
    "submitted_s": "submitted_at",
    "birth_day": "applicant.date_of_birth",
    "nationality": "applicant.nationality",
    "languages": "applicant.languages",
    "passport_number": "passport.number",
    "issuing_state": "passport.issuing_state",
    "passport_issue_day": "passport.issue_date",
    "passport_expiry_day": "passport.expiry_date",
    "mrz": "passport.mrz",
    "sponsor_birth_day": "sponsor.date_of_birth",
    "marriage_day": "marriage.marriage_date",
    "first_met_day": "marriage.first_met_date",
    "common_languages": "marriage.common_languages",
    "declared_prior_spouses": "marriage.sponsor_prior_foreign_spouses",
    "recruitment_fee_jpy": "employment.recruitment_fee_jpy",
    "monthly_wage_jpy": "employment.monthly_wage_jpy",
    "intended_stay_days": "travel.intended_stay_days",
    "accompanying_minors": "travel.accompanying_minors",
    "face_match_score": "biometrics.face_match_score",
}


def application_row(r: Mapping[str, Any]) -> tuple[Any, ...]:
    """The raw field values of one application, in :data:`APPLICATION_FIELDS` order."""
    sponsor = r.get("sponsor")
    marriage = r.get("marriage")
    employment = r.get("employment")
    travel = r["travel"]
    biometrics = r.get("biometrics")
    return (
        r["application_id"],
        r["post_code"],
        r["submitted_at"],
        r["visa_category"],
        *_APPLICANT({**_APPLICANT_OPTIONAL, **r["applicant"]}),
        *_PASSPORT({**_PASSPORT_OPTIONAL, **r["passport"]}),
        *(_NO_SPONSOR if sponsor is None else _SPONSOR({**_SPONSOR_OPTIONAL, **sponsor})),
        *(
            _NO_MARRIAGE
            if marriage is None
            else (
                *_MARRIAGE({**_MARRIAGE_OPTIONAL, **marriage}),
                marriage.get("common_languages") or (),
                marriage.get("sponsor_prior_foreign_spouses"),
            )
        ),
        *(
            _NO_EMPLOYMENT
            if employment is None
            else _EMPLOYMENT({**_EMPLOYMENT_OPTIONAL, **employment})
        ),
        travel["ticket_paid_by"],
        travel["return_ticket"],
        travel["intended_stay_days"],
        travel.get("accompanying_minors") or 0,
        (
            None
            if biometrics is None
            else unit_face_match(
                biometrics.get("face_match_score"), biometrics.get("face_match_scale")
            )
        ),
    )


def _describe(number: int, record: Any) -> str:
    ident = record.get("application_id") if isinstance(record, Mapping) else None
    return f"application #{number} ({ident or 'no application_id'})"


def raw_columns(
    records: Iterable[Any], parse: Callable[[Any], Any] | None = None
) -> list[list[Any]]:
    """The raw field values of the records, one list per field in :data:`APPLICATION_FIELDS`
    order (``parse`` first turns each item into a record, e.g. a JSON line). Rows are built and
    transposed a chunk at a time, while they are still in the CPU cache."""
    columns: list[list[Any]] = [[] for _ in APPLICATION_FIELDS]
    rows: list[tuple[Any, ...]] = []
    append = rows.append
    done = 0
    record: Any = None
    try:
        for item in records:
            record = None
            record = item if parse is None else parse(item)
            append(application_row(record))
            if len(rows) == _CHUNK:
                _extend(columns, rows)
                done += len(rows)
                rows.clear()
    except JsonLinesError:
        raise  # the file reader already named the file, the line and the field
    except _READ_ERRORS as error:
        raise BatchError(
            f"{_describe(done + len(rows), record)}: missing or invalid field {error}"
        ) from error
    _extend(columns, rows)
    return columns


def _extend(columns: list[list[Any]], rows: list[tuple[Any, ...]]) -> None:
    if rows:
        for column, values in zip(columns, zip(*rows, strict=True), strict=True):
            column.extend(values)


def object_column(values: Sequence[Any]) -> np.ndarray:
    """An object column of ``values`` (tuples stay elements, never become a dimension)."""
    size = len(values)
    if size > _FEW:
        return np.fromiter(values, dtype=object, count=size)
    # a request's row or two: item assignment is cheaper than ``fromiter``'s set-up
    out = np.empty(size, dtype=object)
    for i, value in enumerate(values):
        out[i] = value
    return out


# ----------------------------------------------------------------------------- rows to columns
class _Columns:
    """Normalises the transposed raw columns; an error names the first failing record."""

    def __init__(self, raw: list[list[Any]]) -> None:
        self.size = len(raw[0])
        self.raw: dict[str, Sequence[Any]] = dict(zip(APPLICATION_FIELDS, raw, strict=True))

    def fail(self, name: str, values: Sequence[Any], check: Callable[[Any], Any]) -> BatchError:
        """The error for the first value of ``values`` that ``check`` rejects."""
        for number, value in enumerate(values):
            try:
                check(value)
            except _READ_ERRORS as error:
                ident = self.raw["application_id"][number]
                return BatchError(
                    f"application #{number} ({ident or 'no application_id'}): "
                    f"invalid field {_JSON_NAMES.get(name, name)}: {error}"
                )
        return BatchError(f"invalid field {_JSON_NAMES.get(name, name)}")

    def objects(self, values: Sequence[Any]) -> np.ndarray:
        """An object column (tuples stay elements, never become a dimension)."""
        return object_column(values)

    def distinct(
        self, name: str, fn: Callable[[Any], Any], values: Sequence[Hashable] | None = None
    ) -> list[Any]:
        """``fn`` of each value, computed once per distinct value."""
        values = self.raw[name] if values is None else values
        try:
            table = {value: fn(value) for value in set(values)}
        except _READ_ERRORS as error:

            def check(value: Any) -> None:
                hash(value)
                fn(value)

            raise self.fail(name, values, check) from error
        return list(map(table.__getitem__, values))

    def each(self, name: str, fn: Callable[[Any], Any]) -> list[Any]:
        """``fn`` of each value (for columns whose values rarely repeat)."""
        values = self.raw[name]
        try:
            return list(map(fn, values))
        except _READ_ERRORS as error:
            raise self.fail(name, values, fn) from error

    def floats(self, name: str, *, required: bool = False) -> np.ndarray:
        """Numbers as ``float64``; ``None`` is NaN unless the field is ``required``."""
        values = self.raw[name]
        try:
            if required and None in values:
                raise TypeError("a number is required")
            return np.asarray(values, dtype=np.float64).reshape(len(values))
        except _READ_ERRORS as error:
            raise self.fail(name, values, float) from error

    def days(self, name: str, read: Callable[[Any], float] = day) -> np.ndarray:
        return np.asarray(self.distinct(name, read), dtype=np.float64)

    def seconds(self, name: str) -> np.ndarray:
        """Timestamps as ``int64`` seconds: one numpy parse when every value has the form
        ``YYYY-MM-DDTHH:MM:SSZ`` (which it reads exactly as :func:`seconds`), else per value."""
        values = self.raw[name]
        if len(values) > _FEW and all(value.__class__ is str for value in values):
            text = np.asarray(values, dtype=str)
            if text.dtype.itemsize == 20 * 4:
                chars = text.view(np.uint32).reshape(len(values), 20)
                if (chars[:, 19] == ord("Z")).all() and (chars[:, 10] == ord("T")).all():
                    try:
                        parsed = text.astype("U19").astype("datetime64[s]")
                    except ValueError:
                        parsed = None
                    if parsed is not None and not np.isnat(parsed).any():
                        return parsed.astype(np.int64)
        return np.asarray(self.each(name, seconds), dtype=np.int64)


def _language_key(codes: Any) -> Any:
    return tuple(codes) if codes.__class__ is list else codes


def application_columns(values: list[list[Any]]) -> dict[str, Any]:
    """The columns of ``ApplicationBatch`` from :func:`raw_columns`."""
    c = _Columns(values)
    raw = c.raw
    given = [name or "" for name in raw["given_names"]]
    spoken = [_language_key(codes) if codes else () for codes in raw["languages"]]
    common = [None if codes is None else _language_key(codes) for codes in raw["common_languages"]]
    out: dict[str, np.ndarray] = {
        "application_id": c.objects(raw["application_id"]),
        "post_code": c.objects(c.distinct("post_code", code)),
        "submitted_s": c.seconds("submitted_s"),
        "given_names": c.objects(given),
        "birth_day": c.days("birth_day", birth_day),
        "nationality": c.objects(c.distinct("nationality", code)),
        "languages": c.objects(c.distinct("languages", languages, spoken)),
        "passport_number": c.objects(c.each("passport_number", passport_number)),
        "issuing_state": c.objects(c.distinct("issuing_state", code)),
        "passport_issue_day": c.days("passport_issue_day"),
        "passport_expiry_day": c.days("passport_expiry_day"),
        "mrz": c.objects(c.each("mrz", mrz_text)),
        "sponsor_birth_day": c.days("sponsor_birth_day", birth_day),
        "marriage_day": c.days("marriage_day"),
        "first_met_day": c.days("first_met_day"),
        "common_languages": c.objects(
            c.distinct(
                "common_languages",
                lambda codes: None if codes is None else languages(codes),
                common,
            )
        ),
        "declared_prior_spouses": c.floats("declared_prior_spouses"),
        "recruitment_fee_jpy": c.floats("recruitment_fee_jpy"),
        "monthly_wage_jpy": c.floats("monthly_wage_jpy"),
        "return_ticket": np.fromiter(map(bool, raw["return_ticket"]), bool, c.size).astype(
            np.float64
        ),
        "intended_stay_days": c.floats("intended_stay_days", required=True),
        "accompanying_minors": c.floats("accompanying_minors", required=True),
        "face_match_score": c.floats("face_match_score"),
    }
    for name in APPLICATION_FIELDS:
        if name not in out:
            out[name] = c.objects(raw[name])
    return {name: out[name] for name in APPLICATION_FIELDS}
