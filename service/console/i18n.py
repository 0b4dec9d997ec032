"""The console's words in English and Japanese: one catalogue, one lookup.

Reason and guidance texts are not here: the score carries them in both languages
(``text_en``/``text_ja``); this catalogue holds the page chrome, labels and enumerations.
A missing key is a programming error and raises, so a page never shows a raw key.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Literal

Lang = Literal["en", "ja"]
LANGS: tuple[Lang, ...] = ("en", "ja")

MESSAGES: Mapping[str, tuple[str, str]] = {
    # chrome
    "app.title": ("Mizugiwa officer console", "水際 職員コンソール"),
    "nav.worklist": ("Worklist", "審査対象一覧"),
    "nav.inspection": ("Border inspection", "入国審査"),
    "nav.flights": ("Arriving flights", "到着便"),
    "nav.dashboard": ("Models and drift", "モデルと変動"),
    "nav.decision_log": ("Decision log", "判断記録"),
    "nav.sign_out": ("Sign out", "ログアウト"),
    "nav.signed_in_as": ("Signed in as", "ログイン中"),
    "nav.skip": ("Skip to content", "本文へ移動"),
    "lang.switch": ("日本語", "English"),
    "lang.switch_label": ("Switch to Japanese", "英語に切り替え"),
    "shortcuts.title": ("Keyboard shortcuts", "キーボード操作"),
    "never_refusal": (
        "A referral asks for an interview. It is never a refusal: an officer decides.",
        "照会は面接の依頼であり、拒否ではありません。判断するのは職員です。",
    ),
    # sign-in
    "signin.title": ("Sign in", "ログイン"),
    "signin.name": ("Account name", "アカウント名"),
    "signin.token": ("Access token", "アクセストークン"),
    "signin.token_help": (
        "Paste the token from `mizugiwa users token NAME`.",
        "`mizugiwa users token NAME` で発行したトークンを貼り付けてください。",
    ),
    "signin.submit": ("Sign in", "ログイン"),
    "signin.failed": (
        "The name and token do not match an active account.",
        "アカウント名とトークンが有効なアカウントと一致しません。",
    ),
    "signin.expired": (
        "Your session ended. Please sign in again.",
        "セッションが終了しました。再度ログインしてください。",
    ),
    "signin.signed_out": ("You are signed out.", "ログアウトしました。"),
    # errors
    "error.403.title": ("Not for your role", "この役割では利用できません"),
    "error.403.body": (
        "This page is for another role. Your account is {role}.",
        "このページは別の役割のためのものです。あなたの役割は{role}です。",
    ),
    "error.404.title": ("Not found", "見つかりません"),
    "error.404.body": (
        "There is no such case at your post.",
        "あなたの在外公館にその案件はありません。",
    ),
    "error.csrf": (
        "The form had expired. Please submit it again.",
        "フォームの有効期限が切れました。もう一度送信してください。",
    ),
    "error.home": ("Back to your start page", "スタートページへ戻る"),
    # roles
    "role.consular_officer": ("consular officer", "領事官"),
    "role.border_inspector": ("border inspector", "入国審査官"),
    "role.analyst": ("analyst", "分析担当"),
    "role.auditor": ("auditor", "監査担当"),
    "role.admin": ("administrator", "管理者"),
    # answer banner
    "answer.refer": ("REFER to secondary interview", "二次審査（面接）へ照会"),
    "answer.no_referral": ("NO REFERRAL", "照会なし"),
    "answer.degraded": (
        "Partial answer: some checks were skipped",
        "一部の確認を実施できなかった回答です",
    ),
    "answer.risk": ("Referral score", "照会スコア"),
    "answer.threshold": ("threshold", "閾値"),
    "answer.referred_by.model": ("by the model", "モデルによる"),
    "answer.referred_by.rule": ("by a rule", "ルールによる"),
    # reasons, guidance
    "reasons.title": ("Reasons", "理由"),
    "reasons.none": ("No reason stands out.", "特に目立つ理由はありません。"),
    "reasons.evidence": ("Evidence", "根拠"),
    "rules.title": ("Rules that refer regardless of the model", "モデルに関係なく照会するルール"),
    "guidance.title": ("Interview guidance", "面接の指針"),
    "guidance.languages": ("Interview language", "面接言語"),
    "guidance.interpreter": ("Interpreter", "通訳"),
    "guidance.interviewer_sex": ("Interviewer", "面接官"),
    "guidance.protection": ("Protection referral", "保護への案内"),
    "guidance.sex.F": ("a woman", "女性"),
    "guidance.sex.M": ("a man", "男性"),
    "guidance.sex.any": ("anyone", "指定なし"),
    "yes": ("yes", "はい"),
    "no": ("no", "いいえ"),
    "guidance.protection_yes": (
        "OFFER PROTECTION: this person may be a victim",
        "保護を案内すること：被害者の可能性があります",
    ),
    "probabilities.title": ("Concerns", "懸念事項"),
    "concern.sham_marriage": ("sham marriage", "偽装結婚"),
    "concern.impersonation": ("impersonation or forged document", "なりすまし・偽造旅券"),
    "concern.exploitation": ("exploitation", "搾取"),
    "model.used": ("Model", "モデル"),
    # worklist
    "worklist.title": ("Referred applications at {post}", "{post} の照会案件"),
    "worklist.status": ("Status", "状態"),
    "worklist.date_from": ("From", "開始日"),
    "worklist.date_to": ("To", "終了日"),
    "worklist.filter": ("Filter", "絞り込み"),
    "worklist.all": ("all", "すべて"),
    "worklist.case": ("Case", "案件"),
    "worklist.submitted": ("Submitted", "申請日"),
    "worklist.category": ("Category", "査証種別"),
    "worklist.risk": ("Score", "スコア"),
    "worklist.reasons": ("Reasons", "理由"),
    "worklist.empty": ("No referred applications match.", "該当する照会案件はありません。"),
    "worklist.new": ("{n} new referral(s) arrived.", "新しい照会案件が{n}件届きました。"),
    "worklist.live": ("Updates every few seconds.", "数秒ごとに自動更新します。"),
    "status.pending": ("pending", "未面接"),
    "status.interviewed": ("interviewed", "面接済み"),
    # case
    "case.title": ("Case {case_id}", "案件 {case_id}"),
    "case.back": ("Back to the worklist", "一覧に戻る"),
    "case.applicant": ("Applicant", "申請者"),
    "case.outcome.title": ("Record the interview outcome", "面接結果を記録"),
    "case.outcome.recorded": ("Outcome recorded: {outcome}.", "面接結果を記録しました：{outcome}"),
    "case.outcome.already": (
        "The outcome of this interview is recorded: {outcome}.",
        "この面接の結果は記録済みです：{outcome}",
    ),
    "case.interviewed_at": ("Interviewed at", "面接日時"),
    "case.outcome": ("Outcome", "結果"),
    "case.referral_source": ("Referred by", "照会元"),
    "case.victim_support": ("Victim support offered", "被害者支援を案内した"),
    "case.submit": ("Record outcome", "結果を記録"),
    "outcome.no_concern": ("no concern", "懸念なし"),
    "outcome.sham_marriage": ("sham marriage", "偽装結婚"),
    "outcome.impersonation": ("impersonation", "なりすまし"),
    "outcome.forged_document": ("forged document", "偽造文書"),
    "outcome.trafficking_victim": ("trafficking victim", "人身取引被害者"),
    "outcome.other_fraud": ("other fraud", "その他の不正"),
    "source.model": ("model", "モデル"),
    "source.rule": ("rule", "ルール"),
    "source.random_audit": ("random audit", "無作為抽出"),
    "source.officer": ("officer", "職員"),
    # inspection
    "flights.title": ("Arriving flights", "到着便"),
    "flights.port": ("Port", "空港・港"),
    "flights.all_ports": ("all ports", "全空港"),
    "flights.show": ("Show", "表示"),
    "flights.none": ("No passenger list has been received.", "乗客名簿は受信されていません。"),
    "flights.latest": (
        "No flight is due in the next hours: the latest lists received are shown.",
        "今後数時間に到着予定の便はありません。最近受信した名簿を表示しています。",
    ),
    "flights.flight": ("Flight", "便名"),
    "flights.from": ("From", "出発地"),
    "flights.arrives": ("Arrives (UTC)", "到着（UTC）"),
    "flights.persons": ("On board", "搭乗者数"),
    "flights.referred": ("Referred", "面接対象"),
    "flights.crew_list": ("crew list", "乗員名簿"),
    "flights.nobody": ("Nobody on this list is referred.", "この名簿に面接対象者はいません。"),
    "flights.person": ("Person", "氏名"),
    "flights.position": ("No.", "番号"),
    "flights.document": ("Document", "旅券番号"),
    "flights.booking": ("Booking", "予約番号"),
    "flights.booking_size": ("{n} on the booking", "同一予約 {n} 名"),
    "flights.reasons": ("Reasons", "理由"),
    "flights.at_booth": ("seen at the booth", "審査ブースで照会済み"),
    "flights.warning": ("List warning", "名簿の警告"),
    "flights.links": (
        "Links of referred travellers by list number: solid, one booking; dashed, one "
        "document number; red, referred.",
        "面接対象者のつながり（名簿番号）: 実線は同一予約、破線は同一旅券番号、赤は面接対象者。",
    ),
    "inspection.title": ("Border inspection", "入国審査"),
    "inspection.port": ("Port", "空港・港"),
    "inspection.mrz": ("Passport MRZ (2 or 3 lines)", "旅券のMRZ（2行または3行）"),
    "inspection.mrz_help": (
        "Scan the passport or paste its machine-readable lines.",
        "旅券を読み取るか、機械読取部分の行を貼り付けてください。",
    ),
    "inspection.flight": ("Flight number", "便名"),
    "inspection.visa_reference": ("Visa reference (optional)", "査証番号（任意）"),
    "inspection.purpose": ("Declared purpose", "渡航目的"),
    "inspection.stay": ("Declared stay (days)", "滞在予定日数"),
    "inspection.submit": ("Check traveller", "照会する"),
    "inspection.next": ("Next traveller", "次の旅行者"),
    "inspection.invalid": ("The input cannot be checked:", "入力を確認できません："),
    "inspection.check_digits": (
        "Check digits that do not match (the service refers this document by rule):",
        "一致しないチェックディジット（この旅券はルールにより照会されます）：",
    ),
    "purpose.tourism": ("tourism", "観光"),
    "purpose.business": ("business", "商用"),
    "purpose.family": ("family", "親族訪問"),
    "purpose.work": ("work", "就労"),
    "purpose.study": ("study", "留学"),
    "purpose.transit": ("transit", "通過"),
    "purpose.other": ("other", "その他"),
    # dashboard
    "dashboard.title": ("Models, fairness and drift", "モデル・公平性・変動"),
    "dashboard.champion": ("Champion", "本番モデル"),
    "dashboard.challenger": ("Challenger", "挑戦モデル"),
    "dashboard.none": ("No model holds this alias.", "この別名のモデルはありません。"),
    "dashboard.metrics": ("Metrics", "評価指標"),
    "dashboard.fairness": ("Fairness by group", "グループ別の公平性"),
    "dashboard.referral_rates": ("Referral rate by post, per week", "在外公館別の週ごとの照会率"),
    "dashboard.no_referrals": ("No scored cases yet.", "まだ採点済みの案件はありません。"),
    "dashboard.psi": (
        "Drift of key features against the training data (population stability index)",
        "学習データに対する主要特徴量の変動（PSI）",
    ),
    "dashboard.psi_help": (
        "Below 0.1: stable; 0.1 to 0.25: watch; above 0.25: investigate and consider retraining.",
        "0.1未満：安定、0.1〜0.25：注意、0.25超：調査し再学習を検討。",
    ),
    "dashboard.psi_none": (
        "No recent cases or no training data to compare with.",
        "比較する最近の案件または学習データがありません。",
    ),
    "dashboard.mlflow": ("Open in the MLflow UI", "MLflow UI で開く"),
    "dashboard.model_card": ("Model card", "モデルカード"),
    "dashboard.read_only": ("Read-only view for auditors.", "監査担当向けの閲覧専用表示です。"),
    "dashboard.version": ("version", "バージョン"),
    "dashboard.feature": ("Feature", "特徴量"),
    "psi.stable": ("stable", "安定"),
    "psi.watch": ("watch", "注意"),
    "psi.shifted": ("shifted", "変動あり"),
    # decision log
    "log.title": ("Decision log", "判断記録"),
    "log.request_id": ("Request id", "リクエストID"),
    "log.post": ("Post or port", "在外公館・空港"),
    "log.date_from": ("From", "開始日"),
    "log.date_to": ("To", "終了日"),
    "log.search": ("Search", "検索"),
    "log.chain_ok": (
        "Chain verified: {n} entries, none edited or deleted.",
        "チェーン検証済み：{n}件、改ざん・削除なし。",
    ),
    "log.chain_broken": (
        "CHAIN BROKEN at entry {seq}: {problem}",
        "チェーン破損（記録 {seq}）：{problem}",
    ),
    "log.seq": ("#", "番号"),
    "log.at": ("When", "日時"),
    "log.who": ("Who", "利用者"),
    "log.endpoint": ("Action", "操作"),
    "log.model": ("Model", "モデル"),
    "log.referral": ("Referral", "照会"),
    "log.codes": ("Rules and reasons", "ルールと理由"),
    "log.empty": ("No entries match.", "該当する記録はありません。"),
    "log.more": ("Showing the latest {n} matches.", "最新の{n}件を表示しています。"),
}


def translate(lang: Lang, key: str, /, **values: object) -> str:
    """The message ``key`` in ``lang``, with ``{name}`` placeholders filled from ``values``."""
    en, ja = MESSAGES[key]
    text = ja if lang == "ja" else en
    return text.format(**values) if values else text


def translator(lang: Lang) -> Callable[..., str]:
    """``translate`` bound to one language, for templates (``t('nav.worklist')``)."""

    def t(key: str, /, **values: object) -> str:
        return translate(lang, key, **values)

    return t


def pick_lang(cookie: str | None, accept_language: str | None) -> Lang:
    """The user's choice (cookie), else Japanese when the browser prefers it, else English."""
    if cookie in LANGS:
        return cookie
    if accept_language and accept_language.strip().lower().startswith("ja"):
        return "ja"
    return "en"
