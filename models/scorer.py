"""The scorer: everything needed to score a case, in one picklable object loaded once.

A :class:`Scorer` holds, per concern, a LightGBM model with a Platt calibration, the
entry model for document and impersonation concerns at the border, the names and a digest of the
indicators it was trained on, a learnt weight per indicator and concern (for ordering reasons),
and a reference sample of recent risks per post from which referral thresholds are set for any
interview capacity.

Scoring a batch is vectorised: features, rules, the three models and the thresholds run over
arrays; only the cases referred get reasons (each the fired indicators of the concerns that drove
the referral, ordered by the learnt weight), so no per-row model explanation is ever computed.

The scorer refuses to run on features other than those the code now defines
(:class:`FeatureMismatchError`): a model silently fed reordered or redefined columns would give
confident nonsense.
"""

from __future__ import annotations

import copy
import hashlib
import types
from collections.abc import Mapping, MutableMapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from mizugiwa.features.contract import CaseKind, ModelInfo, Score
from mizugiwa.features.indicators import (
    ENTRY_FEATURES,
    FEATURES,
    ApplicationBatch,
    EntryBatch,
    FeatureContext,
    FeatureMatrix,
    RuleMatrix,
    compute_entry_features,
    compute_features,
    compute_rules,
    explain,
    protection_guidance,
    rule_hits,
)
from mizugiwa.features.records import CONCERNS, BorderEntry, Concern, VisaApplication
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
    """The scorer was trained on other indicators than the code now defines."""


def _hash_code(h: Any, code: types.CodeType) -> None:
    """Feed a code object into a hash: bytecode, names, and constants (nested code recursed,
    so no memory address ever enters the digest)."""
    h.update(code.co_code)
    h.update(repr(code.co_names).encode())
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            _hash_code(h, const)
        else:
            h.update(repr(const).encode())


