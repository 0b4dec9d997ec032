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
    "nav.worklist": ("Worklist", "回付案件一覧"),
    "nav.inspection": ("Border inspection", "上陸審査"),
    "nav.flights": ("Arriving flights", "到着便"),
    "nav.dashboard": ("Models and drift", "モデルとドリフト"),
    "nav.decision_log": ("Decision log", "判定記録"),
    "nav.admin": ("Accounts", "アカウント管理"),
    "nav.follow_ups": ("Follow-ups", "追跡調査"),
    "nav.sign_out": ("Sign out", "ログアウト"),
    "nav.signed_in_as": ("Signed in as", "ログイン中"),
    "nav.skip": ("Skip to content", "本文へ移動"),
    "lang.switch": ("日本語", "English"),
    "lang.switch_label": ("Switch to Japanese", "英語に切り替え"),
    "shortcuts.title": ("Keyboard shortcuts", "キーボード操作"),
    "never_refusal": (
        "A referral asks for an interview. It is never a refusal: an officer decides.",
        "回付は面接審査の依頼であり、拒否ではありません。判断するのは職員です。",
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
    "signin.locked": (
        "Too many failed sign-ins for this account or from this computer. Try again in "
        "{minutes} minute(s), or ask an administrator for a new token.",
        "このアカウントまたはこの端末からのログイン失敗が多すぎます。{minutes}分後に再度お試しいただくか、"
        "管理者に新しいトークンの発行を依頼してください。",
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
    "role.investigator": ("investigator", "調査担当"),
    "role.api_feed": ("carrier gateway (API)", "航空会社等の送信窓口（API）"),
    # answer banner
    "answer.refer.post": ("REFER to interview", "面接審査へ回付"),
    "answer.refer.border": ("REFER to secondary inspection", "二次審査へ回付"),
    "answer.no_referral": ("NO REFERRAL", "回付なし"),
    "answer.by_rule": ("Referred by rule: {why}", "ルールによる回付：{why}"),
    "answer.by_model": ("Referred by the model's score", "モデルスコアによる回付"),
    "answer.model_score": (
        "Model score {score} (threshold {threshold})",
        "モデルスコア {score}（基準値 {threshold}）",
    ),
    "answer.above": ("— at or above the threshold", "：基準値以上"),
    "answer.below": ("— below the threshold", "：基準値未満"),
    "answer.degraded": (
        "Partial answer: some checks were skipped",
        "一部の確認を実施できなかった回答です",
    ),
    # reasons, guidance
    "reasons.title": ("Reasons", "理由"),
    "reasons.none": ("No reason stands out.", "特に目立つ理由はありません。"),
    "reasons.evidence": ("Evidence", "根拠"),
    "rules.title": ("Rules that refer regardless of the model", "モデルに関係なく回付するルール"),
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
    "concern.impersonation": ("impersonation or forged document", "なりすまし・偽変造旅券"),
    "concern.exploitation": ("exploitation", "搾取"),
    "model.used": ("Model", "モデル"),
    "model.rules": ("rules", "ルール"),
    "record.title": ("Database record {id}", "データベース記録 {id}"),
    "record.none": (
        "There is no such record in the trafficking database.",
        "人身取引データベースにその記録はありません。",
    ),
    "record.caption": (
        "The record as the trafficking database holds it, with its source and dates.",
        "人身取引データベース上の記録（出所と日付を含む）",
    ),
    "case.back_generic": ("Back", "戻る"),
    "record.field": ("Field", "項目"),
    "record.value": ("Value", "内容"),
    # worklist
    "worklist.title": ("Referred applications at {post}", "{post} の回付案件"),
    "worklist.status": ("Status", "状態"),
    "worklist.date_from": ("From", "開始日"),
    "worklist.date_to": ("To", "終了日"),
    "worklist.filter": ("Filter", "絞り込み"),
    "worklist.all": ("all", "すべて"),
    "worklist.case": ("Case", "案件"),
    "worklist.submitted": ("Submitted", "申請日"),
    "worklist.category": ("Visa category", "査証の種類"),
    "worklist.risk": ("Score", "スコア"),
    "worklist.reasons": ("Reasons", "理由"),
    "worklist.why": ("Why referred", "回付の理由"),
    "worklist.protection": ("protection concern", "保護の必要"),
    "worklist.more_reasons": ("and {n} more", "ほか{n}件"),
    "worklist.caption": (
        "Referred applications, most urgent first: rule referrals, then protection concerns, "
        "then by model score.",
        "回付案件（緊急度順：ルールによる回付、保護の必要がある案件、モデルスコアの高い順）",
    ),
    "why.rule": ("Rule", "ルール"),
    "why.model": ("Model", "モデル"),
    "why.random_audit": ("Random audit", "無作為抽出"),
    "worklist.empty": (
        "No referred applications match. Referrals appear here as soon as applications of "
        "your post are scored (through the API or a batch).",
        "該当する回付案件はありません。在外公館の査証申請がスコア付けされると（APIまたは一括処理）、回付案件がここに表示されます。",
    ),
    "worklist.new": ("{n} new referral(s) arrived.", "新しい回付案件が{n}件届きました。"),
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
    "case.outcome.corrected": (
        "Outcome corrected: {outcome}. The earlier outcome stays in the history.",
        "面接結果を訂正しました：{outcome}（訂正前の結果は履歴に残ります）",
    ),
    "case.outcome.choose": ("— choose what the interview found —", "— 面接の結果を選択 —"),
    "case.referral_source_system": ("filled in by the system", "システムが記入"),
    "case.local_time": ("Local time at the post ({zone})", "在外公館の現地時刻（{zone}）"),
    "case.problem.outcome": (
        "Outcome: choose what the interview found.",
        "結果：面接の結果を選択してください。",
    ),
    "case.problem.interviewed_at": (
        "Interviewed at: give the date and time of the interview.",
        "面接日時：面接の日付と時刻を入力してください。",
    ),
    "case.problem.future": (
        "Interviewed at: the time is in the future.",
        "面接日時：未来の日時は入力できません。",
    ),
    "case.problem.reason": (
        "Reason for the correction: say why the outcome is corrected.",
        "訂正の理由：結果を訂正する理由を入力してください。",
    ),
    "case.history.title": (
        "Outcomes recorded for this case, earliest first",
        "この案件で記録された面接結果（古い順）",
    ),
    "case.history.recorded_at": ("Recorded", "記録日時"),
    "case.history.state": ("Status", "状態"),
    "case.history.current": ("current", "現在の結果"),
    "case.history.replaced": ("corrected: {reason}", "訂正済み：{reason}"),
    "case.correct.title": ("Correct the outcome", "面接結果を訂正する"),
    "case.correct.reason": ("Reason for the correction", "訂正の理由"),
    "case.correct.submit": ("Record the correction", "訂正を記録"),
    "case.interviewed_at": ("Interviewed at", "面接日時"),
    "case.outcome": ("Outcome", "結果"),
    "case.referral_source": ("Referred by", "回付の根拠"),
    "case.victim_support": ("Victim support offered", "被害者支援を案内した"),
    "case.submit": ("Record outcome", "結果を記録"),
    "outcome.no_concern": ("no concern", "懸念なし"),
    "outcome.sham_marriage": ("sham marriage", "偽装結婚"),
    "outcome.impersonation": ("impersonation", "なりすまし"),
    "outcome.forged_document": ("forged document", "偽変造旅券"),
    "outcome.trafficking_victim": ("trafficking victim", "人身取引被害者"),
    "outcome.other_fraud": ("other fraud", "その他の不正"),
    "source.model": ("model", "モデル"),
    "source.rule": ("rule", "ルール"),
    "source.random_audit": ("random audit", "無作為抽出"),
    "source.officer": ("officer", "職員"),
    # inspection
    "flights.title": ("Arriving flights", "到着便"),
    "flights.port": ("Port", "出入国港"),
    "flights.all_ports": ("all ports", "全出入国港"),
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
    "flights.referred": ("Referred", "二次審査へ回付"),
    "flights.crew_list": ("crew list", "乗員名簿"),
    "flights.nobody": (
        "Nobody on this list is referred.",
        "この名簿に二次審査へ回付された者はいません。",
    ),
    "flights.person": ("Person", "氏名"),
    "flights.position": ("No.", "番号"),
    "flights.document": ("Document", "旅券番号"),
    "flights.booking": ("Booking", "予約番号"),
    "flights.booking_size": ("{n} on the booking", "同一予約 {n} 名"),
    "flights.reasons": ("Reasons", "理由"),
    "flights.at_booth": ("seen at the booth", "上陸審査ブースで確認済み"),
    "flights.warning": ("List warning", "名簿の警告"),
    "flights.links": (
        "Links of referred travellers by list number: solid, one booking; dashed, one "
        "document number; red, referred.",
        "回付対象者のつながり（名簿番号）: 実線は同一予約、破線は同一旅券番号、赤は回付対象者。",
    ),
    "inspection.title": ("Border inspection", "上陸審査"),
    "inspection.port": ("Port of entry", "出入国港"),
    "inspection.mrz": (
        "Machine-readable zone (MRZ) of the passport, 2 or 3 lines",
        "旅券の機械読取領域（MRZ）（2行または3行）",
    ),
    "inspection.mrz_help": (
        "Scan the passport or paste its machine-readable lines; the scanner's final Enter checks.",
        "旅券を読み取るか、機械読取領域（MRZ）の行を貼り付けてください。読み取り後のEnterで確認します。",
    ),
    "inspection.flight": ("Flight number", "便名"),
    "inspection.visa_reference": ("Visa application number (optional)", "査証申請番号（任意）"),
    "inspection.purpose": ("Declared purpose", "渡航目的"),
    "inspection.stay": ("Declared stay (days)", "滞在予定日数"),
    "inspection.submit": ("Check traveller", "確認する"),
    "inspection.next": ("Next traveller", "次の旅行者"),
    "inspection.next_heading": ("Next traveller", "次の旅行者"),
    "inspection.invalid": ("The input cannot be checked:", "入力を確認できません："),
    "inspection.check_digits": (
        "Check digits that do not match (the service refers this document by rule):",
        "一致しないチェックディジット（この旅券はルールにより二次審査へ回付されます）：",
    ),
    "purpose.tourism": ("tourism", "観光"),
    "purpose.business": ("business", "商用"),
    "purpose.family": ("family", "親族訪問"),
    "purpose.work": ("work", "就労"),
    "purpose.study": ("study", "留学"),
    "purpose.transit": ("transit", "通過"),
    "purpose.other": ("other", "その他"),
    # dashboard
    "dashboard.title": ("Models, fairness and drift", "モデル・公平性・ドリフト（分布の変化）"),
    "dashboard.champion": ("Champion", "本番モデル"),
    "dashboard.challenger": ("Challenger", "候補モデル（チャレンジャー）"),
    "dashboard.none": ("No model holds this alias.", "この別名のモデルはありません。"),
    "dashboard.metrics": ("Metrics", "評価指標"),
    "dashboard.fairness": ("Fairness by group", "グループ別の公平性"),
    "dashboard.referral_rates": ("Referral rate by post, per week", "在外公館別の週ごとの回付率"),
    "dashboard.no_referrals": (
        "No scored cases yet. The chart fills as applications and border entries are scored "
        "(through the API, the console or `mizugiwa score`); `make run` replays recent traffic.",
        "スコア付けされた案件はまだありません。査証申請や上陸審査がスコア付けされると（API、コンソール、"
        "`mizugiwa score`）グラフが表示されます。`make run` は最近の通行データを再生します。",
    ),
    "dashboard.fairness_caption": (
        "Referral and false referral rates by group, with the status against the bounds",
        "グループ別の回付率・誤回付率と基準に対する判定",
    ),
    "dashboard.metrics_caption": (
        "Key metrics on the test months",
        "テスト期間の主要な評価指標",
    ),
    "dashboard.all_metrics_caption": (
        "Every metric logged for the run",
        "実行で記録されたすべての評価指標",
    ),
    "dashboard.computing": (
        "Being computed from the recent cases… this panel appears in a few seconds.",
        "最近の案件から計算中です… 数秒後に表示されます。",
    ),
    "dashboard.rates_table": (
        "Referral rate by post and week, with the number of scored applications (n)",
        "在外公館別・週別の回付率と、スコア付けされた査証申請の件数（n）",
    ),
    "dashboard.bounds": (
        "Fairness bounds: each group's false referral rate, as a ratio to the reference group, "
        "must stay between {low} and {high} (its 95% interval must overlap the bounds).",
        "公平性の基準：各グループの誤回付率の基準グループに対する比は {low} 以上 {high} 以下"
        "（95%信頼区間が基準と重なること）。",
    ),
    "dashboard.same_version": (
        "The challenger is the champion's version {version}: see the champion above.",
        "候補モデル（チャレンジャー）は本番モデルと同じバージョン {version} です。"
        "上の本番モデルを参照してください。",
    ),
    "dashboard.psi_level": ("Level", "判定"),
    "dashboard.psi": (
        "Drift of key features against the training data (population stability index)",
        "学習データに対する主要特徴量のドリフト（分布の変化、PSI）",
    ),
    "dashboard.psi_help": (
        "Below 0.1: stable; 0.1 to 0.25: watch; above 0.25: investigate and consider retraining.",
        "0.1未満：安定、0.1〜0.25：注意、0.25超：調査し再学習を検討。",
    ),
    "dashboard.psi_none": (
        "No recent cases or no training data to compare with. Drift is measured once "
        "applications are scored and the champion's training folder can be read.",
        "比較する最近の案件または学習データがありません。査証申請がスコア付けされ、本番モデルの学習データを"
        "読み込めると、ドリフトが測定されます。",
    ),
    "dashboard.mlflow": ("Open in the MLflow UI", "MLflow UI で開く"),
    "dashboard.model_card": ("Model card", "モデルカード"),
    "dashboard.read_only": ("Read-only view for auditors.", "監査担当向けの閲覧専用表示です。"),
    "dashboard.version": ("version", "バージョン"),
    "dashboard.feature": ("Feature", "特徴量"),
    "psi.stable": ("stable", "安定"),
    "psi.watch": ("watch", "注意"),
    "psi.shifted": ("shifted", "ドリフトあり"),
    # accounts
    "admin.title": ("Accounts", "アカウント管理"),
    "admin.caption": (
        "Accounts with their role, post and token; every change is in the decision log",
        "アカウント一覧（役割・在外公館・トークン。変更はすべて判定記録に残ります）",
    ),
    "admin.name": ("Account name", "アカウント名"),
    "admin.role": ("Role", "役割"),
    "admin.post": ("Post (consular officers)", "在外公館（領事官のみ）"),
    "admin.token": ("Token", "トークン"),
    "admin.token_issued": ("issued {at}", "{at} 発行"),
    "admin.no_token": ("none (revoked)", "なし（失効済み）"),
    "admin.actions": ("Change", "変更"),
    "admin.save": ("Save role and post", "役割と在外公館を保存"),
    "admin.rotate": ("New token", "トークン再発行"),
    "admin.revoke": ("Revoke token", "トークン失効"),
    "admin.add": ("Add an account", "アカウントを追加"),
    "admin.add_submit": ("Add account", "追加"),
    "admin.added": ("Account {name} added.", "アカウント {name} を追加しました。"),
    "admin.changed": ("Role and post saved.", "役割と在外公館を保存しました。"),
    "admin.rotated": ("New token issued for {name}.", "{name} のトークンを再発行しました。"),
    "admin.revoked": (
        "The token of {name} is revoked: its API calls and console sessions stop.",
        "{name} のトークンを失効させました。API利用とコンソールのセッションは停止します。",
    ),
    "admin.unknown": ("No such action.", "その操作はありません。"),
    "admin.token_once": (
        "Token for {name}: copy it now, it is not shown again.",
        "{name} のトークン（今だけ表示されます。今すぐコピーしてください）：",
    ),
    # decision log
    "log.title": ("Decision log", "判定記録"),
    "log.request_id": ("Request id", "リクエストID"),
    "log.post": ("Post or port", "在外公館・出入国港"),
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
    "log.at": ("When (UTC)", "日時（UTC）"),
    "log.who": ("Who", "利用者"),
    "log.endpoint": ("Action", "操作"),
    "log.model": ("Model", "モデル"),
    "log.referral": ("Referral", "回付"),
    "log.codes": ("Rules and reasons", "ルールと理由"),
    "log.empty": ("No entries match.", "該当する記録はありません。"),
    "log.case_id": ("Case id", "案件番号"),
    "log.user": ("User (account name)", "利用者（アカウント名）"),
    "log.head": ("Head of the chain, entry {seq}:", "チェーンの先頭（記録 {seq}）："),
    "log.head_help": (
        "Keep this hash outside the system (for example in your audit notes): a later chain "
        "that does not contain it was rebuilt or cut.",
        "このハッシュ値をシステムの外（監査記録など）に保管してください。後日のチェーンにこの値が"
        "含まれなければ、チェーンは作り直されたか切り詰められています。",
    ),
    "log.caption": (
        "Decision log entries, newest first, 50 per page; times in UTC",
        "判定記録（新しい順、1ページ50件、時刻はUTC）",
    ),
    "log.paging": ("Pages of the decision log", "判定記録のページ"),
    "log.older": ("Older entries", "古い記録"),
    "log.newest": ("Newest entries", "最新の記録"),
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
