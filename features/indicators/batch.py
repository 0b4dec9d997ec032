"""Column batches of applications and border entries: what every indicator reads.

A batch holds one numpy array per field, so each indicator is a vectorised expression and the
online path is the same code on a batch of one. Missing values are ``None`` in object columns and
``NaN`` in float columns (dates are float days since 1970-01-01, UTC).

There is one way in: records in their JSON form (the API body and the JSON Lines file format)
become columns through :mod:`features.indicators.reading`. ``from_dicts`` takes such records;
``from_records`` dumps validated pydantic records to that form first; ``from_jsonl`` parses lines
with orjson and, unless ``validate=True``, skips pydantic, which is several times faster on a
million lines and yields the same columns for valid records.

Derived keys (phones, addresses, names, documents) are normalised once per distinct value.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any, ClassVar, TypeVar

import numpy as np
import orjson
from pydantic import ValidationError

from mizugiwa.features.indicators.reading import (
    BatchError,
    application_columns,
    object_column,
    paused_gc,
    raw_columns,
)
from mizugiwa.features.indicators.reading import mrz_text as _mrz
from mizugiwa.features.indicators.reading import seconds as _seconds
from mizugiwa.features.jsonl import field_error, iter_objects, read_fast
from mizugiwa.features.network import SECONDS_PER_DAY
from mizugiwa.features.normalise import (
    address_key,
    document_key,
    organisation_key,
    phone_key,
    sponsor_key,
)
from mizugiwa.features.record_values import flight_number as _flight
from mizugiwa.features.record_values import unit_face_match
from mizugiwa.features.records import BorderEntry, VisaApplication

_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
_T = TypeVar("_T")


def _iso(day: float) -> str | None:
    """Days since 1970 back to ISO date text (None for NaN)."""
    return None if np.isnan(day) else date.fromordinal(int(day) + _EPOCH_ORDINAL).isoformat()


def read_application_lines(path: str | Path) -> list[list[Any]]:
    """The raw columns of a JSON Lines file of applications, straight from the lines (see
    :func:`mizugiwa.features.jsonl.read_fast`: a bad line is named as by the one reader)."""

    def read(lines: Iterable[bytes]) -> list[list[Any]]:
        with paused_gc():
            return raw_columns(lines, orjson.loads)

    return read_fast(path, read)


def _objects(values: Sequence[Any]) -> np.ndarray:
    """An object column of ``values`` (tuples stay elements)."""
    return object_column(values)


def _cached(fn: Callable[[str], _T | None], values: np.ndarray) -> np.ndarray:
    """Apply ``fn`` once per distinct non-empty value (``None`` where empty)."""
    listed = values.tolist()
    table = {value: fn(value) for value in set(listed) if value}
    return _objects(list(map(table.get, listed)))


def _name_keys(family: np.ndarray, given: np.ndarray) -> list[str]:
    """The name part of :func:`sponsor_key` (through its ``|``) of each family and given name,
    computed once per distinct pair."""
    pairs = list(zip(family.tolist(), given.tolist(), strict=True))
    table = {pair: sponsor_key([pair[0], pair[1] or ""], None) for pair in set(pairs)}
    return list(map(table.__getitem__, pairs))


def _iso_days(days: np.ndarray) -> list[str]:
    """ISO text of float days since 1970, computed once per distinct day (empty for NaN)."""
    listed = days.tolist()
    table = {value: _iso(value) or "" for value in set(listed)}
    return list(map(table.__getitem__, listed))


def _document_keys(numbers: np.ndarray, states: np.ndarray) -> list[str | None]:
    """:func:`document_key` of each (number, issuing state).

    A batch's numbers are already upper-case without blanks, so an ASCII alphanumeric number
    is its own :func:`~features.normalise.document_number` (NFKC and dropping separators
    change nothing) and only the state is normalised, once per distinct state.
    """
    listed = states.tolist()
    state_key = {state: document_key("0", state)[1:] for state in set(listed)}
    return [
        number + state_key[state]
        if number.isascii() and number.isalnum() and number.isupper()
        else document_key(number, state)
        for number, state in zip(numbers.tolist(), listed, strict=True)
    ]


def unless_same(values: np.ndarray, other: np.ndarray) -> np.ndarray:
    """``values`` with ``None`` where it equals ``other`` (one contact given for two roles)."""
    out = values.copy()
    out[values == other] = None
    return out


@cache
def _no_application_columns() -> dict[str, Any]:
    """The (empty) columns of no applications, built once: entries without a linked visa are
    common, and building empty columns costs as much as one row's. Size-0 arrays hold nothing,
    so batches may share them; each batch keeps its own memo."""
    return application_columns(raw_columns([]))


@dataclass(frozen=True, eq=False)
class ApplicationBatch:
    """Visa applications as columns (see the module doc for the conventions)."""

    kind: ClassVar[str] = "application"

    application_id: np.ndarray
    post_code: np.ndarray
    submitted_s: np.ndarray  # int64 seconds since 1970, UTC
    visa_category: np.ndarray
    family_name: np.ndarray
    given_names: np.ndarray
    name_native: np.ndarray
    sex: np.ndarray  # protected: fairness monitoring and MRZ agreement only
    birth_day: np.ndarray  # protected: age gap and MRZ agreement only
    nationality: np.ndarray  # protected: fairness monitoring and MRZ agreement only
    languages: np.ndarray  # tuples of ISO 639-1 codes
    applicant_phone: np.ndarray
    applicant_address: np.ndarray
    passport_number: np.ndarray
    issuing_state: np.ndarray
    passport_issue_day: np.ndarray
    passport_expiry_day: np.ndarray
    mrz: np.ndarray
    sponsor_role: np.ndarray
    sponsor_family_name: np.ndarray
    sponsor_given_names: np.ndarray
    sponsor_name_native: np.ndarray
    sponsor_birth_day: np.ndarray
    sponsor_organisation_name: np.ndarray
    sponsor_organisation_id: np.ndarray
    sponsor_phone: np.ndarray
    sponsor_address: np.ndarray
    marriage_day: np.ndarray
    first_met_day: np.ndarray
    met_via: np.ndarray
    common_languages: np.ndarray  # tuples, None without a marriage
    declared_prior_spouses: np.ndarray
    employer_name: np.ndarray
    employer_id: np.ndarray
    establishment_type: np.ndarray
    recruitment_agency: np.ndarray
    recruitment_fee_jpy: np.ndarray
    monthly_wage_jpy: np.ndarray
    ticket_paid_by: np.ndarray
    return_ticket: np.ndarray  # float 1/0
    intended_stay_days: np.ndarray
    accompanying_minors: np.ndarray
    face_match_score: np.ndarray
    _memo: dict[Any, Any] = field(default_factory=dict, repr=False, compare=False)

    # ----------------------------------------------------------------- construction
    @classmethod
    def from_dicts(cls, records: Iterable[Mapping[str, Any]]) -> ApplicationBatch:
        """Columns from applications in their JSON form (not validated: see ``from_jsonl``)."""
        with paused_gc():
            return cls(**application_columns(raw_columns(records)))

    @classmethod
    def from_records(
        cls, records: Sequence[VisaApplication | Mapping[str, Any]]
    ) -> ApplicationBatch:
        """Columns from validated applications (pydantic models, or dicts that are validated)."""
        dumped = [
            (
                record
                if isinstance(record, VisaApplication)
                else VisaApplication.model_validate(record)
            ).model_dump(mode="json")
            for record in records
        ]
        return cls.from_dicts(dumped)

    @classmethod
    def from_jsonl(cls, path: str | Path, *, validate: bool = False) -> ApplicationBatch:
        """Columns from a JSON Lines file of applications; ``validate`` checks each line with
        pydantic first (an error names the line and the field)."""
        if validate:
            records = []
            for number, row in iter_objects(path):
                try:
                    records.append(VisaApplication.model_validate(row))
                except ValidationError as exc:
                    raise field_error(path, number, exc) from exc
            return cls.from_records(records)
        with paused_gc():
            return cls(**application_columns(read_application_lines(path)))

    # ----------------------------------------------------------------- derived columns
    def __len__(self) -> int:
        return int(self.application_id.size)

    def memo(self, key: Any, compute: Callable[[], _T]) -> _T:
        """Compute a derived value once per batch (shared by several indicators)."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    @property
    def day(self) -> np.ndarray:
        """Submission date (UTC) as float days since 1970: the *as of* date of every lookup."""
        return self.memo("day", lambda: (self.submitted_s // SECONDS_PER_DAY).astype(np.float64))

    @property
    def protected(self) -> dict[str, np.ndarray]:
        """Protected attributes for fairness monitoring only; never features."""
        age = np.floor((self.day - self.birth_day) / 365.2425)
        return {"nationality": self.nationality, "sex": self.sex, "age": age}

    @property
    def when_s(self) -> np.ndarray:
        """Each case's date as int64 seconds since 1970 (UTC): submission."""
        return self.submitted_s

    def person(self, i: int) -> tuple[tuple[str, ...], str | None]:
        """Languages and sex of the applicant in row ``i`` (interview guidance)."""
        return tuple(self.languages[i]), self.sex[i]

    def guidance_keys(self, exploitation: np.ndarray) -> list[Any]:
        """Per row, everything interview guidance depends on besides a known-victim match:
        rows alike in it get the same guidance (computed once per distinct situation)."""
        return list(
            zip(
                (tuple(x) if x is not None else () for x in self.languages),
                self.sex.tolist(),
                exploitation.tolist(),
                strict=True,
            )
        )

    def sponsor_person_key(self) -> np.ndarray:
        """:func:`sponsor_key` of sponsors who are persons (a name and a birth date)."""

        def compute() -> np.ndarray:
            out = np.empty(len(self), dtype=object)
            rows = np.flatnonzero(
                (self.sponsor_family_name != None) & ~np.isnan(self.sponsor_birth_day)  # noqa: E711
            )
            if rows.size:
                names = _name_keys(self.sponsor_family_name[rows], self.sponsor_given_names[rows])
                births = _iso_days(self.sponsor_birth_day[rows])
                out[rows] = [name + born for name, born in zip(names, births, strict=True)]
            return out

        return self.memo("sponsor_key", compute)

    def phone_keys(self) -> tuple[np.ndarray, np.ndarray]:
        """(applicant, sponsor) phone lookup keys (E.164 where it parses)."""
        return self.memo(
            "phone_keys",
            lambda: (
                _cached(phone_key, self.applicant_phone),
                _cached(phone_key, self.sponsor_phone),
            ),
        )

    def address_keys(self) -> tuple[np.ndarray, np.ndarray]:
        """(applicant, sponsor) normalised addresses."""
        return self.memo(
            "address_keys",
            lambda: (
                _cached(address_key, self.applicant_address),
                _cached(address_key, self.sponsor_address),
            ),
        )

    def employer_key(self) -> np.ndarray:
        """The employer's id where given, else its normalised name (``name:`` prefixed)."""

        def compute() -> np.ndarray:
            names = _cached(lambda text: "name:" + organisation_key(text), self.employer_name)
            ids = self.employer_id
            return np.where(ids != None, ids, names)  # noqa: E711

        return self.memo("employer_key", compute)

    def document_key(self) -> np.ndarray:
        """:func:`document_key` of each passport (number and issuing state)."""
        return self.memo(
            "document_key",
            lambda: _objects(_document_keys(self.passport_number, self.issuing_state)),
        )

    def identity_key(self) -> np.ndarray:
        """Name and birth date of the holder, to tell whether a passport changed hands."""

        def compute() -> np.ndarray:
            names = _name_keys(self.family_name, self.given_names)
            births = _iso_days(self.birth_day)
            return _objects([name + born for name, born in zip(names, births, strict=True)])

        return self.memo("identity_key", compute)

    def network_keys(self) -> dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]]:
        """Rows this batch contributes to a :class:`~features.network.NetworkHistory`, per kind
        ``(keys, qualifiers, seconds)``.

        Phones and addresses of applicant and sponsor are both recorded; where the sponsor's
        value equals the applicant's it is recorded once.
        """
        applicant_phone, sponsor_phone = self.phone_keys()
        applicant_address, sponsor_address = self.address_keys()
        sponsor_phone = unless_same(sponsor_phone, applicant_phone)
        sponsor_address = unless_same(sponsor_address, applicant_address)
        post, seconds = self.post_code, self.submitted_s
        twice = np.tile(post, 2), np.tile(seconds, 2)
        return {
            "sponsor": (self.sponsor_person_key(), post, seconds),
            "phone": (np.concatenate([applicant_phone, sponsor_phone]), *twice),
            "address": (np.concatenate([applicant_address, sponsor_address]), *twice),
            "employer": (self.employer_key(), post, seconds),
            "document": (self.document_key(), self.identity_key(), seconds),
        }


