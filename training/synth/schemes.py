"""Schemes and their fingerprints: the latent classes of the world and the oracle posterior.

Every application belongs to one *scheme* (a latent class): a genuine profile (tourist,
genuine spouse, genuine intern, ...), an innocent look-alike (a genuine marriage with a large
age gap, met through an agency), or a concerning scheme (a sham-marriage ring, hostess
exploitation, intern labour exploitation, impersonation with a look-alike's passport, a forged
document). Within a visa category the scheme is drawn from a prior that depends on the period
(before or after the entertainer crackdown) and the nationality; then each *observable* is
drawn independently given the scheme, as a bin of a discrete distribution (the value inside the
bin is drawn the same way for every scheme, so it carries no further information).

Because the observables are conditionally independent given the scheme, the posterior a
screener could compute from everything observable is exact:

    P(scheme | x) ∝ prior(scheme | category, period, nationality) × Π_j P(bin_j | scheme)

and the probability of a concern is the posterior mass of the schemes carrying it. Missing
fields are missing completely at random, so they contribute no factor.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from mizugiwa.training.synth.population import (
    CATEGORIES,
    EXEMPT_EXPLOITATION_RR,
    EXEMPT_NATIONALITIES,
    NATIONALITIES,
)

CONCERNS: tuple[str, ...] = ("sham_marriage", "impersonation", "exploitation")


@dataclass(frozen=True)
class Scheme:
    """A latent class: its name, the concern it carries and the visa categories it uses."""

    name: str
    concern: str | None
    priors: dict[str, tuple[float, float]]  # category -> (before, after crackdown) share
    broker_type: str  # which broker pool its links draw from


SCHEMES: tuple[Scheme, ...] = (
    Scheme("tourist", None, {"temporary_visitor": (0.86, 0.86)}, "smuggling"),
    Scheme("business_visitor", None, {"temporary_visitor": (0.13, 0.13)}, "smuggling"),
    Scheme("genuine_spouse", None, {"spouse_of_japanese": (0.74, 0.71)}, "sham"),
    Scheme("genuine_spouse_age_gap", None, {"spouse_of_japanese": (0.20, 0.20)}, "sham"),
    Scheme("sham_marriage_ring", "sham_marriage", {"spouse_of_japanese": (0.06, 0.09)}, "sham"),
    Scheme("genuine_entertainer", None, {"entertainer": (0.92, 0.96)}, "hostess"),
    Scheme("hostess_exploitation", "exploitation", {"entertainer": (0.08, 0.04)}, "hostess"),
    Scheme("genuine_intern", None, {"technical_intern": (0.98, 0.98)}, "labour"),
    Scheme("intern_labour", "exploitation", {"technical_intern": (0.02, 0.02)}, "labour"),
    Scheme("student", None, {"student": (0.995, 0.995)}, "smuggling"),
    Scheme("genuine_skilled_worker", None, {"skilled_worker": (0.988, 0.988)}, "labour"),
    Scheme("labour_exploitation", "exploitation", {"skilled_worker": (0.012, 0.012)}, "labour"),
    Scheme("transit_passenger", None, {"transit": (0.975, 0.975)}, "smuggling"),
    Scheme("other_resident", None, {"other": (1.0, 1.0)}, "smuggling"),
    Scheme(
        "impersonation_lookalike",
        "impersonation",
        {"temporary_visitor": (0.003, 0.003), "student": (0.003, 0.003), "transit": (0.01, 0.01)},
        "smuggling",
    ),
    Scheme(
        "forged_document",
        "impersonation",
        {"temporary_visitor": (0.003, 0.003), "student": (0.002, 0.002), "transit": (0.015, 0.015)},
        "smuggling",
    ),
    Scheme(
        "visitor_exploitation",
        "exploitation",
        {"temporary_visitor": (0.005, 0.007)},
        "hostess",
    ),
)
SCHEME_NAMES: tuple[str, ...] = tuple(s.name for s in SCHEMES)
SCHEME = {name: i for i, name in enumerate(SCHEME_NAMES)}
BROKER_TYPES: tuple[str, ...] = ("sham", "hostess", "labour", "smuggling")

ALL = tuple(CATEGORIES)
EMPLOYMENT = ("entertainer", "technical_intern", "skilled_worker")
SHORT_STAY = ("temporary_visitor", "student", "transit", "other")


@dataclass(frozen=True)
class Observable:
    """One observable: its bins, where it is observed, a baseline per category, overrides.

    ``baseline[category]`` is the distribution of the innocent schemes of that category;
    ``overrides[scheme]`` replaces it for a scheme in every category where it occurs.
    ``present`` is the probability that the field carrying it is filled in (MCAR).
    """

    name: str
    bins: tuple[str, ...]
    categories: tuple[str, ...]
    baseline: dict[str, tuple[float, ...]]
    overrides: dict[str, tuple[float, ...]] = field(default_factory=dict)
    present: float = 1.0


def _same(probs: tuple[float, ...], cats: tuple[str, ...] = ALL) -> dict[str, tuple[float, ...]]:
    return {c: probs for c in cats}


OBSERVABLES: tuple[Observable, ...] = (
    Observable(
        "passport_age",  # days from passport issue to submission
        ("<30d", "30-180d", "180d-2y", ">2y"),
        ALL,
        {
            **_same((0.05, 0.12, 0.25, 0.58)),
            "technical_intern": (0.14, 0.22, 0.30, 0.34),  # first-time travellers
            "entertainer": (0.10, 0.20, 0.30, 0.40),
            "spouse_of_japanese": (0.08, 0.15, 0.27, 0.50),
        },
        {
            "impersonation_lookalike": (0.45, 0.25, 0.15, 0.15),
            "forged_document": (0.20, 0.20, 0.30, 0.30),
            "visitor_exploitation": (0.25, 0.25, 0.25, 0.25),
            "hostess_exploitation": (0.22, 0.25, 0.28, 0.25),
            "intern_labour": (0.20, 0.25, 0.30, 0.25),
            "labour_exploitation": (0.20, 0.25, 0.30, 0.25),
        },
    ),
    Observable(
        "face_match",
        ("<0.5", "0.5-0.7", "0.7-0.85", ">=0.85"),
        ALL,
        _same((0.01, 0.04, 0.15, 0.80)),
        {
            "impersonation_lookalike": (0.25, 0.40, 0.25, 0.10),
            "forged_document": (0.03, 0.07, 0.20, 0.70),
        },
        present=0.7,
    ),
    Observable(
        "mrz_check_fail",
        ("valid", "fails"),
        ALL,
        _same((0.998, 0.002)),
        {"forged_document": (0.45, 0.55), "impersonation_lookalike": (1.0, 0.0)},
        present=0.75,
    ),
    Observable(
        "mrz_mismatch",  # MRZ fields disagree with the record's
        ("agrees", "disagrees"),
        ALL,
        _same((0.996, 0.004)),
        {"forged_document": (0.70, 0.30), "impersonation_lookalike": (0.99, 0.01)},
        present=0.75,
    ),
    Observable(
        "document_reported",  # passport number reported lost or stolen, as of submission
        ("clean", "reported"),
        ALL,
        _same((0.9992, 0.0008)),
        {"forged_document": (0.55, 0.45), "impersonation_lookalike": (0.93, 0.07)},
    ),
    Observable(
        "ticket_paid_by",
        ("self", "sponsor", "employer", "agency", "third_party"),
        ALL,
        {
            **_same((0.88, 0.07, 0.01, 0.03, 0.01)),
            "spouse_of_japanese": (0.40, 0.54, 0.00, 0.04, 0.02),
            "entertainer": (0.15, 0.05, 0.45, 0.33, 0.02),
            "technical_intern": (0.12, 0.00, 0.45, 0.41, 0.02),
            "skilled_worker": (0.35, 0.00, 0.55, 0.08, 0.02),
            "student": (0.60, 0.30, 0.00, 0.08, 0.02),
        },
        {
            "sham_marriage_ring": (0.25, 0.45, 0.00, 0.15, 0.15),
            "hostess_exploitation": (0.05, 0.05, 0.30, 0.40, 0.20),
            "intern_labour": (0.06, 0.00, 0.30, 0.52, 0.12),
            "labour_exploitation": (0.15, 0.00, 0.40, 0.30, 0.15),
            "visitor_exploitation": (0.30, 0.10, 0.05, 0.25, 0.30),
            "impersonation_lookalike": (0.55, 0.05, 0.02, 0.18, 0.20),
            "forged_document": (0.55, 0.05, 0.02, 0.18, 0.20),
        },
    ),
    Observable(
        "return_ticket",
        ("yes", "no"),
        ALL,
        {
            **_same((0.93, 0.07)),
            "spouse_of_japanese": (0.45, 0.55),
            "technical_intern": (0.15, 0.85),
            "skilled_worker": (0.25, 0.75),
            "student": (0.40, 0.60),
            "other": (0.50, 0.50),
        },
        {
            "visitor_exploitation": (0.45, 0.55),
            "impersonation_lookalike": (0.70, 0.30),
            "forged_document": (0.60, 0.40),
        },
    ),
    Observable(
        "minors",  # accompanying minors
        ("none", "some"),
        ALL,
        {**_same((0.97, 0.03)), "temporary_visitor": (0.90, 0.10)},
        {"impersonation_lookalike": (0.85, 0.15), "visitor_exploitation": (0.88, 0.12)},
    ),
    Observable(
        "stay",  # intended stay
        ("<=15d", "16-90d", "91-365d", ">365d"),
        ALL,
        {
            **_same((0.50, 0.42, 0.05, 0.03), SHORT_STAY),
            "transit": (0.97, 0.03, 0.0, 0.0),
            "student": (0.02, 0.05, 0.28, 0.65),
            "other": (0.05, 0.15, 0.40, 0.40),
            "spouse_of_japanese": (0.0, 0.02, 0.38, 0.60),
            "entertainer": (0.0, 0.30, 0.60, 0.10),
            "technical_intern": (0.0, 0.0, 0.15, 0.85),
            "skilled_worker": (0.0, 0.02, 0.28, 0.70),
        },
        {"visitor_exploitation": (0.15, 0.85, 0.0, 0.0)},
    ),
    Observable(
        "broker_link",  # a phone or address on the file shared with a recorded broker
        ("none", "linked"),
        ALL,
        {
            **_same((0.997, 0.003)),
            "spouse_of_japanese": (0.985, 0.015),
            "entertainer": (0.97, 0.03),
            "technical_intern": (0.985, 0.015),
        },
        {
            "genuine_spouse_age_gap": (0.96, 0.04),
            "sham_marriage_ring": (0.65, 0.35),
            "hostess_exploitation": (0.65, 0.35),
            "intern_labour": (0.70, 0.30),
            "labour_exploitation": (0.70, 0.30),
            "visitor_exploitation": (0.70, 0.30),
            "impersonation_lookalike": (0.85, 0.15),
            "forged_document": (0.85, 0.15),
        },
    ),
    Observable(
        "age_gap",  # sponsor's age minus applicant's, years
        ("<0", "0-5", "5-10", "10-15", "15-20", "20-25", "25-30", ">=30"),
        ("spouse_of_japanese",),
        {"spouse_of_japanese": (0.14, 0.40, 0.24, 0.12, 0.06, 0.025, 0.01, 0.005)},
        {
            "genuine_spouse_age_gap": (0.0, 0.0, 0.02, 0.10, 0.25, 0.30, 0.20, 0.13),
            "sham_marriage_ring": (0.04, 0.08, 0.10, 0.14, 0.20, 0.20, 0.14, 0.10),
        },
    ),
    Observable(
        "courtship",  # marriage date minus first-met date
        ("<3m", "3-6m", "6-12m", "1-2y", "2-5y", ">=5y"),
        ("spouse_of_japanese",),
        {"spouse_of_japanese": (0.02, 0.05, 0.13, 0.30, 0.35, 0.15)},
        {
            "genuine_spouse_age_gap": (0.06, 0.16, 0.30, 0.28, 0.15, 0.05),
            "sham_marriage_ring": (0.28, 0.30, 0.22, 0.12, 0.06, 0.02),
        },
    ),
    Observable(
        "met_via",
        ("agency", "online", "work", "friends", "other"),
        ("spouse_of_japanese",),
        {"spouse_of_japanese": (0.05, 0.30, 0.30, 0.28, 0.07)},
        {
            "genuine_spouse_age_gap": (0.40, 0.25, 0.10, 0.20, 0.05),
            "sham_marriage_ring": (0.35, 0.20, 0.20, 0.20, 0.05),
        },
    ),
    Observable(
        "no_common_language",
        ("shared", "none"),
        ("spouse_of_japanese",),
        {"spouse_of_japanese": (0.96, 0.04)},
        {"genuine_spouse_age_gap": (0.80, 0.20), "sham_marriage_ring": (0.55, 0.45)},
    ),
    Observable(
        "prior_spouses",  # sponsor's earlier foreign spouses in the sponsorship history
        ("0", "1", "2", ">=3"),
        ("spouse_of_japanese",),
        {"spouse_of_japanese": (0.93, 0.06, 0.01, 0.0)},
        {
            "genuine_spouse_age_gap": (0.72, 0.20, 0.06, 0.02),
            "sham_marriage_ring": (0.40, 0.28, 0.18, 0.14),
        },
    ),
    Observable(
        "underdeclared",  # sponsor declares 0 earlier foreign spouses (seen only when >0)
        ("honest", "declares_none"),
        ("spouse_of_japanese",),
        {"spouse_of_japanese": (0.95, 0.05)},
        {"genuine_spouse_age_gap": (0.90, 0.10), "sham_marriage_ring": (0.40, 0.60)},
        present=0.8,
    ),
    Observable(
        "establishment",
        (
            "adult_entertainment",
            "restaurant_bar",
            "factory",
            "agriculture",
            "construction",
            "care",
            "hospitality",
            "other",
        ),
        EMPLOYMENT,
        {
            "entertainer": (0.25, 0.30, 0.0, 0.0, 0.0, 0.0, 0.30, 0.15),
            "technical_intern": (0.0, 0.0, 0.45, 0.20, 0.15, 0.15, 0.03, 0.02),
            "skilled_worker": (0.0, 0.10, 0.30, 0.05, 0.10, 0.20, 0.15, 0.10),
        },
        {
            "hostess_exploitation": (0.65, 0.25, 0.0, 0.0, 0.0, 0.0, 0.05, 0.05),
            "intern_labour": (0.0, 0.0, 0.35, 0.30, 0.25, 0.05, 0.03, 0.02),
            "labour_exploitation": (0.0, 0.15, 0.25, 0.15, 0.25, 0.10, 0.05, 0.05),
        },
    ),
    Observable(
        "employer_flagged",  # employer raided or found in breach, as of submission
        ("clean", "flagged"),
        EMPLOYMENT,
        _same((0.975, 0.025), EMPLOYMENT),
        {
            "hostess_exploitation": (0.70, 0.30),
            "intern_labour": (0.72, 0.28),
            "labour_exploitation": (0.72, 0.28),
        },
    ),
    Observable(
        "fee_ratio",  # recruitment fee over monthly wage
        ("none", "<1", "1-3", "3-6", ">=6"),
        EMPLOYMENT,
        {
            "entertainer": (0.50, 0.30, 0.15, 0.04, 0.01),
            "technical_intern": (0.25, 0.30, 0.30, 0.12, 0.03),
            "skilled_worker": (0.55, 0.25, 0.15, 0.04, 0.01),
        },
        {
            "hostess_exploitation": (0.10, 0.15, 0.30, 0.25, 0.20),
            "intern_labour": (0.03, 0.09, 0.28, 0.32, 0.28),
            "labour_exploitation": (0.05, 0.10, 0.30, 0.30, 0.25),
        },
        present=0.85,
    ),
)
OBS = {o.name: i for i, o in enumerate(OBSERVABLES)}


@dataclass(frozen=True)
class CompiledModel:
    """The generator's tables as arrays, shared by sampling and the oracle."""

    log_prior: np.ndarray  # [category, period, nationality, scheme]
    probs: tuple[np.ndarray, ...]  # per observable: [category, scheme, bin]
    observed_in: np.ndarray  # [observable, category] bool
    present: np.ndarray  # [observable]
    concern_of: np.ndarray  # [scheme, concern] 0/1


