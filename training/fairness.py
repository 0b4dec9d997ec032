"""Fairness report and promotion gate: who is referred, and who is referred without cause.

Nationality, sex and age are never model inputs; they are kept beside the scores only to measure
this. For each attribute and group the report gives the referral rate, the false-positive rate
(share referred among people with no concern: the burden an innocent person carries) and recall,
each with its ratio to the overall rate and a 95% Wilson interval. The reasoning is in
``docs/fairness.md``; in short, three questions are kept apart:

- **Over-burden** (the gate): a group's false-positive rate above the upper bound (default
  1.25, ``MIZUGIWA_FAIRNESS_FPR_RATIO_BOUNDS``) times the median measurable group's of the same
  attribute (the typical innocent's burden: one large group rightly referred less would pull
  the overall rate down and make every other group look over-burdened), beyond sampling
  error, i.e. with
  ``gate="interval"`` (the default) its whole interval above it. Innocent people of that group
  are interviewed more often than others for nothing: the harm the gate exists to prevent.
- **Under-referral** (reported, not gated): a ratio below the lower bound beyond sampling
  error. Where risk really concentrates by age or sex (few trafficking cases among people over
  55), the innocent of a low-risk group are rightly referred less; a two-sided gate could only
  be passed by referring them more, or with ``--force``.
- **Recall parity** (equal opportunity, reported, not gated): a group whose recall interval lies
  wholly below ``low`` times the overall recall has its victims and fraud found less often.

At 3% capacity a group of a few hundred innocents sees a handful of referrals, so its ratio has a
standard error of 0.3-0.5: a point estimate outside the bounds whose interval still reaches them
is "within sampling error", watched, not gated; ``gate="point"`` gates on the point estimate.
Groups with fewer than ``min_group_size`` cases, or too few people without concern, are listed
as too small to measure and not gated.

Rates are computed with ``np.bincount`` (weighted when inverse-propensity ``weights`` are given);
the equal-opportunity summary (the smallest recall ratio to the overall) is fairlearn's
``MetricFrame``, and the tests check every rate against it.
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from mizugiwa.models.capacity import _labels, _same_length, _vector, _weights

AGE_BANDS = ("<25", "25-34", "35-44", "45-54", "55+")
UNKNOWN = "unknown"
DEFAULT_BOUNDS = (0.8, 1.25)
# Wilson interval z for 95%: the report shows how uncertain each group's rate is.
_Z95 = 1.959963984540054
_MISSING_TEXT = frozenset({"", "None", "nan", "NaN", "<NA>"})


def age_band(age_years: np.ndarray) -> np.ndarray:
    """Age bands for monitoring: ``<25``, ``25-34``, ``35-44``, ``45-54``, ``55+``.

    A missing age (NaN) is ``unknown``; a negative age is an error.
    """
    ages = np.asarray(age_years, dtype=np.float64)
    if ages.ndim != 1:
        raise ValueError(f"age_years must be one-dimensional, got shape {ages.shape}")
    if (ages < 0).any():
        bad = int(np.flatnonzero(ages < 0)[0])
        raise ValueError(f"age_years[{bad}] is {ages[bad]!r}; an age cannot be negative")
    index = np.searchsorted(np.array([25.0, 35.0, 45.0, 55.0]), ages, side="right")
    labels = np.array(AGE_BANDS, dtype=object)[np.minimum(index, len(AGE_BANDS) - 1)]
    labels[np.isnan(ages)] = UNKNOWN
    return labels


def age_in_years(date_of_birth: np.ndarray, as_of: np.ndarray) -> np.ndarray:
    """Completed years between two date arrays (``datetime64``-convertible), vectorised.

    Missing dates (``NaT``) give NaN. Someone born on 29 February turns a year older on 1 March
    in common years.
    """
    born = np.asarray(date_of_birth, dtype="datetime64[D]")
    when = np.asarray(as_of, dtype="datetime64[D]")
    years = (when.astype("datetime64[Y]") - born.astype("datetime64[Y]")).astype(np.int64)
    before_birthday = _month_day(when) < _month_day(born)
    ages: np.ndarray = (years - before_birthday).astype(np.float64)
    ages[np.isnat(born) | np.isnat(when)] = np.nan
    return ages


def _month_day(dates: np.ndarray) -> np.ndarray:
    """``month * 100 + day``: compares dates within a year, unaffected by leap days."""
    months = dates.astype("datetime64[M]")
    month = months.astype(np.int64) % 12 + 1
    day = (dates - months.astype("datetime64[D]")).astype(np.int64) + 1
    result: np.ndarray = month * 100 + day
    return result


def _wilson(successes: float, trials: float) -> tuple[float, float]:
    if trials <= 0:
        return (float("nan"), float("nan"))
    p = successes / trials
    denominator = 1 + _Z95**2 / trials
    centre = (p + _Z95**2 / (2 * trials)) / denominator
    half = _Z95 * math.sqrt(p * (1 - p) / trials + _Z95**2 / (4 * trials**2)) / denominator
    return (max(0.0, centre - half), min(1.0, centre + half))


def _reaches(interval: tuple[float, float], overall: float | None, low: float, high: float) -> bool:
    """Whether a group's rate interval, as ratios to the overall rate, meets [low, high]."""
    if overall is None or overall == 0 or math.isnan(interval[0]):
        return True
    return interval[0] / overall <= high and interval[1] / overall >= low


