"""Write the analyst notebooks from the cell sources below, outputs stripped.

Run ``.venv/bin/python notebooks/build.py`` after editing a notebook's cells here; the committed
``.ipynb`` files are its output (no outputs, no execution counts, stable cell ids), so a diff of a
notebook shows only what changed in its text. ``--check`` fails when a committed notebook differs
from what this script would write.

Every notebook starts with the same setup cell: the world it analyses (``MIZUGIWA_NOTEBOOK_WORLD``,
generated when the folder holds none) and a sandbox MLflow store (``MIZUGIWA_NOTEBOOK_MLFLOW``),
both under the system's temporary folder by default.
"""

from __future__ import annotations

import argparse
import sys
import textwrap
from pathlib import Path

import nbformat

HERE = Path(__file__).resolve().parent

SETUP = """
import io
import os
import tempfile
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from IPython.display import Image, display

from mizugiwa.settings import Settings
from mizugiwa.training.fit import BoosterParams
from mizugiwa.training.synth import generate_world

SEED = 7
# Big enough that every concern has a handful of confirmed cases in the training months.
WORLD_APPLICATIONS, WORLD_ENTRIES = 20_000, 2_000
HOME = Path(tempfile.gettempdir()) / "mizugiwa-notebooks"
WORLD = Path(os.environ.get("MIZUGIWA_NOTEBOOK_WORLD", HOME / "world"))
MLFLOW_DIR = Path(os.environ.get("MIZUGIWA_NOTEBOOK_MLFLOW", HOME / "mlflow"))

if not (WORLD / "manifest.json").is_file():
    generate_world(SEED, WORLD_APPLICATIONS, WORLD_ENTRIES, WORLD)
MLFLOW_DIR.mkdir(parents=True, exist_ok=True)
# A sandbox store: what these notebooks register never reaches the service's registry.
settings = Settings(
    mlflow_tracking_uri=f"sqlite:///{MLFLOW_DIR / 'mlflow.sqlite3'}",
    mlflow_artifact_root=(MLFLOW_DIR / "artifacts").as_uri(),
)
# Fewer, larger boosting steps than `mizugiwa train` uses: the notebooks must run in seconds.
NOTEBOOK_PARAMS = BoosterParams(learning_rate=0.1, max_rounds=150, early_stopping=20)
CAPACITY = settings.default_interview_capacity
plt.rcParams["figure.figsize"] = (7, 4)


def show(fig):
    # Displays a figure as PNG whatever matplotlib's backend is (training selects Agg).
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=90, bbox_inches="tight")
    plt.close(fig)
    display(Image(buffer.getvalue()))


print(f"world: {WORLD}\\nMLflow: {settings.mlflow_tracking_uri}")
"""

CHALLENGER = """
from mizugiwa.models.registry import CHALLENGER, load_version, version_for_alias
from mizugiwa.training.datasets import DataFiles, dataset_digest
from mizugiwa.training.train import train
from mizugiwa.training.world import load_world

files = DataFiles.find(WORLD)
digest = dataset_digest(files.training_files())
version = version_for_alias(CHALLENGER, settings=settings)
if version is None or version.tags.get("dataset_digest") != digest:
    # No challenger trained on this world yet (02_train_and_compare registers one).
    train(WORLD, seed=SEED, settings=settings, params=NOTEBOOK_PARAMS)
    version = version_for_alias(CHALLENGER, settings=settings)
scorer = load_version(version.version, settings=settings)
world = load_world(files)
apps = world.applications
print(f"challenger: version {version.version} of {settings.registered_model_name}")
"""


def md(text: str) -> tuple[str, str]:
    return ("markdown", textwrap.dedent(text).strip())


def code(text: str) -> tuple[str, str]:
    return ("code", textwrap.dedent(text).strip())


NOTEBOOKS: dict[str, list[tuple[str, str]]] = {}

