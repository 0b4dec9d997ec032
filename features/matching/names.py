"""Parsing person and organisation names into comparable token lists.

A name may yield several *forms* (one per romanisation, e.g. a Han-only name read as Chinese
and as Japanese). Word order is not kept: the comparison aligns tokens in any order, so
family-first, given-first and ``FAMILY, Given`` forms meet.

Persons: titles and generational suffixes are dropped; abbreviations are expanded (``Ma.`` →
maria, ``Md.`` → muhammad); particles are glued to the name they introduce (``de la Cruz``,
``dela Cruz`` and ``Delacruz`` all become ``delacruz``, remembering the bare ``cruz``);
patronymic markers (bin, binti, a/l...) are dropped; Vietnamese middle names Văn and Thị weigh
less because they are often left out.

Organisations: legal forms are stripped in any script (Co., Ltd. / K.K. / Kabushiki Kaisha /
株式会社 / Inc. / LLC / Pte Ltd / 有限会社...), so are branch suffixes (``Roppongi branch``,
``Shinjuku-ten``, ``六本木店``); generic trade words (club, travel, trading...) and place names
(Roppongi, Tokyo...) weigh less than the distinctive words that identify the organisation.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import OSA

from mizugiwa.features.normalise.korean import is_korean_latin
from mizugiwa.features.normalise.loanwords import loanword_reading
from mizugiwa.features.normalise.scripts import romanisations, script_of
from mizugiwa.features.normalise.syllables import is_chinese_or_vietnamese
from mizugiwa.features.normalise.systems import system_readings
from mizugiwa.features.normalise.tokens import Token, make_token, variant_key

_WORD = re.compile(r"[a-z0-9]+\.?")
_APOSTROPHES = re.compile(r"['’‘`´ʼ]")
_HYPHENATED = re.compile(r"[a-z]+(?:-[a-z]+)+")
_PATRONYMIC_SLASH = re.compile(r"\b(?:a/l|a/p|s/o|d/o|b/o)\b")

_TITLES = frozenset(["mr", "mrs", "ms", "miss", "dr", "prof", "sir", "madam", "mme", "mdm"])
_SUFFIXES = frozenset(["jr", "sr", "ii", "iii", "iv"])
_ABBREVIATIONS = {
    "ma.": "maria",
    "md.": "muhammad",
    "mohd.": "muhammad",
    "muhd.": "muhammad",
    "sta.": "santa",
    "sto.": "santo",
    "fco.": "francisco",
    "jse.": "jose",
    "wm.": "william",
}
_PARTICLES = frozenset(
    ["de", "del", "dela", "della", "delos", "delas", "la", "las", "los", "dos", "das", "di", "du"]
)
_PATRONYMIC_MARKERS = frozenset(["bin", "binti", "binte", "bte", "bt", "ibn", "bint", "y"])
_MINOR_PERSON_WORDS = {"van": 0.4, "thi": 0.4, "nguyen": 0.7}

# Legal forms, as token sequences after punctuation is removed; longest first.
_LEGAL_FORMS: list[tuple[str, ...]] = sorted(
    (
        tuple(form.split())
        for form in [
            "co ltd",
            "company limited",
            "co limited",
            "kabushiki kaisha",
            "kabushiki gaisha",
            "kabushikigaisha",
            "kabushikikaisha",
            "kk",
            "k k",
            "yugen kaisha",
            "yugen gaisha",
            "yuugengaisha",
            "yuugen gaisha",
            "yk",
            "godo kaisha",
            "y k",
            "g k",
            "joint stock company",
            "j s c",
            "sendirian berhad",
            "pte limited",
            "goudou gaisha",
            "goudougaisha",
            "gk",
            "inc",
            "incorporated",
            "llc",
            "l l c",
            "corp",
            "corporation",
            "pte ltd",
            "pte",
            "private limited",
            "pvt ltd",
            "ltd",
            "limited",
            "co",
            "company",
            "gmbh",
            "sdn bhd",
            "bhd",
            "pt",
            "tbk",
            "plc",
            "sa",
            "srl",
            "jsc",
            "ooo",
            "opc",
            "cv",
            "lp",
            "llp",
        ]
    ),
    key=len,
    reverse=True,
)
_LEGAL_FORM_SET = frozenset(_LEGAL_FORMS)
_LEGAL_WORDS = frozenset(word for form in _LEGAL_FORMS for word in form)
_LONG_LEGAL_WORDS: dict[str, list[str]] = {}
for _word in sorted(_LEGAL_WORDS):
    if len(_word) >= 4:
        _LONG_LEGAL_WORDS.setdefault(_word[0], []).append(_word)
_LEGAL_FORM_LENGTHS = sorted({len(form) for form in _LEGAL_FORMS}, reverse=True)
_NATIVE_LEGAL_FORMS = re.compile(
    r"株式会社|\(株\)|有限会社|\(有\)|合同会社|\(同\)|合資会社|合名会社|一般社団法人|"
    r"股份有限公司|有限责任公司|有限責任公司|有限公司|公司|주식회사|\(주\)|유한회사|"
    r"บริษัท|จำกัด|\(มหาชน\)|ООО|ОАО|ЗАО|ПАО|АО"
)
_NATIVE_BRANCH = re.compile(r"(?:支店|営業所|本店|出張所|店|지점|分公司|分店)$")
_BRANCH_MARKERS = frozenset(["branch", "br", "shiten", "ten", "office", "eigyosho", "eigyousho"])
_GENERIC_ORG_WORDS_TEXT = (
    "club bar snack pub lounge restaurant cafe karaoke hostess cabaret spa massage salon "
    "beauty entertainment night travel tours tour agency agencies trading trade international "
    "intl global services service recruitment manpower staffing employment placement human "
    "resources consultancy consultants consulting holdings holding group japan asia pacific "
    "enterprises enterprise industries industrial the and of foods food construction farm "
    "farms agriculture care nursing hotel inn shoji shouji kogyo kougyou sangyo sangyou "
    "kikaku kensetsu jinzai haken shokai shoukai bussan tsusho tsuushou kaihatsu center "
    "centre management marketing logistics express company"
)
_GENERIC_ORG_WORDS = frozenset(variant_key(word) for word in _GENERIC_ORG_WORDS_TEXT.split())
_LOCALITY_WORDS_TEXT = (
    "roppongi shinjuku kabukicho kabukichou ikebukuro shibuya ginza akasaka ueno kinshicho "
    "kinshichou susukino nakasu umeda namba nanba minami kita sakae shinsaibashi kitashinchi "
    "gotanda kamata akihabara asakusa tokyo osaka nagoya yokohama kawasaki kobe kyoto fukuoka "
    "sapporo sendai chiba saitama hiroshima okinawa naha hamamatsu shizuoka gifu gunma "
    "ibaraki tochigi nagano niigata aichi mie shiga nara hyogo hyougo okayama kumamoto "
    "kagoshima minato chuo chuuo taito sumida koto kouto toshima nakano shinagawa ota meguro "
    "setagaya adachi katsushika edogawa nerima itabashi arakawa bunkyo bunkyou manila makati "
    "quezon cebu davao pasay bangkok hanoi saigon seoul busan beijing shanghai jakarta"
)
_LOCALITY_WORDS = frozenset(variant_key(word) for word in _LOCALITY_WORDS_TEXT.split())


@dataclass(frozen=True, slots=True)
class NameForm:
    """One romanised reading of a name, as tokens, with what parsing removed from it."""

    tokens: tuple[Token, ...]
    script: str
    legal_form: str | None = None
    branch: str | None = None
    #: A Korean name in Latin letters (see :mod:`~mizugiwa.features.normalise.korean`).
    korean: bool = False


def _words(latin: str) -> list[str]:
    text = _APOSTROPHES.sub("", anyascii_lower(latin))
    if "/" in text:
        text = _PATRONYMIC_SLASH.sub(" ", text)
    if "-" in text:
        text = _HYPHENATED.sub(_join_syllables, text)
    return _WORD.findall(text)


def _join_syllables(match: re.Match[str]) -> str:
    """Hyphenated syllables are one name (Min-jun, Chan-o-cha); longer parts are separate
    names (Garcia-Lopez, Jean-Pierre) and a branch marker stays apart (Shinjuku-ten)."""
    parts = match.group(0).split("-")
    syllables = max(len(p) for p in parts) <= 5 and parts[-1] not in _BRANCH_MARKERS
    return "".join(parts) if syllables else " ".join(parts)


def anyascii_lower(text: str) -> str:
    """Lower-case ASCII of Latin text, diacritics removed (Satō → sato, Nguyễn → nguyen)."""
    from anyascii import anyascii

    return anyascii(text).lower() if not text.isascii() else text.lower()


@lru_cache(maxsize=100_000)
def person_forms(name: str) -> tuple[NameForm, ...]:
    """Every romanised reading of a person's name, tokenised (cached; see module docstring)."""
    name = unicodedata.normalize("NFKC", name)
    script = script_of(name)
    forms = []
    for latin in dict.fromkeys([*romanisations(name), *system_readings(name)]):
        words = _words(latin)
        for read in (words, _bare_ma(words)):
            tokens = _person_tokens(read) if read else []
            if tokens:
                korean = script == "latin" and is_korean_latin([t.text for t in tokens])
                forms.append(NameForm(tuple(tokens), script, korean=korean))
    return tuple(forms)