def _burden_status(
    ratio: float | None,
    interval: tuple[float, float],
    overall: float | None,
    low: float,
    high: float,
    gate: str,
) -> str:
    """Over-burden fails the gate; under-referral is reported; either within sampling error
    (``gate="interval"`` and the interval reaches the bounds) is watched."""
    if ratio is None or low <= ratio <= high:
        return "ok"
    if gate == "interval" and _reaches(interval, overall, low, high):
        return "within sampling error"
    return "over-burdened" if ratio > high else "under-referred"


def _equal_opportunity(
    labels: np.ndarray,
    referred: np.ndarray,
    w: np.ndarray,
    codes: np.ndarray,
    inverse: np.ndarray,
    rows: list[GroupRates],
) -> float | None:
    """fairlearn's equal-opportunity ratio (smallest over largest group recall) among the
    groups measurable with enough positives; None with fewer than two such groups."""
    from fairlearn.metrics import equal_opportunity_ratio

    kept = [g for g, row in enumerate(rows) if row.measurable and row.recall is not None]
    if len(kept) < 2:
        return None
    mask = np.isin(inverse, kept)
    return float(
        equal_opportunity_ratio(
            labels[mask],
            referred[mask],
            sensitive_features=codes[inverse[mask]],
            sample_weight=w[mask],
        )
    )


def _rate(numerator: float, denominator: float) -> float | None:
    return float(numerator) / float(denominator) if denominator > 0 else None


def _ratio(rate: float | None, overall: float | None) -> float | None:
    if rate is None or overall is None:
        return None
    if overall == 0:
        return 1.0 if rate == 0 else None
    return rate / overall


@dataclass(frozen=True)
class GroupRates:
    """One group's row of the report. Rates are ``None`` where they cannot be measured."""

    attribute: str
    group: str
    n: int
    negatives: int
    positives: int
    referral_rate: float | None
    false_positive_rate: float | None
    recall: float | None
    referral_ratio: float | None
    fpr_ratio: float | None
    recall_ratio: float | None
    fpr_interval: tuple[float, float]
    measurable: bool
    # "ok", "over-burdened" (gated), "within sampling error", "under-referred" (reported),
    # "too small to measure"
    status: str
    recall_interval: tuple[float, float] = (math.nan, math.nan)
    recall_status: str = "too few positives"  # "ok", "below parity", "too few positives"

    def to_dict(self) -> dict[str, Any]:
        row = {key: getattr(self, key) for key in self.__dataclass_fields__}
        row["fpr_interval"] = [_json_number(v) for v in self.fpr_interval]
        row["recall_interval"] = [_json_number(v) for v in self.recall_interval]
        return {key: _json_number(value) for key, value in row.items()}


