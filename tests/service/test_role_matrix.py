"""Every endpoint x every role: allowed roles get past the role check, others get 403, and a
request without a token gets 401 (the health probes excepted)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from service_samples import APPLICATION, ENTRY, OUTCOME, PASSENGER_LIST, ROLE_ACCOUNTS, bearer

OFFICER, INSPECTOR, ANALYST, AUDITOR, ADMIN, INVESTIGATOR, API_FEED = (
    "consular_officer",
    "border_inspector",
    "analyst",
    "auditor",
    "admin",
    "investigator",
    "api_feed",
)
# people; not a carrier's gateway
EVERYONE = {OFFICER, INSPECTOR, ANALYST, AUDITOR, ADMIN, INVESTIGATOR}
PUBLIC = None

# The specification of who may call what; the app's routes must match it exactly.
MATRIX: dict[tuple[str, str], set[str] | None] = {
    ("POST", "/v1/visa-applications/score"): {OFFICER},
    ("POST", "/v1/border-entries/score"): {INSPECTOR},
    ("POST", "/v1/outcomes"): {OFFICER, INSPECTOR},
    ("POST", "/v1/passenger-lists"): {INSPECTOR, API_FEED},
    ("GET", "/v1/passenger-lists/referrals"): {INSPECTOR, ANALYST, AUDITOR},
    ("GET", "/v1/referrals"): {OFFICER, INSPECTOR, ANALYST, AUDITOR},
    ("GET", "/v1/watchlist/search"): {OFFICER, INSPECTOR, ANALYST},
    ("POST", "/v1/watchlist/search"): {OFFICER, INSPECTOR, ANALYST},
    ("GET", "/v1/follow-ups"): {INVESTIGATOR, ANALYST},
    ("POST", "/v1/follow-ups/{follow_up_id}/outcome"): {INVESTIGATOR},
    ("POST", "/v1/lookback"): {INVESTIGATOR, ANALYST},
    ("GET", "/v1/reason-codes"): EVERYONE,
    ("GET", "/v1/model"): EVERYONE,
    ("GET", "/metrics"): {ADMIN, ANALYST},
    ("GET", "/healthz"): PUBLIC,
    ("GET", "/readyz"): PUBLIC,
}
REQUESTS: dict[tuple[str, str], dict[str, Any]] = {
    ("POST", "/v1/visa-applications/score"): {"json": APPLICATION},
    ("POST", "/v1/border-entries/score"): {"json": ENTRY},
    ("POST", "/v1/outcomes"): {"json": OUTCOME},
    ("POST", "/v1/passenger-lists"): {"content": PASSENGER_LIST},
    ("GET", "/v1/watchlist/search"): {"params": {"kind": "person", "query": "SATO KENICHI"}},
    ("POST", "/v1/watchlist/search"): {"json": {"kind": "person", "query": "SATO KENICHI"}},
    ("POST", "/v1/follow-ups/{follow_up_id}/outcome"): {
        "json": {"outcome": "no_concern", "concluded_at": "2025-09-01T10:00:00+09:00"}
    },
    ("POST", "/v1/lookback"): {"json": {"since": "2025-01-01"}},
}
API_PREFIXES = ("/v1/", "/healthz", "/readyz", "/metrics")


def _call(
    client: TestClient, method: str, path: str, headers: dict[str, str], post: str | None = None
) -> int:
    options = dict(REQUESTS.get((method, path), {}))
    if path == "/v1/visa-applications/score" and post:
        options["json"] = {**APPLICATION, "post_code": post}  # an officer scores their own post's
    path = path.replace("{follow_up_id}", "1")  # no such follow-up: 404 once past the role
    response = client.request(method, path, headers=headers, **options)
    return response.status_code


def test_matrix_covers_every_api_route(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    routes = {
        (method.upper(), path)
        for path, operations in paths.items()
        if path.startswith(API_PREFIXES)
        for method in operations
    }
    assert routes == set(MATRIX)


@pytest.mark.parametrize(("method", "path"), sorted(MATRIX))
def test_every_role_on_every_endpoint(
    client: TestClient, tokens: dict[str, str], method: str, path: str
) -> None:
    allowed = MATRIX[(method, path)]
    if allowed is PUBLIC:
        assert _call(client, method, path, {}) in (200, 503)
        return
    assert _call(client, method, path, {}) == 401
    assert _call(client, method, path, bearer("mzg_not-a-token")) == 401
    for account, (role, post) in ROLE_ACCOUNTS.items():
        status = _call(client, method, path, bearer(tokens[account]), post)
        if role.value in allowed:
            assert status not in (401, 403, 500), (account, method, path, status)
        else:
            assert status == 403, (account, method, path, status)
