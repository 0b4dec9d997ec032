"""FastAPI dependencies: the runtime, the caller, and the role each route requires.

Routes declare who may call them with one of the typed aliases (``OfficerDep`` and so on); the
test of the endpoint x role matrix walks every route with every role.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from fastapi import Depends, Request
from starlette.concurrency import run_in_threadpool

from mizugiwa.service.audit import input_digest
from mizugiwa.service.auth import STAFF_ROLES, Principal, Role
from mizugiwa.service.errors import PermissionDeniedError
from mizugiwa.service.runtime import ServiceRuntime


async def get_runtime(request: Request) -> ServiceRuntime:
    """The runtime the lifespan built (model, snapshot, index, history, database).

    ``async`` although it does not wait: FastAPI runs a plain ``def`` dependency in the thread
    pool, a hop that costs more than the lookup."""
    runtime: ServiceRuntime = request.app.state.runtime
    return runtime


RuntimeDep = Annotated[ServiceRuntime, Depends(get_runtime)]


async def authenticate(request: Request) -> Principal:
    """The caller behind the bearer token; also digests the body for the decision log."""
    runtime: ServiceRuntime = request.app.state.runtime
    if getattr(request.state, "input_sha256", None) is None:  # not JSON: digest the bytes
        request.state.input_sha256 = input_digest(await request.body())
    header = request.headers.get("authorization")
    principal = runtime.authenticator.cached(header)
    if principal is None:  # the re-check may wait on the database: not on the event loop
        principal = await run_in_threadpool(runtime.authenticator.authenticate, header)
    request.state.principal = principal
    return principal


def require(*roles: Role) -> Callable[..., Awaitable[Principal]]:
    """A dependency admitting only ``roles`` (403 for any other authenticated caller).

    One flat dependency (no sub-dependencies to resolve): it runs on every request."""
    allowed = frozenset(roles)

    async def check(request: Request) -> Principal:
        principal = await authenticate(request)
        if principal.role not in allowed:
            names = ", ".join(sorted(r.value for r in allowed))
            raise PermissionDeniedError(
                f"role {principal.role.value} may not call {request.method} "
                f"{request.url.path} (allowed: {names})"
            )
        return principal

    return check


AnyUserDep = Annotated[Principal, Depends(require(*STAFF_ROLES))]
OutcomeRecorderDep = Annotated[
    Principal, Depends(require(Role.CONSULAR_OFFICER, Role.BORDER_INSPECTOR))
]
ReferralReaderDep = Annotated[
    Principal,
    Depends(require(Role.CONSULAR_OFFICER, Role.BORDER_INSPECTOR, Role.ANALYST, Role.AUDITOR)),
]
WatchlistSearcherDep = Annotated[
    Principal,
    Depends(require(Role.CONSULAR_OFFICER, Role.BORDER_INSPECTOR, Role.ANALYST)),
]
OperatorDep = Annotated[Principal, Depends(require(Role.ADMIN, Role.ANALYST))]
PassengerListSenderDep = Annotated[
    Principal, Depends(require(Role.BORDER_INSPECTOR, Role.API_FEED))
]
PrearrivalReaderDep = Annotated[
    Principal, Depends(require(Role.BORDER_INSPECTOR, Role.ANALYST, Role.AUDITOR))
]


async def database_available(request: Request) -> None:
    """503 with ``Retry-After`` at once while the database breaker is open (routes that cannot
    answer without the database: outcomes, the worklist)."""
    from mizugiwa.service.outage import require_database

    runtime: ServiceRuntime = request.app.state.runtime
    require_database(runtime.database)


DatabaseDep = Depends(database_available)


_KNOWN_QUERY: dict[int, frozenset[str]] = {}


async def known_query_only(request: Request) -> None:
    """422 for a query parameter the operation does not take: a misspelt filter (``unti=``)
    must not silently widen a worklist, and the OpenAPI document allows no others."""
    route = request.scope.get("route")
    dependant = getattr(route, "dependant", None)
    if dependant is None or not request.query_params:
        return
    known = _KNOWN_QUERY.get(id(route))
    if known is None:
        known = frozenset(_query_names(dependant))
        _KNOWN_QUERY[id(route)] = known
    unknown = sorted(set(request.query_params.keys()) - known)
    if unknown:
        from mizugiwa.service.errors import InvalidRequestError

        takes = ", ".join(sorted(known)) or "none"
        raise InvalidRequestError(
            f"query: a parameter this operation does not take (it takes: {takes})",
            loc=("query", unknown[0][:64]),
        )


def _query_names(dependant: Any) -> set[str]:
    names = {param.alias for param in dependant.query_params}
    for sub in dependant.dependencies:
        names |= _query_names(sub)
    return names


KnownQueryDep = Depends(known_query_only)