def _json_number(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


@dataclass
class FairnessReport:
    """The fairness report: ``passed`` is the gate, ``failures`` say why it failed."""

    passed: bool
    failures: list[str]
    tables: dict[str, list[GroupRates]]
    overall: dict[str, float | None]
    bounds: tuple[float, float] = DEFAULT_BOUNDS
    min_group_size: int = 200
    min_positives: int = 20
    notes: list[str] = field(default_factory=list)
    gate: str = "interval"
    under_referred: list[str] = field(default_factory=list)  # reported, not gated
    recall_gaps: list[str] = field(default_factory=list)  # equal opportunity, not gated

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe (no NaN or infinity): the artifact the promotion gate reads back."""
        return {
            "passed": self.passed,
            "failures": list(self.failures),
            "bounds": list(self.bounds),
            "min_group_size": self.min_group_size,
            "min_positives": self.min_positives,
            "gate": self.gate,
            "overall": {k: _json_number(v) for k, v in self.overall.items()},
            "tables": {a: [row.to_dict() for row in rows] for a, rows in self.tables.items()},
            "notes": list(self.notes),
            "under_referred": list(self.under_referred),
            "recall_gaps": list(self.recall_gaps),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> FairnessReport:
        """Rebuild a report from :meth:`to_dict` output (e.g. an MLflow artifact)."""
        tables = {
            attribute: [
                GroupRates(
                    **{
                        **row,
                        "fpr_interval": tuple(_nan(v) for v in row["fpr_interval"]),
                        "recall_interval": tuple(
                            _nan(v) for v in row.get("recall_interval", (None, None))
                        ),
                    }
                )
                for row in rows
            ]
            for attribute, rows in data["tables"].items()
        }
        return cls(
            passed=bool(data["passed"]),
            failures=list(data["failures"]),
            tables=tables,
            overall=dict(data["overall"]),
            bounds=(float(data["bounds"][0]), float(data["bounds"][1])),
            min_group_size=int(data["min_group_size"]),
            min_positives=int(data.get("min_positives", 20)),
            notes=list(data.get("notes", [])),
            gate=str(data.get("gate", "point")),
            under_referred=list(data.get("under_referred", [])),
            recall_gaps=list(data.get("recall_gaps", [])),
        )

    def _summary_lines(self) -> list[str]:
        low, high = self.bounds
        verdict = "PASSED" if self.passed else "FAILED"
        return [
            f"Gate: **{verdict}**. A group fails when its false-positive rate (share referred "
            f"among people with no concern) is above {high:.2f} times the median group's "
            + (
                "rate and so is its whole 95% interval (over-burden; a group above the bound "
                "whose interval reaches it is within sampling error: watched, not gated)."
                if self.gate == "interval"
                else "rate (over-burden)."
            )
            + f" A rate below {low:.2f} times the median group's (under-referral) and a "
            f"recall below {low:.2f} times the overall recall (equal opportunity), each beyond "
            "sampling error, are reported, not gated.",
            f"Groups with fewer than {self.min_group_size} cases or fewer than "
            f"{self.min_group_size} people without concern are too small to measure and are not "
            f"gated; recall needs at least {self.min_positives} people with a concern.",
        ]

    def to_markdown(self) -> str:
        """A report an auditor can read: verdict, failures, then one table per attribute."""
        lines = ["# Fairness report", "", *self._summary_lines(), ""]
        overall = self.overall
        lines += [
            f"Overall: referral rate {_fmt(overall.get('referral_rate'))}, false-positive rate "
            f"{_fmt(overall.get('false_positive_rate'))}, recall {_fmt(overall.get('recall'))} "
            f"({int(overall.get('n') or 0)} cases).",
            "",
        ]
        if self.failures:
            lines += ["## Failures", "", *[f"- {failure}" for failure in self.failures], ""]
        if self.under_referred:
            lines += ["## Under-referral (not gated)", ""]
            lines += [f"- {item}" for item in self.under_referred] + [""]
        if self.recall_gaps:
            lines += ["## Recall parity (equal opportunity, not gated)", ""]
            lines += [f"- {item}" for item in self.recall_gaps] + [""]
        if self.notes:
            lines += ["## Notes", "", *[f"- {note}" for note in self.notes], ""]
        header = (
            "| group | n | referral rate | ratio | false-positive rate (95% CI) | ratio "
            "| recall | ratio | status |"
        )
        for attribute, rows in self.tables.items():
            lines += [f"## By {attribute}", "", header, "|---" * 9 + "|"]
            for row in rows:
                low, high = row.fpr_interval
                interval = (
                    f" ({_fmt(low)}-{_fmt(high)})" if row.false_positive_rate is not None else ""
                )
                lines.append(
                    f"| {_cell(row.group)} | {row.n} | {_fmt(row.referral_rate)} "
                    f"| {_fmt(row.referral_ratio, 'x')} "
                    f"| {_fmt(row.false_positive_rate)}{interval} "
                    f"| {_fmt(row.fpr_ratio, 'x')} | {_fmt(row.recall)} "
                    f"| {_fmt(row.recall_ratio, 'x')} | {row.status} |"
                )
            lines.append("")
        return "\n".join(lines)

    def to_html(self) -> str:
        """A standalone HTML page of the same report (escaped; no scripts)."""
        parts = [
            "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
            "<title>Fairness report</title>",
            "<style>body{font-family:sans-serif}td,th{padding:2px 8px;border:1px solid #ccc}"
            "table{border-collapse:collapse}.fail{background:#fdd}.small{color:#777}</style>",
            "</head><body><h1>Fairness report</h1>",
        ]
        parts += [f"<p>{html.escape(line).replace('**', '')}</p>" for line in self._summary_lines()]
        if self.failures:
            items = "".join(f"<li>{html.escape(f)}</li>" for f in self.failures)
            parts.append(f"<h2>Failures</h2><ul>{items}</ul>")
        for attribute, rows in self.tables.items():
            parts.append(f"<h2>By {html.escape(attribute)}</h2><table><tr>")
            for title in (
                "group",
                "n",
                "referral rate",
                "ratio",
                "false-positive rate",
                "ratio",
                "recall",
                "ratio",
                "status",
            ):
                parts.append(f"<th>{title}</th>")
            parts.append("</tr>")
            for row in rows:
                css = {
                    "over-burdened": "fail",
                    "within sampling error": "small",
                    "too small to measure": "small",
                }.get(row.status, "")
                cells = [
                    row.group,
                    str(row.n),
                    _fmt(row.referral_rate),
                    _fmt(row.referral_ratio, "x"),
                    _fmt(row.false_positive_rate),
                    _fmt(row.fpr_ratio, "x"),
                    _fmt(row.recall),
                    _fmt(row.recall_ratio, "x"),
                    row.status,
                ]
                tds = "".join(f"<td>{html.escape(cell)}</td>" for cell in cells)
                parts.append(f"<tr class='{css}'>{tds}</tr>")
            parts.append("</table>")
        parts.append("</body></html>")
        return "".join(parts)


def _nan(value: Any) -> float:
    return float("nan") if value is None else float(value)


def _fmt(value: float | None, suffix: str = "") -> str:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "-"
    return f"{value:.2f}{suffix}" if suffix else f"{value:.3f}"


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _group_codes(attribute: str, values: Any, size: int) -> tuple[np.ndarray, np.ndarray]:
    """Group labels and each case's index into them; None, NaN and "" become ``unknown``."""
    array = _vector(f"groups[{attribute!r}]", values)
    if array.size != size:
        raise ValueError(f"groups[{attribute!r}] has {array.size} values, expected {size}")
    codes, inverse = np.unique(array.astype(str), return_inverse=True)
    # Relabel on the few distinct codes, not on every case.
    named = np.array([UNKNOWN if c in _MISSING_TEXT else c for c in codes.tolist()], dtype=str)
    merged, remap = np.unique(named, return_inverse=True)
    return merged, remap[inverse]


def fairness_report(
    refer: np.ndarray,
    y_true: np.ndarray,
    groups: Mapping[str, np.ndarray],
    *,
    min_group_size: int = 200,
    bounds: tuple[float, float] = DEFAULT_BOUNDS,
    weights: np.ndarray | None = None,
    min_positives: int = 20,
    gate: str = "interval",
) -> FairnessReport:
    """Referral rate, false-positive rate and recall per group, gated on the FPR ratio.

    ``refer`` are the referrals at capacity, ``y_true`` whether the person had a concern, and
    ``groups`` maps an attribute (``nationality``, ``sex``, ``age_band``) to each case's group.
    A group is measured when it has at least ``min_group_size`` cases and as many people without
    concern; otherwise it is reported as "too small to measure" and not gated. Missing group
    values are the group ``unknown``. ``weights`` weight every rate (counts stay unweighted).
    ``gate`` is ``"interval"`` (fail only when the group's 95% interval lies wholly outside the
    bounds) or ``"point"`` (fail on the point estimate).
    """
    referred = _labels("refer", refer)
    labels = _labels("y_true", y_true)
    n = _same_length(refer=referred, y_true=labels)
    if n == 0:
        raise ValueError("refer is empty: no referrals to report on")
    if not groups:
        raise ValueError("groups is empty: name at least one attribute (e.g. nationality)")
    low, high = float(bounds[0]), float(bounds[1])
    if not 0 < low <= 1 <= high:
        raise ValueError(f"bounds is {bounds!r}; expected (low, high) with 0 < low <= 1 <= high")
    if gate not in ("interval", "point"):
        raise ValueError(f"gate is {gate!r}; expected 'interval' or 'point'")
    if min_group_size < 1:
        raise ValueError(f"min_group_size is {min_group_size}; it must be at least 1")
    w = _weights(weights, n)
    negative = ~labels

    def weighted(mask: np.ndarray) -> float:
        return float(w[mask].sum())

    overall_rates = {
        "referral_rate": _rate(weighted(referred), float(w.sum())),
        "false_positive_rate": _rate(weighted(referred & negative), weighted(negative)),
        "recall": _rate(weighted(referred & labels), weighted(labels)),
    }
    overall: dict[str, float | None] = {**overall_rates, "n": float(n)}

    tables: dict[str, list[GroupRates]] = {}
    failures: list[str] = []
    notes: list[str] = []
    under_referred: list[str] = []
    recall_gaps: list[str] = []
    for attribute, values in groups.items():
        codes, inverse = _group_codes(attribute, values, n)
        size = codes.size
        count = np.bincount(inverse, minlength=size)
        negatives = np.bincount(inverse, weights=negative, minlength=size).astype(np.int64)
        positives = count - negatives
        w_all = np.bincount(inverse, weights=w, minlength=size)
        w_ref = np.bincount(inverse, weights=w * referred, minlength=size)
        w_neg = np.bincount(inverse, weights=w * negative, minlength=size)
        w_fp = np.bincount(inverse, weights=w * (referred & negative), minlength=size)
        w_pos = np.bincount(inverse, weights=w * labels, minlength=size)
        w_tp = np.bincount(inverse, weights=w * (referred & labels), minlength=size)
        rows = []
        # The burden is compared with the median measurable group's, not the overall rate: one
        # large group rightly referred less (older applicants where risk is low) pulls the
        # overall rate down and would make every other group look over-burdened.
        sized = (count >= min_group_size) & (negatives >= min_group_size) & (w_neg > 0)
        reference = float(np.median(w_fp[sized] / w_neg[sized])) if sized.any() else 0.0
        if reference <= 0.0:
            # The median group has no innocent referred: no ratio can be taken against it, and a
            # group that alone carries the referrals is the burden the gate exists for. Compare
            # with the overall rate instead.
            reference = overall_rates["false_positive_rate"] or 0.0
        overall[f"reference_fpr.{attribute}"] = reference
        for g, code in enumerate(codes):
            measurable = bool(count[g] >= min_group_size and negatives[g] >= min_group_size)
            fpr = _rate(w_fp[g], w_neg[g])
            recall = _rate(w_tp[g], w_pos[g]) if positives[g] >= min_positives else None
            fpr_ratio = _ratio(fpr, reference)
            referral_rate = _rate(w_ref[g], w_all[g])
            status = "too small to measure"
            # The interval of the (weighted) rate on the group's unweighted count of innocents.
            interval = _wilson((fpr or 0.0) * float(negatives[g]), float(negatives[g]))
            if measurable:
                status = _burden_status(fpr_ratio, interval, reference, low, high, gate)
                where = (
                    f"{attribute}={code}: false-positive rate {_fmt(fpr)} is "
                    f"{_fmt(fpr_ratio, 'x')} the median group's {_fmt(reference)}"
                )
                shown = f"95% interval {_fmt(interval[0])}-{_fmt(interval[1])}"
                if status == "over-burdened":
                    failures.append(f"{where} (allowed up to {high:.2f}x)")
                elif status == "under-referred":
                    under_referred.append(f"{where}, {shown}: fewer innocents referred")
                elif status == "within sampling error":
                    notes.append(
                        f"{where}, outside the bounds, but its {shown} reaches them: "
                        "not gated, watch it in the next period"
                    )
            recall_interval = _wilson((recall or 0.0) * float(positives[g]), float(positives[g]))
            recall_status = "too few positives"
            if recall is not None and measurable:
                recall_status = "ok"
                overall_recall = overall_rates["recall"]
                if overall_recall and recall_interval[1] / overall_recall < low:
                    recall_status = "below parity"
                    recall_gaps.append(
                        f"{attribute}={code}: recall {_fmt(recall)} is "
                        f"{_fmt(_ratio(recall, overall_recall), 'x')} the overall "
                        f"{_fmt(overall_recall)}, 95% interval {_fmt(recall_interval[0])}-"
                        f"{_fmt(recall_interval[1])}: concerns in this group are found less often"
                    )
            rows.append(
                GroupRates(
                    attribute=attribute,
                    group=str(code),
                    n=int(count[g]),
                    negatives=int(negatives[g]),
                    positives=int(positives[g]),
                    referral_rate=referral_rate,
                    false_positive_rate=fpr,
                    recall=recall,
                    referral_ratio=_ratio(referral_rate, overall_rates["referral_rate"]),
                    fpr_ratio=fpr_ratio,
                    recall_ratio=_ratio(recall, overall_rates["recall"]),
                    fpr_interval=interval,
                    measurable=measurable,
                    status=status,
                    recall_interval=recall_interval,
                    recall_status=recall_status,
                )
            )
        overall[f"equal_opportunity_ratio.{attribute}"] = _equal_opportunity(
            labels, referred, w, codes, inverse, rows
        )
        rows.sort(key=lambda row: (not row.measurable, -row.n, row.group))
        tables[attribute] = rows
        unmeasured = [row.group for row in rows if not row.measurable]
        if len(unmeasured) == len(rows):
            notes.append(f"No {attribute} group is large enough to measure; nothing was gated.")
        elif unmeasured:
            notes.append(
                f"{len(unmeasured)} {attribute} group(s) too small to measure, not gated: "
                + ", ".join(unmeasured[:10])
                + (" ..." if len(unmeasured) > 10 else "")
            )
    return FairnessReport(
        passed=not failures,
        failures=failures,
        tables=tables,
        overall=overall,
        bounds=(low, high),
        min_group_size=min_group_size,
        min_positives=min_positives,
        notes=notes,
        gate=gate,
        under_referred=under_referred,
        recall_gaps=recall_gaps,
    )