# --------------------------------------------------------------------------------------------
NOTEBOOKS["01_world_and_data_quality"] = [
    md(
        """
        # 01 · The world and its data quality

        Before training anything, an analyst should know what the files hold: how many
        applications, from which posts and visa categories, which fields are missing and why,
        and above all **which cases carry a label**. Labels come only from secondary
        interviews, and interviews are not chosen at random: the legacy checklist picks most of
        them. A small **random audit** of the cases nobody flagged is what lets us measure the
        population without that bias.

        This notebook reads a synthetic world (`mizugiwa synth`), but every step uses only the
        documented file format, so it runs the same on an agency's export.
        """
    ),
    code(SETUP),
    md("## What the folder holds"),
    code(
        """
        import json

        manifest = json.loads((WORLD / "manifest.json").read_text())
        display(pd.Series(manifest["counts"], name="lines").to_frame())
        print("applications submitted", " .. ".join(manifest["period"]["applications"]))
        """
    ),
    md(
        """
        Every line of `applications.jsonl` must be a valid `VisaApplication` (the API's request
        body). Validation names the field of the first error, so a bad export is caught here
        rather than inside a feature.
        """
    ),
    code(
        """
        import orjson
        from pydantic import ValidationError

        from mizugiwa.features.records import VisaApplication

        rows, invalid = [], []
        with (WORLD / "applications.jsonl").open("rb") as handle:
            for number, line in enumerate(handle, start=1):
                try:
                    VisaApplication.model_validate_json(line)
                except ValidationError as exc:
                    err = exc.errors()[0]
                    invalid.append((number, ".".join(map(str, err["loc"])), err["msg"]))
                    continue
                rows.append(orjson.loads(line))
        print(f"{len(rows)} valid applications, {len(invalid)} invalid")
        if invalid:
            display(pd.DataFrame(invalid[:20], columns=["line", "field", "error"]))

        flat = pd.json_normalize(rows)
        flat["submitted_at"] = pd.to_datetime(flat["submitted_at"]).dt.tz_localize(None)
        flat["month"] = flat["submitted_at"].dt.to_period("M").dt.to_timestamp()
        """
    ),
    md(
        """
        ## Who applies, and when

        Temporary visitors dominate. The other categories are small, yet they are where sham
        marriage (spouse visas) and exploitation (entertainer, intern and worker visas) live.
        The dashed line marks the entertainer-visa crackdown the world simulates: after it,
        entertainer applications collapse and exploitation moves to other categories.
        """
    ),
    code(
        """
        per_month = flat.pivot_table(
            index="month", columns="visa_category", values="application_id", aggfunc="count"
        ).fillna(0)
        fig, ax = plt.subplots()
        minor = per_month.drop(columns="temporary_visitor", errors="ignore")
        minor.rolling(3, min_periods=1).mean().plot(ax=ax)
        ax.axvline(pd.Timestamp(manifest["entertainer_crackdown"]), color="grey", linestyle="--")
        ax.set(ylabel="applications per month (3-month mean)", xlabel="",
               title="Applications by visa category (temporary visitors left out)")
        ax.legend(fontsize=8, ncol=2)
        show(fig)
        display(flat["visa_category"].value_counts().to_frame("applications"))
        """
    ),
    md(
        """
        ## Missing fields

        Optional sections are of two kinds. Some are missing **by design**: a marriage section
        only belongs to a spouse visa, an employment section to a work visa. Others are
        **data gaps**: a phone, an address, the machine-readable zone or the face-match score
        left empty where they could have been given. Indicators read a gap as "unknown"
        (`NaN`), never as "no concern", so a post that leaves fields empty gets less help from
        the model. The heat map shows the share of applications *with* each field.
        """
    ),
    code(
        """
        fields = {
            "sponsor": "sponsor.role",
            "marriage": "marriage.marriage_date",
            "employment": "employment.employer_name",
            "face match": "biometrics.face_match_score",
            "passport MRZ": "passport.mrz",
            "phone": "applicant.phone",
            "address": "applicant.address",
            "native name": "applicant.name_native",
        }
        present = pd.DataFrame(
            {label: flat[column].notna() if column in flat else False
             for label, column in fields.items()}
        )
        present["visa_category"] = flat["visa_category"]
        coverage = present.groupby("visa_category").mean()

        fig, ax = plt.subplots(figsize=(8, 4))
        image = ax.imshow(coverage.values, cmap="viridis", vmin=0, vmax=1, aspect="auto")
        ax.set_xticks(range(coverage.shape[1]), coverage.columns, rotation=30, ha="right")
        ax.set_yticks(range(coverage.shape[0]), coverage.index)
        for (i, j), share in np.ndenumerate(coverage.values):
            ax.text(j, i, f"{share:.0%}", ha="center", va="center", fontsize=7,
                    color="white" if share < 0.6 else "black")
        fig.colorbar(image, label="share present")
        ax.set_title("Fields present, by visa category")
        show(fig)
        overall_missing = 1 - present.drop(columns="visa_category").mean()
        display(overall_missing.sort_values(ascending=False).to_frame("share missing"))
        """
    ),
    md(
        """
        ## Who was interviewed, and why

        `outcomes.jsonl` holds one line per interview with its `referral_source`: `rule` (the
        legacy checklist, or a watchlist rule), `officer`, `model`, or `random_audit`.
        `align_labels` matches outcomes to applications; a case without an outcome has **no
        label**, which is not the same as "no concern".
        """
    ),
    code(
        """
        from mizugiwa.features.records import CONCERNS
        from mizugiwa.training.datasets import align_labels, read_outcomes

        outcomes = read_outcomes(WORLD / "outcomes.jsonl")
        ids = flat["application_id"].to_numpy(dtype=object)
        labels, unmatched = align_labels(ids, outcomes)
        flat["interviewed"] = labels.interviewed
        flat["audit"] = labels.audit
        flat["concern"] = labels.any_concern

        table = pd.DataFrame({"case_id": outcomes.case_id, "source": outcomes.source,
                              "concern": outcomes.concern})
        table = table[table["case_id"].isin(set(ids))]
        by_source = table.groupby("source").agg(
            interviews=("case_id", "size"),
            confirmed=("concern", lambda c: int((c != "").sum())),
        )
        by_source["yield"] = by_source["confirmed"] / by_source["interviews"]
        display(by_source)
        print(f"{labels.interviewed.mean():.1%} of applications interviewed; "
              f"{unmatched} outcomes belong to border entries or unknown cases")
        """
    ),
    code(
        """
        mix = pd.crosstab(table["source"], table["concern"].replace("", "no concern"),
                          normalize="index")
        fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4))
        mix.plot.barh(stacked=True, ax=left, colormap="tab20c")
        left.set(xlabel="share of interviews", ylabel="", title="Findings by referral source")
        left.legend(fontsize=7, loc="lower right")
        rate = flat.groupby("visa_category")[["interviewed", "audit"]].mean()
        rate.plot.barh(ax=right)
        right.set(xlabel="share of applications", ylabel="",
                  title="Interviewed (any source) and audited, by category")
        show(fig)
        """
    ),
    md(
        """
        The checklist interviews where its points are: entertainer and spouse visas are
        interviewed far more often than visitors. A model trained on checklist referrals
        alone would learn the checklist. The audit's yield is much lower than the checklist's,
        as it should be: it samples ordinary cases.

        ## The audit sample

        The audit draws uniformly from cases no policy referred, so each audited case stands
        for `unflagged / audited` cases: its inverse-propensity weight (`Labels.weight`).
        If the audit is really random, its visa-category mix matches the population's.
        """
    ),
    code(
        """
        audit = flat[flat["audit"]]
        shares = pd.DataFrame({
            "all applications": flat["visa_category"].value_counts(normalize=True),
            "audit sample": audit["visa_category"].value_counts(normalize=True),
        }).fillna(0)
        fig, ax = plt.subplots()
        shares.plot.barh(ax=ax)
        ax.set(xlabel="share", ylabel="", title=f"Audit sample ({len(audit)} cases) vs all")
        show(fig)

        weights = labels.weight[labels.audit]
        # Weighted share with a concern over every labelled case: the population's prevalence.
        w = labels.weight[labels.interviewed]
        y = labels.any_concern[labels.interviewed]
        ipw_prevalence = float((w * y).sum() / w.sum())
        naive_prevalence = float(y.mean())
        print(f"audit weight per case: {weights.max():.0f}; audited per year:")
        display(audit.groupby(audit["submitted_at"].dt.year).size().to_frame("audited"))
        """
    ),
    md(
        """
        ## What the labels miss

        A synthetic world also writes `truth.jsonl`: each case's true concern and the oracle's
        probability. It is never a training input; here it shows how far the labels are from
        the truth. The naive prevalence (share of interviews with a concern) describes the
        checklist's picks, not the population. The inverse-propensity estimate is unbiased, but
        for the unflagged cases it rests on the audit alone: with a prevalence near 1%, a few
        hundred audited cases find only a handful, so its interval is wide.
        """
    ),
    code(
        """
        from mizugiwa.training.datasets import read_truth

        truth_file = WORLD / "truth.jsonl"
        truth = read_truth(truth_file, ids) if truth_file.is_file() else None
        rows_ = {"naive (share of interviews)": naive_prevalence,
                 "inverse-propensity weighted": ipw_prevalence}
        if truth is not None:
            true_cases = truth.any_concern
            rows_["truth"] = float(true_cases.mean())
            found = float((true_cases & labels.interviewed).sum() / max(true_cases.sum(), 1))
            by_concern = pd.DataFrame({
                "true cases": [int(truth.y(c).sum()) for c in CONCERNS],
                "interviewed": [int((truth.y(c) & labels.interviewed).sum()) for c in CONCERNS],
                "confirmed": [int((truth.y(c) & labels.y[c]).sum()) for c in CONCERNS],
            }, index=[c.value for c in CONCERNS])
            display(by_concern)
            print(f"the legacy process interviewed {found:.0%} of the true cases")
        display(pd.Series(rows_, name="prevalence of any concern").to_frame())


        def wilson(successes, trials, z=1.96):
            centre = (successes + z * z / 2) / (trials + z * z)
            spread = np.sqrt(successes * (trials - successes) / trials + z * z / 4)
            half = z * spread / (trials + z * z)
            return max(0.0, centre - half), min(1.0, centre + half)


        audit_n = int(labels.audit.sum())
        audit_found = int(labels.any_concern[labels.audit].sum())
        audit_interval = wilson(audit_found, audit_n) if audit_n else (np.nan, np.nan)
        print(f"the audit confirmed {audit_found} concerns in {audit_n} interviews: among "
              f"unflagged cases the prevalence lies between {audit_interval[0]:.2%} and "
              f"{audit_interval[1]:.2%} (95% interval)")
        """
    ),
    md("## Conclusion"),
    code(
        """
        conclusion = {
            "applications": len(flat),
            "invalid_lines": len(invalid),
            "interviewed_share": float(labels.interviewed.mean()),
            "audited": int(labels.audit.sum()),
            "yield_by_source": by_source["yield"].round(4).to_dict(),
            "most_missing_field": overall_missing.idxmax(),
            "prevalence": {k: round(v, 5) for k, v in rows_.items()},
            "audit_prevalence_interval": [round(v, 5) for v in audit_interval],
        }
        conclusion
        """
    ),
    md(
        """
        - Labels cover only a few percent of applications, chosen mostly by the checklist:
          training must weight them (inverse propensity) and evaluation must be reported on the
          audit sample too, or both inherit the checklist's blind spots.
        - The audit sample is the only unbiased view, and it is small: its estimates have wide
          intervals. A larger audit share buys better measurement at the cost of interviews.
        - Missing fields are mostly structural; the data gaps (face match, phone, address)
          weaken the indicators that read them and are worth raising with the posts concerned.
        """
    ),
]

