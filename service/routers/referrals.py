"""The referral worklist: a post's referred cases and, for headquarters, the visa WAN feed."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query

from mizugiwa.db.engine import session_scope
from mizugiwa.service.auth import Role
from mizugiwa.service.cases import referrals
from mizugiwa.service.deps import DatabaseDep, ReferralReaderDep, RuntimeDep
from mizugiwa.service.errors import PermissionDeniedError
from mizugiwa.service.schemas import ErrorResponse, QueryDate, ReferralItem, ReferralPage

router = APIRouter(prefix="/v1", tags=["referrals"])


@router.get(
    "/referrals",
    response_model=ReferralPage,
    responses={code: {"model": ErrorResponse} for code in (401, 403)},
    dependencies=[DatabaseDep],
)
def list_referrals(
    principal: ReferralReaderDep,
    runtime: RuntimeDep,
    post: Annotated[str | None, Query(pattern=r"^[A-Za-z]{3}$")] = None,
    status: Literal["pending", "interviewed"] | None = None,
    since: Annotated[QueryDate | None, Query(description="Cases on or after this date.")] = None,
    until: Annotated[QueryDate | None, Query(description="Cases on or before this date.")] = None,
    cursor: Annotated[str | None, Query(max_length=64)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> ReferralPage:
    """Referred cases, newest first, a page at a time (pass ``next_cursor`` as ``cursor``).

    Filter by ``post``, ``status`` (``pending`` or ``interviewed``) and case date. A consular
    officer sees only their own post's cases; other readers see every post (the WAN feed).
    """
    post_code = post.upper() if post else None
    if principal.role is Role.CONSULAR_OFFICER:
        if post_code is not None and post_code != principal.post_code:
            raise PermissionDeniedError(
                f"post: a consular officer of {principal.post_code} sees only that post"
            )
        post_code = principal.post_code
    with session_scope(runtime.engine) as session:
        rows, next_cursor = referrals(
            session,
            post_code=post_code,
            status=status,
            since=since,
            until=until,
            cursor=cursor,
            limit=limit,
        )
        items = [ReferralItem.model_validate(row) for row in rows]
    return ReferralPage(items=items, next_cursor=next_cursor)
