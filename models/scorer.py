"""The scorer: everything needed to score a case, in one picklable object loaded once.

A :class:`Scorer` holds one :class:`ModelSlot` per kind of case (``mizugiwa.features.kinds``):
the names of the indicators the slot's models learnt from, a LightGBM model with a Platt
calibration per concern the kind has a model of its own for, learnt weights per indicator (for
ordering reasons), and a reference sample of recent risks per post from which referral
thresholds are set for any interview capacity. It also records the fingerprint of the feature
code it was trained with (:mod:`mizugiwa.features.fingerprint`).

Scoring a batch of any kind is the same vectorised path: features, rules, the slot's models and
the thresholds run over arrays. A kind linked to another (a border entry naming its visa
application) takes the linked case's probabilities as the floor of its own. Only the cases
referred get reasons (each the fired indicators of the concerns that drove the referral, ordered
by the learnt weight), so no per-row model explanation is ever computed.

The scorer refuses to run on features other than those the code now defines
(:class:`FeatureMismatchError`): a model silently fed reordered or redefined columns would give
confident nonsense.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, MutableMapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from mizugiwa.features.contract import ModelInfo, Score
from mizugiwa.features.fingerprint import running_fingerprint
from mizugiwa.features.indicators import (
    FeatureContext,
    FeatureMatrix,
    RuleMatrix,
    explain,
    protection_guidance,
    rule_hits,
)
from mizugiwa.features.kinds import CaseKindSpec, kind, kinds
from mizugiwa.features.records import CONCERNS, Concern
from mizugiwa.models.capacity import (
    UNSEEN_POST,
    hard_rule_referrals,
    refer_after_rules,
    thresholds_after_rules,
    thresholds_for_capacity,
)
from mizugiwa.models.live_thresholds import RollingThresholds

if TYPE_CHECKING:
    import lightgbm

    from mizugiwa.settings import Settings

DEFAULT_CAPACITY = 0.03
COMBINATION_CODE = "MODEL-COMBINATION"
MAX_REFERENCE_PER_POST = 20_000


class FeatureMismatchError(RuntimeError):
    """The scorer was trained on other indicators, or other feature code, than runs now."""


@dataclass(frozen=True)
class FeatureSpec:
    """The names, in matrix order, of the indicators a slot's models learnt from."""

    names: tuple[str, ...]

    @classmethod
    def of(cls, indicators: Sequence[Any]) -> FeatureSpec:
        """The spec of indicators as the running code defines them."""
        return cls(names=tuple(ind.name for ind in indicators))

    def check(self, current: FeatureSpec, what: str) -> None:
        """Raise :class:`FeatureMismatchError` unless ``current`` has the same names in order."""
        if current.names != self.names:
            missing = sorted(set(self.names) - set(current.names))
            added = sorted(set(current.names) - set(self.names))
            detail = f"missing {missing}, new {added}" if missing or added else "reordered"
            raise FeatureMismatchError(
                f"the {what} model was trained on other indicators than the code defines "
                f"({detail}); retrain it"
            )


@dataclass
class CalibratedModel:
    """A LightGBM booster, its Platt calibration and per-feature reason weights.

    Platt scaling (a logistic map of the booster's log-odds) is strictly monotone, so it keeps
    the booster's ranking and never merges cases into ties at a post's threshold.
    """

    booster: lightgbm.Booster
    slope: float
    intercept: float
    weights: np.ndarray  # per feature: normalised gain importance, for ordering reasons

    def raw(self, values: np.ndarray) -> np.ndarray:
        """The booster's uncalibrated log-odds."""
        return np.asarray(self.booster.predict(values, raw_score=True), dtype=np.float64)

    def predict(self, values: np.ndarray) -> np.ndarray:
        """Calibrated probability."""
        z = self.slope * self.raw(values) + self.intercept
        out: np.ndarray = 1.0 / (1.0 + np.exp(-z))
        return out


