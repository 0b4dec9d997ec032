"""The column reader and the vectorised MRZ code: their fast paths (canonical text, many rows)
give exactly what the general paths (any ISO form, line-by-line normalisation, one row) give."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import numpy as np
import pytest

from mizugiwa.features.indicators import ApplicationBatch, BatchError
from mizugiwa.features.mrz_check import make_td3, parse_mrz, yymmdd, yymmdd_of_days

from .conftest import spouse_application, worker_application


def _apps(n: int) -> list[dict[str, Any]]:
    apps = []
    start = datetime(2024, 6, 1, tzinfo=UTC)
    for k in range(n):
        make = spouse_application if k % 2 else worker_application
        moment = start + timedelta(hours=7 * k, seconds=13 * k)
        apps.append(
            make(
                **{
                    "application_id": f"R-{k}",
                    "submitted_at": moment.isoformat().replace("+00:00", "Z"),
                }
            )
        )
    return apps


def test_timestamps_in_other_iso_forms_give_the_same_seconds() -> None:
    apps = _apps(20)  # more than a few rows, every value YYYY-MM-DDTHH:MM:SSZ: parsed at once
    tokyo = timezone(timedelta(hours=9))
    shifted = [
        {**app, "submitted_at": datetime.fromisoformat(app["submitted_at"]).astimezone(tokyo)}
        for app in apps
    ]
    for app in shifted:
        app["submitted_at"] = app["submitted_at"].isoformat()
    expected = [int(datetime.fromisoformat(a["submitted_at"]).timestamp()) for a in apps]
    assert ApplicationBatch.from_dicts(apps).submitted_s.tolist() == expected
    assert ApplicationBatch.from_dicts(shifted).submitted_s.tolist() == expected
    assert ApplicationBatch.from_dicts(apps[:2]).submitted_s.tolist() == expected[:2]


def test_untidy_values_read_as_their_tidy_form() -> None:
    tidy = spouse_application()
    untidy = spouse_application(
        **{
            "post_code": " mnl ",
            "applicant.nationality": "phl ",
            "applicant.languages": [" TL", "En "],
            "passport.number": " p1234567a ",
        }
    )
    lines = tidy["passport"]["mrz"].split("\n")
    untidy["passport"]["mrz"] = [" " + lines[0].lower() + " ", "", lines[1]]
    a, b = ApplicationBatch.from_dicts([tidy]), ApplicationBatch.from_dicts([untidy])
    assert b.post_code.tolist() == ["MNL"] and b.nationality.tolist() == ["PHL"]
    assert b.languages.tolist() == [("tl", "en")]
    assert b.passport_number.tolist() == a.passport_number.tolist() == ["P1234567A"]
    assert b.mrz.tolist() == a.mrz.tolist()
    assert a.given_names.tolist() == ["MARIA"] and a.common_languages.tolist() == [()]
    worker = ApplicationBatch.from_dicts([worker_application()])
    assert worker.common_languages.tolist() == [None]
    assert np.isnan(worker.sponsor_birth_day[0]) and np.isnan(worker.face_match_score[0])


def test_a_bad_value_names_the_record_and_the_field() -> None:
    apps = _apps(12)
    apps[5]["applicant"]["date_of_birth"] = "1999-02-30"
    with pytest.raises(BatchError, match=r"#5 \(R-5\).*applicant\.date_of_birth"):
        ApplicationBatch.from_dicts(apps)
    apps = _apps(12)
    apps[7]["travel"]["intended_stay_days"] = None
    with pytest.raises(BatchError, match=r"#7 \(R-7\).*travel\.intended_stay_days"):
        ApplicationBatch.from_dicts(apps)
    apps = _apps(12)
    del apps[2]["travel"]
    with pytest.raises(BatchError, match=r"#2 \(R-2\).*travel"):
        ApplicationBatch.from_dicts(apps)


def _documents(seed: int, n: int) -> list[str]:
    rng = random.Random(seed)
    texts = []
    for k in range(n):
        text = make_td3(
            family_name=rng.choice(["NGUYEN", "DELA CRUZ", "SATO"]),
            given_names=rng.choice(["ANNA", "THI MAI", ""]),
            number=f"X{rng.randrange(10**7):07d}{k % 10}",
            issuing_state=rng.choice(["PHL", "D", "VNM"]),
            nationality=rng.choice(["PHL", "D", "VNM"]),
            birth_date=date(1960, 1, 1) + timedelta(days=rng.randrange(15000)),
            sex=rng.choice("FMX"),
            expiry_date=date(2025, 1, 1) + timedelta(days=rng.randrange(3000)),
        )
        if k % 3 == 0:  # break a check digit
            text = text[:-1] + ("1" if text[-1] != "1" else "2")
        texts.append(text)
    return texts


def test_mrz_in_schema_form_parses_as_line_by_line_normalisation_does() -> None:
    texts = _documents(seed=4, n=30)
    untidy = [" " + text.lower().replace("\n", " \r\n ") + "\n" for text in texts]
    fast, slow = parse_mrz([*texts, None, ""]), parse_mrz([*untidy, None, ""])
    for name, column in vars(fast).items():
        assert column.tolist() == getattr(slow, name).tolist(), name
    assert fast.present.sum() == 30 and (fast.failed_checks[:30:3] > 0).all()
    one = [parse_mrz([text]) for text in texts[:4]]
    for k, parsed in enumerate(one):
        for name, column in vars(parsed).items():
            assert column.tolist() == [getattr(fast, name)[k]], name


def test_mrz_dates_are_the_same_for_few_and_many_days() -> None:
    rng = np.random.default_rng(5)
    days = rng.integers(-20000, 30000, 50).astype(np.float64)
    days[[3, 17]] = np.nan
    many = yymmdd_of_days(days)
    few = [text for part in np.array_split(days, 10) for text in yymmdd_of_days(part)]
    expected = [
        "" if np.isnan(d) else yymmdd(date(1970, 1, 1) + timedelta(days=int(d))) for d in days
    ]
    assert many == few == expected
