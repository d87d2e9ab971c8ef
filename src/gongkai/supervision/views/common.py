"""Helpers shared by the supervision console views (thin: rules live in the service modules)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from gongkai.agencies.models import GOVERNMENT_KINDS, Agency, Role
from gongkai.agencies.scoping import agencies_for, is_staff_user
from gongkai.core import dates
from gongkai.core.errors import DomainError

SUPERVISOR = frozenset({Role.SUPERVISOR})


def staff_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Signed in (else the login page) and a member of some agency (else 403)."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not is_staff_user(request.user):
            raise PermissionDenied(_("您的账号尚未分配任何机构岗位，请联系系统管理员。"))
        return view(request, *args, **kwargs)

    return wrapper


def supervisor_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Staff with a supervisor role somewhere (else 403)."""

    @staff_view
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not agencies_for(request.user, SUPERVISOR).exists():
            raise PermissionDenied(_("只有主管（政务公开工作主管部门）可以使用此功能。"))
        return view(request, *args, **kwargs)

    return wrapper


def supervised_agencies(user: Any):
    """Every agency in the user's supervisor scope."""
    return agencies_for(user, SUPERVISOR)


def supervising_choices(user: Any):
    """Agencies that may supervise tasks or assess units: governments in the supervisor scope,
    top-down."""
    return (
        supervised_agencies(user).filter(kind__in=GOVERNMENT_KINDS).order_by("depth", "pinyin_key")
    )


def home_agency(user: Any) -> Agency | None:
    """The top agency of the user's supervisor scope."""
    return supervised_agencies(user).order_by("depth", "pinyin_key").first()


def chosen_agency(request: HttpRequest, queryset, param: str = "agency") -> Agency | None:
    """The agency named by ``?agency=code`` within ``queryset`` (404 outside it), else the
    user's home agency."""
    code = request.GET.get(param) or request.POST.get(param)
    if code:
        return get_object_or_404(queryset, code=code)
    home = home_agency(request.user)
    if home is not None and queryset.filter(pk=home.pk).exists():
        return home
    return queryset.order_by("depth", "pinyin_key").first()


def int_param(request: HttpRequest, name: str, default: int, low: int, high: int) -> int:
    try:
        value = int(request.GET.get(name) or default)
    except ValueError:
        return default
    return value if low <= value <= high else default


def year_param(request: HttpRequest) -> int:
    today = dates.today()
    return int_param(request, "year", today.year, 2000, today.year + 1)


def month_param(request: HttpRequest) -> dt.date:
    today = dates.today()
    text = request.GET.get("month") or ""
    try:
        year, month = (int(p) for p in text.split("-"))
        return dt.date(year, month, 1)
    except (ValueError, TypeError):
        return today.replace(day=1)


def run(request: HttpRequest, call: Callable[[], Any], form: Any = None) -> Any:
    """Run a service call; a refused rule becomes a form error (or a message); 403 stays 403."""
    try:
        return call()
    except DomainError as exc:
        if exc.status == 403:
            raise PermissionDenied(exc.message) from exc
        if form is not None:
            form.add_domain_error(exc)
        else:
            messages.error(request, exc.message)
        return None
