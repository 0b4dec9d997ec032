"""``mizugiwa train``: learn, evaluate, audit fairness, log to MLflow, register a challenger.

Steps (each a pure step over the :class:`~training.world.World` columns):

1. read the folder; features as of each record's date; labels from interview outcomes;
2. split by time (train < validation < test months);
3. per concern, a LightGBM model on the labelled training cases (equal weights; see `training.fit`),
   early-stopped and Platt-calibrated on the validation months; the logistic baseline on the
   same cases; the legacy checklist as it is; an entry model for impersonation when the entries
   have enough interview outcomes (else entries carry their linked application's probabilities
   and the rules);
4. evaluate on the test months at interview capacity: on the labelled cases with
   inverse-propensity weights, on the random-audit sample alone (the unbiased estimate), and
   against the truth where the folder has one (synthetic worlds), with the oracle beside;
5. the fairness report by nationality, sex and age band (a promotion gate);
6. the current champion, if any, scored on the same test months (for the "not worse" gate);
7. MLflow: params, metrics, tags, plots, model card, fairness report, the pyfunc model,
   registered with alias ``challenger``.
"""

from __future__ import annotations

import json
import math
import pickle
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from mizugiwa.features.contract import ModelInfo
from mizugiwa.features.fingerprint import running_fingerprint
from mizugiwa.features.kinds import CaseKindSpec, kind, kinds
from mizugiwa.features.records import CONCERNS, Concern
from mizugiwa.models.capacity import hard_rule_referrals
from mizugiwa.models.promotion import (
    CHAMPION_METRIC,
    FAIRNESS_METRIC,
    GATE_METRIC,
    TAG_COMPARED_CHAMPION,
    TAG_DATASET,
    TAG_FAIRNESS_FAILURES,
    TAG_TEST_PERIOD,
)
from mizugiwa.models.scorer import (
    CalibratedModel,
    FeatureMismatchError,
    FeatureSpec,
    ModelSlot,
    ReferencePanel,
    Scorer,
)
from mizugiwa.settings import Settings, get_settings
from mizugiwa.training.datasets import dataset_digest
from mizugiwa.training.evaluation import (
    evaluate_at_capacity,
    refer_exactly,
    thresholds_for_capacity,
    tie_keys,
)
from mizugiwa.training.fairness import FairnessReport, fairness_report
from mizugiwa.training.fit import BoosterParams, fit_concern_model, fit_logistic, logistic_proba
from mizugiwa.training.preflight import preflight, stage_artifact
from mizugiwa.training.recall_estimate import estimate_for_cases, estimate_metrics
from mizugiwa.training.rule_precision import RuleReport, report_for_cases
from mizugiwa.training.split import TimeSplit, time_split
from mizugiwa.training.world import PRIMARY, CaseSet, World, load_world

PURPOSE = (
    "Refer visa applications and border entries to a secondary interview when they carry "
    "indicators of human trafficking (sham marriage, impersonation or forged documents, "
    "exploitation). It never refuses anyone: an officer decides, and people referred are often "
    "victims, so every referral carries protection guidance."
)
LIMITS = [
    "Learns only from interviewed cases; the random audit sample corrects for who was "
    "interviewed, and is small, so estimates on it are noisy.",
    "Probabilities are calibrated on the validation months; drift after them is not seen.",
    "Thresholds are set from the latest months' scores per post; a post with few cases gets a "
    "noisy threshold.",
    "Nationality, sex and age are not inputs; they are used only for the fairness report.",
    "Entries without enough interview outcomes use their linked application's probabilities "
    "and the rules; an unlinked entry is scored on rules and document indicators only.",
]


