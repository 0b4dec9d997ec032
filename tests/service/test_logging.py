"""Application logs carry keyed pseudonyms, never names, document numbers or phones."""

from __future__ import annotations

import pytest
import structlog

from mizugiwa.logging import Pseudonymiser, configure_logging


def test_personal_fields_become_stable_keyed_pseudonyms() -> None:
    scrub = Pseudonymiser("key-one")
    event = scrub(
        None,
        "info",
        {
            "event": "scored",
            "family_name": "DELA CRUZ",
            "passport_number": "P1234567A",
            "sponsor": {"phone": "+81 90 1234 5678", "role": "spouse"},
            "case_id": "APP-1",
        },
    )
    assert event["family_name"].startswith("pn:") and event["family_name"] != "DELA CRUZ"
    assert event["passport_number"] == scrub.pseudonym("P1234567A")
    assert event["sponsor"]["phone"].startswith("pn:") and event["sponsor"]["role"] == "spouse"
    assert event["case_id"] == "APP-1"
    other_key = Pseudonymiser("key-two")
    assert other_key.pseudonym("DELA CRUZ") != scrub.pseudonym("DELA CRUZ")


def test_free_text_is_scrubbed_of_mrz_lines_and_phone_numbers() -> None:
    scrub = Pseudonymiser("k")
    event = scrub(
        None,
        "info",
        {"event": "lookup P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<< from +63 917 555 0101"},
    )
    assert "ERIKSSON" not in event["event"] and "917" not in event["event"]
    kept = scrub(None, "info", {"event": "loaded at 2025-03-01 12:00:01, 15000 rows"})
    assert kept["event"] == "loaded at 2025-03-01 12:00:01, 15000 rows"


def test_configured_logger_output_has_no_personal_data(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("secret", "INFO", json=True)
    try:
        structlog.get_logger("t").info("request", name="TANAKA ICHIRO", phone="+81 90 1234 5678")
        err = capsys.readouterr().err
    finally:
        structlog.reset_defaults()
    assert "TANAKA" not in err and "1234" not in err and "pn:" in err
    assert '"timestamp": "20' in err  # times are not mistaken for phone numbers
