"""Words instead of raw values: visa categories, languages, reason codes and their evidence, in
the page's language.

An officer reads "特定技能" or "Tagalog", not ``skilled_worker`` or ``tl``; a reason's evidence
reads as a short sentence ("The sponsor's address is on record as linked to a suspect: A-P-109")
with each database record it names linked to its page, never as a Python ``dict``. Reason texts
come from the catalogue the API serves (:func:`models.reasons.catalogue`), so the worklist and
the case page say the same as ``GET /v1/reason-codes``.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from mizugiwa.service.console.i18n import Lang

# Visa categories by the status of residence they lead to (在留資格), as officers name them.
VISA_CATEGORIES: dict[str, tuple[str, str]] = {
    "temporary_visitor": ("Temporary visitor", "短期滞在"),
    "spouse_of_japanese": ("Spouse or child of a Japanese national", "日本人の配偶者等"),
    "entertainer": ("Entertainer", "興行"),
    "technical_intern": ("Technical intern training", "技能実習"),
    "student": ("Student", "留学"),
    "skilled_worker": ("Specified skilled worker", "特定技能"),
    "transit": ("Transit", "通過"),
    "other": ("Other", "その他"),
}

# ISO 639-1 codes seen in applications, by name.
LANGUAGES: dict[str, tuple[str, str]] = {
    "ja": ("Japanese", "日本語"),
    "en": ("English", "英語"),
    "zh": ("Chinese", "中国語"),
    "tl": ("Tagalog", "タガログ語"),
    "vi": ("Vietnamese", "ベトナム語"),
    "id": ("Indonesian", "インドネシア語"),
    "hi": ("Hindi", "ヒンディー語"),
    "ru": ("Russian", "ロシア語"),
    "my": ("Burmese", "ミャンマー語"),
    "ne": ("Nepali", "ネパール語"),
    "th": ("Thai", "タイ語"),
    "pt": ("Portuguese", "ポルトガル語"),
    "km": ("Khmer", "クメール語"),
    "es": ("Spanish", "スペイン語"),
    "ko": ("Korean", "韓国語"),
    "ms": ("Malay", "マレー語"),
    "fr": ("French", "フランス語"),
    "ar": ("Arabic", "アラビア語"),
    "bn": ("Bengali", "ベンガル語"),
    "ur": ("Urdu", "ウルドゥー語"),
    "si": ("Sinhala", "シンハラ語"),
    "mn": ("Mongolian", "モンゴル語"),
    "uz": ("Uzbek", "ウズベク語"),
}

DOCUMENT_STATUS: dict[str, tuple[str, str]] = {
    "lost": ("lost", "紛失"),
    "stolen": ("stolen", "盗難"),
    "forged": ("forged", "偽変造"),
    "revoked": ("revoked", "失効"),
}

CHECK_DIGITS: dict[str, tuple[str, str]] = {
    "document_number": ("passport number", "旅券番号"),
    "date_of_birth": ("date of birth", "生年月日"),
    "birth_date": ("date of birth", "生年月日"),
    "expiry_date": ("expiry date", "有効期限"),
    "expiry": ("expiry date", "有効期限"),
    "optional_data": ("optional data", "任意データ"),
    "personal_number": ("personal number", "個人番号"),
    "composite": ("composite", "総合"),
}

CONTACTS: dict[str, tuple[str, str]] = {
    "applicant_phone": ("The applicant's phone", "申請人の電話番号"),
    "applicant_address": ("The applicant's address", "申請人の住所"),
    "sponsor_phone": ("The sponsor's phone", "身元保証人の電話番号"),
    "sponsor_address": ("The sponsor's address", "身元保証人の住所"),
    "declared_address": ("The address declared at the border", "上陸時に申告された住所"),
}

LINKED_TO: dict[str, tuple[str, str]] = {
    "suspect": ("a suspected broker or trafficker", "ブローカー・加害者の疑いのある者"),
    "raided": ("a raided establishment", "摘発された店舗"),
    "raided_establishment": ("a raided establishment", "摘発された店舗"),
    "victim": ("a known victim", "既知の被害者"),
}


def _pick(pair: tuple[str, str] | None, lang: Lang, fallback: str) -> str:
    if pair is None:
        return fallback
    return pair[1] if lang == "ja" else pair[0]


def visa_category(code: str | None, lang: Lang) -> str:
    """A visa category by name (its status of residence in Japanese)."""
    if not code:
        return "—"
    return _pick(VISA_CATEGORIES.get(code), lang, code)


def language(code: str, lang: Lang) -> str:
    """A language by name; an unknown code is shown as it is."""
    return _pick(LANGUAGES.get(code), lang, code)


def languages(codes: list[str], lang: Lang) -> str:
    """Languages by name, joined as the page's language joins a list."""
    names = [language(code, lang) for code in codes]
    return ("、" if lang == "ja" else ", ").join(names) if names else "—"


