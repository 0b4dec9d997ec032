"""English words written in katakana, read back as English.

Establishments and agencies in Japan often write English names in katakana (``クラブビーナス``
for Club Venus, ``ゴールデンオーキッド`` for Golden Orchid). pykakasi reads such words as
kana (``kurabubiinasu``), which no Latin record spells. This table holds the katakana
spellings of English words common in the names of clubs, bars, agencies and companies; a
katakana name made of them (spaces and ・ optional) gets a second reading in English. Words
outside the table keep their kana reading, so an unknown word costs a match, never makes one.
The table is a list of common words, not of names seen in any evaluation set; a word that is
missing here is missed (see docs/matching.md).
"""

from __future__ import annotations

import re
from functools import lru_cache

from mizugiwa.features.normalise.scripts import romanisations

_ENGLISH_TEXT = """
クラブ club|スナック snack|バー bar|パブ pub|ラウンジ lounge|レストラン restaurant|カフェ cafe|
カラオケ karaoke|キャバレー cabaret|スパ spa|マッサージ massage|サロン salon|ビューティー beauty|
ビューティ beauty|エンターテインメント entertainment|エンターテイメント entertainment|
エンタテインメント entertainment|エンタープライズ enterprise|ナイト night|トラベル travel|
ツアー tour|ツアーズ tours|エージェンシー agency|エイジェンシー agency|トレーディング trading|
インターナショナル international|グローバル global|マンパワー manpower|スタッフ staff|
スタッフィング staffing|サービス service|サービシズ services|プロモーション promotion|
プロダクション production|ホールディングス holdings|グループ group|コーポレーション corporation|
カンパニー company|ジャパン japan|アジア asia|パシフィック pacific|オリエンタル oriental|
ロイヤル royal|ゴールデン golden|ゴールド gold|シルバー silver|ダイヤモンド diamond|
ダイアモンド diamond|ダイヤ diamond|パール pearl|ルビー ruby|エメラルド emerald|サファイア sapphire|
クリスタル crystal|スター star|スターズ stars|ムーン moon|サン sun|サンシャイン sunshine|
サンライズ sunrise|サンセット sunset|ライト light|スターライト starlight|ムーンライト moonlight|
ブルー blue|レッド red|ホワイト white|ブラック black|ピンク pink|グリーン green|ローズ rose|
リリー lily|ジャスミン jasmine|オーキッド orchid|ロータス lotus|チェリー cherry|ミモザ mimosa|
フラワー flower|フラワーズ flowers|ガーデン garden|パラダイス paradise|ヘブン heaven|
エンジェル angel|エンゼル angel|エンジェルス angels|クイーン queen|クイーンズ queens|キング king|
キングス kings|プリンセス princess|プリンス prince|ドラゴン dragon|フェニックス phoenix|
タイガー tiger|ライオン lion|イーグル eagle|ビーナス venus|ハート heart|ラブ love|
ドリーム dream|ドリームズ dreams|ハッピー happy|ラッキー lucky|スマイル smile|シルク silk|
ロード road|ウェイ way|ワールド world|シティ city|タウン town|ハウス house|ホーム home|
ホテル hotel|リゾート resort|パレス palace|キャッスル castle|タワー tower|プラザ plaza|
センター center|ニュー new|ビッグ big|スーパー super|ベスト best|ファースト first|
プレミア premier|プレミアム premium|エリート elite|ビップ vip|ルナ luna|ステラ stella|
アクア aqua|オーシャン ocean|マリン marine|アイランド island|ベイ bay|ビーチ beach|レディ lady|
レディース ladies|ガールズ girls|ボーイズ boys|ファミリー family|フレンズ friends|ケア care|
ヘルス health|メディカル medical|ナース nurse|テック tech|システム system|ネット net|
ネットワーク network|リンク link|ブリッジ bridge|キャリア career|ワーク work|ワークス works|
ジョブ job|リクルート recruit|タレント talent|アカデミー academy|スクール school|カレッジ college|
エクスプレス express|ライン line|モータース motors|フーズ foods|フード food|マート mart|
ショップ shop|ストア store|ブライト bright|スカイ sky|レインボー rainbow|キャンディ candy|
シュガー sugar|ハニー honey|ベビー baby|ドール doll|キャット cat|ファンタジー fantasy|
マジック magic|ミラクル miracle|シャイン shine|グレース grace|ビクトリー victory|
ビクトリア victoria|オリオン orion|ジュエル jewel|ティアラ tiara|パートナーズ partners|
パートナー partner|ソリューションズ solutions|コンサルティング consulting|ライフ life|
ハーモニー harmony|ブロッサム blossom|ビレッジ village|フォレスト forest|リバー river|
マウンテン mountain|ユニオン union|ビジョン vision|フューチャー future|ホープ hope|
"""
ENGLISH: dict[str, str] = dict(
    entry.strip().split(" ", 1) for entry in _ENGLISH_TEXT.split("|") if entry.strip()
)
_LONGEST = max(len(word) for word in ENGLISH)
_KATAKANA_ONLY = re.compile(r"[\u30a0-\u30ff\s・]+")
# Spellings of one English sound: ヴ (v) is written with バ行 as often as not.
_VARIANTS = str.maketrans({"ヴ": "ブ"})
_V_SYLLABLES = [("ブィ", "ビ"), ("ブェ", "ベ"), ("ブァ", "バ"), ("ブォ", "ボ")]


def _normal(kana: str) -> str:
    kana = kana.translate(_VARIANTS)
    for written, plain in _V_SYLLABLES:
        kana = kana.replace(written, plain)
    return kana


def _segment(kana: str) -> list[str] | None:
    """``kana`` cut into words of the table (fewest words), or None when it cannot be."""
    best: list[list[str] | None] = [[]] + [None] * len(kana)
    for end in range(1, len(kana) + 1):
        for start in range(max(0, end - _LONGEST), end):
            found = best[start]
            word = ENGLISH.get(kana[start:end])
            if found is not None and word is not None:
                candidate = [*found, word]
                current = best[end]
                if current is None or len(candidate) < len(current):
                    best[end] = candidate
    return best[-1]


@lru_cache(maxsize=50_000)
def loanword_reading(text: str) -> str | None:
    """English reading of a name whose katakana words are English loanwords, e.g.
    ``クラブビーナス`` → ``club venus``; other words keep their kana reading. None when
    ``text`` has no katakana word of the table."""
    if not _KATAKANA_ONLY.search(text):
        return None
    read: list[str] = []
    found = False
    for part in re.split(r"(\s+|・)", text):
        if not part.strip() or part == "・":
            continue
        words = _segment(_normal(part)) if _KATAKANA_ONLY.fullmatch(part) else None
        if words:
            read.extend(words)
            found = True
        else:
            read.append(romanisations(part)[0])
    return " ".join(read) if found else None
