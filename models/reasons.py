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


def catalogue() -> list[dict[str, Any]]:
    """Every reason and rule code once, sorted by code: ``code``, ``kind`` (indicator, rule,
    protection), ``concern``, ``text_en``, ``text_ja``, ``applies_to``, ``features``, ``doc``."""
    from mizugiwa.features.indicators import ENTRY_FEATURES, FEATURES, RULES

    entries: dict[str, dict[str, Any]] = {}
    for kind, indicators in (("application", FEATURES), ("entry", ENTRY_FEATURES)):
        for ind in indicators:
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
            if kind not in item["applies_to"]:
                item["applies_to"].append(kind)
            item["features"].append(ind.name)
    for rule in RULES:
        entries[rule.code] = {
            "code": rule.code,
            "kind": "rule",
            "concern": rule.concern.value if rule.concern else None,
            "text_en": rule.text_en,
            "text_ja": rule.text_ja,
            "applies_to": [
                kind
                for kind, check in (("application", rule.application), ("entry", rule.entry))
                if check is not None
            ],
            "features": [],
            "shown_as_reason": True,
            "doc": rule.doc,
        }
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
        "ever raise interview guidance, never suspicion.",
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