def _compile() -> CompiledModel:
    n_cat, n_sch = len(CATEGORIES), len(SCHEMES)
    prior = np.zeros((n_cat, 2, len(NATIONALITIES), n_sch))
    for s, scheme in enumerate(SCHEMES):
        for cat, (before, after) in scheme.priors.items():
            c = CATEGORIES.index(cat)
            for n, nat in enumerate(NATIONALITIES):
                rr = {"sham_marriage": nat.sham_rr, "exploitation": nat.exploitation_rr}
                factor = rr.get(scheme.concern or "", 1.0)
                prior[c, 0, n, s] = before * factor
                prior[c, 1, n, s] = after * factor
    prior /= prior.sum(axis=-1, keepdims=True)
    with np.errstate(divide="ignore"):
        log_prior = np.log(prior)
    probs = []
    observed_in = np.zeros((len(OBSERVABLES), n_cat), dtype=bool)
    for j, obs in enumerate(OBSERVABLES):
        table = np.full((n_cat, n_sch, len(obs.bins)), 1.0 / len(obs.bins))
        for c, cat in enumerate(CATEGORIES):
            if cat not in obs.categories:
                continue
            observed_in[j, c] = True
            for s, name in enumerate(SCHEME_NAMES):
                row = obs.overrides.get(name, obs.baseline[cat])
                table[c, s] = np.asarray(row) / np.sum(row)
        probs.append(table)
    concern_of = np.zeros((n_sch, len(CONCERNS)))
    for s, scheme in enumerate(SCHEMES):
        if scheme.concern:
            concern_of[s, CONCERNS.index(scheme.concern)] = 1.0
    present = np.array([o.present for o in OBSERVABLES])
    return CompiledModel(log_prior, tuple(probs), observed_in, present, concern_of)


