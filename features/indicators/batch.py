"""Column batches of applications and border entries: what every indicator reads.

A batch holds one numpy array per field, so each indicator is a vectorised expression and the
online path is the same code on a batch of one. Missing values are ``None`` in object columns and
``NaN`` in float columns (dates are float days since 1970-01-01, UTC).

There is one way in: :meth:`ApplicationBatch.from_dicts` reads records in their JSON form (the
API body and the JSON Lines file format). ``from_records`` dumps validated pydantic records to that
form first; ``from_jsonl`` parses lines with orjson and, unless ``validate=True``, skips pydantic,
which is several times faster on a million lines and yields the same columns for valid records.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import orjson
import phonenumbers
from phonenumbers.phonemetadata import PhoneMetadata

from features.network import SECONDS_PER_DAY
from features.records import BorderEntry, VisaApplication
from features.tipdb.normalise import address_key, document_key, phone_key, sponsor_key

_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
_T = TypeVar("_T")


class BatchError(ValueError):
    """A record could not be read into a batch; the message names the record and the field."""


def _day(text: str | None) -> float:
    """ISO date text as days since 1970-01-01 (NaN when absent)."""
    if text is None:
        return np.nan
    return float(date.fromisoformat(text[:10]).toordinal() - _EPOCH_ORDINAL)


def _iso(day: float) -> str | None:
    """Days since 1970 back to ISO date text (None for NaN)."""
    return None if np.isnan(day) else date.fromordinal(int(day) + _EPOCH_ORDINAL).isoformat()


def _seconds(text: str) -> int:
    """ISO timestamp as whole seconds since 1970 (UTC; a naive time is read as UTC)."""
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp())


def _mrz(value: Any) -> str | None:
    if value is None:
        return None
    lines = value if isinstance(value, list) else str(value).replace("\r", "").split("\n")
    return "\n".join(
        str(line).strip().upper().replace(" ", "") for line in lines if str(line).strip()
    )


def _possible_lengths(country_code: int) -> frozenset[int] | None:
    """National number lengths ``phonenumbers`` accepts as possible for a calling code."""
    region = phonenumbers.region_code_for_country_code(country_code)
    meta = (
        None
        if region == "ZZ"
        else PhoneMetadata.metadata_for_region_or_calling_code(country_code, region)
    )
    if meta is None or meta.general_desc is None:
        return None
    desc = meta.general_desc
    return frozenset((*desc.possible_length, *(desc.possible_length_local_only or ())))


_LENGTHS_BY_CODE: dict[str, frozenset[int]] = {
    str(code): lengths
    for code in phonenumbers.COUNTRY_CODE_TO_REGION_CODE
    if (lengths := _possible_lengths(code)) is not None
}


def fast_phone_key(raw: str | None) -> str | None:
    """:func:`phone_key` without a country hint, with a fast path for ``+<digits>`` numbers.

    Parsing with ``phonenumbers`` costs ~17 us; a number in international form with only
    spaces, dashes or dots between digits has its E.164 form by dropping the separators, when
    its national part has a length ``phonenumbers`` holds possible (else its key is
    ``raw:<digits>``, as ``phone_key`` would give). Anything else goes to ``phone_key``.
    """
    if not raw:
        return None
    if raw[0] == "+" and "(" not in raw:
        digits = raw[1:].replace(" ", "").replace("-", "").replace(".", "")
        if digits.isdigit() and digits[0] != "0":
            for size in (1, 2, 3):
                lengths = _LENGTHS_BY_CODE.get(digits[:size])
                if lengths is not None:
                    national = len(digits) - size
                    return "+" + digits if national in lengths else "raw:" + digits
    return phone_key(raw)


def _cached(fn: Callable[[str], _T | None], values: np.ndarray) -> np.ndarray:
    """Apply ``fn`` once per distinct non-empty value."""
    memo: dict[str, _T | None] = {}
    out = np.empty(values.size, dtype=object)
    for i, value in enumerate(values.tolist()):
        if value:
            if value not in memo:
                memo[value] = fn(value)
            out[i] = memo[value]
    return out


def unless_same(values: np.ndarray, other: np.ndarray) -> np.ndarray:
    """``values`` with ``None`` where it equals ``other`` (one contact given for two roles)."""
    out = values.copy()
    out[values == other] = None
    return out


def _get(record: Mapping[str, Any] | None, key: str) -> Any:
    return None if record is None else record.get(key)


@dataclass(frozen=True, eq=False)
class ApplicationBatch:
    """Visa applications as columns (see the module doc for the conventions)."""

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
        cols: dict[str, list[Any]] = {f.name: [] for f in fields(cls) if not f.name.startswith("_")}
        add = {name: column.append for name, column in cols.items()}
        for number, record in enumerate(records):
            try:
                _read_application(record, add)
            except (KeyError, TypeError, ValueError, AttributeError) as error:
                ident = record.get("application_id") if isinstance(record, Mapping) else None
                raise BatchError(
                    f"application #{number} ({ident or 'no application_id'}): "
                    f"missing or invalid field {error}"
                ) from error
        floats = {
            "birth_day",
            "passport_issue_day",
            "passport_expiry_day",
            "sponsor_birth_day",
            "marriage_day",
            "first_met_day",
            "declared_prior_spouses",
            "recruitment_fee_jpy",
            "monthly_wage_jpy",
            "return_ticket",
            "intended_stay_days",
            "accompanying_minors",
            "face_match_score",
        }
        arrays: dict[str, Any] = {}
        for name, values in cols.items():
            if name == "submitted_s":
                arrays[name] = np.asarray(values, dtype=np.int64)
            elif name in floats:
                arrays[name] = np.asarray(values, dtype=np.float64)
            else:
                column = np.empty(len(values), dtype=object)
                column[:] = values
                arrays[name] = column
        return cls(**arrays)

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
        with open(path, "rb") as handle:
            rows = (orjson.loads(line) for line in handle if line.strip())
            return cls.from_records(list(rows)) if validate else cls.from_dicts(rows)

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

    def sponsor_person_key(self) -> np.ndarray:
        """:func:`sponsor_key` of sponsors who are persons (a name and a birth date)."""

        def compute() -> np.ndarray:
            out = np.empty(len(self), dtype=object)
            for i in np.flatnonzero(
                (self.sponsor_family_name != None) & ~np.isnan(self.sponsor_birth_day)  # noqa: E711
            ):
                names = [self.sponsor_family_name[i], self.sponsor_given_names[i] or ""]
                dob = date.fromordinal(int(self.sponsor_birth_day[i]) + _EPOCH_ORDINAL)
                out[i] = sponsor_key(names, dob)
            return out

        return self.memo("sponsor_key", compute)

    def phone_keys(self) -> tuple[np.ndarray, np.ndarray]:
        """(applicant, sponsor) phone lookup keys (E.164 where it parses)."""
        return self.memo(
            "phone_keys",
            lambda: (
                _cached(fast_phone_key, self.applicant_phone),
                _cached(fast_phone_key, self.sponsor_phone),
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
            names = _cached(lambda text: "name:" + address_key(text), self.employer_name)
            ids = self.employer_id
            return np.where(ids != None, ids, names)  # noqa: E711

        return self.memo("employer_key", compute)

    def document_key(self) -> np.ndarray:
        """:func:`document_key` of each passport (number and issuing state)."""
        return self.memo(
            "document_key",
            lambda: np.array(
                [
                    document_key(n, s)
                    for n, s in zip(
                        self.passport_number.tolist(), self.issuing_state.tolist(), strict=True
                    )
                ]
                + [None],
                dtype=object,
            )[:-1],
        )

    def identity_key(self) -> np.ndarray:
        """Name and birth date of the holder, to tell whether a passport changed hands."""
        return self.memo(
            "identity_key",
            lambda: np.array(
                [
                    sponsor_key([f, g or ""], _iso(b))
                    for f, g, b in zip(
                        self.family_name.tolist(),
                        self.given_names.tolist(),
                        self.birth_day.tolist(),
                        strict=True,
                    )
                ]
                + [None],
                dtype=object,
            )[:-1],
        )

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


def _read_application(r: Mapping[str, Any], add: Mapping[str, Callable[[Any], None]]) -> None:
    applicant = r["applicant"]
    passport = r["passport"]
    sponsor = r.get("sponsor")
    marriage = r.get("marriage")
    employment = r.get("employment")
    travel = r["travel"]
    biometrics = r.get("biometrics")
    add["application_id"](r["application_id"])
    add["post_code"](r["post_code"].strip().upper())
    add["submitted_s"](_seconds(r["submitted_at"]))
    add["visa_category"](r["visa_category"])
    add["family_name"](applicant["family_name"])
    add["given_names"](applicant.get("given_names") or "")
    add["name_native"](applicant.get("name_native"))
    add["sex"](applicant["sex"])
    add["birth_day"](_day(applicant["date_of_birth"]))
    add["nationality"](applicant["nationality"].strip().upper())
    add["languages"](tuple(code.strip().lower() for code in applicant.get("languages") or ()))
    add["applicant_phone"](applicant.get("phone"))
    add["applicant_address"](applicant.get("address"))
    add["passport_number"](passport["number"].strip().upper().replace(" ", ""))
    add["issuing_state"](passport["issuing_state"].strip().upper())
    add["passport_issue_day"](_day(passport["issue_date"]))
    add["passport_expiry_day"](_day(passport["expiry_date"]))
    add["mrz"](_mrz(passport.get("mrz")))
    add["sponsor_role"](_get(sponsor, "role"))
    add["sponsor_family_name"](_get(sponsor, "family_name"))
    add["sponsor_given_names"](_get(sponsor, "given_names"))
    add["sponsor_name_native"](_get(sponsor, "name_native"))
    add["sponsor_birth_day"](_day(_get(sponsor, "date_of_birth")))
    add["sponsor_organisation_name"](_get(sponsor, "organisation_name"))
    add["sponsor_organisation_id"](_get(sponsor, "organisation_id"))
    add["sponsor_phone"](_get(sponsor, "phone"))
    add["sponsor_address"](_get(sponsor, "address"))
    add["marriage_day"](_day(_get(marriage, "marriage_date")))
    add["first_met_day"](_day(_get(marriage, "first_met_date")))
    add["met_via"](_get(marriage, "met_via"))
    add["common_languages"](
        None
        if marriage is None
        else tuple(code.strip().lower() for code in marriage.get("common_languages") or ())
    )
    declared = _get(marriage, "sponsor_prior_foreign_spouses")
    add["declared_prior_spouses"](np.nan if declared is None else float(declared))
    add["employer_name"](_get(employment, "employer_name"))
    add["employer_id"](_get(employment, "employer_id"))
    add["establishment_type"](_get(employment, "establishment_type"))
    add["recruitment_agency"](_get(employment, "recruitment_agency"))
    fee = _get(employment, "recruitment_fee_jpy")
    wage = _get(employment, "monthly_wage_jpy")
    add["recruitment_fee_jpy"](np.nan if fee is None else float(fee))
    add["monthly_wage_jpy"](np.nan if wage is None else float(wage))
    add["ticket_paid_by"](travel["ticket_paid_by"])
    add["return_ticket"](1.0 if travel["return_ticket"] else 0.0)
    add["intended_stay_days"](float(travel["intended_stay_days"]))
    add["accompanying_minors"](float(travel.get("accompanying_minors") or 0))
    score = _get(biometrics, "face_match_score")
    add["face_match_score"](np.nan if score is None else float(score))


@dataclass(frozen=True, eq=False)
class EntryBatch:
    """Border entries as columns, each with its linked visa application (if any) as a row of
    ``applications`` (``application_row`` is -1 where none is linked)."""

    entry_id: np.ndarray
    port_code: np.ndarray
    arrived_s: np.ndarray
    flight_number: np.ndarray
    mrz: np.ndarray
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
                rows["flight_number"].append(e["flight_number"])
                rows["mrz"].append(_mrz(e["mrz"]))
                rows["visa_reference"].append(reference)
                score = e.get("face_match_score")
                rows["face_match_score"].append(np.nan if score is None else float(score))
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
        return cls(**arrays, applications=ApplicationBatch.from_dicts(apps))

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
