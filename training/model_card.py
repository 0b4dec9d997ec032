"""Model card: what a model is for, what it learnt from, how well and how fairly it refers.

Rendered as Markdown from a Jinja2 template and logged with the run, for analysts and auditors.
The intended-use and guardrail text is fixed here rather than passed in, so no card can leave
out that the model only refers people to a humane secondary interview and never refuses anyone.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from jinja2 import Environment, StrictUndefined

from mizugiwa.training.fairness import FairnessReport

# Attributes kept for fairness monitoring only; a card for a model that uses one is refused.
PROTECTED_INPUTS = frozenset(
    {
        "nationality",
        "sex",
        "gender",
        "age",
        "age_years",
        "age_band",
        "date_of_birth",
        "religion",
        "ethnicity",
    }
)
RATIO_KEYS = ("recall_at_capacity", "pr_auc")

_TEMPLATE = """\
# Model card: {{ name }} (version {{ version }})

## Intended use
{{ purpose }}

- The model **refers** visa applications and border entries to a secondary interview when they
  carry indicators of human trafficking (sham marriage, impersonation or forged documents,
  exploitation). It never refuses anyone: an officer decides, and the service says why it asks.
- People referred are often **victims**. The interview is humane: in the person's language, by a
  woman where the person is a woman or asks for one, with protection offered.
- Referrals are capped by each post's interview capacity (a share of its cases); the threshold is
  set from that capacity, not from a target number of people.
- Out of scope: refusal or revocation of visas, immigration enforcement decisions, any use
  without a person reviewing the case, and scoring people outside visa and border screening.

## Data
{% if data %}
| item | value |
|---|---|
{% for key, value in data.items() %}| {{ key | cell }} | {{ value | value }} |
{% endfor %}
{% else %}
No data description was given.
{% endif %}

## Features
The model uses {{ features | length }} features{% if features %}:
{{ features | map('code') | join(', ') }}{% else %}.{% endif %}


Nationality, sex, age, religion and ethnicity are **not** model inputs; nationality, sex and age
band are kept beside the scores only to measure fairness.

## Metrics at capacity
{% for section, values in metric_sections.items() %}
{% if section %}### {{ section }}
{% endif %}
| metric | value |
|---|---|
{% for key, value in values.items() %}| {{ key | cell }} | {{ value | value }} |
{% endfor %}
{% endfor %}

## Comparison with baselines
{% if baselines %}
| metric | model |{% for b in baselines %} {{ b | cell }} |{% endfor %}

|---|---|{% for b in baselines %}---|{% endfor %}

{% for key in comparison_keys %}| {{ key | cell }} | {{ flat_metrics.get(key) | value }} |\
{% for b, values in baselines.items() %} {{ values.get(key) | value }} |{% endfor %}

{% endfor %}

Ratios model / baseline:

| baseline |{% for key in ratio_keys %} {{ key | cell }} |{% endfor %}

|---|{% for key in ratio_keys %}---|{% endfor %}

{% for b, ratios in baseline_ratios.items() %}| {{ b | cell }} |\
{% for key in ratio_keys %} {{ ratios.get(key) | value }} |{% endfor %}

{% endfor %}
{% else %}
No baseline was evaluated.
{% endif %}

## Fairness
{{ fairness_markdown }}

## Limits
{% for limit in limits %}- {{ limit }}
{% else %}- No limits were stated.
{% endfor %}

{% if extra %}
## Further details
| item | value |
|---|---|
{% for key, value in extra.items() %}| {{ key | cell }} | {{ value | value }} |
{% endfor %}
{% endif %}
"""


def _value(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        if not math.isfinite(value):
            return "-"
        return f"{value:.0f}" if value.is_integer() and abs(value) >= 10 else f"{value:.4g}"
    if isinstance(value, Mapping):
        return _cell(", ".join(f"{k}: {_value(v)}" for k, v in value.items()))
    if isinstance(value, list | tuple):
        return _cell(", ".join(_value(v) for v in value))
    return _cell(str(value))


def _cell(text: Any) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _environment() -> Environment:
    environment = Environment(
        autoescape=False,  # Markdown, not HTML; table cells are escaped by the filters
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    environment.filters["value"] = _value
    environment.filters["cell"] = _cell
    environment.filters["code"] = lambda name: f"`{name}`"
    return environment


def _metric_sections(metrics: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    """A flat ``{metric: value}`` is one unnamed section; ``{section: {metric: value}}`` many."""
    if metrics and all(isinstance(value, Mapping) for value in metrics.values()):
        return {str(section): values for section, values in metrics.items()}
    return {"": metrics}


def _demote_headings(markdown: str) -> str:
    """Nest the fairness report under the card's ``## Fairness`` heading."""
    lines = []
    for line in markdown.splitlines():
        if line.startswith("# Fairness report"):
            continue
        lines.append("#" + line if line.startswith("#") else line)
    return "\n".join(lines).strip()


def render_model_card(
    *,
    name: str,
    version: str,
    purpose: str,
    data: Mapping[str, Any],
    metrics: Mapping[str, Any],
    baselines: Mapping[str, Mapping[str, float]],
    fairness: FairnessReport,
    features: Sequence[str],
    limits: Sequence[str],
    extra: Mapping[str, Any] | None = None,
    comparison_keys: Sequence[str] = (
        "recall_at_capacity",
        "precision_at_capacity",
        "pr_auc",
        "brier",
        "referral_rate",
    ),
) -> str:
    """The model card as Markdown.

    ``metrics`` is the model's ``{metric: value}`` (or ``{section: {metric: value}}``, e.g. test
    period and audit sample); the first section is compared with ``baselines`` (``{"oracle":
    {...}, "legacy rules": {...}}``). Raises ``ValueError`` when ``features`` name a protected
    attribute, since such a model must not be documented as if it could serve.
    """
    if not name.strip() or not str(version).strip():
        raise ValueError("name and version must not be empty")
    protected = sorted(f for f in features if f.strip().lower() in PROTECTED_INPUTS)
    if protected:
        raise ValueError(f"features include protected attributes {protected}: not model inputs")
    sections = _metric_sections(metrics)
    flat_metrics = next(iter(sections.values())) if sections else {}
    baseline_ratios = {
        baseline: {
            key: (
                float(flat_metrics[key]) / float(values[key])
                if key in flat_metrics and values.get(key) not in (None, 0)
                else None
            )
            for key in RATIO_KEYS
        }
        for baseline, values in baselines.items()
    }
    template = _environment().from_string(_TEMPLATE)
    text = template.render(
        name=name,
        version=str(version),
        purpose=purpose.strip() or "No purpose was stated.",
        data=dict(data),
        features=list(features),
        metric_sections=sections,
        flat_metrics=flat_metrics,
        baselines={str(k): v for k, v in baselines.items()},
        comparison_keys=[
            key
            for key in comparison_keys
            if key in flat_metrics or any(key in v for v in baselines.values())
        ],
        ratio_keys=RATIO_KEYS,
        baseline_ratios=baseline_ratios,
        fairness_markdown=_demote_headings(fairness.to_markdown()),
        limits=list(limits),
        extra=dict(extra or {}),
    )
    # Collapse the blank lines that template blocks leave behind.
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return text
