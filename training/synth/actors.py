"""The world's actors: brokers, organisations and legitimate agencies, drawn once per world.

Brokers (one pool per kind of scheme) own phones and addresses that recur across their cases;
agencies learn of a broker on ``recorded_day`` (some before the period, most during it, some
never). Organisations (employers and establishments, one pool per establishment type) may be
raided or inspected on ``raid_day``. Legitimate agencies (travel, marriage, recruitment) also
recur across applications, so that a shared phone alone does not reveal a broker.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from mizugiwa.training.synth.names import JAPANESE_FAMILY, JAPANESE_MALE, family_name, given_name
from mizugiwa.training.synth.population import BACKLOG_START, END, NATIONALITIES, START
from mizugiwa.training.synth.schemes import BROKER_TYPES, OBS, OBSERVABLES

NEVER = np.iinfo(np.int64).max // 4  # a day number after any date
ESTABLISHMENTS: tuple[str, ...] = OBSERVABLES[OBS["establishment"]].bins

_WARDS: tuple[tuple[str, str, str], ...] = (
    ("Roppongi", "Minato-ku", "Tokyo"), ("Kabukicho", "Shinjuku-ku", "Tokyo"),
    ("Ikebukuro", "Toshima-ku", "Tokyo"), ("Kinshicho", "Sumida-ku", "Tokyo"),
    ("Namba", "Chuo-ku", "Osaka"), ("Umeda", "Kita-ku", "Osaka"), ("Sakae", "Naka-ku", "Nagoya"),
    ("Nakasu", "Hakata-ku", "Fukuoka"), ("Susukino", "Chuo-ku", "Sapporo"),
    ("Kamata", "Ota-ku", "Tokyo"), ("Kawaguchi", "Kawaguchi-shi", "Saitama"),
    ("Isesaki", "Isesaki-shi", "Gunma"), ("Toyota", "Toyota-shi", "Aichi"),
    ("Hamamatsu", "Naka-ku", "Shizuoka"), ("Kurashiki", "Kurashiki-shi", "Okayama"),
    ("Kumagaya", "Kumagaya-shi", "Saitama"),
)  # fmt: skip
_CLUB = ("Club", "Lounge", "Snack", "Bar", "Pub")
_CLUB_NAMES = ("Paradise", "Venus", "Sakura", "Diamond", "Angel", "Moonlight", "Rose", "Luna")
_COMPANY = ("Kogyo", "Seisakusho", "Noen", "Kensetsu", "Kaigo", "Shoji", "Foods", "Services")
_AGENCY = ("Manpower", "Global Bridge", "Friendship", "Star", "Pacific", "Harmony", "Asia Link")
_AGENCY_KIND = {
    "sham": "Marriage Consulting",
    "hostess": "Talent Promotions",
    "labour": "Cooperative",
    "smuggling": "Travel & Tours",
}


def japanese_address(rng: np.random.Generator, n: int) -> list[str]:
    """``n`` Japanese street addresses, block numbers first (as foreigners usually write them)."""
    ward = rng.integers(0, len(_WARDS), n)
    a, b, c = rng.integers(1, 9, n), rng.integers(1, 40, n), rng.integers(1, 30, n)
    return [
        f"{a[i]}-{b[i]}-{c[i]} {_WARDS[ward[i]][0]}, {_WARDS[ward[i]][1]}, {_WARDS[ward[i]][2]}"
        for i in range(n)
    ]


def japanese_mobile(rng: np.random.Generator, n: int) -> np.ndarray:
    """Subscriber digits of Japanese mobiles (90/80/70 + 8 digits) as integers."""
    prefix = rng.choice(np.array([90, 80, 70]), n)
    return prefix * 100_000_000 + rng.integers(10_000_000, 99_999_999, n)


def format_jp_mobile(digits: int, style: int) -> str:
    """A Japanese mobile written in one of three styles (international spaced, compact, local)."""
    text = str(digits)
    if style == 0:
        return f"+81 {text[:2]} {text[2:6]} {text[6:]}"
    if style == 1:
        return f"+81{text}"
    return f"0{text[:2]}-{text[2:6]}-{text[6:]}"


def _days(values: np.datetime64) -> int:
    return int(values.astype("datetime64[D]").astype(np.int64))


@dataclass(frozen=True)
class Brokers:
    """One pool per broker type, each sorted by the day agencies recorded the broker."""

    ids: list[np.ndarray]  # per type: entity ids
    phone: list[np.ndarray]  # per type: Japanese mobile digits
    address: list[list[str]]
    recorded_day: list[np.ndarray]  # per type, ascending; NEVER when never recorded
    nationality: list[np.ndarray]
    family: list[np.ndarray]
    given: list[np.ndarray]
    birth_day: list[np.ndarray]


@dataclass(frozen=True)
class Organisations:
    """One pool per establishment type, each sorted by the day of its first raid."""

    ids: list[np.ndarray]
    names: list[list[str]]
    corporate_number: list[np.ndarray]
    address: list[list[str]]
    phone: list[np.ndarray]
    raid_day: list[np.ndarray]  # ascending; NEVER when never raided
    finding: list[np.ndarray]


@dataclass(frozen=True)
class Agencies:
    """Legitimate agencies per broker type: names, phones and addresses that recur."""

    names: list[list[str]]
    phone: list[np.ndarray]
    address: list[list[str]]


@dataclass(frozen=True)
class Actors:
    brokers: Brokers
    organisations: Organisations
    agencies: Agencies


FINDINGS = (
    "illegal_employment",
    "labour_law_violation",
    "unpaid_wages",
    "passport_confiscation",
    "forced_labour",
    "sexual_exploitation",
    "debt_bondage",
)


def draw_actors(rng: np.random.Generator, n_applications: int) -> Actors:
    """Draw the actor pools; their sizes grow with the world so rings stay rings."""
    start, end, backlog = _days(START), _days(END), _days(BACKLOG_START)
    japan_share = {"sham": 0.6, "hostess": 0.5, "labour": 0.3, "smuggling": 0.1}
    b_ids, b_phone, b_addr, b_day, b_nat, b_fam, b_giv, b_birth = ([] for _ in range(8))
    next_id = 1
    for kind in BROKER_TYPES:
        n = max(30, n_applications // 5000)
        roll = rng.random(n)
        day = np.where(
            roll < 0.35,
            rng.integers(backlog, start, n),
            np.where(roll < 0.85, rng.integers(start, end, n), NEVER),
        )
        day[:3] = rng.integers(backlog, start, 3)  # someone is always on file
        day[-2:] = NEVER  # and someone never is
        order = np.argsort(day, kind="stable")
        nat = np.where(
            rng.random(n) < japan_share[kind], -1, rng.integers(0, len(NATIONALITIES), n)
        )
        b_ids.append(np.array([f"P-{next_id + i}" for i in range(n)])[order])
        next_id += n
        b_phone.append(japanese_mobile(rng, n)[order])
        addresses = japanese_address(rng, n)
        b_addr.append([addresses[i] for i in order])
        b_day.append(day[order])
        b_nat.append(nat[order])
        b_fam.append(rng.integers(0, 1000, n)[order])
        b_giv.append(rng.integers(0, 1000, n)[order])
        b_birth.append(rng.integers(start - 70 * 365, start - 25 * 365, n)[order])
    brokers = Brokers(b_ids, b_phone, b_addr, b_day, b_nat, b_fam, b_giv, b_birth)

    o_ids, o_names, o_corp, o_addr, o_phone, o_day, o_find = ([] for _ in range(7))
    next_id = 1
    for kind in ESTABLISHMENTS:
        n = max(40, n_applications // 4000)
        roll = rng.random(n)
        day = np.where(roll < 0.18, rng.integers(backlog, end, n), NEVER)
        day[:2] = rng.integers(backlog, start, 2)  # some raids are on file before the period
        order = np.argsort(day, kind="stable")
        names = [_org_name(rng, kind, i) for i in range(n)]
        o_ids.append(np.array([f"O-{next_id + i}" for i in range(n)])[order])
        next_id += n
        o_names.append([names[i] for i in order])
        o_corp.append(rng.integers(10**12, 10**13 - 1, n)[order])
        addresses = japanese_address(rng, n)
        o_addr.append([addresses[i] for i in order])
        o_phone.append(japanese_mobile(rng, n)[order])
        o_day.append(day[order])
        o_find.append(rng.integers(0, len(FINDINGS), n)[order])
    organisations = Organisations(o_ids, o_names, o_corp, o_addr, o_phone, o_day, o_find)

    a_names, a_phone, a_addr = [], [], []
    for kind in BROKER_TYPES:
        n = max(50, n_applications // 3000)
        a_names.append(
            [
                f"{_AGENCY[int(rng.integers(len(_AGENCY)))]} {_AGENCY_KIND[kind]} {i + 1}"
                for i in range(n)
            ]
        )
        a_phone.append(japanese_mobile(rng, n))
        a_addr.append(japanese_address(rng, n))
    return Actors(brokers, organisations, Agencies(a_names, a_phone, a_addr))


def _org_name(rng: np.random.Generator, kind: str, i: int) -> str:
    if kind in ("adult_entertainment", "restaurant_bar"):
        return (
            f"{_CLUB[int(rng.integers(len(_CLUB)))]} "
            f"{_CLUB_NAMES[int(rng.integers(len(_CLUB_NAMES)))]} {i + 1}"
        )
    fam = JAPANESE_FAMILY[int(rng.integers(len(JAPANESE_FAMILY)))][0]
    return f"{fam} {_COMPANY[int(rng.integers(len(_COMPANY)))]} {i + 1} K.K."


def broker_name(brokers: Brokers, t: int, k: int) -> tuple[str, str, str]:
    """(family, given, nationality code) of broker ``k`` of type ``t``."""
    nat = int(brokers.nationality[t][k])
    if nat < 0:
        fam = JAPANESE_FAMILY[int(brokers.family[t][k]) % len(JAPANESE_FAMILY)][0]
        giv = JAPANESE_MALE[int(brokers.given[t][k]) % len(JAPANESE_MALE)][0]
        return fam, giv, "JPN"
    code = NATIONALITIES[nat].code
    fam_i, giv_i = int(brokers.family[t][k]), int(brokers.given[t][k])
    return family_name(code, fam_i), given_name(code, giv_i % 2 == 0, giv_i), code


def pick_before(
    rng: np.random.Generator, days_sorted: np.ndarray, day: np.ndarray, recorded: np.ndarray
) -> np.ndarray:
    """For each record, an index into a pool sorted by day: recorded by ``day`` or not.

    ``recorded[i]`` True picks uniformly among pool members with ``days_sorted <= day[i]``,
    False among the others. The pools guarantee both sets are non-empty within the period.
    """
    k = np.searchsorted(days_sorted, day, side="right")
    size = days_sorted.size
    u = rng.random(day.size)
    low = np.where(recorded, 0, k)
    span = np.where(recorded, k, size - k)
    span = np.maximum(span, 1)
    return np.minimum(low + (u * span).astype(np.int64), size - 1)