# --------------------------------------------------------------------------------------------
NOTEBOOKS["02_train_and_compare"] = [
    md(
        """
        # 02 · Train and compare

        `train()` is what `mizugiwa train --data DIR` runs: features as of each application's
        date, a time split (train on earlier months, calibrate on the next, test on the latest),
        one calibrated LightGBM model per concern, the logistic baseline on the same labelled
        cases, the legacy checklist, and, because a synthetic world has a truth file, the
        oracle. Everything is judged **at interview capacity**: each post can interview only
        3% of its cases, so the question is how many true cases fall within that 3%.

        The run is logged to a sandbox MLflow store and registered with alias `challenger`;
        notebooks 03 to 05 read it from there.
        """
    ),
    code(SETUP),
    code(
        """
        import time

        from mizugiwa.training.train import train

        started = time.perf_counter()
        result = train(WORLD, seed=SEED, settings=settings, params=NOTEBOOK_PARAMS,
                       step=lambda name: print("·", name))
        print(f"trained in {time.perf_counter() - started:.0f} s")
        result.summary
        """
    ),
    md(
        """
        ## The four scorers on the test months

        Metrics come on up to three bases: `truth` (every test case, synthetic worlds only),
        `ipw` (the interviewed cases, inverse-propensity weighted) and `audit` (the random
        audit alone: unbiased but small). Thresholds always come from all cases of the period,
        since capacity is a share of all cases.
        """
    ),
    code(
        """
        metrics = pd.concat(
            {basis: pd.DataFrame(by_name).T
             for basis, by_name in result.evaluation.metrics.items()},
            names=["basis", "scorer"],
        )
        columns = ["recall_at_capacity", "precision_at_capacity", "pr_auc", "brier", "n",
                   "positives"]
        display(metrics[[c for c in columns if c in metrics]].round(3))
        """
    ),
    md(
        """
        To draw curves we need each case's score. `train()` is a sequence of public steps:
        `load_world` reads the folder, `time_split` gives the same months, and `fit_models`
        fits the same models with the same seed (LightGBM is deterministic here), returning the
        logistic baselines beside the scorer. Recomputing the run's metrics from these scores
        checks that the notebook looks at exactly what the run evaluated.
        """
    ),
    code(
        """
        from mizugiwa.features.records import CONCERNS
        from mizugiwa.training.datasets import DataFiles
        from mizugiwa.training.fit import logistic_proba
        from mizugiwa.training.split import time_split
        from mizugiwa.training.train import evaluate_scores, fit_models
        from mizugiwa.training.world import load_world

        world = load_world(DataFiles.find(WORLD))
        apps = world.applications
        lab = apps.labels
        split = time_split(apps.when)
        fitted = fit_models(world, split, SEED, CAPACITY, settings.post_capacity, NOTEBOOK_PARAMS)
        x = np.asarray(apps.fm.values, dtype=np.float32)


        def risk(probabilities):
            return np.max(np.stack([probabilities[c] for c in CONCERNS]), axis=0)


        model_probs = fitted.scorer.predict_proba(apps.fm)
        logistic_probs = {c: logistic_proba(m, x) for c, m in fitted.logistic.items()}
        scores = {"model": risk(model_probs), "logistic": risk(logistic_probs),
                  "rules": apps.legacy.astype(float)}
        if apps.truth is not None:
            scores["oracle"] = apps.truth.oracle_risk
        again, thresholds = evaluate_scores(apps, split.test, scores, CAPACITY,
                                    settings.post_capacity)
        for name in scores:
            same = np.isclose(again.recall(name), result.evaluation.recall(name), equal_nan=True)
            assert same, f"{name}: the notebook's scores do not reproduce the run's metrics"
        print("periods:", split.periods)
        """
    ),
    md(
        """
        ## Precision-recall curves

        The curve shows every trade-off between finding cases (recall) and wasting interviews
        (precision); the marker is the operating point at 3% capacity. Judged on the truth
        where it exists, else on the weighted interviews.
        """
    ),
    code(
        """
        from mizugiwa.training import plots
        from mizugiwa.training.evaluation import calibration_table, evaluate_at_capacity

        test = split.test
        if apps.truth is not None:
            keep, y, w = test & apps.truth.known, apps.truth.any_concern, None
        else:
            keep, y, w = test & lab.interviewed, lab.any_concern, lab.weight
        y_test, w_test = y[keep], None if w is None else w[keep]
        posts = apps.posts[keep]
        at_capacity = {
            name: evaluate_at_capacity(y_test, s[keep], posts, CAPACITY, weights=w_test,
                                       thresholds=thresholds[name])
            for name, s in scores.items()
        }
        show(plots.pr_curves(
            {name: (y_test, s[keep]) for name, s in scores.items()},
            capacity_points={n: (m["recall_at_capacity"], m["precision_at_capacity"])
                             for n, m in at_capacity.items()},
            weights=None if w_test is None else {n: w_test for n in scores},
        ))
        show(plots.recall_capacity_plot(y_test, {n: s[keep] for n, s in scores.items()},
                                           posts=posts, weights=w_test,
                                           marked_capacity=CAPACITY))
        """
    ),
    md(
        """
        ## Calibration

        A referral threshold only needs a ranking, but officers read the probabilities, and
        the reason texts weigh concerns against each other, so probabilities should mean what
        they say. The LightGBM models are isotonic-calibrated on the validation months;
        bins are equal-count because most probabilities are tiny.
        """
    ),
    code(
        """
        tables = {
            name: calibration_table(y_test, np.clip(scores[name][keep], 0, 1), weights=w_test,
                                    strategy="quantile")
            for name in ("model", "logistic", "oracle") if name in scores
        }
        show(plots.calibration_plot(tables))
        brier = {}
        for c in CONCERNS:
            yc = apps.truth.y(c)[keep] if apps.truth is not None else lab.y[c][keep]
            brier[c.value] = {"model": float(np.mean((model_probs[c][keep] - yc) ** 2)),
                              "logistic": float(np.mean((logistic_probs[c][keep] - yc) ** 2))}
        display(pd.DataFrame(brier).T.round(5).rename_axis("Brier score by concern"))
        """
    ),
    md("## Conclusion"),
    code(
        """
        # The run's own figures (the gates read them), so the notebook and MLflow agree.
        recall = {
            name: value
            for name, value in result.summary["recall_at_capacity"].items()
            if name in at_capacity and value is not None
        }
        conclusion = {
            "basis": result.evaluation.basis,
            "recall_at_capacity": {k: round(v, 4) for k, v in recall.items()},
            "model_over_rules": result.summary["ratios"]["model_over_rules"],
            "model_over_oracle": result.summary["ratios"]["model_over_oracle"],
            "best_non_oracle": max((k for k in recall if k != "oracle"), key=recall.get),
            "registered_version": result.summary["model_version"],
            "labelled_training_cases": int((split.train & lab.interviewed).sum()),
        }
        conclusion
        """
    ),
    md(
        """
        - On this small world the models learn from only a few hundred labelled training cases,
          a handful of them confirmed; read the ratios with that in mind. The quality targets
          (recall at capacity at least 0.9 of the oracle's and 1.5 of the checklist's) are
          measured by the benchmarks on worlds of a million applications.
        - The gap to the oracle is the price of selective labels and of data the oracle sees
          and the features do not; the gap to the checklist is what a model adds at the same
          interview workload.
        - If the logistic baseline matches or beats LightGBM, the interactions the trees could
          learn are not (yet) supported by the labels: prefer the simpler model's explanations
          until more outcomes arrive.
        """
    ),
]

