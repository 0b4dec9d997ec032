"""The reason-code catalogue as data: every indicator and rule code with its concern and its
English and Japanese texts. The service serves :func:`catalogue` at ``GET /v1/reason-codes``;
``docs/reason-codes.md`` is generated from it by :func:`markdown` (a test keeps them in sync).
"""

from __future__ import annotations

from typing import Any

PROTECTION_CODES: list[dict[str, Any]] = [
    {
        "code": "PR-KNOWN-VICTIM",
        "kind": "protection",
        "concern": None,
        "text_en": "A record of a known victim matches: protection guidance only, never suspicion.",
        "text_ja": "既知の被害者の記録と一致: 保護のための案内のみに用い、嫌疑の根拠としない。",
        "applies_to": ["application", "entry"],
        "features": [],
        "doc": "Applicant name and birth date, phone or address matching a known victim.",
    }
]

# Reasons of a follow-up (a fact recorded after the case concerns it). ``{date}`` is the date of
# the fact (the raid, the report, the confirmed case), filled in by :func:`follow_up_text`.
_FU_APPLIES = ["application", "entry"]
FOLLOW_UP_CODES: list[dict[str, Any]] = [
    {
        "code": "FU-RAIDED-EMPLOYER",
        "kind": "follow_up",
        "concern": "exploitation",
        "text_en": "Works at, or was sponsored into, an establishment raided on {date}.",
        "text_ja": "{date}に摘発された店舗・事業所で就労している、またはそこが受入れ先である。",
        "applies_to": ["application"],
        "features": [],
        "doc": "The employer, recruitment agency or sponsoring organisation named on the case "
        "(by id or exact normalised name) was raided or inspected after the case.",
    },
    {
        "code": "FU-RAIDED-ADDRESS",
        "kind": "follow_up",
        "concern": "exploitation",
        "text_en": "Gave the address or phone of an establishment raided on {date}.",
        "text_ja": "{date}に摘発された店舗・事業所の住所または電話番号を申告している。",
        "applies_to": _FU_APPLIES,
        "features": [],
        "doc": "A phone or address on the case is one the database links to an organisation "
        "raided or inspected after the case (a dormitory, the establishment itself).",
    },
    {
        "code": "FU-SPOUSE-ESTABLISHMENT",
        "kind": "follow_up",
        "concern": "sham_marriage",
        "text_en": "Spouse-of-Japanese-national visa linked to an establishment raided on {date}: "
        "check the reality of the marriage, protection first.",
        "text_ja": "日本人の配偶者等の査証で、{date}に摘発された店舗と結び付いている。"
        "保護を優先しつつ婚姻の実態を確認する。",
        "applies_to": ["application"],
        "features": [],
        "doc": "Raised with FU-RAIDED-EMPLOYER or FU-RAIDED-ADDRESS when the case is a "
        "spouse-of-Japanese-national application: these follow-ups come first.",
    },
    {
        "code": "FU-BROKER-CONTACT",
        "kind": "follow_up",
        "concern": "exploitation",
        "text_en": "Shares a phone or address with a broker recorded on {date}.",
        "text_ja": "{date}に登録されたブローカーと電話番号または住所が共通している。",
        "applies_to": _FU_APPLIES,
        "features": [],
        "doc": "A phone or address on the case is linked, in a record made after the case, to a "
        "broker, trafficker, recruiter or facilitator.",
    },
    {
        "code": "FU-SPONSOR-SUSPECT",
        "kind": "follow_up",
        "concern": "sham_marriage",
        "text_en": "Sponsored by a person recorded as a broker or facilitator on {date}.",
        "text_ja": "{date}にブローカー・仲介者として登録された者が身元保証人となっている。",
        "applies_to": ["application"],
        "features": [],
        "doc": "The sponsor's name and date of birth (or name alone, when the record has no date "
        "of birth) equal those of a suspect recorded after the case.",
    },
    {
        "code": "FU-DOC-REPORTED-AFTER",
        "kind": "follow_up",
        "concern": "impersonation",
        "text_en": "The passport was reported lost, stolen, forged or revoked on {date}, after "
        "this application or entry.",
        "text_ja": "この申請・入国の後、{date}に旅券が紛失・盗難・偽造・失効として届け出られた。",
        "applies_to": _FU_APPLIES,
        "features": [],
        "doc": "The passport number and issuing state equal a travel-document report recorded "
        "after the case.",
    },
    {
        "code": "FU-CONFIRMED-CASE",
        "kind": "follow_up",
        "concern": None,
        "text_en": "Linked to a case confirmed on {date} (same sponsor, organisation, phone or "
        "address).",
        "text_ja": "{date}に確認された事案と、身元保証人・団体・電話番号・住所が共通している。",
        "applies_to": _FU_APPLIES,
        "features": [],
        "doc": "A confirmed case (from an interview outcome or an agency) names a person or an "
        "organisation whose keys the case shares.",
    },
    {
        "code": "PR-FOLLOW-UP",
        "kind": "protection",
        "concern": None,
        "text_en": "The person may be a victim: approach them as one, in their own language, by a "
        "woman officer where the person is a woman; offer protection and support before any "
        "question of status.",
        "text_ja": "本人が被害者である可能性がある。被害者として接し、本人の言語で、女性の場合は"
        "女性職員が対応する。在留資格を問う前に保護と支援を申し出る。",
        "applies_to": _FU_APPLIES,
        "features": [],
        "doc": "Guidance on every follow-up: a look-back finds people near a broker or a raided "
        "establishment, who are as likely to be exploited as to be complicit.",
    },
]
FOLLOW_UP_TEXTS: dict[str, dict[str, Any]] = {item["code"]: item for item in FOLLOW_UP_CODES}


