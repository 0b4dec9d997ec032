"""Server-rendered SVG plots for the analyst dashboard (matplotlib, Agg back end, no browser JS).

A person would rather look at a line per post than read a table of weekly rates, so the
dashboard embeds these SVGs inline; each carries a ``<title>`` and the figures behind it stay in
a table for screen-reader users.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

import numpy as np

_MAX_POSTS = 8


@dataclass(frozen=True)
class WeeklyRates:
    """Referral rate per post and week (weeks start on Monday)."""

    weeks: list[date]
    posts: list[str]
    rates: np.ndarray  # [post, week], NaN where the post had no case that week
    counts: np.ndarray  # [post, week]


def weekly_referral_rates(
    posts: Sequence[str], days: Sequence[datetime | date], referred: Sequence[bool]
) -> WeeklyRates:
    """Aggregate cases (post, day, referred) into weekly referral rates per post, vectorised."""
    if len(posts) == 0:
        return WeeklyRates([], [], np.empty((0, 0)), np.empty((0, 0), dtype=np.int64))
    day_numbers = np.array(
        [(d.date() if isinstance(d, datetime) else d).toordinal() for d in days], dtype=np.int64
    )
    # date.toordinal() of a Monday is 1 mod 7 (0001-01-01 was a Monday).
    week_numbers = day_numbers - (day_numbers - 1) % 7
    week_values, week_index = np.unique(week_numbers, return_inverse=True)
    post_values, post_index = np.unique(np.asarray(posts, dtype=str), return_inverse=True)
    shape = (post_values.size, week_values.size)
    counts = np.zeros(shape, dtype=np.int64)
    refs = np.zeros(shape, dtype=np.int64)
    np.add.at(counts, (post_index, week_index), 1)
    np.add.at(refs, (post_index, week_index), np.asarray(referred, dtype=np.int64))
    with np.errstate(invalid="ignore", divide="ignore"):
        rates = np.where(counts > 0, refs / np.maximum(counts, 1), np.nan)
    return WeeklyRates(
        weeks=[date.fromordinal(int(w)) for w in week_values],
        posts=[str(p) for p in post_values],
        rates=rates,
        counts=counts,
    )


def referral_rates_svg(data: WeeklyRates, *, title: str) -> str:
    """A line per post (the busiest ``_MAX_POSTS``), referral rate (%) by week, as SVG text."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.dates as mdates
    from matplotlib.figure import Figure

    figure = Figure(figsize=(8.0, 3.4), dpi=96)
    axes = figure.add_subplot(1, 1, 1)
    order = np.argsort(-data.counts.sum(axis=1), kind="stable")[:_MAX_POSTS]
    weeks = mdates.date2num([datetime.combine(w, datetime.min.time()) for w in data.weeks])
    for k in order:
        axes.plot(weeks, data.rates[k] * 100.0, marker="o", markersize=3, label=data.posts[k])
    axes.set_ylabel("%")
    axes.set_ylim(bottom=0)
    axes.grid(True, alpha=0.3)
    if len(weeks):
        axes.set_xlim(float(weeks[0]) - 3.0, float(weeks[-1]) + 3.0)
    axes.xaxis.set_major_formatter(mdates.DateFormatter("%Y-%m-%d"))
    figure.autofmt_xdate()
    if len(order):
        axes.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize=9)
    figure.tight_layout()
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Title": title, "Date": None})
    svg = buffer.getvalue()
    # Inline SVG: drop the XML prologue and DOCTYPE, label the graphic for assistive technology.
    start = svg.find("<svg")
    return svg[start:].replace("<svg ", f'<svg role="img" aria-label="{_attr(title)}" ', 1)


def _attr(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
