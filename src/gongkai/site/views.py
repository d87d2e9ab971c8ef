"""Home page, staff console landing page, account pages, error pages."""

from __future__ import annotations

import sys

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from gongkai.accounts import totp
from gongkai.accounts import views as two_factor_views
from gongkai.accounts.forms import LoginForm
from gongkai.agencies.models import Agency, AgencyKind, Membership
from gongkai.agencies.scoping import is_staff_user
from gongkai.site import audit, dbfaults
from gongkai.site.pagecache import cache_page


@cache_page
def home(request: HttpRequest) -> HttpResponse:
    """The public home page: the region, its leagues and cities, the ways in."""
    region = (
        Agency.objects.active().filter(kind=AgencyKind.REGION_GOVERNMENT).order_by("pk").first()
    )
    leagues = (
        Agency.objects.active()
        .filter(Q(kind=AgencyKind.LEAGUE_GOVERNMENT) | Q(is_separately_planned=True))
        .order_by("is_separately_planned", "pinyin_key", "name")
    )
    return render(request, "site/home.html", {"region": region, "leagues": leagues})


@login_required
def console(request: HttpRequest) -> HttpResponse:
    if not is_staff_user(request.user):
        raise PermissionDenied(_("您的账号尚未分配任何机构岗位，请联系系统管理员。"))
    memberships = (
        Membership.objects.filter(user=request.user)
        .select_related("agency")
        .order_by("agency__pinyin_key", "role")
    )
    return render(request, "site/console.html", {"memberships": memberships})


class LoginView(auth_views.LoginView):
    """The password step: throttled (:class:`~gongkai.accounts.forms.LoginForm`), then the code
    step for users with two-factor login on (:mod:`gongkai.accounts.views`)."""

    template_name = "registration/login.html"
    redirect_authenticated_user = True
    form_class = LoginForm

    def form_valid(self, form):
        user = form.get_user()
        if totp.active_device(user) is not None:
            return two_factor_views.begin(self.request, user, self.get_success_url())
        return super().form_valid(form)


def admin_login(request: HttpRequest) -> HttpResponse:
    """The admin's own login form would skip throttling and two-factor login: send it here."""
    target = reverse("site:login")
    next_url = request.GET.get("next")
    if next_url:
        target += "?" + urlencode({"next": next_url})
    return redirect(target)


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "registration/password_change.html"
    success_url = reverse_lazy("site:console")

    def form_valid(self, form):
        with transaction.atomic():
            response = super().form_valid(form)
            audit.record(self.request.user, "user.password_change", self.request.user)
        messages.success(self.request, _("密码已修改。"))
        return response


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    message = str(exception) if exception and str(exception) else ""
    return render(request, "site/403.html", {"message": message}, status=403)


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "site/404.html", status=404)


def error_500(request: HttpRequest) -> HttpResponse:
    if dbfaults.is_transient(sys.exc_info()[1]):  # e.g. the session could not be saved
        return dbfaults.unavailable(request)
    return render(request, "site/500.html", status=500)
