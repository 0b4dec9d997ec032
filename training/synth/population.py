"""Who applies, where and when: the population the synthetic world draws from.

The shares rest on published figures (see ``docs/synthetic-world.md`` for the sources):
visa issuance by nationality from the Ministry of Foreign Affairs' 2019 statistics, visa-exempt
arrivals from JNTO's 2019 visitor arrivals, and the monthly profile of the border closure of
2020-2022. Figures the sources do not give (the visa-category mix of each nationality) are
stated here as the generator's assumptions.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

CATEGORIES: tuple[str, ...] = (
    "temporary_visitor",
    "spouse_of_japanese",
    "entertainer",
    "technical_intern",
    "student",
    "skilled_worker",
    "transit",
    "other",
)
CAT = {name: i for i, name in enumerate(CATEGORIES)}

START = np.datetime64("2019-01-01")
END = np.datetime64("2025-01-01")  # exclusive
# After this date entertainer visas are examined strictly; rings move to spouse visas.
CRACKDOWN = np.datetime64("2022-01-01")
# Backlog of the trafficking database: what agencies had recorded before the period.
BACKLOG_START = np.datetime64("2015-01-01")


@dataclass(frozen=True)
class Nationality:
    """A nationality of visa applicants: its weight, posts, category mix and relative risks."""

    code: str
    weight: float  # visas issued in 2019, thousands (MOFA; rounded)
    posts: tuple[tuple[str, float], ...]
    mix: tuple[float, ...]  # over CATEGORIES
    language: str
    phone_prefix: str  # E.164 country code
    passport_letter: str
    sham_rr: float = 1.0  # relative risk of sham-marriage rings among spouse applicants
    exploitation_rr: float = 1.0  # relative risk of exploitation schemes


#             visitor spouse  ent   intern student skilled transit other
NATIONALITIES: tuple[Nationality, ...] = (
    Nationality("CHN", 6540, (("BJS", .35), ("SHA", .40), ("CAN", .25)),
                (.900, .012, .002, .030, .025, .018, .005, .008), "zh", "86", "E",
                sham_rr=1.0, exploitation_rr=1.0),
    Nationality("PHL", 434, (("MNL", .90), ("CEB", .10)),
                (.600, .060, .030, .140, .030, .090, .010, .040), "tl", "63", "P",
                sham_rr=1.2, exploitation_rr=1.1),
    Nationality("VNM", 345, (("HAN", .50), ("SGN", .50)),
                (.300, .030, .003, .400, .140, .110, .005, .012), "vi", "84", "C",
                sham_rr=1.0, exploitation_rr=1.1),
    Nationality("IDN", 200, (("JKT", 1.0),),
                (.550, .010, .003, .270, .050, .100, .005, .012), "id", "62", "B",
                sham_rr=0.9, exploitation_rr=1.0),
    Nationality("IND", 180, (("DEL", .60), ("BOM", .40)),
                (.750, .005, .001, .020, .050, .150, .010, .014), "hi", "91", "Z",
                sham_rr=0.9, exploitation_rr=1.0),
    Nationality("RUS", 130, (("MOW", .80), ("VVO", .20)),
                (.880, .020, .020, .000, .030, .030, .010, .010), "ru", "7", "R",
                sham_rr=0.9, exploitation_rr=1.0),
    Nationality("MMR", 90, (("RGN", 1.0),),
                (.250, .020, .005, .450, .080, .180, .000, .015), "my", "95", "M",
                sham_rr=0.9, exploitation_rr=1.1),
    Nationality("NPL", 80, (("KTM", 1.0),),
                (.300, .010, .002, .050, .450, .170, .000, .018), "ne", "977", "N",
                sham_rr=0.9, exploitation_rr=1.0),
    Nationality("THA", 60, (("BKK", 1.0),),
                (.450, .080, .030, .250, .080, .090, .000, .020), "th", "66", "A",
                sham_rr=1.1, exploitation_rr=1.2),
    Nationality("BRA", 60, (("SAO", 1.0),),
                (.600, .050, .010, .000, .030, .060, .000, .250), "pt", "55", "F",
                sham_rr=0.9, exploitation_rr=1.0),
    Nationality("KHM", 40, (("PNH", 1.0),),
                (.300, .030, .010, .450, .080, .100, .000, .030), "km", "855", "N",
                sham_rr=1.0, exploitation_rr=1.1),
    Nationality("PER", 20, (("LIM", 1.0),),
                (.600, .050, .010, .000, .030, .060, .000, .250), "es", "51", "U",
                sham_rr=0.9, exploitation_rr=1.0),
    Nationality("COL", 15, (("BOG", 1.0),),
                (.850, .050, .030, .000, .030, .020, .000, .020), "es", "57", "A",
                sham_rr=1.1, exploitation_rr=1.0),
)  # fmt: skip
# Some applicants apply where they live, at a third-country post.
THIRD_COUNTRY_POSTS: tuple[str, ...] = ("KUL", "SEL", "SIN", "BKK", "MNL")
THIRD_COUNTRY_SHARE = 0.04

# Visa-exempt arrivals (JNTO 2019 visitor arrivals, thousands, rounded).
EXEMPT_NATIONALITIES: tuple[tuple[str, float, str, str], ...] = (
    # code, arrivals, language, passport letter
    ("KOR", 5585, "ko", "M"),
    ("TWN", 4891, "zh", "3"),
    ("HKG", 2291, "zh", "K"),
    ("USA", 1724, "en", "5"),
    ("THA", 1319, "th", "A"),
    ("AUS", 622, "en", "P"),
    ("MYS", 502, "ms", "A"),
    ("SGP", 492, "en", "K"),
    ("GBR", 424, "en", "5"),
    ("IDN", 413, "id", "B"),
)
EXEMPT_EXPLOITATION_RR: dict[str, float] = {"THA": 3.0, "MYS": 1.2, "IDN": 1.5}

PORTS: tuple[tuple[str, float], ...] = (
    ("NRT", 0.30), ("HND", 0.25), ("KIX", 0.25), ("NGO", 0.06),
    ("FUK", 0.08), ("CTS", 0.04), ("OKA", 0.02),
)  # fmt: skip
AIRLINES: tuple[str, ...] = ("JL", "NH", "PR", "VN", "CA", "MU", "TG", "GA", "KE", "CI", "MM")

# Age range of applicants per category (years); independent of scheme within a category.
AGE_RANGE: dict[str, tuple[int, int]] = {
    "temporary_visitor": (18, 75),
    "spouse_of_japanese": (20, 60),
    "entertainer": (18, 40),
    "technical_intern": (18, 42),
    "student": (18, 35),
    "skilled_worker": (22, 62),
    "transit": (20, 70),
    "other": (18, 70),
}
# Share of women per category; also independent of scheme within a category.
FEMALE_SHARE: dict[str, float] = {
    "temporary_visitor": 0.55,
    "spouse_of_japanese": 0.80,
    "entertainer": 0.85,
    "technical_intern": 0.45,
    "student": 0.50,
    "skilled_worker": 0.35,
    "transit": 0.45,
    "other": 0.50,
}


def monthly_volume() -> tuple[np.ndarray, np.ndarray]:
    """Month starts of the period and their relative application volume.

    Borders were closed to new entries from April 2020 to October 2022; volume then recovers.
    """
    months = np.arange(START.astype("datetime64[M]"), END.astype("datetime64[M]"))
    weight = np.ones(months.size)
    for i, month in enumerate(months.astype(str)):
        if "2020-01" <= month <= "2020-03":
            weight[i] = 0.7
        elif "2020-04" <= month <= "2022-09":
            weight[i] = 0.08
        elif "2022-10" <= month <= "2022-12":
            weight[i] = 0.5
        elif month.startswith("2023"):
            weight[i] = 0.9
        elif month.startswith("2024"):
            weight[i] = 1.1
    return months, weight / weight.sum()


def draw_times(rng: np.random.Generator, n: int) -> np.ndarray:
    """Submission or arrival instants (``datetime64[s]``, UTC) following :func:`monthly_volume`."""
    months, weight = monthly_volume()
    month = rng.choice(months.size, size=n, p=weight)
    start = months[month].astype("datetime64[s]")
    stop = (months[month] + 1).astype("datetime64[s]")
    span = (stop - start).astype(np.int64)
    return start + (rng.random(n) * span).astype(np.int64).astype("timedelta64[s]")
