"""Lookup keys: the same person, phone, address or document gives the same key, and the
loader, the snapshot, the indicators and the matcher share one normaliser per kind."""

from __future__ import annotations

from datetime import date

import pytest

from mizugiwa.features.normalise import (
    address_key,
    document_key,
    e164,
    national_key,
    organisation_key,
    phone_key,
    sponsor_key,
    sponsor_keys,
    writing_system,
)


def test_sponsor_key_ignores_order_case_and_accents() -> None:
    key = sponsor_key("TANAKA ICHIRO", date(1958, 7, 30))
    assert key == "ichiro tanaka|1958-07-30"
    assert sponsor_key(["Ichiro", "Tanaka"], "1958-07-30") == key
    assert sponsor_key("Tánaka,  Ichirō", "1958-07-30") == key
    assert sponsor_key("TANAKA ICHIRO", None) == "ichiro tanaka|"
    assert sponsor_key("TANAKA ICHIRO", "1958-07-31") != key


def test_sponsor_keys_one_per_spelling() -> None:
    keys = sponsor_keys(["TANAKA ICHIRO", "Ichiro Tanaka", "田中一郎"], "1958-07-30")
    # Han-only text is read as Chinese and as Japanese, by the matcher's own romanisation.
    assert keys == [
        "ichiro tanaka|1958-07-30",
        "tian zhongyilang|1958-07-30",
        "ichirou tanaka|1958-07-30",
    ]


def test_kana_is_read_as_japanese_not_letter_by_letter() -> None:
    # The exact keys read kana with the matcher's romanisation (pykakasi), not anyascii.
    assert sponsor_key("たなか いちろう", None) == "ichirou tanaka|"


def test_phone_key_is_e164_when_parseable() -> None:
    assert e164("+63 917 123 4567") == "+639171234567"
    assert phone_key("090-1234-5678", "JPN") == "+819012345678"
    assert e164("090-1234-5678") is None  # no country, no leading +
    assert phone_key("090-1234-5678") == "raw:09012345678"


def test_address_and_document_keys() -> None:
    assert address_key("3-1-2 Roppongi, Minato-ku, Tokyo") == "3-1-2 minato ropongi tokio"
    assert address_key("３－１－２　ROPPONGI MINATO-KU TOKYO") == address_key(
        "3-1-2 Roppongi, Minato-ku, Tokyo"
    )
    assert document_key("b 765-4321<", "tha") == "B7654321|THA"


def test_writing_system_of_names() -> None:
    assert writing_system("SATO KENICHI") == "latin"
    assert writing_system("佐藤健一") == "han"
    assert writing_system("スナック ミモザ") == "kana"
    assert writing_system("株式会社さくら人材") == "japanese"
    assert writing_system("김민준") == "hangul"


@pytest.mark.parametrize(
    "number",
    [
        "+63 917 123 4567",
        "+81-3-5555-1234",
        "+1 202 555 0100",
        "+44 20 7946 0958",
        "+66.81.234.5678",
    ],
)
def test_the_fast_phone_key_is_the_parsed_one(number: str) -> None:
    assert phone_key(number) == e164(number)


def test_a_national_number_is_read_with_the_record_country() -> None:
    assert phone_key("09171234567", "PHL") == phone_key("+63 917 123 4567") == "+639171234567"
    assert phone_key("03-5555-1234", "JP") == phone_key("+81-3-5555-1234") == "+81355551234"
    assert national_key("0917 123 4567") == national_key("+63 917 123 4567") == "nsn:9171234567"


def test_organisation_names_have_their_own_key_not_the_address_one() -> None:
    assert organisation_key("Club Paradise, Roppongi") == "club paradise roppongi"
    assert organisation_key("ROPPONGI CLUB PARADISE") == organisation_key("Club Paradise Roppongi")
