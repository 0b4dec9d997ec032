"""Kinds of case: what is scored, declared once per kind and registered in one place.

A case arrives as a visa application at a consular post, as a traveller at a border booth, or (to
come) as a passenger on an airline's list before landing. Each kind is one
:class:`CaseKindSpec`: its record schema, id, post and date fields, how its records become a
column batch, its indicators and rules, its model slot and thresholds, and what the service needs
to store and serve it. The scorer, training, batch scoring, the MLflow model and the service loop
over :func:`kinds`; adding a kind is writing a spec and calling :func:`register_kind`, not editing
them (``docs/case-kinds.md`` walks through it).

What a kind's batch must offer (duck-typed, as the built-in ``ApplicationBatch`` and
``EntryBatch`` do): ``len()``; one array per field named by the spec's ``id_field`` and
``post_field`` (the post or port that owns the case); ``day`` (float days, the *as of* date of
its lookups); ``person(i)`` (languages and sex, for interview guidance); ``protected`` (the
attributes kept for fairness monitoring only). Optional: ``guidance_keys(exploitation)`` to share
guidance between alike rows, ``network_keys()`` when the kind feeds the network history, and the
link arrays named by :class:`Link`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from mizugiwa.features.indicators import (
    APPLICATION_RULES,
    ENTRY_FEATURES,
    ENTRY_RULES,
    FEATURES,
    ApplicationBatch,
    EntryBatch,
    FeatureContext,
    FeatureMatrix,
    Indicator,
    Rule,
    RuleMatrix,
    entry_victims,
    feature_matrix,
    lookups,
    rule_matrix,
)
from mizugiwa.features.indicators.reading import application_columns, paused_gc, raw_columns
from mizugiwa.features.indicators.registry import Column
from mizugiwa.features.records import CONCERNS, BorderEntry, Concern, VisaApplication

Reader = Callable[[Sequence[Mapping[str, Any]], Mapping[str, Mapping[str, Any]]], Any]
LinesReader = Callable[[Iterable[bytes], Callable[[bytes], dict[str, Any]]], Any]


class UnknownKindError(KeyError):
    """No kind of case is registered under that name (or recognised in that record)."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "unknown kind of case"


@dataclass(frozen=True)
class Link:
    """A kind whose records name a record of another kind (an entry its visa application).

    ``field``: the record field holding the other case's id (``visa_reference``); ``batch`` and
    ``rows``: the batch attributes holding the linked cases as a batch of their own kind and, per
    row, the row of that batch (-1 where none is linked). The linked case's probabilities are
    the floor of this kind's (see :class:`~mizugiwa.models.scorer.Scorer`).
    """

    kind: str
    field: str
    batch: str
    rows: str


@dataclass(frozen=True)
class ServiceRoute:
    """What the HTTP service needs to serve a kind: the path under ``/v1``, the roles that may
    score it (role values of ``mizugiwa.service.auth.Role``), the roles that may score only
    their own post's cases, and the endpoint's name and OpenAPI text."""

    path: str
    roles: tuple[str, ...]
    name: str
    summary: str
    description: str
    own_post_roles: tuple[str, ...] = ()


