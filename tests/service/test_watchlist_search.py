"""`/v1/watchlist/search`: phones and addresses recorded on their own are found, in national
or international form, by GET and by POST (the query in the body, out of URLs)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from service_samples import bearer

from mizugiwa.features.tipdb.loader import load_file
from mizugiwa.service.runtime import ServiceRuntime

ALONE = [
    {
        "entity_type": "phone",
        "id": "T-1",
        "number": "09171234567",
        "country": "PHL",
        "source": "police",
        "recorded_at": "2024-01-10",
    },
    {
        "entity_type": "phone",
        "id": "T-2",
        "number": "03-5555-1234",
        "country": "JPN",
        "source": "police",
        "recorded_at": "2024-01-10",
    },
    {
        "entity_type": "address",
        "id": "A-1",
        "address": "東京都港区六本木3丁目1-2",
        "source": "police",
        "recorded_at": "2024-01-10",
    },
]


@pytest.fixture()
def loaded(runtime: ServiceRuntime, tmp_path: Path, tokens: dict[str, str]) -> dict[str, str]:
    path = tmp_path / "alone.jsonl"
    path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in ALONE))
    load_file(runtime.engine, path)
    runtime.refresh_views()
    return bearer(tokens["analyst"])


def _matches(response: Any) -> list[str]:
    assert response.status_code == 200, response.text
    return [c["id"] for c in response.json()["candidates"] if c["match"]]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"kind": "phone", "query": "+63 917 123 4567"}, ["T-1"]),
        ({"kind": "phone", "query": "0917 123 4567", "region": "PHL"}, ["T-1"]),
        ({"kind": "phone", "query": "+81-3-5555-1234"}, ["T-2"]),
        ({"kind": "phone", "query": "03-5555-1234", "region": "JP"}, ["T-2"]),
        ({"kind": "phone", "query": "+81-3-5555-1235"}, []),
        ({"kind": "address", "query": "3-1-2 Roppongi, Minato-ku, Tokyo"}, ["A-1"]),
    ],
)
def test_post_search_finds_contacts_recorded_alone(
    client: TestClient, loaded: dict[str, str], body: dict[str, Any], expected: list[str]
) -> None:
    assert _matches(client.post("/v1/watchlist/search", json=body, headers=loaded)) == expected


def test_get_search_reads_the_region_too(client: TestClient, loaded: dict[str, str]) -> None:
    params = {"kind": "phone", "query": "+63 917 123 4567"}
    assert _matches(client.get("/v1/watchlist/search", params=params, headers=loaded)) == ["T-1"]
    params = {"kind": "phone", "query": "03-5555-1234", "region": "JP"}
    assert _matches(client.get("/v1/watchlist/search", params=params, headers=loaded)) == ["T-2"]


def test_bad_search_bodies_name_the_field(client: TestClient, loaded: dict[str, str]) -> None:
    unknown = client.post(
        "/v1/watchlist/search",
        json={"kind": "phone", "query": "0917 123 4567", "region": "ZZ"},
        headers=loaded,
    )
    assert unknown.status_code == 422 and "region" in unknown.text
    unreadable = client.post(
        "/v1/watchlist/search", json={"kind": "phone", "query": "12"}, headers=loaded
    )
    assert unreadable.status_code == 422 and "query" in unreadable.text
    extra = client.post(
        "/v1/watchlist/search", json={"kind": "phone", "query": "x", "mode": "?"}, headers=loaded
    )
    assert extra.status_code == 422 and "mode" in extra.text