@dataclass
class ReferencePanel:
    """Recent risks per post: the distribution thresholds are set from, for any capacity."""

    risk: np.ndarray
    posts: np.ndarray
    rules: np.ndarray | None = None  # referred by a hard rule; thresholds leave them room

    @classmethod
    def sample(
        cls, risk: np.ndarray, posts: np.ndarray, seed: int, rules: np.ndarray | None = None
    ) -> ReferencePanel:
        """Keep at most :data:`MAX_REFERENCE_PER_POST` risks per post (seeded sample)."""
        rng = np.random.default_rng(seed)
        posts = np.asarray(posts).astype(str)
        keep = np.zeros(posts.size, dtype=bool)
        for post in np.unique(posts):
            rows = np.flatnonzero(posts == post)
            if rows.size > MAX_REFERENCE_PER_POST:
                rows = rng.choice(rows, MAX_REFERENCE_PER_POST, replace=False)
            keep[rows] = True
        return cls(
            risk=np.asarray(risk, dtype=np.float64)[keep],
            posts=posts[keep],
            rules=None if rules is None else np.asarray(rules, dtype=bool)[keep],
        )

    def thresholds(self, default: float, overrides: Mapping[str, float]) -> dict[str, float]:
        """Per post, the model's threshold: with the rules' referrals known, the rules take
        their share of the capacity first (a panel saved before that knew only risks)."""
        capacity: float | Mapping[str, float] = dict(overrides) if overrides else default
        rules = getattr(self, "rules", None)
        if rules is not None:
            return thresholds_after_rules(self.risk, rules, self.posts, capacity, default)
        return thresholds_for_capacity(self.risk, self.posts, capacity, default)


@dataclass
class ScoredBatch:
    """Vectorised scores of a batch, before they become :class:`Score` objects."""

    kind: str
    case_id: np.ndarray
    post: np.ndarray
    probabilities: dict[Concern, np.ndarray]
    risk: np.ndarray
    threshold: np.ndarray
    capacity: np.ndarray
    model_refer: np.ndarray
    rule_refer: np.ndarray

    @property
    def refer(self) -> np.ndarray:
        return self.model_refer | self.rule_refer

    def driving_concerns(self, i: int) -> list[Concern]:
        """The concerns whose probability reached the threshold; else the likeliest one."""
        over = [c for c in CONCERNS if self.probabilities[c][i] >= self.threshold[i]]
        if over:
            return sorted(over, key=lambda c: -self.probabilities[c][i])
        return [max(CONCERNS, key=lambda c: self.probabilities[c][i])]


@dataclass
class ModelSlot:
    """One kind of case's models: the indicators they learnt from (:class:`FeatureSpec`), a
    calibrated model per concern the kind has its own model for (possibly none: the kind then
    relies on its link and its rules) and its reference panel (``None``: the thresholds of the
    kind its spec names in ``thresholds_from``)."""

    features: FeatureSpec
    models: dict[Concern, CalibratedModel] = field(default_factory=dict)
    reference: ReferencePanel | None = None


class _GuidanceCache:
    """Interview guidance per row, computed once per distinct situation.

    A batch that offers ``guidance_keys`` (applications: languages, sex, whether an exploitation
    indicator fires) gets guidance computed for one row of each situation (a few hundred in a
    million); other batches (entries, whose person comes from the linked application or the
    MRZ) get it per row.
    """

    def __init__(self, batch: Any, fm: FeatureMatrix, indicators: Sequence[Any]) -> None:
        self.batch, self.fm, self.indicators = batch, fm, indicators
        self.cache: dict[Any, dict[str, Any]] = {}
        self.keys: list[Any] | None = None
        keys_of = getattr(batch, "guidance_keys", None)
        if keys_of is not None and len(batch):
            by_name = {ind.name: ind for ind in indicators}
            exploitation = np.zeros(len(batch), dtype=bool)
            for k, name in enumerate(fm.names):
                ind = by_name.get(name)
                if ind is not None and ind.concern is Concern.EXPLOITATION:
                    exploitation |= ind.fired(fm.values[:, k])
            victims = np.asarray(fm.victim_match, dtype=bool).tolist()
            self.keys = [(*key, v) for key, v in zip(keys_of(exploitation), victims, strict=True)]

    def _compute(self, row: int) -> dict[str, Any]:
        guidance = protection_guidance(self.batch, self.fm, row, self.indicators)
        out: dict[str, Any] = guidance.model_dump(mode="json")
        return out

    def __call__(self, row: int) -> dict[str, Any]:
        if self.keys is None:
            return self._compute(row)
        key = self.keys[row]
        found = self.cache.get(key)
        if found is None:
            found = self._compute(row)
            self.cache[key] = found
        return found