@dataclass(frozen=True, eq=False)
class EntryBatch:
    """Border entries as columns, each with its linked visa application (if any) as a row of
    ``applications`` (``application_row`` is -1 where none is linked)."""

    kind: ClassVar[str] = "entry"

    entry_id: np.ndarray
    port_code: np.ndarray
    arrived_s: np.ndarray
    flight_number: np.ndarray  # None for a seaport arrival (a vessel instead)
    mrz: np.ndarray  # None when not read at the booth; ``mrz_missing_reason`` says why
    mrz_missing_reason: np.ndarray
    visa_reference: np.ndarray
    face_match_score: np.ndarray
    declared_purpose: np.ndarray
    declared_stay_days: np.ndarray
    declared_address: np.ndarray
    return_ticket: np.ndarray  # float 1/0/NaN
    travelling_with: np.ndarray  # float count
    application_row: np.ndarray  # int64 into ``applications``; -1 when unlinked
    applications: ApplicationBatch
    _memo: dict[Any, Any] = field(default_factory=dict, repr=False, compare=False)

    def __len__(self) -> int:
        return int(self.entry_id.size)

    def memo(self, key: Any, compute: Callable[[], _T]) -> _T:
        """Compute a derived value once per batch."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    @property
    def day(self) -> np.ndarray:
        """Arrival date (UTC) as float days: the *as of* date of every entry lookup."""
        return self.memo("day", lambda: (self.arrived_s // SECONDS_PER_DAY).astype(np.float64))

    @classmethod
    def from_dicts(
        cls,
        entries: Iterable[Mapping[str, Any]],
        applications_by_id: Mapping[str, Mapping[str, Any]] | None = None,
    ) -> EntryBatch:
        """Columns from entries in their JSON form and their linked applications (JSON form)."""
        linked = applications_by_id or {}
        rows: dict[str, list[Any]] = {
            name: []
            for name in (
                "entry_id",
                "port_code",
                "arrived_s",
                "flight_number",
                "mrz",
                "mrz_missing_reason",
                "visa_reference",
                "face_match_score",
                "declared_purpose",
                "declared_stay_days",
                "declared_address",
                "return_ticket",
                "travelling_with",
                "application_row",
            )
        }
        apps: list[Mapping[str, Any]] = []
        app_rows: dict[str, int] = {}
        for number, e in enumerate(entries):
            try:
                reference = e.get("visa_reference")
                row = -1
                if reference is not None and reference in linked:
                    if reference not in app_rows:
                        app_rows[reference] = len(apps)
                        apps.append(linked[reference])
                    row = app_rows[reference]
                rows["entry_id"].append(e["entry_id"])
                rows["port_code"].append(e["port_code"].strip().upper())
                rows["arrived_s"].append(_seconds(e["arrived_at"]))
                rows["flight_number"].append(_flight(e.get("flight_number")))
                rows["mrz"].append(_mrz(e.get("mrz")))
                rows["mrz_missing_reason"].append(e.get("mrz_missing_reason"))
                rows["visa_reference"].append(reference)
                score = unit_face_match(e.get("face_match_score"), e.get("face_match_scale"))
                rows["face_match_score"].append(np.nan if score is None else score)
                rows["declared_purpose"].append(e["declared_purpose"])
                rows["declared_stay_days"].append(float(e["declared_stay_days"]))
                rows["declared_address"].append(e.get("declared_address"))
                ticket = e.get("return_ticket")
                rows["return_ticket"].append(np.nan if ticket is None else float(bool(ticket)))
                rows["travelling_with"].append(float(len(e.get("travelling_with") or ())))
                rows["application_row"].append(row)
            except (KeyError, TypeError, ValueError, AttributeError) as error:
                ident = e.get("entry_id") if isinstance(e, Mapping) else None
                raise BatchError(
                    f"entry #{number} ({ident or 'no entry_id'}): missing or invalid field {error}"
                ) from error
        arrays: dict[str, Any] = {}
        for name, values in rows.items():
            if name in ("arrived_s", "application_row"):
                arrays[name] = np.asarray(values, dtype=np.int64)
            elif name in (
                "face_match_score",
                "declared_stay_days",
                "return_ticket",
                "travelling_with",
            ):
                arrays[name] = np.asarray(values, dtype=np.float64)
            else:
                column = np.empty(len(values), dtype=object)
                column[:] = values
                arrays[name] = column
        linked_batch = (
            ApplicationBatch.from_dicts(apps)
            if apps
            else ApplicationBatch(**_no_application_columns())
        )
        return cls(**arrays, applications=linked_batch)

    @classmethod
    def from_records(
        cls,
        entries: Sequence[BorderEntry | Mapping[str, Any]],
        applications_by_id: Mapping[str, VisaApplication | Mapping[str, Any]] | None = None,
    ) -> EntryBatch:
        """Columns from validated entries and the visa applications they refer to."""
        dumped = [
            (e if isinstance(e, BorderEntry) else BorderEntry.model_validate(e)).model_dump(
                mode="json"
            )
            for e in entries
        ]
        wanted = {d["visa_reference"] for d in dumped if d.get("visa_reference")}
        apps = {
            key: (
                app if isinstance(app, VisaApplication) else VisaApplication.model_validate(app)
            ).model_dump(mode="json")
            for key, app in (applications_by_id or {}).items()
            if key in wanted
        }
        return cls.from_dicts(dumped, apps)

    @property
    def protected(self) -> dict[str, np.ndarray]:
        """Protected attributes of the linked application's person (fairness monitoring only;
        unknown where no application is linked)."""
        if not len(self.applications):
            return {
                "nationality": np.full(len(self), None, dtype=object),
                "sex": np.full(len(self), None, dtype=object),
                "age": np.full(len(self), np.nan),
            }
        return {
            k: self.linked(np.asarray(v), fill=None if v.dtype == object else np.nan)
            for k, v in self.applications.protected.items()
        }

    @property
    def when_s(self) -> np.ndarray:
        """Each case's date as int64 seconds since 1970 (UTC): arrival."""
        return self.arrived_s

    def person(self, i: int) -> tuple[tuple[str, ...], str | None]:
        """Languages and sex of the traveller in row ``i``: from the linked application, else
        the sex the MRZ states (languages unknown)."""
        j = int(self.application_row[i])
        if j < 0:
            from mizugiwa.features.indicators.entries import entry_mrz

            sex = str(entry_mrz(self).sex[i]) or None
            return (), sex
        return tuple(self.applications.languages[j]), self.applications.sex[j]

    def declared_address_key(self) -> np.ndarray:
        """Normalised address declared at the border."""
        return self.memo("address_key", lambda: _cached(address_key, self.declared_address))

    def linked(self, column: np.ndarray, fill: Any = None) -> np.ndarray:
        """A column of the linked applications aligned to entries (``fill`` where unlinked)."""
        rows = self.application_row
        if column.dtype == object:
            out = np.empty(rows.size, dtype=object)
            out[:] = fill
        else:
            out = np.full(rows.size, np.nan if fill is None else fill, dtype=column.dtype)
        has = rows >= 0
        out[has] = column[rows[has]]
        return out
