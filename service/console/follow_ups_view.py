"""The investigators' follow-up page: what it lists, in which order, and its words.

It reads the same worklist query as ``GET /v1/follow-ups`` (``service.lookback.worklist``):
spouse-visa holders linked to a raided establishment first. Its own words are here, in English
and Japanese (the reasons and guidance carry their own texts from the catalogue), so that the
page adds nothing to the console's shared catalogue but its navigation label.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from mizugiwa.db.engine import session_scope
from mizugiwa.features.records import OutcomeKind
from mizugiwa.service.console.i18n import Lang
from mizugiwa.service.lookback.worklist import item, list_follow_ups
from mizugiwa.service.runtime import ServiceRuntime

MAX_ITEMS = 200
STATUSES: tuple[str, ...] = ("open", "closed", "all")
FACT_TYPES: tuple[str, ...] = ("raid", "person", "phone", "address", "travel_document", "case")

MESSAGES: Mapping[str, tuple[str, str]] = {
    "title": ("Follow-ups after new facts", "新たな情報に基づく追跡調査"),
    "intro": (
        "Stored applications and entries that a fact recorded after them concerns: a raid, a "
        "broker, a stolen passport, a confirmed case. Spouse-visa holders linked to a raided "
        "establishment come first.",
        "記録後に判明した情報（摘発、ブローカー、盗難旅券、確認された事案）に関係する過去の"
        "申請・入国です。摘発された店舗と結び付く「日本人の配偶者等」の査証所持者を先に示します。",
    ),
    "protection": (
        "Protection first: the people listed may be victims. Meet them as possible victims, in "
        "their own language, with a woman officer where the person is a woman; offer support "
        "before any question of status.",
        "保護を優先してください。ここに示す人は被害者である可能性があります。被害者として、本人の"
        "言語で、女性には女性職員が対応し、在留資格を問う前に支援を申し出てください。",
    ),
    "status": ("Status", "状態"),
    "status.open": ("open", "未対応"),
    "status.closed": ("closed", "対応済み"),
    "status.all": ("all", "すべて"),
    "fact_type": ("Fact", "情報の種類"),
    "fact_type.any": ("any", "すべて"),
    "fact_type.raid": ("raid", "摘発"),
    "fact_type.person": ("suspect", "被疑者"),
    "fact_type.phone": ("phone", "電話番号"),
    "fact_type.address": ("address", "住所"),
    "fact_type.travel_document": ("travel document", "旅券"),
    "fact_type.case": ("confirmed case", "確認された事案"),
    "fact_id": ("Fact id", "情報ID"),
    "filter": ("Filter", "絞り込み"),
    "priority": ("Priority", "優先度"),
    "first": ("first", "最優先"),
    "case": ("Case", "案件"),
    "case_date": ("Case date", "申請・入国日"),
    "fact": ("Fact (date)", "情報（日付）"),
    "reasons": ("Reasons", "理由"),
    "fields": ("Matched on", "一致した項目"),
    "outcome": ("Outcome", "結果"),
    "record": ("Record", "記録"),
    "concluded": ("Concluded on", "完了日"),
    "support": ("Support offered", "支援を申し出た"),
    "empty": ("No follow-ups match.", "該当する追跡調査はありません。"),
    "more": ("Showing the first {n}.", "先頭の{n}件を表示しています。"),
    "recorded": ("Outcome recorded for follow-up {id}.", "追跡調査 {id} の結果を記録しました。"),
    "category.spouse_of_japanese": ("spouse of Japanese national", "日本人の配偶者等"),
    "category.temporary_visitor": ("temporary visitor", "短期滞在"),
    "category.entertainer": ("entertainer", "興行"),
    "category.technical_intern": ("technical intern trainee", "技能実習"),
    "category.student": ("student", "留学"),
    "category.skilled_worker": ("skilled worker", "技能・特定技能"),
    "category.transit": ("transit", "通過"),
    "category.other": ("other", "その他"),
    "category.entry": ("border entry", "入国"),
    "field.applicant_phone": ("applicant's phone", "申請者の電話番号"),
    "field.sponsor_phone": ("sponsor's phone", "身元保証人の電話番号"),
    "field.applicant_address": ("applicant's address", "申請者の住所"),
    "field.sponsor_address": ("sponsor's address", "身元保証人の住所"),
    "field.declared_address": ("declared address", "申告住所"),
    "field.employer": ("employer", "雇用主"),
    "field.agency": ("recruitment agency", "仲介機関"),
    "field.sponsor_org": ("sponsoring organisation", "受入れ機関"),
    "field.sponsor": ("sponsor", "身元保証人"),
    "field.passport": ("passport", "旅券"),
    "outcome.choose": ("— choose what the follow-up found —", "— 調査結果を選択 —"),
    "outcome.no_concern": ("no concern", "問題なし"),
    "outcome.sham_marriage": ("sham marriage", "偽装結婚"),
    "outcome.impersonation": ("impersonation", "なりすまし"),
    "outcome.forged_document": ("forged document", "偽変造旅券"),
    "outcome.trafficking_victim": ("trafficking victim", "人身取引被害者"),
    "outcome.other_fraud": ("other fraud", "その他の不正"),
}


def follow_up_translator(lang: Lang) -> Callable[..., str]:
    """The page's own words in ``lang``; an unknown ``key`` falls back to ``default`` (the raw
    value, e.g. a visa category without a label of its own)."""

    def ft(key: str, /, default: str | None = None, **values: object) -> str:
        pair = MESSAGES.get(key)
        if pair is None:
            if default is None:
                raise KeyError(key)
            return default
        text = pair[1] if lang == "ja" else pair[0]
        return text.format(**values) if values else text

    return ft


@dataclass(frozen=True)
class Filters:
    status: str = "open"
    fact_type: str | None = None
    fact_id: str | None = None
    since: date | None = None


def page_context(runtime: ServiceRuntime, filters: Filters) -> dict[str, Any]:
    """The rows of the page (API items) and whether there are more than it shows."""
    with session_scope(runtime.engine) as session:
        rows, more = list_follow_ups(
            session,
            status=None if filters.status == "all" else filters.status,
            fact_id=filters.fact_id,
            fact_type=filters.fact_type,
            since=filters.since,
            limit=MAX_ITEMS,
        )
        items = [item(row, outcome) for row, outcome in rows]
    return {
        "items": items,
        "more": more is not None,
        "max_items": MAX_ITEMS,
        "filters": filters,
        "statuses": STATUSES,
        "fact_types": FACT_TYPES,
        "outcomes": [kind.value for kind in OutcomeKind],
    }