@dataclass(frozen=True)
class CaseKindSpec:
    """One kind of case (see the module doc). Its ``name`` is also the key of its model slot
    (models and reference panel) in a scorer and its value in the service's ``kind`` column.

    ``read(records, linked)`` builds the kind's batch from records in their JSON form and the
    linked records by id (JSON form; empty for a kind without a :class:`Link`). ``victims``
    computes the rows matching a known victim (protection guidance only). ``concerns``: the
    concerns the kind's own model slot learns (its other concerns come from the linked case, or
    are zero). ``min_positives``: below this many confirmed cases in the training months the
    slot gets no model and the kind relies on its link and rules. ``thresholds_from``: whose
    reference panel sets its thresholds until it has its own. ``feeds_history``: its scored
    records join the network history the cross-post indicators count. ``read_lines``
    (optional): the batch straight from JSON Lines with a line parser, without the records'
    dicts in between (the fast path of ``mizugiwa score`` on large files). ``file``: the
    JSON Lines file of a training folder that holds the kind's records.
    """

    name: str
    record: type[BaseModel]
    id_field: str
    post_field: str
    date_field: str
    read: Reader
    indicators: Sequence[Indicator[Any]]
    rules: Sequence[Rule]
    victims: Callable[[Any, FeatureContext], Column]
    service: ServiceRoute
    concerns: tuple[Concern, ...] = tuple(CONCERNS)
    min_positives: int = 0
    link: Link | None = None
    thresholds_from: str | None = None
    feeds_history: bool = False
    description: str = ""
    read_lines: LinesReader | None = None
    file: str = ""

    def features(self, batch: Any, ctx: FeatureContext) -> FeatureMatrix:
        """Every indicator of the kind for every row of ``batch``, as of each case's date."""
        return feature_matrix(self.indicators, batch, ctx, self.victims(batch, ctx))

    def rule_matrix(self, batch: Any, ctx: FeatureContext) -> RuleMatrix:
        """Where each rule of the kind fires for ``batch``."""
        return rule_matrix(self.rules, batch, ctx)

    def batch(
        self,
        records: Sequence[BaseModel | Mapping[str, Any]],
        linked: Mapping[str, BaseModel | Mapping[str, Any]] | None = None,
    ) -> Any:
        """The batch of validated records (pydantic models, or dicts validated here), with the
        linked records they name."""
        dumped = [_json_form(self.record, r) for r in records]
        wanted = {d.get(self.link.field) for d in dumped} if self.link else set()
        by_id: dict[str, Mapping[str, Any]] = {}
        if self.link is not None and linked:
            other = kind(self.link.kind).record
            by_id = {k: _json_form(other, v) for k, v in linked.items() if k in wanted}
        return self.read(dumped, by_id)

    def case_id(self, record: BaseModel | Mapping[str, Any]) -> str:
        return str(_field(record, self.id_field))

    def post(self, record: BaseModel | Mapping[str, Any]) -> str:
        return str(_field(record, self.post_field))

    def linked_id(self, record: BaseModel | Mapping[str, Any]) -> str | None:
        """The id of the case this record names (``None`` without a link or a reference)."""
        if self.link is None:
            return None
        value = _field(record, self.link.field)
        return None if value is None else str(value)


def _field(record: BaseModel | Mapping[str, Any], name: str) -> Any:
    return record.get(name) if isinstance(record, Mapping) else getattr(record, name)


def _json_form(schema: type[BaseModel], record: BaseModel | Mapping[str, Any]) -> dict[str, Any]:
    valid = record if isinstance(record, schema) else schema.model_validate(record)
    return valid.model_dump(mode="json")


# -- the registry ----------------------------------------------------------------------------

_KINDS: dict[str, CaseKindSpec] = {}


def register_kind(spec: CaseKindSpec) -> CaseKindSpec:
    """Add a kind of case; its name and id field must not clash with another's (the name is
    at most 12 characters: the service stores it beside each case)."""
    if not spec.name or len(spec.name) > 12:
        raise ValueError(f"kind name {spec.name!r}: 1 to 12 characters")
    if spec.name in _KINDS:
        raise ValueError(f"a kind of case named {spec.name!r} is already registered")
    for other in _KINDS.values():
        if other.id_field == spec.id_field:
            raise ValueError(
                f"kind {spec.name!r}: id field {spec.id_field!r} is already {other.name!r}'s "
                "(records are recognised by their id field)"
            )
    if spec.link is not None and spec.link.kind not in _KINDS:
        raise ValueError(f"kind {spec.name!r} links to unregistered kind {spec.link.kind!r}")
    _KINDS[spec.name] = spec
    return spec


def unregister_kind(name: str) -> None:
    """Remove a kind (tests plug a kind in and out)."""
    _KINDS.pop(name, None)


@contextmanager
def registered(spec: CaseKindSpec) -> Iterator[CaseKindSpec]:
    """``spec`` registered for the duration of a ``with`` block."""
    register_kind(spec)
    try:
        yield spec
    finally:
        unregister_kind(spec.name)


def kinds() -> list[CaseKindSpec]:
    """Every registered kind, in registration order (a linked kind after the one it names)."""
    return list(_KINDS.values())


def kind_names() -> tuple[str, ...]:
    return tuple(_KINDS)