# --------------------------------------------------------------------------------------------
NOTEBOOKS["03_fairness_audit"] = [
    md(
        """
        # 03 · Fairness audit

        Nationality, sex and age are never model inputs, but a model can still refer some
        groups more often through features that go with them. What matters most is the burden
        on **innocent** people: the **false-positive rate**, the share of people with no
        concern who are referred to an interview. The promotion gate fails when a measurable
        group's false-positive rate is above 1.25 times the overall rate beyond sampling error
        (over-burden); a rate below 0.8 times (under-referral) and a lower recall (equal
        opportunity) are reported, not gated (see `docs/fairness.md`).

        This notebook reads the fairness report of the registered challenger, shows what the
        gates decide, and looks for where a reviewer should dig.
        """
    ),
    code(SETUP),
    code(CHALLENGER),
    md("## The report the run logged"),
    code(
        """
        import json

        import mlflow
        from IPython.display import Markdown

        from mizugiwa.training.fairness import FairnessReport
        from mizugiwa.training.plots import fairness_plot

        local = mlflow.artifacts.download_artifacts(
            run_id=version.run_id, artifact_path="report/fairness_report.json",
            dst_path=tempfile.mkdtemp(), tracking_uri=settings.mlflow_tracking_uri,
        )
        report = FairnessReport.from_dict(json.loads(Path(local).read_text()))
        display(Markdown(report.to_markdown()))
        show(fairness_plot(report))
        """
    ),
    md(
        """
        ## What the gates decide

        `models.promotion` holds the two gates `mizugiwa promote` applies. Calling them here
        reads the decision without moving any alias.
        """
    ),
    code(
        """
        from mizugiwa.models.promotion import fairness_gate, not_worse_gate
        from mizugiwa.models.registry import CHAMPION, client

        runs = client(settings)
        candidate = runs.get_run(version.run_id)
        champion = version_for_alias(CHAMPION, settings=settings)
        champion_run = runs.get_run(champion.run_id) if champion is not None else None
        gates = [
            fairness_gate(candidate),
            not_worse_gate(candidate, None if champion is None else str(champion.version),
                           champion_run),
        ]
        display(pd.DataFrame([g.__dict__ for g in gates]))
        """
    ),
    md(
        """
        ## Is a failure real, or noise?

        A ratio outside the bounds on a few hundred people can be chance. The 95% Wilson
        interval of each group's false-positive rate tells which departures the data can
        actually support: when the interval still overlaps the allowed band, the next step is
        more data (a later period, a larger audit), not a change to the model.
        """
    ),
    code(
        """
        overall_fpr = report.overall["false_positive_rate"]
        low, high = report.bounds
        rows = [r for rows in report.tables.values() for r in rows if r.measurable]
        fig, ax = plt.subplots(figsize=(7, 0.35 * len(rows) + 1.5))
        for i, r in enumerate(rows):
            colour = "#c0392b" if r.status == "over-burdened" else "#2e86c1"
            ax.errorbar(r.false_positive_rate, i,
                        xerr=[[r.false_positive_rate - r.fpr_interval[0]],
                              [r.fpr_interval[1] - r.false_positive_rate]],
                        fmt="o", color=colour, capsize=3)
        ax.axvspan(low * overall_fpr, high * overall_fpr, color="#27ae60", alpha=0.15,
                   label="allowed band")
        ax.axvline(overall_fpr, color="grey", linewidth=0.8)
        ax.set_yticks(range(len(rows)), [f"{r.attribute}={r.group}" for r in rows])
        ax.invert_yaxis()
        ax.set(xlabel="false-positive rate (95% interval)",
               title="Burden on people with no concern, by group")
        ax.legend(loc="lower right")
        show(fig)

        review = pd.DataFrame([
            {"group": f"{r.attribute}={r.group}", "n": r.n, "fpr": r.false_positive_rate,
             "ratio": r.fpr_ratio, "interval": r.fpr_interval,
             "clearly outside": (
                 r.fpr_interval[0] > high * report.overall[f"reference_fpr.{r.attribute}"]
                 or r.fpr_interval[1] < low * report.overall[f"reference_fpr.{r.attribute}"])}
            for r in rows if r.status in ("over-burdened", "under-referred")
        ])
        display(review)
        """
    ),
    md(
        """
        ## Where a disparity comes from

        For each attribute with a failing group, the referrals of people with no concern on
        the test months are broken down by visa category. A group referred more often only
        because it applies more often in a category the model watches (young entertainers,
        intern trainees) points at a category-level question; a group referred more often
        *within* the same categories points at a feature acting as a proxy.
        """
    ),
    code(
        """
        from mizugiwa.training.evaluation import refer_at_capacity
        from mizugiwa.training.split import time_split

        split = time_split(apps.when)
        test = split.test
        if apps.truth is not None:
            keep, innocent = test & apps.truth.known, ~apps.truth.any_concern
        else:
            keep, innocent = test & apps.labels.interviewed, ~apps.labels.any_concern
        model_risk = np.max(np.stack(list(scorer.predict_proba(apps.fm).values())), axis=0)
        referred = np.zeros(len(apps), dtype=bool)
        referred[test] = refer_at_capacity(model_risk[test], apps.posts[test], scorer.thresholds["application"])
        frame = pd.DataFrame({
            "category": np.asarray(apps.batch.visa_category).astype(str),
            "referred": referred,
            **{k: v for k, v in apps.groups.items()},
        })[keep & innocent]
        failing_attributes = sorted({f.split("=")[0] for f in report.failures}) or ["age_band"]
        for attribute in failing_attributes:
            within = frame.pivot_table(index=attribute, columns="category", values="referred",
                                       aggfunc="mean")
            counts = frame.pivot_table(index=attribute, columns="category", values="referred",
                                       aggfunc="size")
            display(Markdown(f"**False-positive rate by {attribute} and visa category** "
                             "(cells with fewer than 30 people left blank)"))
            display(within.where(counts >= 30).round(3))
        """
    ),
    md("## Conclusion"),
    code(
        """
        conclusion = {
            "model_version": version.version,
            "fairness_passed": report.passed,
            "gates": {g.name: g.passed for g in gates},
            "failures": report.failures,
            "clearly_outside": [] if review.empty else
                review.loc[review["clearly outside"], "group"].tolist(),
            "unmeasured_notes": report.notes,
        }
        conclusion
        """
    ),
    md(
        """
        What a person should look at next:

        1. **Groups clearly outside the band** (their interval excludes it): read the referred
           cases of that group with no concern, and the reasons the officers saw. Which
           indicators fired? Are they legitimate for this group (e.g. a short courtship common
           in one culture) or proxies?
        2. **Groups outside the band but within noise**: re-run the report on the next period
           or a larger audit before acting; do not tune the model to noise.
        3. **Groups too small to measure**: they are not gated, which is not the same as fair.
           Pool periods, or review those referrals by hand.
        4. A failed gate blocks promotion. Overriding it (`mizugiwa promote --force --reason`)
           keeps the reason on the model version for the auditors.
        """
    ),
]

