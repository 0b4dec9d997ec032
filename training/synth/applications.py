"""Visa applications: latent schemes, observables drawn from their fingerprints, records.

:func:`generate_applications` works on one block of rows with its own random stream, so the
world is the same whatever the number of blocks written at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from anyascii import anyascii

from mizugiwa.training.synth.actors import (
    ESTABLISHMENTS,
    NEVER,
    Actors,
    broker_name,
    format_jp_mobile,
    japanese_address,
    japanese_mobile,
    pick_before,
)
from mizugiwa.training.synth.mrz import td3_line1, td3_line2
from mizugiwa.training.synth.names import (
    GIVEN_SIZE,
    JAPANESE_FAMILY,
    JAPANESE_FEMALE,
    JAPANESE_MALE,
    TABLE_SIZE,
    family_name,
    given_name,
    japanese_variants,
    mrz_name,
    native_name,
    spelling_variant,
)
from mizugiwa.training.synth.population import (
    AGE_RANGE,
    CATEGORIES,
    CRACKDOWN,
    FEMALE_SHARE,
    NATIONALITIES,
    THIRD_COUNTRY_POSTS,
    THIRD_COUNTRY_SHARE,
    draw_times,
)
from mizugiwa.training.synth.schemes import (
    BROKER_TYPES,
    MODEL,
    OBS,
    OBSERVABLES,
    SCHEMES,
    concern_probabilities,
    log_likelihood,
    posterior,
    sample_bins,
)

_NAT_WEIGHT = np.array([n.weight for n in NATIONALITIES]) / sum(n.weight for n in NATIONALITIES)
_MIX = np.array([n.mix for n in NATIONALITIES])
_MIX = _MIX / _MIX.sum(axis=1, keepdims=True)
_BROKER_TYPE = np.array([BROKER_TYPES.index(s.broker_type) for s in SCHEMES])
_HAS_CONCERN = np.array([s.concern is not None for s in SCHEMES])
_SHAM_RING = next(k for k, s in enumerate(SCHEMES) if s.name == "sham_marriage_ring")
_ADULT = ESTABLISHMENTS.index("adult_entertainment")
SHAM_AT_ESTABLISHMENT = 0.5  # sham-marriage spouses the ring puts to work at an establishment
_FEMALE = np.array([FEMALE_SHARE[c] for c in CATEGORIES])
_AGE_LO = np.array([AGE_RANGE[c][0] for c in CATEGORIES])
_AGE_HI = np.array([AGE_RANGE[c][1] for c in CATEGORIES])
# Bin edges (days or ratios) inside which values are drawn uniformly, whatever the scheme.
PASSPORT_AGE_EDGES = np.array([0, 30, 180, 730, 3300])
FACE_EDGES = np.array([0.05, 0.5, 0.7, 0.85, 0.999])
STAY_EDGES = np.array([1, 16, 91, 366, 1096])
AGE_GAP_EDGES = np.array([-8, 0, 5, 10, 15, 20, 25, 30, 40]) * 365.25
COURTSHIP_EDGES = np.array([0.3, 3, 6, 12, 24, 60, 120]) * 30.44
FEE_EDGES = np.array([0.0, 0.0, 1.0, 3.0, 6.0, 10.0])
_EPOCH = np.datetime64("1970-01-01")


def _uniform_in(rng: np.random.Generator, edges: np.ndarray, bins: np.ndarray) -> np.ndarray:
    lo, hi = edges[bins], edges[bins + 1]
    return lo + rng.random(bins.size) * (hi - lo)


def _iso_days(days: np.ndarray) -> list[str]:
    return np.datetime_as_string(days.astype("datetime64[D]"), unit="D").tolist()


@dataclass
class ApplicationBlock:
    """What later stages need from a block, after its records are written."""

    records: list[dict[str, Any]]
    tipdb: list[dict[str, Any]]
    day: np.ndarray
    category: np.ndarray
    scheme: np.ndarray
    nationality: np.ndarray
    log_joint: np.ndarray  # [n, scheme], float32
    mrz_ll: np.ndarray  # [n, scheme] log-likelihood of the MRZ observables
    mrz_on_file: np.ndarray
    oracle: np.ndarray  # [n, concern]
    mrz: list[str]
    stay_days: np.ndarray
    return_ticket: np.ndarray
    broker_id: list[str | None]
    org_id: list[str | None]
    names: list[tuple[str, str, str, str]]  # family, given, dob, nationality
    female: np.ndarray
    links: list[dict[str, str]] | None = None  # truth: broker, employer, establishment ids


def generate_applications(
    rng: np.random.Generator, start: int, n: int, actors: Actors
) -> ApplicationBlock:
    """Rows ``start .. start+n`` of the applications file, with their truth and database lines."""
    nat = rng.choice(len(NATIONALITIES), size=n, p=_NAT_WEIGHT)
    u = rng.random(n)[:, None]
    cat = np.minimum((u > np.cumsum(_MIX[nat], axis=1)).sum(axis=1), len(CATEGORIES) - 1)
    when = draw_times(rng, n)
    day = when.astype("datetime64[D]").astype(np.int64)
    period = (when >= CRACKDOWN).astype(np.int64)
    prior = np.exp(MODEL.log_prior[cat, period, nat])
    u = rng.random(n)[:, None]
    scheme = np.minimum((u > np.cumsum(prior, axis=1)).sum(axis=1), len(SCHEMES) - 1)

    bins: dict[str, np.ndarray] = {}
    seen: dict[str, np.ndarray] = {}
    for j, obs in enumerate(OBSERVABLES):
        bins[obs.name] = sample_bins(rng, MODEL.probs[j], cat, scheme)
        seen[obs.name] = MODEL.observed_in[j, cat] & (rng.random(n) < obs.present)
    seen["mrz_mismatch"] = seen["mrz_check_fail"]  # one MRZ carries both
    seen["underdeclared"] &= bins["prior_spouses"] > 0
    log_joint = MODEL.log_prior[cat, period, nat].copy()
    mrz_ll = np.zeros_like(log_joint)
    for j, obs in enumerate(OBSERVABLES):
        if obs.name in ("mrz_check_fail", "mrz_mismatch"):
            mrz_ll += log_likelihood(MODEL.probs[j], cat, bins[obs.name], np.ones(n, bool))
        else:
            log_joint += log_likelihood(MODEL.probs[j], cat, bins[obs.name], seen[obs.name])
    mrz_on_file = seen["mrz_check_fail"]
    log_joint_seen = log_joint + np.where(mrz_on_file[:, None], mrz_ll, 0.0)
    oracle = concern_probabilities(posterior(log_joint_seen), MODEL.concern_of)

    # People and documents.
    female = rng.random(n) < _FEMALE[cat]
    age_days = (_AGE_LO[cat] + rng.random(n) * (_AGE_HI[cat] - _AGE_LO[cat])) * 365.25
    birth = day - age_days.astype(np.int64)
    fam_i = rng.integers(0, TABLE_SIZE, n)
    giv_i = rng.integers(0, GIVEN_SIZE, n)
    pass_no = rng.integers(0, 10**8, n)
    issue = day - _uniform_in(rng, PASSPORT_AGE_EDGES, bins["passport_age"]).astype(np.int64)
    expiry = issue + np.where(rng.random(n) < 0.8, 3652, 1826)
    expiry = np.maximum(expiry, day + 200)
    mrz_birth = birth + np.where(bins["mrz_mismatch"] == 1, rng.integers(30, 900, n), 0)
    codes = np.array([NATIONALITIES[k].code for k in nat])
    letters = np.array([NATIONALITIES[k].passport_letter for k in nat])
    line2 = td3_line2(
        letters,
        pass_no,
        codes,
        mrz_birth.astype("datetime64[D]"),
        female,
        expiry.astype("datetime64[D]"),
        bins["mrz_check_fail"] == 1,
        rng,
    )
    face = _uniform_in(rng, FACE_EDGES, bins["face_match"])
    stay = _uniform_in(rng, STAY_EDGES, bins["stay"]).astype(np.int64)
    minors = np.where(bins["minors"] == 1, rng.integers(1, 4, n), 0)

    # Links to brokers, agencies and employers.
    btype = _BROKER_TYPE[scheme]
    linked = bins["broker_link"] == 1
    use_broker = linked | (_HAS_CONCERN[scheme] & (rng.random(n) < 0.5))
    use_agency = ~use_broker & (rng.random(n) < 0.2)
    link_by_phone = rng.random(n) < 0.6
    broker_k = np.zeros(n, dtype=np.int64)
    for t in range(len(BROKER_TYPES)):
        rows = btype == t
        broker_k[rows] = pick_before(rng, actors.brokers.recorded_day[t], day[rows], linked[rows])
    agency_k = rng.integers(0, 1 << 30, n)
    employer_k = np.zeros(n, dtype=np.int64)
    flagged = bins["employer_flagged"] == 1
    est = bins["establishment"]
    employs = MODEL.observed_in[OBS["establishment"], cat]
    for e in range(len(actors.organisations.ids)):
        rows = employs & (est == e)
        employer_k[rows] = pick_before(
            rng, actors.organisations.raid_day[e], day[rows], flagged[rows]
        )
    # Sham-marriage rings put half their spouses to work at an adult-entertainment
    # establishment, and give its address (the dormitory) as the couple's: the establishments
    # the police raid later. Only establishments not raided by the application date are used,
    # so nothing of it is visible as of that date (the oracle is unchanged); the later raid is
    # what a look-back finds. Drawn from a stream of its own, so every other draw of the block
    # is as before.
    side = rng.spawn(1)[0]
    at_club = (scheme == _SHAM_RING) & (side.random(n) < SHAM_AT_ESTABLISHMENT)
    club_k = _raided_later(side, actors.organisations.raid_day[_ADULT], day)
    own_phone = japanese_mobile(rng, n)
    own_foreign_phone = rng.integers(10**8, 10**9, n)
    phone_style = rng.integers(0, 3, n)
    own_address = japanese_address(rng, n)

    # Marriage and employment values.
    gap = _uniform_in(rng, AGE_GAP_EDGES, bins["age_gap"]).astype(np.int64)
    sponsor_birth = birth - gap
    marriage_day = day - rng.integers(20, 400, n)
    met_day = marriage_day - _uniform_in(rng, COURTSHIP_EDGES, bins["courtship"]).astype(np.int64)
    priors = np.where(bins["prior_spouses"] == 3, rng.integers(3, 6, n), bins["prior_spouses"])
    declared = np.where(bins["underdeclared"] == 1, 0, priors)
    declared_seen = rng.random(n) < OBSERVABLES[OBS["underdeclared"]].present
    wage = (rng.integers(150, 320, n) * 1000).astype(np.int64)
    fee_ratio = _uniform_in(rng, FEE_EDGES, bins["fee_ratio"])
    fee = (np.round(fee_ratio * wage / 10000) * 10000).astype(np.int64)
    fee_seen = seen["fee_ratio"]
    sp_fam = rng.integers(0, len(JAPANESE_FAMILY), n)
    sp_giv = rng.integers(0, 1000, n)
    extras = rng.random((n, 8))

    records: list[dict[str, Any]] = []
    tipdb: list[dict[str, Any]] = []
    mrz_texts: list[str] = []
    broker_ids: list[str | None] = []
    org_ids: list[str | None] = []
    links: list[dict[str, str]] = []
    at_club_list, club_k_list = at_club.tolist(), club_k.tolist()
    names: list[tuple[str, str, str, str]] = []
    submitted = (np.datetime_as_string(when, unit="s").astype(object) + "Z").tolist()
    birth_s, issue_s, expiry_s = _iso_days(birth), _iso_days(issue), _iso_days(expiry)
    sp_birth_s, marriage_s, met_s = (
        _iso_days(sponsor_birth),
        _iso_days(marriage_day),
        _iso_days(met_day),
    )
    brokers, orgs, agencies = actors.brokers, actors.organisations, actors.agencies
    ticket_bins = OBSERVABLES[OBS["ticket_paid_by"]].bins
    met_bins = OBSERVABLES[OBS["met_via"]].bins
    est_bins = OBSERVABLES[OBS["establishment"]].bins
    posts_third = rng.integers(0, len(THIRD_COUNTRY_POSTS), n)
    post_roll = rng.random(n)
    lists = {
        k: v.tolist()
        for k, v in {
            "nat": nat, "cat": cat, "scheme": scheme, "female": female, "fam": fam_i,
            "giv": giv_i, "pass_no": pass_no, "face": face, "stay": stay, "minors": minors,
            "btype": btype, "use_broker": use_broker, "use_agency": use_agency,
            "by_phone": link_by_phone, "broker_k": broker_k, "agency_k": agency_k,
            "employer_k": employer_k, "own_phone": own_phone, "own_fphone": own_foreign_phone,
            "style": phone_style, "priors": priors, "declared": declared,
            "declared_seen": declared_seen, "wage": wage, "fee": fee, "fee_seen": fee_seen,
            "sp_fam": sp_fam, "sp_giv": sp_giv, "est": est, "day": day, "post_roll": post_roll,
            "posts_third": posts_third, "face_seen": seen["face_match"],
            "mrz_seen": mrz_on_file, "ticket": bins["ticket_paid_by"],
            "ret": bins["return_ticket"], "met": bins["met_via"],
            "nolang": bins["no_common_language"], "reported": bins["document_reported"],
        }.items()
    }  # fmt: skip
    line2_list = line2.tolist()
    for i in range(n):
        code = NATIONALITIES[lists["nat"][i]].code
        nat_info = NATIONALITIES[lists["nat"][i]]
        category = CATEGORIES[lists["cat"][i]]
        is_female = lists["female"][i]
        fam = family_name(code, lists["fam"][i])
        giv = given_name(code, is_female, lists["giv"][i])
        x = extras[i]
        app_id = f"APP-{start + i:08d}"
        number = f"{nat_info.passport_letter}{lists['pass_no'][i]:08d}"
        mrz = td3_line1(code, mrz_name(fam, giv)) + "\n" + line2_list[i]
        mrz_texts.append(mrz)
        names.append((fam, giv, birth_s[i], code))
        if lists["post_roll"][i] < THIRD_COUNTRY_SHARE:
            post = THIRD_COUNTRY_POSTS[lists["posts_third"][i]]
        else:
            post = _pick_post(nat_info.posts, lists["post_roll"][i])
        languages = [nat_info.language] + (["en"] if x[0] < 0.4 else [])
        applicant: dict[str, Any] = {
            "family_name": fam,
            "given_names": giv,
            "sex": "F" if is_female else "M",
            "date_of_birth": birth_s[i],
            "nationality": code,
            "languages": languages,
        }
        native = native_name(code, fam, giv)
        if native:
            applicant["name_native"] = native
        if x[1] < 0.8:
            applicant["phone"] = f"+{nat_info.phone_prefix} {lists['own_fphone'][i]}"
        if x[2] < 0.5:
            applicant["email"] = (
                f"{anyascii(giv).lower().replace(' ', '.')}.{start + i}@example.com"
            )
        passport: dict[str, Any] = {
            "number": number,
            "issuing_state": code,
            "issue_date": issue_s[i],
            "expiry_date": expiry_s[i],
        }
        if lists["mrz_seen"][i]:
            passport["mrz"] = mrz
        record: dict[str, Any] = {
            "application_id": app_id,
            "post_code": post,
            "submitted_at": submitted[i],
            "visa_category": category,
            "applicant": applicant,
            "passport": passport,
        }
        if lists["reported"][i]:
            tipdb.append(
                _reported_document(rng, app_id, number, code, issue[i], day[i], lists["scheme"][i])
            )
        # Where a broker's or agency's phone or address sits on the file.
        t = lists["btype"][i]
        carrier_phone: str | None = None
        carrier_address: str | None = None
        broker_id: str | None = None
        if lists["use_broker"][i]:
            k = lists["broker_k"][i]
            broker_id = str(brokers.ids[t][k])
            if lists["by_phone"][i]:
                carrier_phone = format_jp_mobile(int(brokers.phone[t][k]), lists["style"][i])
            else:
                carrier_address = brokers.address[t][k]
        elif lists["use_agency"][i]:
            k = lists["agency_k"][i] % len(agencies.names[t])
            if lists["by_phone"][i]:
                carrier_phone = format_jp_mobile(int(agencies.phone[t][k]), lists["style"][i])
            else:
                carrier_address = agencies.address[t][k]
        broker_ids.append(broker_id)
        sponsor: dict[str, Any] | None = None
        org_id: str | None = None
        link: dict[str, str] = {}
        if broker_id is not None:
            link["broker"] = broker_id
        if category == "spouse_of_japanese":
            sponsor = _spouse_sponsor(lists, i, is_female, sp_birth_s[i], own_address[i], x)
            if at_club_list[i] and carrier_address is None:
                sponsor["address"] = orgs.address[_ADULT][club_k_list[i]]
                link["establishment"] = str(orgs.ids[_ADULT][club_k_list[i]])
            marriage: dict[str, Any] = {
                "marriage_date": marriage_s[i],
                "first_met_date": met_s[i],
                "met_via": met_bins[lists["met"][i]],
                "common_languages": _common_languages(lists["nolang"][i], nat_info.language, x[3]),
            }
            for lang in marriage["common_languages"]:
                if lang not in languages:
                    languages.append(lang)
            if lists["declared_seen"][i]:
                marriage["sponsor_prior_foreign_spouses"] = lists["declared"][i]
            record["marriage"] = marriage
            tipdb.extend(_sponsorships(rng, app_id, lists, i, is_female, sp_birth_s[i], day[i]))
        elif category in ("entertainer", "technical_intern", "skilled_worker"):
            e, k = lists["est"][i], lists["employer_k"][i]
            org_name = orgs.names[e][k]
            link["employer"] = str(orgs.ids[e][k])
            if orgs.raid_day[e][k] != NEVER:
                org_id = str(orgs.ids[e][k])
            employment: dict[str, Any] = {
                "employer_name": org_name,
                "establishment_type": est_bins[e],
                "monthly_wage_jpy": lists["wage"][i],
            }
            if x[4] < 0.7:
                employment["employer_id"] = str(orgs.corporate_number[e][k])
            agency_name = agencies.names[t][lists["agency_k"][i] % len(agencies.names[t])]
            if category == "technical_intern" or x[5] < 0.5:
                employment["recruitment_agency"] = agency_name
            if lists["fee_seen"][i]:
                employment["recruitment_fee_jpy"] = lists["fee"][i]
            record["employment"] = employment
            sponsor = {
                "role": "agency" if category == "technical_intern" else "employer",
                "organisation_name": agency_name if category == "technical_intern" else org_name,
                "phone": format_jp_mobile(int(orgs.phone[e][k]), lists["style"][i]),
                "address": orgs.address[e][k],
            }
            if category != "technical_intern" and "employer_id" in employment:
                sponsor["organisation_id"] = employment["employer_id"]
        elif category in ("temporary_visitor", "student") and x[6] < 0.25:
            sponsor = {
                "role": "inviter",
                "family_name": JAPANESE_FAMILY[lists["sp_fam"][i]][0],
                "given_names": JAPANESE_MALE[lists["sp_giv"][i] % len(JAPANESE_MALE)][0],
                "phone": format_jp_mobile(lists["own_phone"][i], lists["style"][i]),
                "address": own_address[i],
            }
        org_ids.append(org_id)
        links.append(link)
        if carrier_phone or carrier_address:
            holder = sponsor if sponsor is not None else applicant
            if carrier_phone:
                holder["phone"] = carrier_phone
            if carrier_address:
                holder["address"] = carrier_address
        if sponsor is not None:
            record["sponsor"] = sponsor
        record["travel"] = {
            "ticket_paid_by": ticket_bins[lists["ticket"][i]],
            "return_ticket": lists["ret"][i] == 0,
            "intended_stay_days": lists["stay"][i],
            "accompanying_minors": lists["minors"][i],
        }
        if lists["face_seen"][i]:
            record["biometrics"] = {"face_match_score": round(lists["face"][i], 3)}
        records.append(record)
    return ApplicationBlock(
        records=records,
        tipdb=tipdb,
        day=day,
        category=cat,
        scheme=scheme,
        nationality=nat,
        log_joint=log_joint.astype(np.float32),
        mrz_ll=mrz_ll.astype(np.float32),
        mrz_on_file=mrz_on_file,
        oracle=oracle,
        mrz=mrz_texts,
        stay_days=stay,
        return_ticket=bins["return_ticket"] == 0,
        broker_id=broker_ids,
        org_id=org_ids,
        names=names,
        female=female,
        links=links,
    )


def _raided_later(rng: np.random.Generator, raid_day: np.ndarray, day: np.ndarray) -> np.ndarray:
    """For each day, an establishment raided after it (uniformly among them), or one never
    raided where none is (``raid_day`` ascending, ``NEVER`` last)."""
    first = np.searchsorted(raid_day, day, side="right")
    raided = int(np.searchsorted(raid_day, NEVER, side="left"))
    later = np.maximum(raided - first, 0)
    u = rng.random(day.size)
    chosen = first + (u * later).astype(np.int64)
    never = raided + (u * max(raid_day.size - raided, 1)).astype(np.int64)
    return np.minimum(np.where(later > 0, chosen, never), raid_day.size - 1)


def _pick_post(posts: tuple[tuple[str, float], ...], roll: float) -> str:
    # Re-use the roll above the third-country share so the post costs no extra draw.
    cum = 0.0
    for code, share in posts:
        cum += share
        if roll < cum:
            return code
    return posts[-1][0]


def _common_languages(none: int, native: str, roll: float) -> list[str]:
    if none:
        return []
    if roll < 0.5:
        return ["ja"]
    if roll < 0.85:
        return ["en"]
    return [native]


def _spouse_sponsor(
    lists: dict[str, list[Any]],
    i: int,
    applicant_female: bool,
    birth: str,
    address: str,
    x: np.ndarray,
) -> dict[str, Any]:
    fam = JAPANESE_FAMILY[lists["sp_fam"][i]]
    table = JAPANESE_MALE if applicant_female else JAPANESE_FEMALE
    giv = table[lists["sp_giv"][i] % len(table)]
    sponsor: dict[str, Any] = {
        "role": "spouse",
        "family_name": fam[0],
        "given_names": giv[0],
        "date_of_birth": birth,
        "phone": format_jp_mobile(lists["own_phone"][i], lists["style"][i]),
        "address": address,
    }
    if x[7] < 0.7:
        sponsor["name_native"] = fam[1] + giv[1]
    return sponsor


def _sponsorships(
    rng: np.random.Generator,
    app_id: str,
    lists: dict[str, list[Any]],
    i: int,
    applicant_female: bool,
    sponsor_birth: str,
    day: int,
) -> list[dict[str, Any]]:
    """The sponsor's earlier foreign marriages, as the sponsorship history records them."""
    out = []
    count = lists["priors"][i]
    for k in range(count):
        married = day - int(rng.integers(400, 15 * 365))
        recorded = min(married + int(rng.integers(20, 200)), day - 1)
        nat = NATIONALITIES[int(rng.integers(len(NATIONALITIES)))].code
        spouse_family = family_name(nat, int(rng.integers(TABLE_SIZE)))
        spouse_given = given_name(nat, applicant_female, int(rng.integers(GIVEN_SIZE)))
        out.append(
            {
                "entity_type": "sponsorship",
                "id": f"S-{app_id}-{k + 1}",
                "sponsor_names": japanese_variants(
                    rng, lists["sp_fam"][i], lists["sp_giv"][i], not applicant_female
                ),
                "sponsor_date_of_birth": sponsor_birth,
                "relation": "spouse",
                "sponsored_name": spelling_variant(rng, spouse_family, spouse_given, nat),
                "sponsored_nationality": nat,
                "date": str(np.datetime64(int(married), "D")),
                "source": "immigration_services",
                "recorded_at": str(np.datetime64(int(recorded), "D")),
            }
        )
    return out


