"""Unit tests of the console's parts that need no browser: PSI, sessions, MRZ feedback, i18n,
weekly rates and the SVG plot."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import numpy as np
import pytest

from mizugiwa.features.mrz_check import check_digit
from mizugiwa.service.console.drift import key_features
from mizugiwa.service.console.i18n import MESSAGES, pick_lang, translate
from mizugiwa.service.console.mrz_feedback import failing_check_digits, normalise_mrz
from mizugiwa.service.console.plots import referral_rates_svg, weekly_referral_rates
from mizugiwa.service.console.psi import population_stability_index, psi_level, psi_table
from mizugiwa.service.console.session import SessionData, SessionSigner, csrf_matches, safe_next

VALID_MRZ = (
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10"
)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_psi_is_small_for_the_same_distribution_and_large_for_a_shift(seed: int) -> None:
    rng = np.random.default_rng(seed)
    training = rng.normal(0.0, 1.0, 20_000)
    same = rng.normal(0.0, 1.0, 5_000)
    shifted = rng.normal(1.0, 1.0, 5_000)
    assert population_stability_index(training, same) < 0.02
    assert population_stability_index(training, shifted) > 0.25


def test_psi_matches_the_formula_on_discrete_values() -> None:
    expected = np.array([0.0] * 50 + [1.0] * 50)
    actual = np.array([0.0] * 20 + [1.0] * 80)
    by_hand = (0.2 - 0.5) * np.log(0.2 / 0.5) + (0.8 - 0.5) * np.log(0.8 / 0.5)
    # The missing-value bin is empty on both sides and adds nothing.
    assert population_stability_index(expected, actual) == pytest.approx(by_hand, rel=1e-6)


def test_psi_counts_a_feature_going_missing_as_drift() -> None:
    expected = np.arange(1000, dtype=float)
    actual = np.where(np.arange(1000) % 2 == 0, np.nan, np.arange(1000, dtype=float))
    assert psi_level(population_stability_index(expected, actual)) == "shifted"


def test_psi_refuses_empty_input_and_orders_the_table() -> None:
    with pytest.raises(ValueError, match="values on both sides"):
        population_stability_index(np.array([]), np.array([1.0]))
    rng = np.random.default_rng(3)
    table = psi_table(
        {"a": rng.normal(size=2000), "b": rng.normal(size=2000)},
        {"a": rng.normal(size=2000), "b": rng.normal(2.0, 1.0, size=2000)},
    )
    assert [r.feature for r in table] == ["b", "a"]
    assert table[0].level == "shifted" and table[1].level == "stable"


def test_session_cookie_round_trips_and_rejects_tampering() -> None:
    signer = SessionSigner("k" * 40)
    data = SessionData("officer", "abc123", "s" * 32)
    value = signer.dumps(data)
    assert signer.loads(value) == data
    # A cookie without a session id (issued before sign-out could revoke one) is refused.
    assert signer.loads(signer.dumps(SessionData("officer", "abc123"))) is None
    assert signer.loads(value[:-2] + "xx") is None
    assert SessionSigner("other" * 10).loads(value) is None
    assert signer.loads(None) is None
    expired = SessionSigner("k" * 40, max_age_seconds=-1)
    assert expired.loads(value) is None


def test_csrf_and_redirect_targets() -> None:
    assert csrf_matches("abc", "abc")
    assert not csrf_matches("abc", "abd")
    assert not csrf_matches(None, "abc") and not csrf_matches("abc", "")
    assert safe_next("/console/worklist?status=pending", "/x") == "/console/worklist?status=pending"
    for bad in ("https://evil.example/", "//evil.example/", "/\\evil", "", None):
        assert safe_next(bad, "/x") == "/x"
    # Normalised before any check: dot segments and their percent-escapes resolve.
    assert safe_next("/console/worklist/../../docs", "/x") == "/docs"
    assert safe_next("/console/worklist/%2e%2e/%2E%2E/docs", "/x") == "/docs"
    assert safe_next("/console/./worklist/", "/x") == "/console/worklist/"
    assert safe_next("/console/../..//evil.example", "/x") == "/evil.example"  # stays local


def test_the_redirect_target_is_checked_after_normalising() -> None:
    from mizugiwa.service.auth import Role
    from mizugiwa.service.console.access import may_open

    assert may_open(Role.CONSULAR_OFFICER, safe_next("/console/worklist?status=pending", "/"))
    assert may_open(Role.CONSULAR_OFFICER, safe_next("/console/worklist/rows", "/"))
    assert not may_open(Role.CONSULAR_OFFICER, safe_next("/console/worklist/../../docs", "/"))
    assert not may_open(Role.CONSULAR_OFFICER, "/console/worklistX")


def test_sign_in_failures_are_limited_per_account_and_per_address(tmp_path: Path) -> None:
    from datetime import timedelta

    from mizugiwa.db.engine import make_engine
    from mizugiwa.db.migrate import upgrade
    from mizugiwa.service.console.sign_in_guard import SignInGuard, SignInLimits

    url = f"sqlite:///{tmp_path / 'guard.sqlite3'}"
    upgrade(url)
    engine = make_engine(url)
    guard = SignInGuard(engine, "k" * 40, SignInLimits(3, 5, timedelta(minutes=15)))
    for _ in range(3):
        assert guard.check("officer", "10.0.0.1").allowed
        guard.failed("officer", "10.0.0.1")
    refused = guard.check("officer", "10.0.0.2")
    assert not refused.allowed and refused.which == "account"
    assert 0 < refused.retry_after_seconds <= 15 * 60 + 1
    # Another account from the same address still may, until the address's limit.
    assert guard.check("analyst", "10.0.0.1").allowed
    guard.failed("analyst", "10.0.0.1")
    guard.failed("auditor", "10.0.0.1")
    by_address = guard.check("someone", "10.0.0.1")
    assert not by_address.allowed and by_address.which == "address"
    assert guard.check("someone", "10.0.0.9").allowed
    # Only digests are stored, never the name or the address.
    from sqlalchemy import text

    with engine.connect() as connection:
        stored = connection.execute(
            text("SELECT name_key, address_key FROM console_sign_in_attempts")
        ).all()
    assert stored and all("officer" not in a and "10.0.0" not in b for a, b in stored)
    engine.dispose()


def test_mrz_feedback_names_the_line() -> None:
    assert normalise_mrz(VALID_MRZ.lower().replace("\n", "\r\n")) == VALID_MRZ
    lines = VALID_MRZ.split("\n")
    with pytest.raises(ValueError, match="MRZ line 2 has 43 characters, line 1 has 44"):
        normalise_mrz(lines[0] + "\n" + lines[1][:43])
    with pytest.raises(ValueError, match="MRZ line 1 has characters outside"):
        normalise_mrz(lines[0].replace("ANNA", "AN-A") + "\n" + lines[1])
    with pytest.raises(ValueError, match="2 or 3 lines"):
        normalise_mrz(lines[0])


def test_failing_check_digits_point_at_their_line() -> None:
    assert failing_check_digits(VALID_MRZ) == []
    line2 = VALID_MRZ.split("\n")[1]
    # Change the birth date check digit (position 19 of line 2) to a wrong one.
    wrong = str((int(check_digit(line2[13:19])) + 1) % 10)
    tampered = VALID_MRZ.split("\n")[0] + "\n" + line2[:19] + wrong + line2[20:]
    findings = failing_check_digits(tampered)
    assert {(f.line, f.field) for f in findings} == {(2, "birth_date"), (2, "composite")}
    # TD1: the document number's check digit is on line 1.
    td1 = [
        "I<UTOD231458907<<<<<<<<<<<<<<<",
        "7408122F1204159UTO<<<<<<<<<<<6",
        "ERIKSSON<<ANNA<MARIA<<<<<<<<<<",
    ]
    assert failing_check_digits("\n".join(td1)) == []
    broken = "I<UTOD231458906" + td1[0][15:]
    lines = {(f.line, f.field) for f in failing_check_digits("\n".join([broken, *td1[1:]]))}
    assert (1, "document_number") in lines


def test_every_message_has_both_languages_and_placeholders_agree() -> None:
    import string

    for key, (en, ja) in MESSAGES.items():
        assert en.strip() and ja.strip(), key
        fields_en = {f for _, f, _, _ in string.Formatter().parse(en) if f}
        fields_ja = {f for _, f, _, _ in string.Formatter().parse(ja) if f}
        assert fields_en == fields_ja, key
    assert translate("ja", "worklist.new", n=3) == "新しい回付案件が3件届きました。"
    assert pick_lang(None, "ja-JP,ja;q=0.9") == "ja"
    assert pick_lang("en", "ja-JP") == "en"
    assert pick_lang("xx", None) == "en"


def test_weekly_rates_and_svg() -> None:
    posts = ["MNL", "MNL", "MNL", "BKK", "BKK"]
    days = [
        datetime(2025, 3, 3, 9),  # Monday
        date(2025, 3, 9),  # Sunday, same week
        date(2025, 3, 10),  # next Monday
        date(2025, 3, 4),
        date(2025, 3, 5),
    ]
    referred = [True, False, True, False, False]
    rates = weekly_referral_rates(posts, days, referred)
    assert rates.weeks == [date(2025, 3, 3), date(2025, 3, 10)]
    assert rates.posts == ["BKK", "MNL"]
    np.testing.assert_array_equal(rates.counts, [[2, 0], [2, 1]])
    assert rates.rates[1].tolist() == [0.5, 1.0]
    assert np.isnan(rates.rates[0, 1]) and rates.rates[0, 0] == 0.0
    svg = referral_rates_svg(rates, title='Rates "by post"')
    assert svg.startswith("<svg ") and 'aria-label="Rates &quot;by post&quot;"' in svg
    assert "MNL" in svg and "BKK" in svg


def test_key_features_read_records_and_mark_absent_values() -> None:
    features = key_features(
        [
            {
                "visa_category": "spouse_of_japanese",
                "travel": {
                    "ticket_paid_by": "sponsor",
                    "return_ticket": False,
                    "intended_stay_days": 365,
                },
                "marriage": {"marriage_date": "2025-01-20", "first_met_date": "2024-12-01"},
            },
            {
                "visa_category": "technical_intern",
                "travel": {
                    "ticket_paid_by": "self",
                    "return_ticket": True,
                    "intended_stay_days": 30,
                },
                "employment": {"recruitment_fee_jpy": 500000, "monthly_wage_jpy": 150000},
            },
        ]
    )
    assert features["days_met_before_marriage"][0] == 50
    assert np.isnan(features["days_met_before_marriage"][1])
    assert features["spouse_visa"].tolist() == [1.0, 0.0]
    assert features["labour_visa"].tolist() == [0.0, 1.0]
    assert features["no_return_ticket"].tolist() == [1.0, 0.0]
    assert features["ticket_paid_by_others"].tolist() == [1.0, 0.0]
    assert (
        np.isnan(features["recruitment_fee_jpy"][0]) and features["recruitment_fee_jpy"][1] == 5e5
    )