@functools.cache
def _catalogue() -> dict[str, dict[str, Any]]:
    from mizugiwa.models.reasons import catalogue

    return {item["code"]: item for item in catalogue()}


# One term per concept, as immigration officers say it. The catalogue's texts are part of the
# models' feature code; until they change there, the console says them with these terms.
JA_TERMS: tuple[tuple[str, str], ...] = (
    ("機械読取部（MRZ）", "機械読取領域（MRZ）"),
    ("帰りの航空券", "復路航空券"),
    (
        "航空券を雇用主・仲介業者・第三者が支払っている",
        "航空券代を雇用主・仲介業者・第三者が負担している",
    ),
    ("紛失・盗難・偽造", "紛失・盗難・偽変造"),
    ("照会基準", "回付基準"),
)


def officer_terms(text: str) -> str:
    """Japanese text with the officers' terms (:data:`JA_TERMS`)."""
    for old, new in JA_TERMS:
        text = text.replace(old, new)
    return text


def reason_text(code: str, lang: Lang) -> str:
    """The catalogue's text for a reason or rule code (the code itself when unknown)."""
    item = _catalogue().get(code)
    if item is None:
        return code
    return officer_terms(str(item["text_ja"])) if lang == "ja" else str(item["text_en"])


def reason_concern(code: str) -> str | None:
    """The concern a code supports (``None`` for rules without one and protection codes)."""
    item = _catalogue().get(code)
    return None if item is None else item.get("concern")


def is_protection_code(code: str) -> bool:
    """True for codes that call for protection: a known victim, or an exploitation reason."""
    item = _catalogue().get(code)
    if item is None:
        return False
    return item["kind"] == "protection" or (
        item["kind"] == "indicator" and item.get("concern") == "exploitation"
    )


@dataclass(frozen=True)
class Part:
    """A piece of an evidence sentence: plain text, or a database record's id with its link."""

    text: str
    record: str | None = None


Sentence = list[Part]


def _records(ids: list[Any]) -> list[Part]:
    parts: list[Part] = []
    for k, rid in enumerate(ids):
        if k:
            parts.append(Part(", "))
        parts.append(Part(str(rid), record=str(rid)))
    return parts


def _number(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".") if value != int(value) else str(int(value))
    return str(value)


def evidence_sentences(evidence: dict[str, Any], lang: Lang) -> list[Sentence]:
    """Short readable sentences for a reason's or a rule's evidence.

    Known keys get a sentence of their own; the indicator values the reason text already states
    (``ticket_paid_by_others: 1``) are left out; any other key reads as "name: value".
    """
    ja = lang == "ja"
    out: list[Sentence] = []
    done: set[str] = set()
    for key, pair in CONTACTS.items():
        value = evidence.get(key)
        if not isinstance(value, dict):
            continue
        done.add(key)
        linked = [_pick(LINKED_TO.get(str(x)), lang, str(x)) for x in value.get("linked_to", [])]
        who = _pick(pair, lang, key)
        joined = ("、" if ja else " and ").join(linked) or ("記録" if ja else "a record")
        if ja:
            text = f"{who}は、データベース上で{joined}と結び付いています（記録："
        else:
            text = f"{who} is linked in the database to {joined} (record "
        out.append(
            [Part(text), *_records(list(value.get("records", []))), Part("）" if ja else ")")]
        )
    status = evidence.get("document_status")
    if status:
        done.add("document_status")
        word = _pick(DOCUMENT_STATUS.get(str(status)), lang, str(status))
        out.append(
            [
                Part(
                    f"旅券は{word}として届け出られています。"
                    if ja
                    else f"The passport is reported {word}."
                )
            ]
        )
    failed = evidence.get("failed_check_digits")
    if failed:
        done.add("failed_check_digits")
        names = [_pick(CHECK_DIGITS.get(str(f)), lang, str(f)) for f in failed]
        out.append(
            [
                Part(
                    f"一致しないチェックディジット：{'、'.join(names)}"
                    if ja
                    else f"Check digits that fail: {', '.join(names)}."
                )
            ]
        )
    persons = evidence.get("watchlist_person")
    if persons:
        done.update({"watchlist_person", "match", "match_score"})
        how = str(evidence.get("match", ""))
        if ja:
            lead = (
                "氏名が一致するデータベース上の人物（生年月日による確認なし）："
                if how == "name only"
                else "一致するデータベース上の人物："
            )
            out.append([Part(lead), *_records(list(persons))])
        else:
            lead = (
                "Matching person on record (name only, no date of birth to confirm): "
                if how == "name only"
                else "Matching person on record: "
            )
            out.append([Part(lead), *_records(list(persons))])
    orgs = evidence.get("organisations_with_findings")
    if orgs:
        done.add("organisations_with_findings")
        sentence: Sentence = [
            Part(
                "摘発・労働法令違反の記録がある組織："
                if ja
                else "Organisations with raids or labour-law findings on record: "
            )
        ]
        for k, org in enumerate(orgs):
            if not isinstance(org, dict):
                continue
            if k:
                sentence.append(Part("、" if ja else ", "))
            sentence.append(Part(str(org.get("id")), record=str(org.get("id"))))
            n = org.get("findings")
            if n is not None:
                sentence.append(
                    Part(f"（{n}件）" if ja else f" ({n} finding{'s' if n != 1 else ''})")
                )
        out.append(sentence)
    recorded = evidence.get("spouse_sponsorships_on_record")
    if recorded is not None:
        done.add("spouse_sponsorships_on_record")
        out.append(
            [
                Part(
                    f"記録上の外国人配偶者の呼び寄せ：{recorded}件"
                    if ja
                    else f"Earlier spouse sponsorships on record: {recorded}."
                )
            ]
        )
    for key, value in evidence.items():
        if key in done or key in _SILENT:
            continue
        label = _pick(_VALUE_LABELS.get(key), lang, key.replace("_", " "))
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            shown = _number(value)
        elif isinstance(value, list):
            shown = ", ".join(map(str, value))
        else:
            shown = str(value)
        out.append([Part(f"{label}：{shown}" if ja else f"{label}: {shown}.")])
    return out


