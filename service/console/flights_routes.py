"""The inspector's flights page: passenger lists arriving at the port, referred people first.

A route module of its own (added by :func:`service.console.install_console`); the query is
:mod:`service.console.flights_view`, the page ``console/flights.html``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response

from mizugiwa.db.engine import session_scope
from mizugiwa.service.auth import Principal, Role
from mizugiwa.service.console.access import BASE
from mizugiwa.service.console.flights_view import arriving_flights
from mizugiwa.service.console.web import render, requires
from mizugiwa.service.deps import RuntimeDep

router = APIRouter(prefix=BASE, include_in_schema=False, default_response_class=HTMLResponse)
InspectorPage = Annotated[Principal, Depends(requires(Role.BORDER_INSPECTOR))]
PORT_COOKIE = "mizugiwa_port"  # the port the inspection form remembers


@router.get("/flights")
def flights_page(
    request: Request,
    principal: InspectorPage,
    runtime: RuntimeDep,
    port: Annotated[str | None, Query(max_length=5)] = None,
) -> Response:
    """Flights arriving at the port (the inspection form's port unless one is asked for)."""
    chosen = (port if port is not None else request.cookies.get(PORT_COOKIE, "")).strip().upper()
    with session_scope(runtime.engine) as session:
        view = arriving_flights(session, chosen or None, datetime.now(UTC))
    return render(
        request,
        "console/flights.html",
        "flights",
        {"port": chosen, "flights": view.flights, "upcoming": view.upcoming},
    )