MODEL = _compile()


def sample_bins(
    rng: np.random.Generator, probs: np.ndarray, category: np.ndarray, scheme: np.ndarray
) -> np.ndarray:
    """Draw one bin per record from ``probs[category, scheme]``."""
    cum = np.cumsum(probs[category, scheme], axis=1)
    u = rng.random(category.size)[:, None]
    return np.minimum((u > cum).sum(axis=1), probs.shape[-1] - 1)


def log_likelihood(
    probs: np.ndarray, category: np.ndarray, bins: np.ndarray, seen: np.ndarray
) -> np.ndarray:
    """``log P(bin | scheme)`` for every scheme, zero where the observable was not seen."""
    with np.errstate(divide="ignore"):
        ll = np.log(probs[category, :, bins])
    return np.where(seen[:, None], ll, 0.0)


def posterior(log_joint: np.ndarray) -> np.ndarray:
    """Normalise log joint probabilities over schemes (rows) into posteriors."""
    top = log_joint.max(axis=1, keepdims=True)
    p = np.exp(log_joint - top)
    return p / p.sum(axis=1, keepdims=True)


def concern_probabilities(post: np.ndarray, concern_of: np.ndarray) -> np.ndarray:
    """Posterior probability of each concern: the mass of the schemes carrying it."""
    return np.clip(post @ concern_of, 0.0, 1.0)


