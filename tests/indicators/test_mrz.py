"""ICAO 9303 MRZ integrity: check digits (7-3-1) and agreement with the record."""

from __future__ import annotations

import random
from datetime import date, timedelta

from mrz.checker.td3 import TD3CodeChecker

from mizugiwa.features.mrz_check import check_digit, disagreeing_fields, make_td3, parse_mrz

from .conftest import SPECIMEN_MRZ

TD1_SPECIMEN = (
    "I<UTOD231458907<<<<<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<6\nERIKSSON<<ANNA<MARIA<<<<<<<<<<"
)


def test_check_digits_of_the_icao_specimen() -> None:
    assert check_digit("L898902C3") == "6"
    assert check_digit("740812") == "2"
    assert check_digit("120415") == "9"
    assert check_digit("ZE184226B<<<<<") == "1"
    assert check_digit("L898902C36740812212041 59ZE184226B<<<<<1".replace(" ", "")) == "0"


def test_specimen_parses_with_every_check_holding() -> None:
    parsed = parse_mrz([SPECIMEN_MRZ, TD1_SPECIMEN])
    assert parsed.present.tolist() == [True, True]
    assert parsed.failed_checks.tolist() == [0, 0]
    assert parsed.format.tolist() == ["TD3", "TD1"]
    assert parsed.surname[0] == "ERIKSSON" and parsed.given_names[0] == "ANNA MARIA"
    assert parsed.number.tolist() == ["L898902C3", "D23145890"]
    assert parsed.birth_date[0] == "740812" and parsed.expiry_date[0] == "120415"
    assert parsed.sex[0] == "F" and parsed.nationality[0] == "UTO"


def test_a_changed_character_fails_its_check_digits() -> None:
    tampered = SPECIMEN_MRZ.replace("L898902C3", "L898902C4")
    parsed = parse_mrz([tampered, None, "not an mrz"])
    assert parsed.failed_checks.tolist() == [2, 0, 0]
    assert parsed.failed_names[0] == ("document_number", "composite")
    assert parsed.present.tolist() == [True, False, False]


def test_agrees_with_the_mrz_library_on_random_documents() -> None:
    rng = random.Random(7)
    texts = []
    for _ in range(200):
        text = make_td3(
            family_name=rng.choice(["NGUYEN", "DELA CRUZ", "O'BRIEN", "SATO"]),
            given_names=rng.choice(["ANNA", "THI MAI", "JOSE MARIA"]),
            number="".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789") for _ in range(9)),
            issuing_state="PHL",
            nationality="PHL",
            birth_date=date(1960, 1, 1) + timedelta(days=rng.randrange(15000)),
            sex=rng.choice("FM"),
            expiry_date=date(2025, 1, 1) + timedelta(days=rng.randrange(3000)),
        )
        if rng.random() < 0.5:  # corrupt one character that a check digit covers
            lines = text.split("\n")
            k = rng.choice([*range(0, 10), *range(13, 20), *range(21, 44)])
            swapped = "7" if lines[1][k] != "7" else "3"
            text = lines[0] + "\n" + lines[1][:k] + swapped + lines[1][k + 1 :]
        texts.append(text)
    parsed = parse_mrz(texts)
    for i, text in enumerate(texts):
        assert bool(TD3CodeChecker(text, check_expiry=False)) == (parsed.failed_checks[i] == 0)


def test_fields_are_compared_with_the_record() -> None:
    parsed = parse_mrz([SPECIMEN_MRZ])
    record = {
        "family_name": "Eriksson",
        "given_names": "Anna Maria",
        "birth_date": "740812",
        "sex": "F",
        "nationality": "UTO",
        "document_number": "L898902C3",
        "expiry_date": "120415",
    }
    assert disagreeing_fields(parsed, 0, **record) == ()
    changed = {**record, "family_name": "Svensson", "birth_date": "750812", "sex": "M"}
    assert disagreeing_fields(parsed, 0, **changed) == ("name", "birth_date", "sex")
