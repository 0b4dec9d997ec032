"""The OpenAPI document is the contract: schemathesis sends every operation generated and
mutated requests (at least 2,000 in all) and runs all of its checks on every answer (no 5xx,
status codes, content types, headers and bodies as documented, schema-valid requests accepted,
schema-invalid ones refused). ``benchmarks/bench_api_contract.py`` runs more."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck
from hypothesis import settings as hsettings
from service_samples import ENTRY, bearer
from tiny_champion import write_cached_champion

from mizugiwa.service.app import create_app
from mizugiwa.service.runtime import ServiceRuntime
from mizugiwa.settings import Settings

EXAMPLES = int(os.environ.get("MIZUGIWA_CONTRACT_EXAMPLES", "130"))
# Who calls each operation: a caller whose role may (the role matrix is tested elsewhere).
CALLER = {
    "/v1/visa-applications/score": "officer_mnl",
    "/v1/border-entries/score": "inspector",
    "/v1/outcomes": "inspector",
    "/v1/watchlist/search": "analyst",
    "/metrics": "admin",
}


@pytest.fixture
def contract_app(settings: Settings, tmp_path: Path) -> Iterator[dict[str, Any]]:
    runtime = ServiceRuntime(settings, cache_dir=tmp_path / "model-cache")
    write_cached_champion(runtime._cache_path())
    from service_samples import ROLE_ACCOUNTS

    from mizugiwa.service.auth import add_user, issue_token

    tokens = {}
    for name, (role, post) in ROLE_ACCOUNTS.items():
        add_user(runtime.engine, name, role.value, post)
        tokens[name] = issue_token(runtime.engine, name)
    app = create_app(settings, runtime=runtime, reload_models=False)
    with TestClient(app):  # the lifespan: champion, views, history, probe
        yield {"app": app, "tokens": tokens, "runtime": runtime}
    runtime.close()


def documented_rules_only(ctx: Any, response: Any, case: Any) -> bool | None:
    """Schemathesis' ``positive_data_acceptance``, less what JSON Schema cannot state: a
    schema-valid request may be refused (422) only by the rules the schema documents in words,
    relations between fields and dates relative to today (``type`` ``value_error``); never by
    a constraint the schema could have stated (a pattern, a type, a range, a missing field)."""
    from schemathesis.specs.openapi.checks import positive_data_acceptance

    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive or response.status_code != 422:
        return positive_data_acceptance(ctx, response, case)
    errors = response.json()["detail"]
    stated = [e for e in errors if e.get("type") != "value_error"]
    assert not stated, f"{case.operation.label}: schema-valid data refused: {stated}"
    return None


def _fuzz(operation: Any, mode: Any, auth: dict[str, str], examples: int) -> int:
    """Run ``examples`` cases of one operation in one generation mode; returns how many ran."""
    from hypothesis import given
    from schemathesis.core.parameters import ParameterLocation
    from schemathesis.generation import GenerationMode
    from schemathesis.specs.openapi.checks import positive_data_acceptance

    ran = 0

    @given(case=operation.as_strategy(generation_mode=mode))
    @hsettings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def one(case: Any) -> None:
        nonlocal ran
        components = case.meta.components if case.meta is not None else {}
        header = components.get(ParameterLocation.HEADER)
        # A case whose headers were made invalid on purpose keeps them (no token added back).
        keep = header is not None and header.mode is GenerationMode.NEGATIVE
        case.call_and_validate(
            headers=dict(case.headers or {}) if keep else {**(case.headers or {}), **auth},
            excluded_checks=[positive_data_acceptance],
            additional_checks=[documented_rules_only],
        )
        ran += 1

    one()
    return ran


def run_contract(app: Any, tokens: dict[str, str], examples: int) -> dict[str, int]:
    """Every operation, positive and negative cases, all checks; returns cases per operation.
    Raises on the first failing check (its message names the operation and the check)."""
    from hypothesis.errors import Unsatisfiable
    from schemathesis.generation import GenerationMode

    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    counts: dict[str, int] = {}
    for result in schema.get_all_operations():
        operation = result.ok()
        label = f"{operation.method.upper()} {operation.path}"
        auth = {"Authorization": f"Bearer {tokens[CALLER.get(operation.path, 'analyst')]}"}
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            try:
                counts[label] = counts.get(label, 0) + _fuzz(operation, mode, auth, examples)
            except Unsatisfiable:  # nothing to mutate (an operation without parameters)
                if mode is GenerationMode.POSITIVE:
                    raise
    return counts


def test_every_operation_keeps_its_contract(contract_app: dict[str, Any]) -> None:
    counts = run_contract(contract_app["app"], contract_app["tokens"], EXAMPLES)
    print(f"schemathesis: {sum(counts.values())} cases: {counts}")
    assert len(counts) >= 9, counts
    assert sum(counts.values()) >= 2000 or EXAMPLES < 130, counts


def test_the_document_states_what_the_server_enforces(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert spec["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    score = spec["paths"]["/v1/border-entries/score"]["post"]
    assert score["security"] == [{"bearerAuth": []}]
    assert "Retry-After" in score["responses"]["503"]["headers"]
    assert "healthz" not in str(spec["paths"]["/healthz"]["get"].get("security", ""))
    metrics = spec["paths"]["/metrics"]["get"]["responses"]["200"]
    assert list(metrics["content"]) == ["text/plain"]
    entry = spec["components"]["schemas"]["BorderEntry"]["properties"]
    mrz_patterns = str(entry["mrz"])
    assert "{44}" in mrz_patterns and "{30}" in mrz_patterns


@pytest.mark.parametrize("value", ["90", True, "true"])
def test_strings_and_booleans_are_not_integers(
    client: TestClient, tokens: dict[str, str], value: Any
) -> None:
    body = dict(ENTRY, declared_stay_days=value)
    response = client.post(
        "/v1/border-entries/score", json=body, headers=bearer(tokens["inspector"])
    )
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"] == ["body", "declared_stay_days"]


def test_a_lowercase_mrz_is_read_as_upper_case_and_its_rules_fire(
    contract_app: dict[str, Any],
) -> None:
    bad_digit = [
        "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
        "L898902C37UTO7408122F1204159ZE184226B<<<<<10",  # document number check digit wrong
    ]
    body = dict(ENTRY, mrz=[line.lower() for line in bad_digit], visa_reference=None)
    with TestClient(contract_app["app"]) as client:
        response = client.post(
            "/v1/border-entries/score",
            json=body,
            headers=bearer(contract_app["tokens"]["inspector"]),
        )
    assert response.status_code == 200, response.text
    assert "RULE-MRZ-CHECK" in [r["code"] for r in response.json()["rules_fired"]]