def _bare_ma(words: list[str]) -> list[str] | None:
    """A second reading with ``Ma`` (Filipino Maria written without its full stop: Ma Elena,
    Ma Luisa) read as maria, when another part follows it and the name is not Chinese (every
    part a Pinyin spelling: Ma Lin, Ma Xiaoming keep the family name Ma)."""
    if "ma" not in words[:-1] or all(is_chinese_or_vietnamese(w.rstrip(".")) for w in words):
        return None
    return ["ma." if w == "ma" else w for w in words]


def _person_tokens(words: list[str]) -> list[Token]:
    tokens: list[Token] = []
    pending: list[str] = []  # particles waiting for the name they introduce
    for position, raw in enumerate(words):
        note = None
        if raw in _ABBREVIATIONS:
            word, note = _ABBREVIATIONS[raw], f"{raw} read as {_ABBREVIATIONS[raw]}"
        else:
            word = raw.rstrip(".")
        if not word or word in _TITLES or word in _SUFFIXES or word in _PATRONYMIC_MARKERS:
            continue
        if word in _PARTICLES and position < len(words) - 1:
            pending.append(word)
            continue
        if pending:
            tokens.append(make_token("".join([*pending, word]), bare=word, note=note))
            pending = []
            continue
        tokens.append(_person_token(word, note))
    return tokens