def follow_up_text(code: str, day: str, language: str = "en") -> str:
    """The text of a follow-up reason or guidance code, with the fact's date filled in."""
    item = FOLLOW_UP_TEXTS[code]
    return str(item["text_ja" if language == "ja" else "text_en"]).replace("{date}", day)


def catalogue() -> list[dict[str, Any]]:
    """Every reason and rule code once, sorted by code: ``code``, ``kind`` (indicator, rule,
    protection), ``concern``, ``text_en``, ``text_ja``, ``applies_to``, ``features``, ``doc``."""
    from mizugiwa.features.kinds import kinds

    entries: dict[str, dict[str, Any]] = {}
    for spec in kinds():
        for ind in spec.indicators:
            item = entries.setdefault(
                ind.code,
                {
                    "code": ind.code,
                    "kind": "indicator",
                    "concern": ind.concern.value if ind.concern else None,
                    "text_en": ind.text_en,
                    "text_ja": ind.text_ja,
                    "applies_to": [],
                    "features": [],
                    "shown_as_reason": ind.fires is not None,
                    "doc": ind.doc,
                },
            )
            if spec.name not in item["applies_to"]:
                item["applies_to"].append(spec.name)
            item["features"].append(ind.name)
    for spec in kinds():
        for rule in spec.rules:
            found = entries.get(rule.code)
            if found is None or found["kind"] != "rule":
                found = entries[rule.code] = {
                    "code": rule.code,
                    "kind": "rule",
                    "concern": rule.concern.value if rule.concern else None,
                    "text_en": rule.text_en,
                    "text_ja": rule.text_ja,
                    "applies_to": [],
                    "features": [],
                    "shown_as_reason": True,
                    "doc": "",
                }
            found["applies_to"].append(spec.name)
            found["doc"] = " ".join(part for part in (found["doc"], rule.doc) if part)
    from mizugiwa.features.paxlst.indicators import PASSENGER_FEATURES, REFERRING

    for ind in PASSENGER_FEATURES:  # pre-arrival passengers, from airline passenger lists
        entries[ind.code] = {
            "code": ind.code,
            "kind": "rule" if ind.code in REFERRING else "indicator",
            "concern": ind.concern.value if ind.concern else None,
            "text_en": ind.text_en,
            "text_ja": ind.text_ja,
            "applies_to": ["passenger"],
            "features": [ind.name],
            "shown_as_reason": True,
            "doc": ind.doc,
        }
    for item in PROTECTION_CODES:
        entries[item["code"]] = {**item, "shown_as_reason": False}
    for item in FOLLOW_UP_CODES:
        entries[item["code"]] = {**item, "shown_as_reason": item["kind"] == "follow_up"}
    return [entries[code] for code in sorted(entries)]


def markdown() -> str:
    """The catalogue as the Markdown page ``docs/reason-codes.md``."""
    lines = [
        "# Reason codes",
        "",
        "Generated from `models/reasons.py` (`python -m models.reasons > docs/reason-codes.md`);",
        "the service serves the same data at `GET /v1/reason-codes`.",
        "",
        "Indicators are model features shown to an officer as a reason when their threshold is",
        "met; rules refer a case to interview regardless of any model; protection codes only",
        "ever raise interview guidance, never suspicion. Follow-up codes are the reasons of a",
        "look-back (`docs/follow-ups.md`): a fact recorded after the case concerns it; `{date}`",
        "is the date of that fact.",
        "",
        "| code | kind | concern | applies to | English | 日本語 |",
        "|---|---|---|---|---|---|",
    ]
    for item in catalogue():
        lines.append(
            f"| `{item['code']}` | {item['kind']} | {item['concern'] or '—'} | "
            f"{', '.join(item['applies_to'])} | {item['text_en']} | {item['text_ja']} |"
        )
    lines += ["", "## Definitions", ""]
    for item in catalogue():
        features = ", ".join(f"`{name}`" for name in item["features"])
        lines.append(f"- **`{item['code']}`**{f' ({features})' if features else ''}: {item['doc']}")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(markdown(), end="")