# --------------------------------------------------------------------------------------------
NOTEBOOKS["04_capacity_and_thresholds"] = [
    md(
        """
        # 04 · Capacity and thresholds

        A post's threshold is not a tuning knob: it follows from how many interviews the post
        can hold. Each post refers its top `capacity` share of cases (3% by default,
        `MIZUGIWA_POST_CAPACITY` per post). This notebook shows, per post, how recall and the
        monthly interview workload change as capacity changes, and where extra interviewers
        would find the most.
        """
    ),
    code(SETUP),
    code(CHALLENGER),
    code(
        """
        from mizugiwa.training.evaluation import recall_by_capacity, thresholds_for_capacity
        from mizugiwa.training.split import time_split

        split = time_split(apps.when)
        test = split.test
        model_risk = np.max(np.stack(list(scorer.predict_proba(apps.fm).values())), axis=0)
        if apps.truth is not None:
            keep, positive, weight = test & apps.truth.known, apps.truth.any_concern, None
        else:
            keep, positive, weight = test & apps.labels.interviewed, apps.labels.any_concern, \\
                apps.labels.weight
        months = np.unique(apps.when[test].astype("datetime64[M]")).size
        posts = pd.Series(apps.posts[test]).value_counts()
        print(f"test months: {split.periods['test']} ({months} months, {test.sum()} applications)")
        """
    ),
    md(
        """
        ## Recall as capacity grows, per post

        Posts with too few true cases in the test months give no meaningful recall; they are
        pooled as "other posts" (their thresholds are still their own).
        """
    ),
    code(
        """
        CAPACITIES = [0.01, 0.02, 0.03, 0.05, 0.075, 0.10]
        MIN_POSITIVES = 5
        rows = []
        for post in posts.index:
            rows_post = keep & (apps.posts == post)
            if positive[rows_post].sum() < MIN_POSITIVES:
                continue
            recalls = recall_by_capacity(
                positive[rows_post], model_risk[rows_post], apps.posts[rows_post], CAPACITIES,
                weights=None if weight is None else weight[rows_post],
            )
            for share, r in zip(CAPACITIES, recalls, strict=True):
                rows.append({"post": post, "capacity": share, "recall": r,
                             "interviews_per_month": share * posts[post] / months})
        small = keep & ~np.isin(apps.posts, [r["post"] for r in rows])
        if positive[small].sum() >= MIN_POSITIVES:
            recalls = recall_by_capacity(positive[small], model_risk[small], apps.posts[small],
                                         CAPACITIES,
                                         weights=None if weight is None else weight[small])
            for share, r in zip(CAPACITIES, recalls, strict=True):
                rows.append({"post": "other posts", "capacity": share, "recall": r,
                             "interviews_per_month": share * small.sum() / months})
        curves = pd.DataFrame(rows)

        fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4))
        for post, part in curves.groupby("post"):
            left.plot(part["capacity"] * 100, part["recall"], "o-", label=post, markersize=3)
            right.plot(part["interviews_per_month"], part["recall"], "o-", label=post,
                       markersize=3)
        left.axvline(CAPACITY * 100, color="grey", linestyle=":")
        left.set(xlabel="capacity (% of the post's cases)", ylabel="recall", ylim=(0, 1.02),
                 title="Recall by capacity")
        right.set(xlabel="interviews per month", ylabel="recall", ylim=(0, 1.02),
                  title="Recall by workload")
        left.legend(fontsize=8)
        show(fig)
        display(curves.pivot(index="post", columns="capacity", values="recall").round(3))
        """
    ),
    md(
        """
        ## Where would more interviews help most?

        The marginal yield of going from 3% to 5% capacity: true cases found per 100 extra
        interviews. A post whose recall curve is still steep at 3% finds much more with a few
        more interviewers; a flat one does not.
        """
    ),
    code(
        """
        wide = curves.pivot(index="post", columns="capacity",
                            values=["recall", "interviews_per_month"])
        per_post_positives = {
            p: positive[small if p == "other posts" else keep & (apps.posts == p)].sum()
            for p in wide.index
        }
        marginal = pd.DataFrame({
            "recall at 3%": wide[("recall", 0.03)],
            "recall at 5%": wide[("recall", 0.05)],
            "extra interviews per month": wide[("interviews_per_month", 0.05)]
            - wide[("interviews_per_month", 0.03)],
        })
        extra_found = (marginal["recall at 5%"] - marginal["recall at 3%"]) * pd.Series(
            per_post_positives) / months
        marginal["found per 100 extra interviews"] = (
            100 * extra_found / marginal["extra interviews per month"]
        )
        marginal = marginal.sort_values("found per 100 extra interviews", ascending=False)
        display(marginal.round(3))
        """
    ),
    md(
        """
        ## One threshold per post

        Risk levels differ between posts (their applicant mix differs), so one global
        threshold would overload some posts and leave others idle. `thresholds_for_capacity`
        gives each post the lowest threshold that keeps its referrals within its capacity;
        the `"*"` entry is the fallback for a post not seen in the data.
        """
    ),
    code(
        """
        per_post = thresholds_for_capacity(model_risk[test], apps.posts[test], CAPACITY)
        global_threshold = per_post["*"]
        share_global = pd.Series(model_risk[test] >= global_threshold).groupby(
            apps.posts[test]).mean()
        share_own = pd.Series(
            model_risk[test] >= pd.Series(apps.posts[test]).map(per_post).to_numpy()
        ).groupby(apps.posts[test]).mean()
        load = pd.DataFrame({"applications": posts, "threshold": pd.Series(per_post),
                             "referred with its own threshold": share_own,
                             "referred with one global threshold": share_global}).dropna()
        fig, ax = plt.subplots()
        load[["referred with its own threshold", "referred with one global threshold"]].head(
            12).plot.bar(ax=ax)
        ax.axhline(CAPACITY, color="grey", linestyle=":", label="capacity")
        ax.set(ylabel="share of the post's cases referred", xlabel="",
               title="Per-post thresholds keep every post within capacity")
        show(fig)
        display(load.round(4).head(12))
        """
    ),
    md(
        """
        Changing a post's capacity is a setting, not a retraining: the scorer keeps a panel
        of recent risks per post and recomputes thresholds from it.
        """
    ),
    code(
        """
        busiest = posts.index[0]
        more = Settings(**{**settings.model_dump(), "post_capacity": {busiest: 0.05}})
        adjusted = scorer.with_capacity(more)
        print(f"{busiest}: threshold {scorer.thresholds['application'][busiest]:.4f} at 3% -> "
              f"{adjusted.thresholds['application'][busiest]:.4f} at 5%")
        """
    ),
    md("## Conclusion"),
    code(
        """
        at_3 = curves[curves["capacity"] == 0.03].set_index("post")["recall"]
        conclusion = {
            "posts_measured": sorted(curves["post"].unique().tolist()),
            "recall_at_3pct": at_3.round(3).to_dict(),
            "best_post_for_more_capacity": marginal.index[0],
            "max_referral_share_own_thresholds":
                float(load["referred with its own threshold"].max()),
            "max_referral_share_global_threshold":
                float(load["referred with one global threshold"].max()),
        }
        conclusion
        """
    ),
    md(
        """
        - Recall rises with capacity at every post, but not at the same rate: extra interviewers
          belong where the curve is still steep at the current capacity (top of the table
          above), not where the volume is largest.
        - Per-post thresholds keep each post's referrals within what it can interview; a
          global threshold would ask some posts for several times their capacity.
        - Small posts cannot be measured on one test period; their capacity is best set from
          pooled periods or kept at the default.
        """
    ),
]