# Border entries of visa-exempt travellers: their own small model, same construction.
EXEMPT_SCHEMES: tuple[tuple[str, str | None, float], ...] = (
    ("tourist", None, 0.90),
    ("business_visitor", None, 0.092),
    ("impersonation_lookalike", "impersonation", 0.003),
    ("forged_document", "impersonation", 0.002),
    ("visitor_exploitation", "exploitation", 0.003),
)
_Row = tuple[float, ...]
EXEMPT_OBSERVABLES: dict[str, tuple[tuple[str, ...], _Row, dict[str, _Row], float]] = {
    # name: (bins, baseline, overrides, present)
    "face_match": (
        ("<0.5", "0.5-0.7", "0.7-0.85", ">=0.85"),
        (0.01, 0.04, 0.15, 0.80),
        {"impersonation_lookalike": (0.25, 0.40, 0.25, 0.10),
         "forged_document": (0.03, 0.07, 0.20, 0.70)},
        0.85,
    ),
    "mrz_check_fail": (
        ("valid", "fails"), (0.999, 0.001),
        {"forged_document": (0.45, 0.55), "impersonation_lookalike": (1.0, 0.0)}, 1.0,
    ),
    "document_reported": (
        ("clean", "reported"), (0.9992, 0.0008),
        {"forged_document": (0.55, 0.45), "impersonation_lookalike": (0.93, 0.07)}, 1.0,
    ),
    "purpose": (
        ("tourism", "business", "family", "other"), (0.80, 0.12, 0.06, 0.02),
        {"visitor_exploitation": (0.70, 0.08, 0.12, 0.10),
         "impersonation_lookalike": (0.85, 0.05, 0.07, 0.03),
         "forged_document": (0.85, 0.05, 0.07, 0.03)},
        1.0,
    ),
    "stay": (
        ("<=7d", "8-15d", "16-30d", "31-90d"), (0.55, 0.30, 0.10, 0.05),
        {"visitor_exploitation": (0.10, 0.20, 0.30, 0.40)}, 1.0,
    ),
    "return_ticket": (
        ("yes", "no"), (0.95, 0.05),
        {"visitor_exploitation": (0.45, 0.55), "impersonation_lookalike": (0.75, 0.25),
         "forged_document": (0.65, 0.35)},
        0.7,
    ),
    "address_link": (  # declared address is a recorded broker's or raided establishment's
        ("none", "linked"), (0.998, 0.002),
        {"visitor_exploitation": (0.60, 0.40), "forged_document": (0.90, 0.10),
         "impersonation_lookalike": (0.90, 0.10)},
        0.8,
    ),
    "group": (  # travelling with others
        ("alone", "with_others"), (0.70, 0.30),
        {"visitor_exploitation": (0.45, 0.55)}, 1.0,
    ),
}  # fmt: skip
# Business visitors differ from tourists in purpose only.
EXEMPT_BUSINESS_PURPOSE = (0.10, 0.80, 0.05, 0.05)