def kind(name: str) -> CaseKindSpec:
    """The registered kind called ``name``."""
    try:
        return _KINDS[name]
    except KeyError:
        raise UnknownKindError(
            f"unknown kind of case {name!r} (registered: {', '.join(_KINDS)})"
        ) from None


def kind_of_record(record: Mapping[str, Any]) -> CaseKindSpec:
    """The kind a record in its JSON form belongs to: an explicit ``kind`` key, else the one
    kind whose id field it carries."""
    explicit = record.get("kind")
    if isinstance(explicit, str):
        return kind(explicit)
    found = [spec for spec in _KINDS.values() if spec.id_field in record]
    if len(found) != 1:
        ids = ", ".join(f"{s.id_field} ({s.name})" for s in _KINDS.values())
        raise UnknownKindError(
            f"cannot tell the kind of case: a record carries exactly one of {ids}"
            if not found
            else f"the record carries the id fields of several kinds: {[s.name for s in found]}"
        )
    return found[0]


def kind_of_batch(batch: Any) -> CaseKindSpec:
    """The kind whose batches look like ``batch`` (by the batch's ``kind`` attribute)."""
    return kind(str(getattr(batch, "kind", "")))


# -- the built-in kinds ----------------------------------------------------------------------


def _read_applications(
    records: Sequence[Mapping[str, Any]], linked: Mapping[str, Mapping[str, Any]]
) -> ApplicationBatch:
    return ApplicationBatch.from_dicts(records)


def _read_application_lines(
    lines: Iterable[bytes], parse: Callable[[bytes], dict[str, Any]]
) -> ApplicationBatch:
    with paused_gc():
        return ApplicationBatch(**application_columns(raw_columns(lines, parse)))


def _read_entries(
    records: Sequence[Mapping[str, Any]], linked: Mapping[str, Mapping[str, Any]]
) -> EntryBatch:
    return EntryBatch.from_dicts(records, linked)


APPLICATION = register_kind(
    CaseKindSpec(
        name="application",
        record=VisaApplication,
        id_field="application_id",
        post_field="post_code",
        date_field="submitted_at",
        read=_read_applications,
        read_lines=_read_application_lines,
        indicators=FEATURES,
        rules=APPLICATION_RULES,
        victims=lookups.known_victim,
        concerns=tuple(CONCERNS),
        feeds_history=True,
        file="applications.jsonl",
        description="A visa application at a consular post, weeks before travel.",
        service=ServiceRoute(
            path="/visa-applications/score",
            roles=("consular_officer",),
            own_post_roles=("consular_officer",),
            name="score_visa_application",
            summary="Score Visa Application",
            description=(
                "Score a visa application for referral to a secondary interview.\n\n"
                "Returns per-concern probabilities, whether to refer (and the threshold used, "
                "set from the post's interview capacity), the reasons in English and Japanese "
                "with their evidence, the rules that fired, interview and protection guidance, "
                "and the model that answered. A referral is never a refusal. Consular officers "
                "may score their own post's applications. The application is kept so that the "
                "traveller's border entry can refer to it."
            ),
        ),
    )
)

ENTRY = register_kind(
    CaseKindSpec(
        name="entry",
        record=BorderEntry,
        id_field="entry_id",
        post_field="port_code",
        date_field="arrived_at",
        read=_read_entries,
        indicators=ENTRY_FEATURES,
        rules=ENTRY_RULES,
        victims=entry_victims,
        concerns=(Concern.IMPERSONATION,),
        min_positives=20,
        link=Link(
            kind="application", field="visa_reference", batch="applications", rows="application_row"
        ),
        thresholds_from="application",
        file="entries.jsonl",
        description="A traveller at a border booth: the passport MRZ and the flight.",
        service=ServiceRoute(
            path="/border-entries/score",
            roles=("border_inspector",),
            name="score_border_entry",
            summary="Score Border Entry",
            description=(
                "Score a traveller at the border: passport MRZ plus flight.\n\n"
                "When ``visa_reference`` names a stored visa application, its record and "
                "outcome are used too. MRZ check-digit failures and reported lost, stolen or "
                "forged documents refer by rule."
            ),
        ),
    )
)