# --------------------------------------------------------------------------------------------
NOTEBOOKS["05_drift_and_retraining"] = [
    md(
        """
        # 05 · Drift and retraining

        A model learns the world of its training months. When applicants, brokers or policies
        change, feature distributions move and the model's referrals drift away from what the
        posts can interview. This notebook measures both over time, with the **population
        stability index** (PSI) of each feature against the training months and the model's
        referral rate at its fixed thresholds, and turns them into a retraining signal.
        """
    ),
    code(SETUP),
    code(CHALLENGER),
    code(
        """
        from mizugiwa.service.console.psi import SHIFTED_ABOVE, psi_table
        from mizugiwa.training.evaluation import refer_at_capacity
        from mizugiwa.training.split import time_split

        split = time_split(apps.when)
        quarter = pd.PeriodIndex(pd.to_datetime(apps.when), freq="Q").astype(str).to_numpy()
        values = apps.fm.values.astype(np.float64)
        names = list(apps.fm.names)
        reference = {n: values[split.train, k] for k, n in enumerate(names)}
        print("training months:", split.periods["train"], "· test months:", split.periods["test"])
        """
    ),
    md(
        """
        ## Feature drift by quarter

        PSI below 0.1 reads as stable, 0.1 to 0.25 as worth watching, above 0.25 as shifted.
        Quarters inside the training months drift little by construction; what matters is
        what happens after.
        """
    ),
    code(
        """
        MIN_QUARTER = 300  # fewer cases than this make PSI mostly noise
        quarters = [q for q in sorted(set(quarter)) if (quarter == q).sum() >= MIN_QUARTER]
        psi = pd.DataFrame(index=names, columns=quarters, dtype=float)
        for q in quarters:
            rows = quarter == q
            for result in psi_table(reference, {n: values[rows, k] for k, n in enumerate(names)}):
                psi.loc[result.feature, q] = result.psi
        top = psi.max(axis=1).sort_values(ascending=False).head(12).index
        fig, ax = plt.subplots(figsize=(10, 5))
        image = ax.imshow(psi.loc[top].values, cmap="magma_r", vmin=0, vmax=0.5, aspect="auto")
        ax.set_xticks(range(len(quarters)), quarters, rotation=60, fontsize=7)
        ax.set_yticks(range(len(top)), top, fontsize=8)
        fig.colorbar(image, label="PSI against the training months")
        train_end = pd.Period(split.periods["train"][1], freq="Q").strftime("%YQ%q")
        if train_end in quarters:
            ax.axvline(quarters.index(train_end) + 0.5, color="#2e86c1", linewidth=2)
        ax.set_title("The most drifting features (blue line: end of the training months)")
        show(fig)
        """
    ),
    md(
        """
        ## Referral rate at fixed thresholds

        The registered thresholds were set so that referrals fit 3% capacity on the latest
        months. Applied to each month as they are, they show how the model's view of risk
        moves: a rate far above capacity means the posts would be asked for more interviews
        than they hold (and the thresholds cut true cases arbitrarily); far below, the model
        has gone quiet.
        """
    ),
    code(
        """
        model_risk = np.max(np.stack(list(scorer.predict_proba(apps.fm).values())), axis=0)
        referred = refer_at_capacity(model_risk, apps.posts, scorer.thresholds["application"])
        month = pd.to_datetime(apps.when).to_period("M").to_timestamp()
        monthly = pd.DataFrame({"model": referred}, index=month).groupby(level=0).mean()
        fig, ax = plt.subplots()
        monthly.rolling(3, min_periods=1).mean().plot(ax=ax)
        ax.axhline(CAPACITY, color="grey", linestyle=":", label="capacity")
        ax.axhspan(CAPACITY / 2, CAPACITY * 1.5, color="#27ae60", alpha=0.1,
                   label="tolerated band")
        ax.axvspan(pd.Timestamp(split.periods["test"][0]), month.max(), color="#2e86c1",
                   alpha=0.08, label="test months")
        ax.set(ylabel="share referred (3-month mean)", xlabel="",
               title="Referral rate at the registered thresholds")
        ax.legend(fontsize=8)
        show(fig)
        """
    ),
    md(
        """
        ## Does drift cost recall?

        A synthetic world knows the truth, so we can check what drift does to the model:
        recall at capacity per half-year, with each period's thresholds set on that period.
        Periods inside the training months are optimistic (the model has seen their labels).
        """
    ),
    code(
        """
        from mizugiwa.training.evaluation import evaluate_at_capacity

        half = pd.PeriodIndex(pd.to_datetime(apps.when), freq="Q").map(
            lambda p: f"{p.year}H{1 + (p.quarter > 2)}").to_numpy()
        recall_rows = []
        if apps.truth is not None:
            for h in sorted(set(half)):
                rows = (half == h) & apps.truth.known
                y = apps.truth.any_concern[rows]
                if y.sum() < 5:
                    continue
                m = evaluate_at_capacity(y, model_risk[rows], apps.posts[rows], CAPACITY)
                o = evaluate_at_capacity(y, apps.truth.oracle_risk[rows], apps.posts[rows],
                                         CAPACITY)
                in_training = bool(split.train[rows].mean() > 0.5)
                recall_rows.append({"half": h, "model": m["recall_at_capacity"],
                                    "oracle": o["recall_at_capacity"],
                                    "true cases": int(y.sum()), "in training": in_training})
        by_half = pd.DataFrame(recall_rows).set_index("half") if recall_rows else pd.DataFrame()
        if not by_half.empty:
            fig, ax = plt.subplots()
            by_half[["model", "oracle"]].plot(ax=ax, marker="o")
            ax.set(ylabel="recall at capacity", ylim=(0, 1.02), xlabel="",
                   title="Recall by half-year (truth)")
            show(fig)
            display(by_half.round(3))
        """
    ),
    md(
        """
        ## When is a retraining warranted?

        A quarter raises the signal when **any** of these holds after the training months:

        - a feature the model relies on (top gain) has PSI above 0.25;
        - the model's referral rate at its thresholds leaves the band of half to one and a
          half times capacity;

        and a retraining is warranted when the signal holds for **two consecutive quarters**
        (one quarter can be a blip). New interview outcomes since the last training are the
        other half of the decision: without new labels a retraining only re-learns the old.
        """
    ),
    code(
        """
        gain = np.max(
            np.stack([m.weights for m in scorer.slot("application").models.values()]), axis=0
        )
        relied_on = [names[k] for k in np.argsort(gain)[::-1][:10] if gain[k] > 0]
        quarterly_rate = pd.Series(referred).groupby(quarter).mean()
        after = [q for q in quarters if q > train_end]
        signal = pd.DataFrame({
            "max PSI (relied-on features)": [psi.loc[relied_on, q].max() for q in after],
            "referral rate": [quarterly_rate[q] for q in after],
        }, index=after)
        signal["features shifted"] = signal["max PSI (relied-on features)"] > SHIFTED_ABOVE
        signal["rate out of band"] = ~signal["referral rate"].between(CAPACITY / 2, CAPACITY * 1.5)
        signal["signal"] = signal["features shifted"] | signal["rate out of band"]
        two_in_a_row = signal["signal"] & signal["signal"].shift(1, fill_value=False)
        retrain_from = two_in_a_row[two_in_a_row].index.min() if two_in_a_row.any() else None
        labels_since = int(apps.labels.interviewed[~split.train].sum())
        display(signal.round(3))
        """
    ),
    md("## Conclusion"),
    code(
        """
        conclusion = {
            "quarters_after_training": after,
            "most_drifting_feature": str(top[0]),
            "max_psi_after_training": float(psi[after].max().max()) if after else None,
            "retrain_warranted_from": retrain_from,
            "new_labels_since_training": labels_since,
        }
        conclusion
        """
    ),
    md(
        """
        - Feature drift alone is not a reason to retrain: a feature the model barely uses can
          move freely. The signal watches the features it relies on and its referral rate,
          which is what the posts feel.
        - When the signal holds two quarters in a row and new outcomes have arrived, retrain
          (`mizugiwa train`) and compare the challenger with the champion on the *same* test
          months (notebook 02); the promotion gates (notebook 03) then decide.
        - The PSI thresholds (0.1 / 0.25) are conventions, not laws; on small posts or short
          periods PSI is noisy, which is why quarters with few cases are left out.
        """
    ),
]


def build(name: str, cells: list[tuple[str, str]]) -> nbformat.NotebookNode:
    """A notebook with stable cell ids and no outputs."""
    nb = nbformat.v4.new_notebook()
    nb.metadata = {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    }
    for index, (kind, source) in enumerate(cells):
        cell_id = f"{name[:2]}-{index:02d}"
        if kind == "markdown":
            nb.cells.append(nbformat.v4.new_markdown_cell(source, id=cell_id))
        else:
            nb.cells.append(nbformat.v4.new_code_cell(source, id=cell_id))
    nbformat.validate(nb)
    return nb


def render(nb: nbformat.NotebookNode) -> str:
    return nbformat.writes(nb) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail when a notebook is stale")
    args = parser.parse_args(argv)
    stale = []
    for name, cells in NOTEBOOKS.items():
        path = HERE / f"{name}.ipynb"
        text = render(build(name, cells))
        if args.check:
            if not path.is_file() or path.read_text() != text:
                stale.append(path.name)
        else:
            path.write_text(text)
            print(f"wrote {path.relative_to(HERE.parent)}")
    if stale:
        print("stale notebooks (run notebooks/build.py):", ", ".join(stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