@dataclass(frozen=True)
class ExemptModel:
    """Compiled tables of the visa-exempt entry model."""

    names: tuple[str, ...]
    log_prior: np.ndarray  # [period, nationality, scheme]
    probs: dict[str, np.ndarray]  # [scheme, bin]
    present: dict[str, float]
    concern_of: np.ndarray


def _compile_exempt() -> ExemptModel:
    names = tuple(s[0] for s in EXEMPT_SCHEMES)
    prior = np.zeros((2, len(EXEMPT_NATIONALITIES), len(names)))
    for n, (code, *_rest) in enumerate(EXEMPT_NATIONALITIES):
        for s, (_name, concern, share) in enumerate(EXEMPT_SCHEMES):
            rr = EXEMPT_EXPLOITATION_RR.get(code, 1.0) if concern == "exploitation" else 1.0
            prior[:, n, s] = share * rr
    prior /= prior.sum(axis=-1, keepdims=True)
    probs: dict[str, np.ndarray] = {}
    present: dict[str, float] = {}
    for obs, (bins, base, over, pres) in EXEMPT_OBSERVABLES.items():
        table = np.zeros((len(names), len(bins)))
        for s, name in enumerate(names):
            row = over.get(name, base)
            if obs == "purpose" and name == "business_visitor":
                row = EXEMPT_BUSINESS_PURPOSE
            table[s] = np.asarray(row) / np.sum(row)
        probs[obs] = table
        present[obs] = pres
    concern_of = np.zeros((len(names), len(CONCERNS)))
    for s, (_name, concern, _share) in enumerate(EXEMPT_SCHEMES):
        if concern:
            concern_of[s, CONCERNS.index(concern)] = 1.0
    return ExemptModel(names, np.log(prior), probs, present, concern_of)


EXEMPT_MODEL = _compile_exempt()