def _reported_document(
    rng: np.random.Generator,
    case_id: str,
    number: str,
    state: str,
    issue: int,
    day: int,
    scheme: int,
) -> dict[str, Any]:
    """A lost or stolen passport report, recorded before the application that presents it."""
    recorded = max(int(issue) + 1, int(day) - int(rng.integers(5, 600)))
    recorded = min(recorded, int(day))
    forged = SCHEMES[scheme].name == "forged_document"
    status = ("stolen" if rng.random() < 0.8 else "lost") if forged else "lost"
    return {
        "entity_type": "travel_document",
        "id": f"D-{case_id}",
        "number": number,
        "issuing_state": state,
        "status": status,
        "source": "interpol_sltd" if status == "stolen" else "mofa_post",
        "recorded_at": str(np.datetime64(int(recorded), "D")),
    }


def broker_person_names(actors: Actors, rng: np.random.Generator) -> list[dict[str, Any]]:
    """Database lines for every broker agencies have recorded: person, phone, address."""
    lines: list[dict[str, Any]] = []
    b = actors.brokers
    for t in range(len(BROKER_TYPES)):
        for k in range(b.ids[t].size):
            if b.recorded_day[t][k] == NEVER:
                continue
            recorded = str(np.datetime64(int(b.recorded_day[t][k]), "D"))
            fam, giv, nat = broker_name(b, t, k)
            if nat == "JPN":
                names = japanese_variants(rng, int(b.family[t][k]), int(b.given[t][k]), False)
            else:
                names = [spelling_variant(rng, fam, giv, nat)]
            pid = str(b.ids[t][k])
            source = "police" if rng.random() < 0.7 else "immigration_services"
            lines.append(
                {
                    "entity_type": "person",
                    "id": pid,
                    "names": names,
                    "date_of_birth": str(np.datetime64(int(b.birth_day[t][k]), "D")),
                    "nationality": nat,
                    "role": "broker",
                    "source": source,
                    "recorded_at": recorded,
                }
            )
            lines.append(
                {
                    "entity_type": "phone",
                    "id": f"T-{pid}",
                    "number": format_jp_mobile(int(b.phone[t][k]), 0),
                    "country": "JPN",
                    "linked_to": [pid],
                    "source": source,
                    "recorded_at": recorded,
                }
            )
            lines.append(
                {
                    "entity_type": "address",
                    "id": f"A-{pid}",
                    "address": b.address[t][k],
                    "country": "JPN",
                    "linked_to": [pid],
                    "source": source,
                    "recorded_at": recorded,
                }
            )
    return lines