# Flags whose whole meaning is the reason text itself.
_SILENT = frozenset(
    {
        "ticket_paid_by_others",
        "no_return_ticket",
        "entry_no_return_ticket",
        "met_via_agency",
        "no_common_language",
        "document_reported",
        "entry_document_reported",
        "high_risk_establishment",
        "recruitment_agency_involved",
        "applicant_tip_links",
        "sponsor_tip_links",
        "sponsor_name_watchlisted",
        "mrz_failed_check_digits",
        "entry_mrz_failed_check_digits",
        "employer_findings",
        "entry_purpose_mismatch",
    }
)

_VALUE_LABELS: dict[str, tuple[str, str]] = {
    "passport_age_days": ("Days from passport issue to application", "旅券発給から申請までの日数"),
    "entry_passport_age_days": (
        "Days from passport issue to arrival",
        "旅券発給から到着までの日数",
    ),
    "face_match_score": ("Face match (0 to 1)", "顔照合の一致度（0〜1）"),
    "entry_face_match_score": ("Face match (0 to 1)", "顔照合の一致度（0〜1）"),
    "accompanying_minors": ("Accompanying minors", "同行する未成年者"),
    "recruitment_fee_months": (
        "Recruitment fee in months of wages",
        "仲介手数料（月給の何か月分）",
    ),
    "age_gap_years": ("Age gap (years)", "年齢差（年）"),
    "courtship_days": ("Days from first meeting to marriage", "出会いから婚姻までの日数"),
    "sponsor_prior_spouses": ("Earlier foreign spouses sponsored", "過去に呼び寄せた外国人配偶者"),
    "declared_prior_spouses": ("Earlier foreign spouses declared", "申告された過去の外国人配偶者"),
    "undeclared_prior_spouses": (
        "Earlier foreign spouses not declared",
        "申告されていない過去の外国人配偶者",
    ),
    "passport_other_identity": (
        "Earlier uses of this passport under another identity",
        "別の身元での同一旅券の使用",
    ),
    "mrz_field_mismatches": (
        "Fields where the MRZ and the application disagree",
        "機械読取領域（MRZ）と申請内容が異なる項目数",
    ),
    "entry_mrz_visa_mismatches": (
        "Fields where the MRZ and the visa disagree",
        "機械読取領域（MRZ）と査証が異なる項目数",
    ),
    "phone_other_posts": (
        "Applications at other posts with the same phone",
        "同じ電話番号の他公館での申請",
    ),
    "address_other_posts": (
        "Applications at other posts with the same address",
        "同じ住所の他公館での申請",
    ),
    "employer_other_posts": (
        "Applications at other posts with the same employer",
        "同じ雇用主の他公館での申請",
    ),
    "sponsor_other_posts": (
        "Applications at other posts with the same sponsor",
        "同じ身元保証人の他公館での申請",
    ),
    "broker_phone_sharers": (
        "Other applications giving this phone",
        "この電話番号を記載した他の申請",
    ),
    "entry_stay_excess_days": ("Days beyond the stay applied for", "申請時の予定を超える日数"),
    "entry_group_size": ("Travellers in the group", "同行者の人数"),
    "risk": ("Model score", "モデルスコア"),
    "threshold": ("Threshold", "基準値"),
    "visa_category_code": ("Visa category (model code)", "査証の種類（モデル内部コード）"),
    "match_score": ("Match score", "一致度"),
}


