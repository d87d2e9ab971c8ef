"""``GET /api/v1/staff/me``: who the token acts as, and in which agencies with which roles."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema

from gongkai.agencies.api import AgencyRef
from gongkai.agencies.models import Membership, Role
from gongkai.apitokens.auth import actor
from gongkai.apitokens.schemas import responses

staff_router = Router(tags=["令牌"])


class MembershipOut(Schema):
    agency: AgencyRef
    role: Role
    role_label: str
    covers_subtree: bool = Field(..., description="主管、管理员的岗位覆盖全部下级机构")

    @staticmethod
    def resolve_role_label(obj: Membership) -> str:
        return str(obj.get_role_display())


class TokenInfoOut(Schema):
    name: str
    prefix: str
    created_at: dt.datetime
    expires_at: dt.datetime | None


class MeOut(Schema):
    username: str
    name: str
    is_superuser: bool
    memberships: list[MembershipOut]
    token: TokenInfoOut


@staff_router.get(
    "/me", response=responses({200: MeOut}, auth=True), summary="当前令牌的用户与岗位"
)
def me(request: HttpRequest) -> dict[str, Any]:
    user = actor(request)
    return {
        "username": user.get_username(),
        "name": user.get_full_name() or user.get_username(),
        "is_superuser": user.is_superuser,
        "memberships": list(
            Membership.objects.filter(user=user).select_related("agency").order_by("agency__path")
        ),
        "token": request.auth,  # type: ignore[attr-defined]
    }
