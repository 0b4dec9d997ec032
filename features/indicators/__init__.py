"""Indicators of trafficking: the features a model learns from and the reasons an officer reads.

Public API (stable; models, training and the service use only this)::

    from mizugiwa.features.indicators import (
        FEATURES, ENTRY_FEATURES, RULES, FeatureContext, ApplicationBatch, EntryBatch,
        compute_features, compute_entry_features, compute_rules, explain, protection_guidance,
    )
    ctx = FeatureContext(snapshot=snapshot, index=watchlist_index_or_None, history=history)
    batch = ApplicationBatch.from_records(applications)   # or .from_dicts / .from_jsonl
    fm = compute_features(batch, ctx)        # FeatureMatrix: .values float32 [n, k], .names
    rm = compute_rules(batch, ctx)           # RuleMatrix: .fired bool [n, r], .codes, .evidence
    reasons = explain(batch, fm, i, concerns=None, weights=None)   # list[Reason]
    hits = rule_hits(rm, i)                                        # list[RuleHit]
    guidance = protection_guidance(batch, fm, i)                   # Guidance
    batch.protected     # {"nationality", "sex", "age"}: fairness monitoring only, never in fm
    ebatch = EntryBatch.from_records(entries, applications_by_id)
    efm = compute_entry_features(ebatch, ctx); erm = compute_rules(ebatch, ctx)

- ``FEATURES`` / ``ENTRY_FEATURES``: lists of :class:`Indicator` (name, reason ``code``,
  ``concern``, ``text_en``, ``text_ja``, vectorised ``fires`` threshold, ``evidence``
  formatter, ``doc``). Each is one small function computing its column over the whole batch, so
  online scoring is the same code on a batch of one. ``NaN`` marks "not applicable / unknown"
  (each docstring says when).
- ``APPLICATION_RULES`` / ``ENTRY_RULES``: :class:`Rule` records that refer regardless of any
  model, per kind of case (``RULES``: every code once, for the catalogue).
- Which indicators and rules belong to which kind of case is said once, in the kinds' specs
  (``mizugiwa.features.kinds``); ``feature_matrix`` and ``rule_matrix`` compute them for a batch
  of any kind.
- Point in time: every database lookup is as of the application's submission date (UTC) or the
  entry's arrival date; the network counts see only strictly earlier applications.
- Nationality, sex, age, religion and ethnicity are never features. The MRZ indicators compare
  the record's birth date, sex and nationality with the passport's (agreement, not value) and
  the age gap relates applicant and sponsor; neither reveals the attribute itself.
- Online, the service appends each scored application to ``ctx.history``
  (``ctx.history.add(batch)``) so later applications see it.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any

import numpy as np

from mizugiwa.features.contract import Guidance, Reason, RuleHit
from mizugiwa.features.indicators import lookups
from mizugiwa.features.indicators.batch import ApplicationBatch, BatchError, EntryBatch
from mizugiwa.features.indicators.context import FeatureContext
from mizugiwa.features.indicators.documents import DOCUMENTS
from mizugiwa.features.indicators.entries import ENTRY_FEATURES
from mizugiwa.features.indicators.exploitation import EXPLOITATION
from mizugiwa.features.indicators.network_features import NETWORK
from mizugiwa.features.indicators.registry import Column, FeatureMatrix, Indicator, Rule, RuleMatrix
from mizugiwa.features.indicators.rules import APPLICATION_RULES, ENTRY_RULES
from mizugiwa.features.indicators.sham_marriage import SHAM_MARRIAGE
from mizugiwa.features.records import Concern

FEATURES: list[Indicator[Any]] = [*SHAM_MARRIAGE, *DOCUMENTS, *EXPLOITATION, *NETWORK]
#: Every rule of the built-in kinds once per code (the kinds' specs list which apply where).
RULES: list[Rule] = list({rule.code: rule for rule in [*ENTRY_RULES, *APPLICATION_RULES]}.values())

__all__ = [
    "APPLICATION_RULES",
    "ENTRY_FEATURES",
    "ENTRY_RULES",
    "FEATURES",
    "RULES",
    "ApplicationBatch",
    "BatchError",
    "EntryBatch",
    "FeatureContext",
    "FeatureMatrix",
    "Indicator",
    "Rule",
    "RuleMatrix",
    "compute_entry_features",
    "compute_features",
    "compute_rules",
    "explain",
    "feature_matrix",
    "protection_guidance",
    "rule_hits",
    "rule_matrix",
]

_BY_NAME: dict[str, Indicator[Any]] = {ind.name: ind for ind in [*FEATURES, *ENTRY_FEATURES]}
_INTERVIEW_LANGUAGES = ("ja", "en")


def feature_matrix(
    indicators: Sequence[Indicator[Any]], batch: Any, ctx: FeatureContext, victims: Column
) -> FeatureMatrix:
    """The columns of ``indicators`` over ``batch`` (any kind of case), with the rows that
    match a known victim (``victims``: protection guidance only, never a feature)."""
    values = np.empty((len(batch), len(indicators)), dtype=np.float32)
    details: dict[str, dict[int, dict[str, Any]]] = {}
    for k, ind in enumerate(indicators):
        result = ind.compute(batch, ctx)
        column = result if isinstance(result, Column) else Column(result)
        values[:, k] = column.values
        details[ind.name] = column.details
    return FeatureMatrix(
        values=values,
        names=[ind.name for ind in indicators],
        codes=[ind.code for ind in indicators],
        details=details,
        victim_match=victims.values > 0,
        victim_details=victims.details,
    )


def compute_features(batch: ApplicationBatch, ctx: FeatureContext) -> FeatureMatrix:
    """Every application indicator for every row of ``batch``, as of each submission date."""
    return feature_matrix(FEATURES, batch, ctx, lookups.known_victim(batch, ctx))


def compute_entry_features(batch: EntryBatch, ctx: FeatureContext) -> FeatureMatrix:
    """Every entry indicator for every row of ``batch``, as of each arrival date."""
    return feature_matrix(ENTRY_FEATURES, batch, ctx, entry_victims(batch, ctx))


def entry_victims(batch: EntryBatch, ctx: FeatureContext) -> Column:
    """Entries matching a known victim: through the linked application or the address
    declared at the border (protection guidance only)."""
    apps = batch.applications
    by_app = lookups.known_victim(apps, ctx) if len(apps) else Column(np.zeros(0))
    linked = batch.linked(by_app.values, fill=0.0)
    address = lookups.protected_links(batch, ctx, "address", batch.declared_address_key())
    hit = (linked > 0) | address
    details = {
        int(i): {
            "known_victim_match": ["linked_application"] * bool(linked[i] > 0)
            + ["declared_address"] * bool(address[i])
        }
        for i in np.flatnonzero(hit)
    }
    return Column(hit.astype(np.float64), details)


def rule_matrix(rules: Sequence[Rule], batch: Any, ctx: FeatureContext) -> RuleMatrix:
    """Where each of ``rules`` fires for ``batch`` (any kind of case), with the evidence."""
    fired = np.zeros((len(batch), len(rules)), dtype=bool)
    evidence: dict[str, dict[int, dict[str, Any]]] = {}
    for k, rule in enumerate(rules):
        column = rule.check(batch, ctx)
        fired[:, k] = column.values > 0  # NaN compares False
        evidence[rule.code] = column.details
    return RuleMatrix(fired=fired, codes=[rule.code for rule in rules], evidence=evidence)


def compute_rules(batch: ApplicationBatch | EntryBatch, ctx: FeatureContext) -> RuleMatrix:
    """Where each rule of the batch's kind of case fires (the kind's spec lists its rules)."""
    from mizugiwa.features.kinds import kind_of_batch  # the registry of kinds sits above

    return kind_of_batch(batch).rule_matrix(batch, ctx)


def rule_hits(rm: RuleMatrix, i: int, rules: Sequence[Rule] | None = None) -> list[RuleHit]:
    """The rules that fired for row ``i``, with their evidence (``rules``: those ``rm`` was
    computed from, when not the built-in kinds' ones)."""
    by_code = {rule.code: rule for rule in (RULES if rules is None else rules)}
    return [
        RuleHit(
            code=code,
            text_en=by_code[code].text_en,
            text_ja=by_code[code].text_ja,
            evidence=rm.evidence[code].get(i, {}),
        )
        for k, code in enumerate(rm.codes)
        if rm.fired[i, k]
    ]


def explain(
    batch: ApplicationBatch | EntryBatch,
    fm: FeatureMatrix,
    i: int,
    *,
    concerns: Collection[Concern] | None = None,
    weights: Mapping[str, float] | None = None,
    indicators: Sequence[Indicator[Any]] | None = None,
) -> list[Reason]:
    """Reasons for row ``i``: the indicators whose ``fires`` threshold is met (restricted to
    ``concerns`` when given), strongest ``weights`` first (e.g. the model's per-feature
    contributions for this row, by feature name); indicators without a threshold never show.
    ``indicators``: those ``fm`` was computed from, when not the built-in kinds' ones."""
    by_name = _BY_NAME if indicators is None else {ind.name: ind for ind in indicators}
    reasons: list[Reason] = []
    for k, name in enumerate(fm.names):
        ind = by_name[name]
        value = float(fm.values[i, k])
        if not ind.fired(np.array([value]))[0]:
            continue
        if concerns is not None and ind.concern not in concerns:
            continue
        reasons.append(
            Reason(
                code=ind.code,
                concern=ind.concern,
                text_en=ind.text_en,
                text_ja=ind.text_ja,
                evidence=ind.evidence(name, value, fm.details[name].get(i, {})),
                weight=float((weights or {}).get(name, 0.0)),
            )
        )
    reasons.sort(key=lambda reason: -reason.weight)
    return reasons


def protection_guidance(
    batch: Any,
    fm: FeatureMatrix,
    i: int,
    indicators: Sequence[Indicator[Any]] | None = None,
) -> Guidance:
    """What the interviewer needs for row ``i``: people flagged are often victims.

    Languages: the person's own, preferred first; an interpreter unless Japanese or English is
    among them. Interviewer: a woman where the person is a woman. Protection referral: where an
    exploitation indicator fires or a known-victim record matches (which never raises suspicion).
    The batch says whose languages and sex these are (``batch.person(i)``).
    """
    by_name = _BY_NAME if indicators is None else {ind.name: ind for ind in indicators}
    languages, sex = batch.person(i)
    interpreter = not any(lang in _INTERVIEW_LANGUAGES for lang in languages)
    exploitation = [
        name
        for k, name in enumerate(fm.names)
        if by_name[name].concern is Concern.EXPLOITATION
        and by_name[name].fired(fm.values[i : i + 1, k])[0]
    ]
    victim = bool(fm.victim_match[i])
    notes_en: list[str] = []
    notes_ja: list[str] = []
    if interpreter:
        spoken = ", ".join(languages) or "unknown"
        notes_en.append(f"Arrange an interpreter (languages: {spoken}).")
        notes_ja.append(f"通訳を手配すること（使用言語: {spoken}）。")
    if sex == "F":
        notes_en.append("The interview should be conducted by a female officer.")
        notes_ja.append("面接は女性職員が行うこと。")
    if victim:
        notes_en.append(
            "A record of a known victim matches: treat the person as a possible victim, "
            "not as a suspect."
        )
        notes_ja.append(
            "既知の被害者の記録と一致: 被疑者ではなく、被害者の可能性がある者として扱うこと。"
        )
    if exploitation or victim:
        notes_en.append("Offer referral to protection services; explain the person's rights.")
        notes_ja.append("保護機関への紹介を申し出て、本人の権利を説明すること。")
    return Guidance(
        languages=list(languages),
        interpreter_needed=interpreter,
        interviewer_sex="F" if sex == "F" else "any",
        protection_referral=bool(exploitation) or victim,
        notes_en=notes_en,
        notes_ja=notes_ja,
    )