@dataclass(frozen=True)
class Words:
    """The functions above bound to one page's language, for templates (``w.reason(code)``)."""

    lang: Lang

    def visa_category(self, code: str | None) -> str:
        return visa_category(code, self.lang)

    def languages(self, codes: list[str]) -> str:
        return languages(list(codes), self.lang)

    def reason(self, code: str) -> str:
        return reason_text(code, self.lang)

    def evidence(self, evidence: dict[str, Any]) -> list[Sentence]:
        return evidence_sentences(evidence, self.lang)

    def text(self, item: Any) -> str:
        """A reason's or a rule's own text, in the officers' terms."""
        return officer_terms(item.text_ja) if self.lang == "ja" else str(item.text_en)

    def metric(self, key: str) -> str:
        return metric_name(key, self.lang)

    def fairness(self, kind: str, value: Any) -> str:
        return fairness_word(kind, value, self.lang)

    def rule_headline(self, rule: Any) -> str:
        return rule_headline(rule.code, rule.evidence, self.text(rule), self.lang)


def rule_headline(code: str, evidence: dict[str, Any], text: str, lang: Lang) -> str:
    """What a rule found, as the end of "Referred by rule: ..." ("the passport is reported
    stolen"); the rule's own text where nothing more specific is known."""
    status = evidence.get("document_status")
    if code == "RULE-DOC-REPORTED" and status:
        word = _pick(DOCUMENT_STATUS.get(str(status)), lang, str(status))
        return (
            f"旅券が{word}として届け出られている"
            if lang == "ja"
            else f"the passport is reported {word}"
        )
    text = text.rstrip("。.")
    if lang == "en" and text[:1].isupper() and not text[1:2].isupper():
        text = text[:1].lower() + text[1:]
    return text


FAIRNESS_COLUMNS: dict[str, tuple[str, str]] = {
    "attribute": ("Attribute", "属性"),
    "group": ("Group", "グループ"),
    "n": ("Cases (n)", "件数（n）"),
    "referral_rate": ("Referral rate", "回付率"),
    "false_positive_rate": ("False referral rate", "誤回付率"),
    "fpr_ratio": ("False referral ratio to the reference group", "誤回付率の比（基準グループ比）"),
    "recall": ("Recall", "再現率"),
    "status": ("Status", "判定"),
}
FAIRNESS_STATUS: dict[str, tuple[str, str]] = {
    "ok": ("within bounds", "基準内"),
    "outside bounds": ("outside bounds", "基準外"),
    "within sampling error": ("within sampling error", "標本誤差の範囲内"),
    "too small to measure": ("too small to measure", "件数不足で測定不可"),
}
FAIRNESS_ATTRIBUTES: dict[str, tuple[str, str]] = {
    "sex": ("Sex", "性別"),
    "nationality": ("Nationality", "国籍"),
    "age_band": ("Age band", "年齢層"),
    "age": ("Age band", "年齢層"),
}


def fairness_word(kind: str, value: Any, lang: Lang) -> str:
    """A fairness table's column name, status or attribute in the page's language."""
    table = {
        "column": FAIRNESS_COLUMNS,
        "status": FAIRNESS_STATUS,
        "attribute": FAIRNESS_ATTRIBUTES,
    }
    return _pick(table[kind].get(str(value)), lang, str(value))


METRIC_PARTS: dict[str, tuple[str, str]] = {
    "recall_at_capacity": ("recall at the posts' interview capacity", "面接能力の範囲での再現率"),
    "precision_at_capacity": (
        "precision at the posts' interview capacity",
        "面接能力の範囲での適合率",
    ),
    "pr_auc": ("area under the precision-recall curve", "適合率・再現率曲線の下の面積"),
    "brier": ("Brier score (calibration; lower is better)", "ブライアスコア（較正、低いほど良い）"),
    "passed": ("passed (1 = yes)", "合格（1 = はい）"),
}
METRIC_SCOPES: dict[str, tuple[str, str]] = {
    "gate.": ("Promotion gate: ", "昇格ゲート："),
    "fairness.": ("Fairness: ", "公平性："),
    "test.truth.model.": ("Test months, against the truth: ", "テスト期間（真値との比較）："),
    "test.model.": (
        "Test months, against recorded outcomes: ",
        "テスト期間（記録された結果との比較）：",
    ),
}


def metric_name(key: str, lang: Lang) -> str:
    """A metric key (``test.truth.model.brier``) as words; unknown keys stay as they are."""
    for prefix, scope in METRIC_SCOPES.items():
        if key.startswith(prefix):
            rest = key.removeprefix(prefix)
            part = METRIC_PARTS.get(rest)
            if part is None:
                return key
            return _pick(scope, lang, prefix) + _pick(part, lang, rest)
    return key