def git_commit() -> str:
    """The working tree's commit (``unknown`` outside a repository or before a first commit)."""
    try:
        out = subprocess.run(
            ["git", "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
            cwd=Path(__file__).resolve().parent,
            timeout=10,
        )
        return out.stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"


@dataclass
class Evaluation:
    """Metrics of every scorer on the test months, by basis (``ipw``, ``audit``, ``truth``)."""

    metrics: dict[str, dict[str, dict[str, float]]] = field(default_factory=dict)
    basis: str = "ipw"

    def recall(self, name: str) -> float:
        return self.metrics.get(self.basis, {}).get(name, {}).get("recall_at_capacity", math.nan)

    def flat(self) -> dict[str, float]:
        out = {}
        for basis, by_name in self.metrics.items():
            for name, values in by_name.items():
                for key, value in values.items():
                    out[f"test.{basis}.{name}.{key}"] = value
        return out


def _capacity(settings: Settings, override: float | None) -> tuple[float, dict[str, float]]:
    default = override if override is not None else settings.default_interview_capacity
    return float(default), dict(settings.post_capacity)


def _cap_arg(default: float, posts: dict[str, float]) -> float | dict[str, float]:
    return posts if posts else default


def evaluate_scores(
    cases: CaseSet,
    mask: np.ndarray,
    scores: dict[str, np.ndarray],
    default: float,
    posts_cap: dict[str, float],
) -> tuple[Evaluation, dict[str, dict[str, float]]]:
    """Metrics at capacity for each named score over the cases in ``mask``.

    Thresholds come from *all* cases of the period; the metrics from the labelled ones (IPW),
    the audit sample alone, and the truth where known. Returns the evaluation and thresholds.
    """
    posts = cases.posts[mask]
    cap = _cap_arg(default, posts_cap)
    labels = cases.labels
    labelled = labels.interviewed[mask]
    audit = labels.audit[mask]
    y_label = labels.any_concern[mask]
    weights = labels.weight[mask]
    ev = Evaluation()
    thresholds: dict[str, dict[str, float]] = {}
    keys = tie_keys(cases.ids[mask])
    for name, score in scores.items():
        s = score[mask]
        th = thresholds_for_capacity(s, posts, cap, default)
        thresholds[name] = th
        refer = refer_exactly(s, posts, cap, keys=keys, default=default)  # ties broken by id
        if labelled.any():
            ev.metrics.setdefault("ipw", {})[name] = evaluate_at_capacity(
                y_label[labelled],
                s[labelled],
                posts[labelled],
                cap,
                weights=weights[labelled],
                default=default,
                refer=refer[labelled],
            )
        if audit.any():
            ev.metrics.setdefault("audit", {})[name] = evaluate_at_capacity(
                y_label[audit], s[audit], posts[audit], cap, default=default, refer=refer[audit]
            )
        if cases.truth is not None:
            known = cases.truth.known[mask]
            if known.any():
                ev.metrics.setdefault("truth", {})[name] = evaluate_at_capacity(
                    cases.truth.any_concern[mask][known],
                    s[known],
                    posts[known],
                    cap,
                    default=default,
                    refer=refer[known],
                )
    ev.basis = "truth" if "truth" in ev.metrics else "ipw"
    return ev, thresholds


def _risk(probs: dict[Concern, np.ndarray]) -> np.ndarray:
    return np.max(np.stack([probs[c] for c in CONCERNS]), axis=0)


@dataclass
class Fitted:
    scorer: Scorer
    logistic: dict[Concern, Any]
    fit_info: dict[str, float]
    model_reasons: dict[str, str]  # per kind other than applications: how its slot was filled
    probabilities: dict[Concern, np.ndarray]  # the model's, for every application
    rules: RuleReport | None = None  # each rule's precision; which are demoted

    @property
    def entry_model_reason(self) -> str:
        return self.model_reasons.get("entry", "no entries in the data")


def fit_slot(
    spec: CaseKindSpec,
    cases: CaseSet,
    split: TimeSplit | None,
    seed: int,
    params: BoosterParams,
    info: dict[str, float],
) -> tuple[dict[Concern, CalibratedModel], str]:
    """The models of one kind's slot: one per concern of the kind, on its labelled training
    months, when the kind has at least ``spec.min_positives`` confirmed cases of the concern."""
    primary = spec.name == PRIMARY
    x = np.asarray(cases.fm.values, dtype=np.float32)
    lab = cases.labels
    fit_w = params.fit_weights(lab.weight)
    models: dict[Concern, CalibratedModel] = {}
    short: list[str] = []
    for c in spec.concerns:
        y = lab.y[c]
        if split is None:
            short.append(f"0 confirmed {spec.name} {c.value} cases in the training months")
            continue
        tr = split.train & lab.interviewed
        va = split.valid & lab.interviewed
        positives = int(y[tr].sum())
        if positives < spec.min_positives:
            short.append(
                f"{positives} confirmed {spec.name} {c.value} cases in the training months"
            )
            continue
        several = len(spec.concerns) > 1
        name = c.value if primary else f"{spec.name} {c.value}"
        key = (
            f"fit.{c.value}" if primary else f"fit.{spec.name}" + (f".{c.value}" if several else "")
        )
        models[c], details = fit_concern_model(
            x[tr],
            y[tr],
            fit_w[tr],
            x[va],
            y[va],
            fit_w[va],
            seed=seed,
            name=name,
            params=params,
            w_valid_calibration=lab.weight[va],
        )
        info.update({f"{key}.{k}": v for k, v in details.items()})
    if models:
        reason = f"trained on {int(lab.interviewed.sum())} {spec.name} outcomes"
    else:
        fallback = (
            f"{spec.name} cases use their linked {spec.link.kind}'s probabilities and the rules"
            if spec.link is not None
            else f"{spec.name} cases are referred by their rules only"
        )
        short_text = "; ".join(short) or f"no {spec.name} concerns"
        reason = f"{short_text} (< {spec.min_positives}): {fallback}"
    return models, reason


def fit_models(
    world: World,
    split: TimeSplit,
    seed: int,
    default: float,
    posts_cap: dict[str, float],
    params: BoosterParams,
) -> Fitted:
    """Every model of the scorer, one slot per kind of case, and the logistic baseline (see
    the module doc)."""
    apps = world.applications
    x = np.asarray(apps.fm.values, dtype=np.float32)
    lab = apps.labels
    tr = split.train & lab.interviewed
    fit_w = params.fit_weights(lab.weight)
    info: dict[str, float] = {}
    slots: dict[str, ModelSlot] = {}
    reasons: dict[str, str] = {}
    for spec in kinds():
        cases = world.cases.get(spec.name)
        if cases is None or not len(cases):
            reasons[spec.name] = f"no {spec.name}s in the data"
            slots[spec.name] = ModelSlot(FeatureSpec.of(spec.indicators))
            continue
        if spec.name == PRIMARY:
            own_split: TimeSplit | None = split
        elif np.unique(cases.when.astype("datetime64[D]")).size >= 3:
            own_split = time_split(cases.when)
        else:
            own_split = None
        models, reasons[spec.name] = fit_slot(spec, cases, own_split, seed, params, info)
        slots[spec.name] = ModelSlot(FeatureSpec.of(spec.indicators), models)
    logistic = {c: fit_logistic(x[tr], lab.y[c][tr], fit_w[tr], seed=seed) for c in CONCERNS}
    fingerprint = running_fingerprint()
    slots[PRIMARY].reference = ReferencePanel(risk=np.zeros(1), posts=np.array(["*"]))
    scorer = Scorer(
        slots=slots,
        fingerprint=fingerprint,
        info=ModelInfo(name="unregistered", version="0", rules_version=fingerprint),
        capacity=default,
        post_capacity=posts_cap,
    )
    # Thresholds follow the latest months' risk distribution per post, per kind. Rules first,
    # then the model: rules measured imprecise refer no more on their own, and thresholds leave
    # the remaining rules their share of each post's capacity.
    test_start = np.datetime64(split.periods["test"][0])
    probs = scorer.predict_proba(apps.fm, PRIMARY)
    rule_report = report_for_cases(
        apps,
        split.train | split.valid,
        split.valid,
        _risk(probs),
        _cap_arg(default, posts_cap),
        default,
    )
    scorer.demoted_rules = rule_report.demoted
    hard = hard_rule_referrals(apps.rm.fired, apps.rm.codes, rule_report.demoted)
    slots[PRIMARY].reference = ReferencePanel.sample(
        _risk(probs)[split.test], apps.posts[split.test], seed, rules=hard[split.test]
    )
    known: dict[str, dict[str, dict[Concern, float]]] = {PRIMARY: _by_id(apps, probs)}
    for spec in kinds():
        cases = world.cases.get(spec.name)
        if spec.name == PRIMARY or cases is None or not len(cases):
            continue
        recent = cases.when >= test_start
        if recent.sum() < 100 and spec.thresholds_from is not None:
            continue  # too few recent cases: the thresholds of the kind it names
        if not recent.any():
            recent = np.ones(len(cases), dtype=bool)
        cache = dict(known.get(spec.link.kind, {})) if spec.link is not None else None
        kind_probs = scorer.probabilities(spec, cases.batch, cases.fm, world.ctx, cache)
        known[spec.name] = _by_id(cases, kind_probs)
        kind_hard = hard_rule_referrals(cases.rm.fired, cases.rm.codes, rule_report.demoted)
        slots[spec.name].reference = ReferencePanel.sample(
            _risk(kind_probs)[recent], cases.posts[recent], seed, rules=kind_hard[recent]
        )
    scorer._set_thresholds()
    model_reasons = {k: v for k, v in reasons.items() if k != PRIMARY}
    return Fitted(scorer, logistic, info, model_reasons, probs, rule_report)


def _by_id(cases: CaseSet, probs: dict[Concern, np.ndarray]) -> dict[str, dict[Concern, float]]:
    """Each case's probabilities by id (what a linked kind's cases take as their floor)."""
    columns = {c: probs[c].tolist() for c in CONCERNS}
    return {
        str(cid): {c: columns[c][i] for c in CONCERNS} for i, cid in enumerate(cases.ids.tolist())
    }


def _rows(fm: Any, mask: np.ndarray) -> Any:
    """The rows of a feature matrix in ``mask`` (names kept)."""
    from dataclasses import replace

    return replace(fm, values=fm.values[mask], details={}, victim_match=fm.victim_match[mask])


@dataclass
class TrainResult:
    summary: dict[str, Any]
    evaluation: Evaluation
    fairness: FairnessReport
    scorer: Scorer


def train(
    data: Path,
    *,
    seed: int = 0,
    capacity: float | None = None,
    settings: Settings | None = None,
    register: bool = True,
    step: Callable[[str], None] | None = None,
    params: BoosterParams | None = None,
) -> TrainResult:
    """Train, evaluate, audit, log and register (see the module doc); returns the summary."""
    s = settings if settings is not None else get_settings()
    tick = step or (lambda _name: None)
    params = params or BoosterParams()
    files = preflight(data, s, capacity=capacity, register=register).files
    tick("hashing the data")
    digest = dataset_digest(files.training_files())
    world = load_world(files, step=tick)
    apps = world.applications
    split = time_split(apps.when)
    default, posts_cap = _capacity(s, capacity)

    tick("training models")
    fitted = fit_models(world, split, seed, default, posts_cap, params)
    scorer = fitted.scorer

    tick("evaluating on the test months")
    test = split.test
    fm_all = apps.fm
    x = np.asarray(fm_all.values, dtype=np.float32)
    model_probs = fitted.probabilities
    lr_probs = {}
    for c, m in fitted.logistic.items():  # the baseline is only ever evaluated on the test months
        col = np.zeros(len(apps), dtype=np.float64)
        col[test] = logistic_proba(m, x[test])
        lr_probs[c] = col
    scores = {
        "model": _risk(model_probs),
        "logistic": _risk(lr_probs),
        "rules": apps.legacy.astype(np.float64),
    }
    if apps.truth is not None:
        scores["oracle"] = apps.truth.oracle_risk
    evaluation, thresholds = evaluate_scores(apps, test, scores, default, posts_cap)
    concern_metrics = _concern_metrics(apps, test, model_probs)
    if apps.labels.audit[test].any():  # recall as an agency without a truth file would see it
        estimate = estimate_for_cases(
            apps, test, scores["model"], _cap_arg(default, posts_cap), default
        )
        concern_metrics.update(estimate_metrics(estimate, seed))

    tick("fairness report")
    fair = audit_fairness(apps, test, scores["model"], thresholds["model"], evaluation.basis, s)

    tick("comparing with the champion")
    champion_version, champion_recall = _champion_on(
        apps, test, evaluation.basis, default, posts_cap, s
    )
    model_recall = evaluation.recall("model")
    rules_recall = evaluation.recall("rules")
    oracle_recall = evaluation.recall("oracle")
    not_worse = champion_recall is None or model_recall >= champion_recall
    summary: dict[str, Any] = {
        "run_id": None,
        "model_version": None,
        "basis": evaluation.basis,
        "test_period": f"{split.periods['test'][0]}..{split.periods['test'][1]}",
        "recall_at_capacity": {
            "model": model_recall,
            "rules": rules_recall,
            "oracle": oracle_recall,
            "logistic": evaluation.recall("logistic"),
            "champion": champion_recall,
        },
        "ratios": {
            "model_over_oracle": _ratio(model_recall, oracle_recall),
            "model_over_rules": _ratio(model_recall, rules_recall),
        },
        "fairness_passed": fair.passed,
        "gates": {"fairness": fair.passed, "not_worse": not_worse},
        "gates_passed": fair.passed and not_worse,
        "entry_model": fitted.entry_model_reason,
        "rules_demoted": sorted(fitted.rules.demoted) if fitted.rules is not None else [],
        "recall_estimate": {
            k.removeprefix("estimate."): v
            for k, v in concern_metrics.items()
            if k.startswith("estimate.")
        },
    }
    if register:
        tick("logging to MLflow")
        run_id, version = _log_run(
            world,
            split,
            digest,
            seed,
            default,
            scorer,
            fitted,
            evaluation,
            concern_metrics,
            fair,
            scores,
            thresholds,
            champion_version,
            champion_recall,
            params,
            s,
        )
        summary["run_id"] = run_id
        summary["model_version"] = version
    return TrainResult(
        summary=_json_safe(summary), evaluation=evaluation, fairness=fair, scorer=scorer
    )


def _ratio(a: float, b: float) -> float:
    return a / b if b and math.isfinite(b) and math.isfinite(a) else math.nan


def _json_safe(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _json_safe(v) for k, v in value.items()}
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _concern_metrics(
    cases: CaseSet, mask: np.ndarray, probs: dict[Concern, np.ndarray]
) -> dict[str, float]:
    """Per-concern PR-AUC and Brier of the calibrated model (labelled IPW and truth)."""
    from sklearn.metrics import average_precision_score

    out: dict[str, float] = {}
    lab = cases.labels
    m = mask & lab.interviewed
    for c in CONCERNS:
        p, y, w = probs[c][m], lab.y[c][m], lab.weight[m]
        if 0 < y.sum() < y.size:
            out[f"test.ipw.{c.value}.pr_auc"] = float(
                average_precision_score(y, p, sample_weight=w)
            )
        if w.sum() > 0:
            out[f"test.ipw.{c.value}.brier"] = float(np.sum(w * (p - y) ** 2) / w.sum())
        if cases.truth is not None:
            k = mask & cases.truth.known
            yt = cases.truth.y(c)[k]
            if 0 < yt.sum() < yt.size:
                out[f"test.truth.{c.value}.pr_auc"] = float(
                    average_precision_score(yt, probs[c][k])
                )
                out[f"test.truth.{c.value}.brier"] = float(np.mean((probs[c][k] - yt) ** 2))
    return out


def audit_fairness(
    cases: CaseSet,
    mask: np.ndarray,
    risk: np.ndarray,
    th: dict[str, float],
    basis: str,
    s: Settings,
) -> FairnessReport:
    """Fairness of the model's referrals at capacity on the test months."""
    from mizugiwa.training.evaluation import refer_at_capacity

    refer = refer_at_capacity(risk[mask], cases.posts[mask], th)
    groups = {k: v[mask] for k, v in cases.groups.items()}
    if basis == "truth" and cases.truth is not None:
        known = cases.truth.known[mask]
        return fairness_report(
            refer[known],
            cases.truth.any_concern[mask][known],
            {k: v[known] for k, v in groups.items()},
            min_group_size=s.fairness_min_group_size,
            bounds=s.fairness_fpr_ratio_bounds,
            gate=s.fairness_gate,
        )
    lab = cases.labels.interviewed[mask]
    return fairness_report(
        refer[lab],
        cases.labels.any_concern[mask][lab],
        {k: v[lab] for k, v in groups.items()},
        min_group_size=s.fairness_min_group_size,
        bounds=s.fairness_fpr_ratio_bounds,
        gate=s.fairness_gate,
        weights=cases.labels.weight[mask][lab],
    )


def _champion_on(
    cases: CaseSet,
    mask: np.ndarray,
    basis: str,
    default: float,
    posts_cap: dict[str, float],
    s: Settings,
) -> tuple[str | None, float | None]:
    """The champion's recall at capacity on these test months (``None`` without a champion)."""
    from mizugiwa.models.registry import CHAMPION, RegistryError, load_scorer

    try:
        champion = load_scorer(CHAMPION, settings=s)
    except (RegistryError, FeatureMismatchError):
        return None, None
    risk = np.zeros(len(cases), dtype=np.float64)
    risk[mask] = _risk(champion.predict_proba(_rows(cases.fm, mask)))
    ev, _ = evaluate_scores(cases, mask, {"champion": risk}, default, posts_cap)
    return champion.info.version, ev.metrics.get(basis, {}).get("champion", {}).get(
        "recall_at_capacity"
    )


def _log_run(
    world: World,
    split: TimeSplit,
    digest: str,
    seed: int,
    default: float,
    scorer: Scorer,
    fitted: Fitted,
    evaluation: Evaluation,
    concern_metrics: dict[str, float],
    fair: FairnessReport,
    scores: dict[str, np.ndarray],
    thresholds: dict[str, dict[str, float]],
    champion_version: str | None,
    champion_recall: float | None,
    params: BoosterParams,
    s: Settings,
) -> tuple[str, str]:
    import matplotlib
    import mlflow
    import mlflow.pyfunc

    matplotlib.use("Agg")
    from mizugiwa.models import pyfunc
    from mizugiwa.models.registry import SCORER_ARTIFACT, mlflow_session, register
    from mizugiwa.training import plots
    from mizugiwa.training.model_card import render_model_card

    apps = world.applications
    test = split.test
    test_period = f"{split.periods['test'][0]}..{split.periods['test'][1]}"
    with mlflow_session(s), mlflow.start_run() as run, tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        mlflow.log_params(
            {
                "seed": seed,
                "capacity.default": default,
                "capacity.posts": json.dumps(s.post_capacity, sort_keys=True),
                "applications": len(apps),
                "entries": 0 if world.entries is None else len(world.entries),
                "labelled": int(apps.labels.interviewed.sum()),
                "audited": int(apps.labels.audit.sum()),
                "features": len(scorer.slot(PRIMARY).features.names),
                "dataset_digest": digest,
                "rules_version": scorer.fingerprint,
                **split.describe(),
                **{f"lgbm.{k}": v for k, v in params.__dict__.items()},
            }
        )
        mlflow.set_tags(
            {
                "mizugiwa.git_commit": git_commit(),
                TAG_DATASET: digest,
                TAG_TEST_PERIOD: test_period,
                "mizugiwa.code_fingerprint": scorer.fingerprint,
                "mizugiwa.metric_basis": evaluation.basis,
                "mizugiwa.entry_model": fitted.entry_model_reason,
                TAG_FAIRNESS_FAILURES: "; ".join(fair.failures)[:4900],
                **({TAG_COMPARED_CHAMPION: champion_version} if champion_version else {}),
            }
        )
        metrics = {
            **evaluation.flat(),
            **concern_metrics,
            **fitted.fit_info,
            GATE_METRIC: evaluation.recall("model"),
            FAIRNESS_METRIC: 1.0 if fair.passed else 0.0,
            "outcomes.unmatched": float(world.unmatched_outcomes),
            **(fitted.rules.metrics() if fitted.rules is not None else {}),
        }
        if champion_recall is not None:
            metrics[CHAMPION_METRIC] = champion_recall
        for name in ("oracle", "rules"):
            r = _ratio(evaluation.recall("model"), evaluation.recall(name))
            metrics[f"ratio.model_over_{name}.recall_at_capacity"] = r
        mlflow.log_metrics({k: float(v) for k, v in metrics.items() if math.isfinite(float(v))})

        features_doc = [
            {
                "name": ind.name,
                "code": ind.code,
                "concern": getattr(ind.concern, "value", None),
                "doc": ind.doc,
                "weight": scorer.reason_weights(PRIMARY).get(ind.name, 0.0),
            }
            for ind in kind(PRIMARY).indicators
        ]
        (out / "features.json").write_text(
            json.dumps(
                {"fingerprint": scorer.fingerprint, "features": features_doc},
                indent=2,
                ensure_ascii=False,
            )
        )
        (out / "fairness_report.md").write_text(fair.to_markdown())
        (out / "fairness_report.json").write_text(json.dumps(fair.to_dict(), indent=2))
        (out / "metrics.json").write_text(json.dumps(_json_safe(evaluation.metrics), indent=2))
        basis_metrics = evaluation.metrics.get(evaluation.basis, {})
        card = render_model_card(
            name=s.registered_model_name,
            version="(registered below)",
            purpose=PURPOSE,
            data={
                "dataset digest": digest,
                "applications": len(apps),
                "labelled (interviewed)": int(apps.labels.interviewed.sum()),
                "random audit sample": int(apps.labels.audit.sum()),
                **{f"{k} period": f"{a}..{b}" for k, (a, b) in split.periods.items()},
                "metric basis": evaluation.basis,
                "entries": fitted.entry_model_reason,
            },
            metrics={
                f"test months ({evaluation.basis})": basis_metrics.get("model", {}),
                **{
                    f"test months ({b})": m.get("model", {})
                    for b, m in evaluation.metrics.items()
                    if b != evaluation.basis
                },
            },
            baselines={k: v for k, v in basis_metrics.items() if k not in ("model",)},
            fairness=fair,
            features=list(scorer.slot(PRIMARY).features.names),
            limits=LIMITS,
        )
        if fitted.rules is not None:
            card += "\n" + fitted.rules.markdown()
        (out / "model_card.md").write_text(card)
        _plots(apps, test, scores, evaluation.basis, default, fair, out, plots)
        mlflow.log_artifacts(str(out), artifact_path="report")

        scorer_path = out / SCORER_ARTIFACT
        with scorer_path.open("wb") as handle:
            pickle.dump(scorer, handle, protocol=pickle.HIGHEST_PROTOCOL)
        artifacts = {"scorer": str(scorer_path)}
        if world.files.tipdb is not None:
            artifacts["tipdb"] = str(stage_artifact(world.files.tipdb, out / "staged"))
        logged = mlflow.pyfunc.log_model(
            name="model",
            python_model=pyfunc.MizugiwaModel(),
            artifacts=artifacts,
            code_paths=[str(pyfunc.stage_serving_code(out / "code"))],
            signature=pyfunc.signature(),
            input_example=pyfunc.input_example(),
            pip_requirements=_requirements(),
        )
        description = (
            f"Trained on {digest[:12]} (seed {seed}); test months {test_period}; "
            f"recall at capacity {evaluation.recall('model'):.3f} ({evaluation.basis}); "
            f"fairness {'passed' if fair.passed else 'failed'}."
        )
        version = register(
            logged.model_uri,
            run_id=run.info.run_id,
            description=description,
            tags={
                "fairness": "passed" if fair.passed else "failed",
                "test_period": test_period,
                "dataset_digest": digest,
            },
            settings=s,
        )
        return run.info.run_id, str(version.version)


def _requirements() -> list[str]:
    from importlib.metadata import PackageNotFoundError, version

    names = (
        "mlflow",
        "lightgbm",
        "scikit-learn",
        "numpy",
        "pandas",
        "pydantic",
        "orjson",
        "rapidfuzz",
        "anyascii",
        "pykakasi",
        "pythainlp",
        "phonenumbers",
        "pycountry",
        "sqlalchemy",
        "pydantic-settings",
        "structlog",
    )
    out = []
    for name in names:
        try:
            out.append(f"{name}=={version(name)}")
        except PackageNotFoundError:
            continue
    return out


def _plots(
    cases: CaseSet,
    mask: np.ndarray,
    scores: dict[str, np.ndarray],
    basis: str,
    default: float,
    fair: FairnessReport,
    out: Path,
    plots: Any,
) -> None:
    """PR curves, recall by capacity, calibration and fairness figures as PNG files."""
    import matplotlib.pyplot as plt

    from mizugiwa.training.evaluation import calibration_table

    if basis == "truth" and cases.truth is not None:
        keep = mask & cases.truth.known
        y = cases.truth.any_concern[keep]
        w = None
    else:
        keep = mask & cases.labels.interviewed
        y = cases.labels.any_concern[keep]
        w = cases.labels.weight[keep]
    figures = {}
    if y.any():
        figures["pr_curves.png"] = plots.pr_curves(
            {n: (y, s[keep]) for n, s in scores.items()},
            weights=None if w is None else {n: w for n in scores},
        )
        figures["recall_by_capacity.png"] = plots.recall_capacity_plot(
            y,
            {n: s[keep] for n, s in scores.items()},
            posts=cases.posts[keep],
            weights=w,
            marked_capacity=default,
        )
    tables = {
        n: calibration_table(y, scores[n][keep], weights=w, strategy="quantile")
        for n in ("model", "logistic")
        if y.size
    }
    if tables:
        figures["calibration.png"] = plots.calibration_plot(tables)
    figures["fairness.png"] = plots.fairness_plot(fair)
    for name, figure in figures.items():
        figure.savefig(out / name, dpi=100, bbox_inches="tight")
        plt.close(figure)