@lru_cache(maxsize=300_000)
def _person_token(word: str, note: str | None) -> Token:
    weight = 0.6 if len(word) == 1 else _MINOR_PERSON_WORDS.get(word, 1.0)
    return make_token(word, weight=weight, bare=_particle_stem(word), note=note)


def _particle_stem(word: str) -> str | None:
    """The name inside a particle written glued (``delacruz`` → ``cruz``), if any."""
    for particle in ("delos", "delas", "dela", "del", "de"):
        rest = word[len(particle) :]
        if word.startswith(particle) and len(rest) >= 4:
            return rest
    return None


@lru_cache(maxsize=100_000)
def organisation_forms(name: str) -> tuple[NameForm, ...]:
    """Every romanised reading of an organisation's name, legal form and branch removed."""
    name = unicodedata.normalize("NFKC", name)
    legal_forms = _NATIVE_LEGAL_FORMS.findall(name)
    core = _NATIVE_LEGAL_FORMS.sub(" ", name).strip()
    # A native branch marker (六本木店, 新宿支店) follows the place name, which romanisation
    # then yields as the last word.
    native_branch = _NATIVE_BRANCH.search(core)
    if native_branch:
        core = core[: native_branch.start()].strip()
    script = script_of(name)
    forms = []
    english = loanword_reading(core)
    for latin in dict.fromkeys([*romanisations(core), *([english] if english else [])]):
        words = [word.rstrip(".") for word in _words(latin)]
        words = [word for word in words if word]
        branch = None
        if native_branch and len(words) >= 2:
            branch, words = f"{words[-1]} ({native_branch.group(0)})", words[:-1]
        words, latin_legal = _strip_legal_forms(words)
        words, latin_branch = _strip_branch(words)
        if latin_branch:  # "Sakura Co., Ltd. Roppongi branch": the legal form came first
            words, more_legal = _strip_legal_forms(words)
            latin_legal += more_legal
        tokens = [_organisation_token(word) for word in words]
        if tokens:
            legal = " ".join(legal_forms + latin_legal) or None
            forms.append(NameForm(tuple(tokens), script, legal, branch or latin_branch))
    return tuple(forms)


