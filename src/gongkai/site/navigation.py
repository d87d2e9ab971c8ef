"""Console navigation: which menu items a staff user sees, by role.

Each app appends its items to ``ITEMS``. An item is shown when the user holds one of its roles in
any agency (or is a superuser). Items whose URL cannot be reversed are skipped, so an app can list
its item before its view exists.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from gongkai.agencies.models import Membership, Role


@dataclass(frozen=True)
class NavItem:
    label: Any
    url_name: str
    roles: frozenset[Role]
    superuser_only: bool = False


EVERYONE = frozenset(Role)
HANDLERS = frozenset({Role.OFFICER, Role.HEAD, Role.SUPERVISOR})
PUBLISHERS = frozenset({Role.OFFICER, Role.REVIEWER, Role.HEAD})

ITEMS: list[NavItem] = [
    NavItem(_("工作台"), "site:console", EVERYONE),
    NavItem(_("依申请公开"), "applications_staff:inbox", HANDLERS),
    NavItem(_("申请台账"), "applications_staff:ledger", EVERYONE),
    NavItem(_("主动公开"), "publications_staff:list", PUBLISHERS),
    NavItem(_("年度报告"), "reports_staff:index", EVERYONE),
    NavItem(_("督查督办"), "supervision_staff:index", frozenset({Role.SUPERVISOR})),
    NavItem(_("督办任务"), "supervision_staff:mine", EVERYONE),
    NavItem(_("文书模板"), "letters_staff:templates", frozenset({Role.HEAD, Role.ADMINISTRATOR})),
    NavItem(_("本机构信息"), "agencies_staff:mine", frozenset({Role.ADMINISTRATOR, Role.HEAD})),
    NavItem(_("接口令牌"), "apitokens:list", EVERYONE),
    NavItem(_("系统管理"), "admin:index", frozenset(), superuser_only=True),
]


def items_for(user: Any) -> list[dict[str, str]]:
    if not getattr(user, "is_authenticated", False):
        return []
    roles = {Role(r) for r in Membership.objects.filter(user=user).values_list("role", flat=True)}
    result = []
    for item in ITEMS:
        allowed = user.is_superuser or (not item.superuser_only and roles & item.roles)
        if not allowed:
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        result.append({"label": str(item.label), "url": url, "name": item.url_name})
    return result