class Scorer:
    """Everything needed to score (see the module doc). Built by ``training.train``."""

    def __init__(
        self,
        *,
        slots: Mapping[str, ModelSlot],
        fingerprint: str,
        info: ModelInfo,
        capacity: float = DEFAULT_CAPACITY,
        post_capacity: Mapping[str, float] | None = None,
    ) -> None:
        self.slots = dict(slots)
        self.fingerprint = fingerprint
        self.info = info
        self.capacity = float(capacity)
        self.post_capacity = dict(post_capacity or {})
        # rules whose measured precision was too low to refer on their own (training sets it)
        self.demoted_rules: frozenset[str] = frozenset()
        # set by the service: thresholds that follow each post's live risks
        self.rolling: RollingThresholds | None = None
        self._reason_weights: dict[str, dict[str, float]] = {}
        self._set_thresholds()

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["_reason_weights"] = {}  # derived from the code's indicators: rebuilt on use
        state.pop("rolling", None)  # live state of one service process, never saved
        return state

    # ----------------------------------------------------------------- configuration
    def slot(self, name: str) -> ModelSlot:
        """The model slot of a kind of case."""
        found = self.slots.get(name)
        if found is None:
            raise FeatureMismatchError(
                f"the model has no slot for kind of case {name!r} (it knows "
                f"{', '.join(self.slots)}): retrain it with that kind registered"
            )
        return found

    def _reference(self, name: str) -> ReferencePanel | None:
        slot = self.slots[name]
        if slot.reference is not None:
            return slot.reference
        try:
            fallback = kind(name).thresholds_from
        except KeyError:
            fallback = None
        if fallback is not None and fallback in self.slots:
            return self._reference(fallback)
        return None

    def _set_thresholds(self) -> None:
        """Thresholds per kind and post, from each kind's reference panel."""
        self.thresholds: dict[str, dict[str, float]] = {}
        for name in self.slots:
            reference = self._reference(name)
            if reference is not None:
                self.thresholds[name] = reference.thresholds(self.capacity, self.post_capacity)

    def with_capacity(self, settings: Settings) -> Scorer:
        """A copy whose thresholds follow the settings' interview capacities."""
        clone = copy.copy(self)
        clone.capacity = settings.default_interview_capacity
        clone.post_capacity = dict(settings.post_capacity)
        clone._set_thresholds()
        return clone

    def with_info(self, **update: Any) -> Scorer:
        """A copy with :attr:`info` updated (name, version, alias, run id)."""
        clone = copy.copy(self)
        clone.info = self.info.model_copy(update=update)
        return clone

    def check_features(self) -> None:
        """Raise :class:`FeatureMismatchError` if the running code computes other features than
        the ones the models learnt from: other indicators of a kind, or any change to the code
        that computes a feature (its fingerprint)."""
        for spec in kinds():
            if spec.name in self.slots:
                self.slots[spec.name].features.check(FeatureSpec.of(spec.indicators), spec.name)
        running = running_fingerprint()
        if self.fingerprint != running:
            raise FeatureMismatchError(
                "the code that computes features was redefined since this model was trained "
                f"(model fingerprint {self.fingerprint}, running code {running}): the model "
                "would score other feature values than it learnt from. Retrain it on this code "
                "(mizugiwa train) and promote the new version, or run the code it was trained "
                "with."
            )

    def capacity_for(self, post: str) -> float:
        return self.post_capacity.get(post, self.capacity)

    # ----------------------------------------------------------------- vectorised
    def predict_proba(
        self, fm: FeatureMatrix, kind_name: str = "application"
    ) -> dict[Concern, np.ndarray]:
        """Calibrated probability of each concern the kind's slot has a model for."""
        slot = self.slot(kind_name)
        if tuple(fm.names) != slot.features.names:
            raise FeatureMismatchError(
                f"{kind_name} feature matrix columns differ from the model's: "
                f"{list(fm.names)[:5]}... vs {list(slot.features.names)[:5]}..."
            )
        if not slot.models:
            return {}
        values = np.asarray(fm.values, dtype=np.float32)
        return {c: m.predict(values) for c, m in slot.models.items()}

    def probabilities(
        self,
        spec: CaseKindSpec,
        batch: Any,
        fm: FeatureMatrix,
        ctx: FeatureContext,
        linked_cache: MutableMapping[str, dict[Concern, float]] | None = None,
    ) -> dict[Concern, np.ndarray]:
        """Per concern for a batch of ``spec``'s kind: its own models' probabilities, floored
        by the linked case's (zero where there is no model or no linked case)."""
        n = len(batch)
        own = self.predict_proba(fm, spec.name)
        if spec.link is None:
            return {c: own[c] if c in own else np.zeros(n, dtype=np.float64) for c in CONCERNS}
        out = self._linked_probabilities(spec, batch, ctx, linked_cache)
        for c, p in own.items():
            out[c] = np.maximum(out[c], p)
        return out

    def _linked_probabilities(
        self,
        spec: CaseKindSpec,
        batch: Any,
        ctx: FeatureContext,
        cache: MutableMapping[str, dict[Concern, float]] | None = None,
    ) -> dict[Concern, np.ndarray]:
        """Each case's linked case's probabilities (zero where none is linked).

        A linked case's probabilities depend only on what was known at its date (point-in-time
        lookups), so a caller may keep them in ``cache`` (case id to probabilities) for as long
        as this scorer and the context's database views stay the same; when every linked case
        is in it, no feature of the linked kind is computed.
        """
        assert spec.link is not None
        n = len(batch)
        out = {c: np.zeros(n, dtype=np.float64) for c in CONCERNS}
        other = kind(spec.link.kind)
        linked = getattr(batch, spec.link.batch)
        if len(linked):
            ids = [str(i) for i in getattr(linked, other.id_field)]
            known = [cache.get(i) for i in ids] if cache is not None else [None]
            if all(k is not None for k in known):
                probs = {
                    c: np.array([k[c] for k in known if k is not None], dtype=np.float64)
                    for c in CONCERNS
                }
            else:
                probs = self.probabilities(other, linked, other.features(linked, ctx), ctx)
                if cache is not None:
                    for row, case_id in enumerate(ids):
                        cache[case_id] = {c: float(probs[c][row]) for c in CONCERNS}
            rows = np.asarray(getattr(batch, spec.link.rows))
            has = rows >= 0
            for c in CONCERNS:
                out[c][has] = probs[c][rows[has]]
        return out

    def _decide(
        self,
        spec: CaseKindSpec,
        batch: Any,
        probs: dict[Concern, np.ndarray],
        rules: RuleMatrix,
    ) -> ScoredBatch:
        risk = np.max(np.stack([probs[c] for c in CONCERNS]), axis=0)
        table = self.thresholds.get(spec.name)
        if table is None:
            raise FeatureMismatchError(
                f"the model has no referral thresholds for kind {spec.name!r}: retrain it"
            )
        rolling: RollingThresholds | None = getattr(self, "rolling", None)
        if rolling is not None:  # the service: thresholds follow each post's live risks
            table = rolling.table(spec.name, table, self.capacity_for)
        hard = hard_rule_referrals(rules.fired, rules.codes, getattr(self, "demoted_rules", set()))
        post = np.asarray(getattr(batch, spec.post_field)).astype(str)
        codes, inverse = np.unique(post, return_inverse=True)
        per_code = np.array(
            [table.get(str(p), table[UNSEEN_POST]) for p in codes], dtype=np.float64
        )
        capacity = np.array([self.capacity_for(str(p)) for p in codes], dtype=np.float64)
        scored = ScoredBatch(
            kind=spec.name,
            case_id=np.asarray(getattr(batch, spec.id_field)),
            post=post,
            probabilities=probs,
            risk=risk,
            threshold=per_code[inverse] if post.size else np.zeros(0),
            capacity=capacity[inverse] if post.size else np.zeros(0),
            model_refer=refer_after_rules(risk, hard, post, table) if post.size else hard,
            rule_refer=hard,
        )
        if rolling is not None:
            rolling.observe(spec.name, post, risk, hard)
        return scored

    def score_batch(
        self,
        kind_name: str,
        batch: Any,
        ctx: FeatureContext,
        linked_cache: MutableMapping[str, dict[Concern, float]] | None = None,
    ) -> tuple[ScoredBatch, FeatureMatrix, RuleMatrix]:
        """Vectorised scores of a batch of one kind of case (``linked_cache``: see
        :meth:`_linked_probabilities`)."""
        spec = kind(kind_name)
        fm = spec.features(batch, ctx)
        rm = spec.rule_matrix(batch, ctx)
        probs = self.probabilities(spec, batch, fm, ctx, linked_cache)
        return self._decide(spec, batch, probs, rm), fm, rm

    # ----------------------------------------------------------------- per case
    def reason_weights(self, kind_name: str) -> dict[str, float]:
        """Learnt weight of each indicator (what orders the reasons): its gain importance in
        the model of the concern it supports (the largest over models for other indicators)."""
        cached = self._reason_weights.get(kind_name)
        if cached is not None:
            return cached
        models = self.slot(kind_name).models
        weights: dict[str, float] = {}
        for k, ind in enumerate(kind(kind_name).indicators):
            own = models.get(ind.concern) if ind.concern is not None else None
            chosen = [own] if own is not None else list(models.values())
            weights[ind.name] = max((float(m.weights[k]) for m in chosen), default=0.0)
        self._reason_weights[kind_name] = weights
        return weights

    def score_dicts(
        self,
        scored: ScoredBatch,
        batch: Any,
        fm: FeatureMatrix,
        rm: RuleMatrix,
        *,
        offset: int = 0,
    ) -> list[dict[str, Any]]:
        """JSON-ready rows of the :class:`Score` schema (fast path for batch scoring);
        reasons only for referred cases. ``scored`` may be a slice of the batch starting at
        row ``offset`` of ``batch``, ``fm`` and ``rm``."""
        spec = kind(scored.kind)
        indicators = spec.indicators
        weights = self.reason_weights(scored.kind)
        refer = scored.refer
        info = self.info.model_dump(mode="json")
        guidance = _GuidanceCache(batch, fm, indicators)
        probs = {c.value: scored.probabilities[c].tolist() for c in CONCERNS}
        risk, threshold = scored.risk.tolist(), scored.threshold.tolist()
        capacity = scored.capacity.tolist()
        out: list[dict[str, Any]] = []
        for i in range(scored.case_id.size):
            row = offset + i
            referred_by = []
            reasons: list[Any] = []
            hits: list[Any] = []
            if scored.model_refer[i]:
                referred_by.append("model")
            if scored.rule_refer[i]:
                referred_by.append("rule")
                hits = [h.model_dump(mode="json") for h in rule_hits(rm, row, spec.rules)]
            if refer[i]:
                found = explain(
                    batch,
                    fm,
                    row,
                    concerns=scored.driving_concerns(i),
                    weights=weights,
                    indicators=indicators,
                ) or explain(batch, fm, row, weights=weights, indicators=indicators)
                reasons = [r.model_dump(mode="json") for r in found]
                if not reasons and scored.model_refer[i]:
                    reasons = [self._combination_reason(scored, fm, i, row, weights)]
            out.append(
                {
                    "case_id": str(scored.case_id[i]),
                    "kind": scored.kind,
                    "post_code": str(scored.post[i]),
                    "probabilities": {c: p[i] for c, p in probs.items()},
                    "risk": risk[i],
                    "refer": bool(refer[i]),
                    "threshold": threshold[i],
                    "capacity": capacity[i],
                    "referred_by": referred_by,
                    "reasons": reasons,
                    "rules_fired": hits,
                    "guidance": guidance(row),
                    "model": info,
                    "degraded": False,
                    "degraded_reasons": [],
                }
            )
        return out

    def _combination_reason(
        self,
        scored: ScoredBatch,
        fm: FeatureMatrix,
        i: int,
        row: int,
        weights: Mapping[str, float],
    ) -> dict[str, Any]:
        """The honest reason when no single indicator crosses its own threshold: the model
        weighed several together. Evidence: the three most heavily weighted known values."""
        values = fm.values[row]
        ranked = sorted(
            (name for k, name in enumerate(fm.names) if not np.isnan(values[k])),
            key=lambda name: -weights.get(name, 0.0),
        )[:3]
        concern = scored.driving_concerns(i)[0]
        return {
            "code": COMBINATION_CODE,
            "concern": concern.value,
            "text_en": "Several indicators together put this case above the post's referral "
            "threshold, though none is strong on its own.",
            "text_ja": "単独では弱い複数の指標の組み合わせにより、在外公館の照会基準を上回った。",
            "evidence": {
                "risk": round(float(scored.risk[i]), 4),
                "threshold": round(float(scored.threshold[i]), 4),
                **{name: round(float(values[fm.names.index(name)]), 3) for name in ranked},
            },
            "weight": 0.0,
        }

    def score_case_dicts(
        self,
        kind_name: str,
        records: Sequence[Any],
        ctx: FeatureContext,
        *,
        linked: Mapping[str, Any] | None = None,
        linked_cache: MutableMapping[str, dict[Concern, float]] | None = None,
    ) -> list[dict[str, Any]]:
        """Score validated records of one kind as of their dates, as JSON-ready rows of the
        :class:`Score` schema. ``linked`` maps ids to the records of the linked kind they name
        (a border entry's visa application); ``linked_cache``: see :meth:`score_batch`."""
        if not records:
            return []
        spec = kind(kind_name)
        batch = spec.batch(records, linked)
        scored, fm, rm = self.score_batch(kind_name, batch, ctx, linked_cache)
        return self.score_dicts(scored, batch, fm, rm)

    def score_cases(
        self,
        kind_name: str,
        records: Sequence[Any],
        ctx: FeatureContext,
        *,
        linked: Mapping[str, Any] | None = None,
        linked_cache: MutableMapping[str, dict[Concern, float]] | None = None,
    ) -> list[Score]:
        """As :meth:`score_case_dicts`, as :class:`Score` objects."""
        rows = self.score_case_dicts(
            kind_name, records, ctx, linked=linked, linked_cache=linked_cache
        )
        return [Score.model_validate(row) for row in rows]