@lru_cache(maxsize=50_000)
def legal_form_word(word: str) -> str | None:
    """The legal-form word ``word`` spells, allowing one typo: a letter dropped, added,
    replaced or two swapped in a word of four letters or more, the first letter kept
    (``Kabshiki``, ``Kaisya``, ``Limted``, ``Corporaton``), or two swapped letters in a short
    one (``Ldt``, ``Bdh``). None when it is no legal-form word."""
    if word in _LEGAL_WORDS:
        return word
    if len(word) == 3:
        swapped = [word[0] + word[2] + word[1], word[1] + word[0] + word[2]]
        return next((w for w in swapped if w in _LEGAL_WORDS and len(w) == 3), None)
    if len(word) < 4:
        return None
    for legal in _LONG_LEGAL_WORDS.get(word[0], ()):
        close = abs(len(legal) - len(word)) <= 1
        if close and OSA.distance(word, legal, score_cutoff=1) <= 1:
            return legal
    return None


def _strip_legal_forms(words: list[str]) -> tuple[list[str], list[str]]:
    """Remove legal forms at either end, repeatedly (``PT Maju Jaya Tbk``), a typo in a
    legal-form word included (``Kabshiki Kaisha``, ``Co., Ldt.``)."""
    found: list[str] = []
    canonical = [legal_form_word(word) or word for word in words]
    changed = True
    while changed and len(words) > 1:
        changed = False
        for n in _LEGAL_FORM_LENGTHS:
            if len(words) <= n:
                continue
            if tuple(canonical[-n:]) in _LEGAL_FORM_SET:
                found.append(" ".join(words[-n:]))
                words, canonical, changed = words[:-n], canonical[:-n], True
                break
            if tuple(canonical[:n]) in _LEGAL_FORM_SET:
                found.append(" ".join(words[:n]))
                words, canonical, changed = words[n:], canonical[n:], True
                break
    return words, found


def _strip_branch(words: list[str]) -> tuple[list[str], str | None]:
    """Drop ``<place> branch`` / ``<place>-ten`` at the end, keeping the place for the report."""
    for i in range(len(words) - 1, 1, -1):
        if words[i] in _BRANCH_MARKERS and (words[i] != "ten" or i == len(words) - 1):
            return words[: i - 1], " ".join(words[i - 1 : i + 1])
    return words, None


@lru_cache(maxsize=300_000)
def _organisation_token(word: str) -> Token:
    key = variant_key(word)
    if key in _LOCALITY_WORDS:
        weight = 0.3
    elif key in _GENERIC_ORG_WORDS:
        weight = 0.5
    else:
        weight = 1.0
    return make_token(word, weight=weight)