@dataclass(frozen=True)
class FeatureSpec:
    """Names and a digest of a list of indicators (their code, concern and source)."""

    names: tuple[str, ...]
    digest: str

    @classmethod
    def of(cls, indicators: Sequence[Any]) -> FeatureSpec:
        """The spec of indicators as the running code defines them.

        The digest covers each indicator's name, reason code, concern, docstring and compiled
        code (bytecode, constants and names of its function and its ``fires`` threshold), read
        from memory rather than from the source files, so it describes the code that runs.
        """
        h = hashlib.sha256()
        for ind in indicators:
            concern = getattr(ind.concern, "value", ind.concern)
            h.update(f"{ind.name}|{ind.code}|{concern}|{ind.compute.__doc__}\n".encode())
            for fn in (ind.compute, getattr(ind, "fires", None)):
                code = getattr(fn, "__code__", None)
                if code is not None:
                    _hash_code(h, code)
        return cls(names=tuple(ind.name for ind in indicators), digest=h.hexdigest())

    def check(self, current: FeatureSpec, what: str) -> None:
        """Raise :class:`FeatureMismatchError` unless ``current`` is this spec."""
        if current.names != self.names:
            missing = sorted(set(self.names) - set(current.names))
            added = sorted(set(current.names) - set(self.names))
            detail = f"missing {missing}, new {added}" if missing or added else "reordered"
            raise FeatureMismatchError(
                f"the {what} model was trained on other indicators than the code defines "
                f"({detail}); retrain it"
            )
        if current.digest != self.digest:
            raise FeatureMismatchError(
                f"the {what} indicators were redefined since the model was trained "
                f"(digest {self.digest[:12]} vs {current.digest[:12]}); retrain it"
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

    kind: CaseKind
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


class _GuidanceCache:
    """Interview guidance per row, computed once per distinct situation.

    For applications, ``protection_guidance`` reads only the person's languages and sex, whether
    an exploitation indicator fires and whether a known victim matches; rows alike in those get
    the same guidance, so it is computed for one row of each kind (a few hundred in a million).
    Entries, whose person comes from the linked application or the MRZ, are computed per row.
    """

    def __init__(self, batch: Any, fm: FeatureMatrix, compute: Any) -> None:
        self.batch, self.fm, self.compute = batch, fm, compute
        self.cache: dict[Any, dict[str, Any]] = {}
        self.keys: list[Any] | None = None
        if isinstance(batch, ApplicationBatch) and len(batch):
            by_name = {ind.name: ind for ind in FEATURES}
            exploitation = np.zeros(len(batch), dtype=bool)
            for k, name in enumerate(fm.names):
                ind = by_name.get(name)
                if ind is not None and ind.concern is Concern.EXPLOITATION:
                    exploitation |= ind.fired(fm.values[:, k])
            self.keys = list(
                zip(
                    (tuple(x) if x is not None else () for x in batch.languages),
                    batch.sex.tolist(),
                    exploitation.tolist(),
                    np.asarray(fm.victim_match, dtype=bool).tolist(),
                    strict=True,
                )
            )

    def __call__(self, row: int) -> dict[str, Any]:
        if self.keys is None:
            out: dict[str, Any] = self.compute(self.batch, self.fm, row).model_dump(mode="json")
            return out
        key = self.keys[row]
        found = self.cache.get(key)
        if found is None:
            found = self.compute(self.batch, self.fm, row).model_dump(mode="json")
            self.cache[key] = found
        return found


class Scorer:
    """Everything needed to score (see the module doc). Built by ``training.train``."""

    def __init__(
        self,
        *,
        features: FeatureSpec,
        entry_features: FeatureSpec,
        rules_version: str,
        models: Mapping[Concern, CalibratedModel],
        entry_model: CalibratedModel | None,
        reference: ReferencePanel,
        entry_reference: ReferencePanel | None,
        info: ModelInfo,
        capacity: float = DEFAULT_CAPACITY,
        post_capacity: Mapping[str, float] | None = None,
    ) -> None:
        self.features = features
        self.entry_features = entry_features
        self.rules_version = rules_version
        self.models = dict(models)
        self.entry_model = entry_model
        self.reference = reference
        self.entry_reference = entry_reference
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
    @property
    def feature_names(self) -> tuple[str, ...]:
        return self.features.names

    def _set_thresholds(self) -> None:
        self.thresholds = self.reference.thresholds(self.capacity, self.post_capacity)
        self.entry_thresholds = (
            self.entry_reference.thresholds(self.capacity, self.post_capacity)
            if self.entry_reference is not None
            else self.thresholds
        )

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
        """Raise :class:`FeatureMismatchError` if the code's indicators differ from training's."""
        self.features.check(FeatureSpec.of(FEATURES), "application")
        self.entry_features.check(FeatureSpec.of(ENTRY_FEATURES), "entry")

    def capacity_for(self, post: str) -> float:
        return self.post_capacity.get(post, self.capacity)

    # ----------------------------------------------------------------- vectorised
    def predict_proba(self, fm: FeatureMatrix) -> dict[Concern, np.ndarray]:
        """Calibrated probability per concern for a feature matrix of applications."""
        if tuple(fm.names) != self.features.names:
            raise FeatureMismatchError(
                "feature matrix columns differ from the model's: "
                f"{list(fm.names)[:5]}... vs {list(self.features.names)[:5]}..."
            )
        values = np.asarray(fm.values, dtype=np.float32)
        return {c: self.models[c].predict(values) for c in CONCERNS}

    def predict_entry_proba(
        self, efm: FeatureMatrix, linked: Mapping[Concern, np.ndarray]
    ) -> dict[Concern, np.ndarray]:
        """Per concern for entries: the entry model for impersonation (the larger of it and the
        linked application's), the linked application's probabilities for the others."""
        if tuple(efm.names) != self.entry_features.names:
            raise FeatureMismatchError("entry feature matrix columns differ from the model's")
        out = {c: np.asarray(linked[c], dtype=np.float64) for c in CONCERNS}
        if self.entry_model is not None:
            own = self.entry_model.predict(np.asarray(efm.values, dtype=np.float32))
            out[Concern.IMPERSONATION] = np.maximum(out[Concern.IMPERSONATION], own)
        return out

    def _decide(
        self,
        kind: CaseKind,
        case_id: np.ndarray,
        post: np.ndarray,
        probs: dict[Concern, np.ndarray],
        rules: RuleMatrix,
    ) -> ScoredBatch:
        risk = np.max(np.stack([probs[c] for c in CONCERNS]), axis=0)
        table = self.thresholds if kind == "application" else self.entry_thresholds
        rolling: RollingThresholds | None = getattr(self, "rolling", None)
        if rolling is not None:  # the service: thresholds follow each post's live risks
            table = rolling.table(kind, table, self.capacity_for)
        hard = hard_rule_referrals(rules.fired, rules.codes, getattr(self, "demoted_rules", set()))
        post = np.asarray(post).astype(str)
        codes, inverse = np.unique(post, return_inverse=True)
        per_code = np.array(
            [table.get(str(p), table[UNSEEN_POST]) for p in codes], dtype=np.float64
        )
        capacity = np.array([self.capacity_for(str(p)) for p in codes], dtype=np.float64)
        scored = ScoredBatch(
            kind=kind,
            case_id=np.asarray(case_id),
            post=post,
            probabilities=probs,
            risk=risk,
            threshold=per_code[inverse] if post.size else np.zeros(0),
            capacity=capacity[inverse] if post.size else np.zeros(0),
            model_refer=refer_after_rules(risk, hard, post, table) if post.size else hard,
            rule_refer=hard,
        )
        if rolling is not None:
            rolling.observe(kind, post, risk, hard)
        return scored

    def score_application_batch(
        self, batch: Any, ctx: FeatureContext
    ) -> tuple[ScoredBatch, FeatureMatrix, RuleMatrix]:
        """Vectorised scores of an :class:`~features.indicators.ApplicationBatch`."""
        fm = compute_features(batch, ctx)
        rm = compute_rules(batch, ctx)
        probs = self.predict_proba(fm)
        return self._decide("application", batch.application_id, batch.post_code, probs, rm), fm, rm

    def score_entry_batch(
        self,
        batch: Any,
        ctx: FeatureContext,
        linked_cache: MutableMapping[str, dict[Concern, float]] | None = None,
    ) -> tuple[ScoredBatch, FeatureMatrix, RuleMatrix]:
        """Vectorised scores of an :class:`~features.indicators.EntryBatch`.

        ``linked_cache`` (application id to probabilities) spares re-scoring linked
        applications already scored by this scorer in this context; see
        :meth:`_linked_probabilities`.
        """
        linked = self._linked_probabilities(batch, ctx, linked_cache)
        efm = compute_entry_features(batch, ctx)
        rm = compute_rules(batch, ctx)
        probs = self.predict_entry_proba(efm, linked)
        return self._decide("entry", batch.entry_id, batch.port_code, probs, rm), efm, rm

    def _linked_probabilities(
        self,
        batch: Any,
        ctx: FeatureContext,
        cache: MutableMapping[str, dict[Concern, float]] | None = None,
    ) -> dict[Concern, np.ndarray]:
        """Each entry's linked application's probabilities (zero where none is linked).

        An application's probabilities depend only on what was known at its submission date
        (point-in-time lookups), so a caller may keep them in ``cache`` for as long as this
        scorer and the context's database views stay the same; when every linked application
        is in it, no application feature is computed.
        """
        n = len(batch)
        out = {c: np.zeros(n, dtype=np.float64) for c in CONCERNS}
        apps = batch.applications
        if len(apps):
            ids = [str(i) for i in apps.application_id]
            known = [cache.get(i) for i in ids] if cache is not None else [None]
            if all(k is not None for k in known):
                app_probs = {
                    c: np.array([k[c] for k in known if k is not None], dtype=np.float64)
                    for c in CONCERNS
                }
            else:
                app_probs = self.predict_proba(compute_features(apps, ctx))
                if cache is not None:
                    for row, app_id in enumerate(ids):
                        cache[app_id] = {c: float(app_probs[c][row]) for c in CONCERNS}
            rows = batch.application_row
            has = rows >= 0
            for c in CONCERNS:
                out[c][has] = app_probs[c][rows[has]]
        return out

    # ----------------------------------------------------------------- per case
    def reason_weights(self, kind: CaseKind) -> dict[str, float]:
        """Learnt weight of each indicator (what orders the reasons): its gain importance in
        the model of the concern it supports (the largest over models for other indicators)."""
        cached = self._reason_weights.get(kind)
        if cached is not None:
            return cached
        if kind == "entry":
            models = {Concern.IMPERSONATION: self.entry_model} if self.entry_model else {}
            indicators: Sequence[Any] = ENTRY_FEATURES
        else:
            models = dict(self.models)
            indicators = FEATURES
        weights: dict[str, float] = {}
        for k, ind in enumerate(indicators):
            own = models.get(ind.concern)
            chosen = [own] if own is not None else list(models.values())
            weights[ind.name] = max((float(m.weights[k]) for m in chosen), default=0.0)
        self._reason_weights[kind] = weights
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
        weights = self.reason_weights(scored.kind)
        refer = scored.refer
        info = self.info.model_dump(mode="json")
        guidance = _GuidanceCache(batch, fm, protection_guidance)
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
                hits = [h.model_dump(mode="json") for h in rule_hits(rm, row)]
            if refer[i]:
                found = explain(
                    batch, fm, row, concerns=scored.driving_concerns(i), weights=weights
                ) or explain(batch, fm, row, weights=weights)
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

    def scores(
        self, scored: ScoredBatch, batch: Any, fm: FeatureMatrix, rm: RuleMatrix
    ) -> list[Score]:
        """:class:`Score` objects for a scored batch; reasons only for referred cases."""
        return [Score.model_validate(row) for row in self.score_dicts(scored, batch, fm, rm)]

    def score_applications(
        self, records: Sequence[VisaApplication], ctx: FeatureContext
    ) -> list[Score]:
        """Score validated visa applications as of their submission dates."""
        return [Score.model_validate(row) for row in self.application_score_dicts(records, ctx)]

    def application_score_dicts(
        self, records: Sequence[VisaApplication], ctx: FeatureContext
    ) -> list[dict[str, Any]]:
        """As :meth:`score_applications`, as JSON-ready rows of the :class:`Score` schema."""
        if not records:
            return []
        batch = ApplicationBatch.from_records(records)
        scored, fm, rm = self.score_application_batch(batch, ctx)
        return self.score_dicts(scored, batch, fm, rm)

    def score_entries(
        self,
        entries: Sequence[BorderEntry],
        ctx: FeatureContext,
        applications: Mapping[str, VisaApplication],
        *,
        linked_cache: MutableMapping[str, dict[Concern, float]] | None = None,
    ) -> list[Score]:
        """Score border entries; ``applications`` maps visa references to linked applications
        (``linked_cache``: see :meth:`score_entry_batch`)."""
        return [
            Score.model_validate(row)
            for row in self.entry_score_dicts(entries, ctx, applications, linked_cache=linked_cache)
        ]

    def entry_score_dicts(
        self,
        entries: Sequence[BorderEntry],
        ctx: FeatureContext,
        applications: Mapping[str, VisaApplication],
        *,
        linked_cache: MutableMapping[str, dict[Concern, float]] | None = None,
    ) -> list[dict[str, Any]]:
        """As :meth:`score_entries`, as JSON-ready rows of the :class:`Score` schema (for a
        caller that serialises them directly rather than validating them again)."""
        if not entries:
            return []
        batch = EntryBatch.from_records(entries, applications)
        scored, efm, rm = self.score_entry_batch(batch, ctx, linked_cache)
        return self.score_dicts(scored, batch, efm, rm)
