"""Border entries: travellers with a visa (linked to their application) and visa-exempt ones.

A visa holder's entry carries the application's scheme; the port adds a live face match (and
the MRZ, when the application had none), so its oracle is the application's posterior updated
with those factors. Visa-exempt travellers have their own small model (``EXEMPT_MODEL``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from mizugiwa.training.synth.actors import Actors, japanese_address, pick_before
from mizugiwa.training.synth.applications import FACE_EDGES, _uniform_in
from mizugiwa.training.synth.mrz import td3_line1, td3_line2
from mizugiwa.training.synth.names import GIVEN_SIZE, TABLE_SIZE, family_name, given_name, mrz_name
from mizugiwa.training.synth.population import AIRLINES, CATEGORIES, EXEMPT_NATIONALITIES, PORTS
from mizugiwa.training.synth.schemes import (
    BROKER_TYPES,
    EXEMPT_MODEL,
    MODEL,
    OBS,
    SCHEMES,
    concern_probabilities,
    posterior,
    sample_bins,
)

VISA_LINKED_SHARE = 0.5
_PORT_P = np.array([p for _c, p in PORTS]) / sum(p for _c, p in PORTS)
_EXEMPT_P = np.array([w for _c, w, *_ in EXEMPT_NATIONALITIES])
_EXEMPT_P = _EXEMPT_P / _EXEMPT_P.sum()
_PURPOSE_BY_CATEGORY = {
    "temporary_visitor": "tourism",
    "spouse_of_japanese": "family",
    "entertainer": "work",
    "technical_intern": "work",
    "student": "study",
    "skilled_worker": "work",
    "transit": "transit",
    "other": "other",
}
_EXEMPT_STAY_EDGES = np.array([1, 8, 16, 31, 91])
_HOTELS = ("Hotel Sunroute", "Toyoko Inn", "APA Hotel", "Dormy Inn", "Hotel Gracery")


@dataclass
class ApplicationIndex:
    """The application columns entries of visa holders need (kept across blocks)."""

    day: np.ndarray
    category: np.ndarray
    scheme: np.ndarray
    log_joint: np.ndarray
    mrz_ll: np.ndarray
    mrz_on_file: np.ndarray
    mrz: list[str]
    stay_days: np.ndarray
    return_ticket: np.ndarray


@dataclass
class EntryBlock:
    records: list[dict[str, Any]]
    tipdb: list[dict[str, Any]]
    day: np.ndarray
    scheme_name: list[str]
    oracle: np.ndarray
    broker_id: list[str | None]
    names: list[tuple[str, str, str, str] | None]
    application: np.ndarray  # index of the linked application, -1 if exempt


def generate_entries(
    rng: np.random.Generator, start: int, n: int, apps: ApplicationIndex, actors: Actors
) -> EntryBlock:
    """Rows ``start .. start+n`` of the entries file, with their truth and database lines."""
    n_apps = apps.day.size
    linked = (rng.random(n) < VISA_LINKED_SHARE) & (n_apps > 0)
    app_i = np.where(linked, rng.integers(0, max(n_apps, 1), n), -1)
    safe = np.maximum(app_i, 0)
    lag = rng.integers(5, 90, n)
    exempt_when = rng.integers(0, 6 * 365, n) + int(np.datetime64("2019-01-01", "D").astype(int))
    day = np.where(linked, apps.day[safe] + lag if n_apps else 0, exempt_when)
    seconds = rng.integers(6 * 3600, 23 * 3600, n)
    port = rng.choice(len(PORTS), n, p=_PORT_P)
    flight = rng.integers(1, 999, n)
    airline = rng.integers(0, len(AIRLINES), n)

    # Visa holders: face match at the booth, drawn from the application scheme's fingerprint.
    face_j = OBS["face_match"]
    cat, sch = apps.category[safe], apps.scheme[safe]
    face_bin = sample_bins(rng, MODEL.probs[face_j], cat, sch)
    face_seen = rng.random(n) < 0.85
    with np.errstate(divide="ignore"):
        face_ll = np.log(MODEL.probs[face_j][cat, :, face_bin])
    visa_lj = apps.log_joint[safe] + np.where(face_seen[:, None], face_ll, 0.0)
    visa_lj = visa_lj + np.where(apps.mrz_on_file[safe][:, None], 0.0, apps.mrz_ll[safe])
    visa_oracle = concern_probabilities(posterior(visa_lj), MODEL.concern_of)

    # Visa-exempt travellers.
    em = EXEMPT_MODEL
    nat = rng.choice(len(EXEMPT_NATIONALITIES), n, p=_EXEMPT_P)
    u = rng.random(n)[:, None]
    prior = np.exp(em.log_prior[0, nat])
    ex_scheme = np.minimum((u > np.cumsum(prior, axis=1)).sum(axis=1), len(em.names) - 1)
    ex_bins: dict[str, np.ndarray] = {}
    ex_seen: dict[str, np.ndarray] = {}
    ex_lj = em.log_prior[0, nat].copy()
    zeros = np.zeros(n, dtype=np.int64)
    for name, table in em.probs.items():
        ex_bins[name] = sample_bins(rng, table[None], zeros, ex_scheme)
        ex_seen[name] = rng.random(n) < em.present[name]
        with np.errstate(divide="ignore"):
            ll = np.log(table[:, ex_bins[name]].T)
        ex_lj += np.where(ex_seen[name][:, None], ll, 0.0)
    ex_oracle = concern_probabilities(posterior(ex_lj), em.concern_of)
    female = rng.random(n) < 0.55
    birth = day - (rng.integers(18, 75, n) * 365.25).astype(np.int64) - rng.integers(0, 365, n)
    expiry = day + rng.integers(200, 3500, n)
    pass_no = rng.integers(0, 10**8, n)
    codes = np.array([EXEMPT_NATIONALITIES[k][0] for k in nat])
    letters = np.array([EXEMPT_NATIONALITIES[k][3] for k in nat])
    line2 = td3_line2(
        letters,
        pass_no,
        codes,
        birth.astype("datetime64[D]"),
        female,
        expiry.astype("datetime64[D]"),
        ex_bins["mrz_check_fail"] == 1,
        rng,
    ).tolist()
    ex_face = _uniform_in(rng, FACE_EDGES, ex_bins["face_match"])
    visa_face = _uniform_in(rng, FACE_EDGES, face_bin)
    stay = _uniform_in(rng, _EXEMPT_STAY_EDGES, ex_bins["stay"]).astype(np.int64)
    # Declared addresses linked to a recorded broker (hostess ring) as of arrival.
    t_host = BROKER_TYPES.index("hostess")
    addr_link = ex_bins["address_link"] == 1
    broker_k = pick_before(rng, actors.brokers.recorded_day[t_host], day, addr_link)
    use_broker = addr_link | (
        (ex_scheme == em.names.index("visitor_exploitation")) & (rng.random(n) < 0.5)
    )
    plain_address = japanese_address(rng, n)
    hotel = rng.integers(0, len(_HOTELS), n)
    fam_i, giv_i = rng.integers(0, TABLE_SIZE, n), rng.integers(0, GIVEN_SIZE, n)
    companions = rng.integers(1, 4, n)
    extras = rng.random((n, 3))

    arrived = day.astype("datetime64[D]").astype("datetime64[s]") + seconds.astype("timedelta64[s]")
    arrived_s = (np.datetime_as_string(arrived, unit="s").astype(object) + "+09:00").tolist()
    purposes = ("tourism", "business", "family", "other")
    records: list[dict[str, Any]] = []
    tipdb: list[dict[str, Any]] = []
    scheme_names: list[str] = []
    broker_ids: list[str | None] = []
    names: list[tuple[str, str, str, str] | None] = []
    oracle = np.where(linked[:, None], visa_oracle, ex_oracle)
    birth_s = np.datetime_as_string(birth.astype("datetime64[D]"), unit="D").tolist()
    for i in range(n):
        entry_id = f"ENT-{start + i:08d}"
        record: dict[str, Any] = {
            "entry_id": entry_id,
            "port_code": PORTS[port[i]][0],
            "arrived_at": arrived_s[i],
            "flight_number": f"{AIRLINES[airline[i]]}{flight[i]}",
        }
        x = extras[i]
        if linked[i]:
            a = int(app_i[i])
            category = int(apps.category[a])
            record["mrz"] = apps.mrz[a]
            record["visa_reference"] = f"APP-{a:08d}"
            if face_seen[i]:
                record["face_match_score"] = round(float(visa_face[i]), 3)
            record["declared_purpose"] = _PURPOSE_BY_CATEGORY[CATEGORIES[category]]
            record["declared_stay_days"] = int(apps.stay_days[a])
            if x[0] < 0.7:
                record["declared_address"] = plain_address[i]
            record["return_ticket"] = bool(apps.return_ticket[a])
            scheme_names.append(SCHEMES[int(apps.scheme[a])].name)
            broker_ids.append(None)
            names.append(None)
        else:
            code = str(codes[i])
            fam = family_name(code, int(fam_i[i]))
            giv = given_name(code, bool(female[i]), int(giv_i[i]))
            names.append((fam, giv, birth_s[i], code))
            record["mrz"] = td3_line1(code, mrz_name(fam, giv)) + "\n" + line2[i]
            if ex_seen["face_match"][i]:
                record["face_match_score"] = round(float(ex_face[i]), 3)
            record["declared_purpose"] = purposes[int(ex_bins["purpose"][i])]
            record["declared_stay_days"] = int(stay[i])
            broker_id = None
            if ex_seen["address_link"][i]:
                if use_broker[i]:
                    k = int(broker_k[i])
                    broker_id = str(actors.brokers.ids[t_host][k])
                    record["declared_address"] = actors.brokers.address[t_host][k]
                else:
                    hotel_name = _HOTELS[int(hotel[i])]
                    record["declared_address"] = f"{hotel_name}, {plain_address[i]}"
            broker_ids.append(broker_id)
            if ex_seen["return_ticket"][i]:
                record["return_ticket"] = bool(ex_bins["return_ticket"][i] == 0)
            if ex_bins["group"][i] == 1:
                # Companions are the travellers queued just before at the booth.
                before = range(max(0, start + i - int(companions[i])), start + i)
                if before:
                    record["travelling_with"] = [f"ENT-{k:08d}" for k in before]
            scheme_names.append(em.names[int(ex_scheme[i])])
            if ex_bins["document_reported"][i] == 1:
                tipdb.append(
                    _reported(
                        rng,
                        entry_id,
                        f"{letters[i]}{pass_no[i]:08d}",
                        code,
                        int(day[i]),
                        em.names[int(ex_scheme[i])],
                    )
                )
        records.append(record)
    return EntryBlock(records, tipdb, day, scheme_names, oracle, broker_ids, names, app_i)


def _reported(
    rng: np.random.Generator, case_id: str, number: str, state: str, day: int, scheme: str
) -> dict[str, Any]:
    recorded = day - int(rng.integers(5, 600))
    status = ("stolen" if rng.random() < 0.8 else "lost") if scheme == "forged_document" else "lost"
    return {
        "entity_type": "travel_document",
        "id": f"D-{case_id}",
        "number": number,
        "issuing_state": state,
        "status": status,
        "source": "interpol_sltd" if status == "stolen" else "mofa_post",
        "recorded_at": str(np.datetime64(int(recorded), "D")),
    }
