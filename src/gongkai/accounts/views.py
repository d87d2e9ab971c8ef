"""The second login step and the console page that turns two-factor login on and off.

Between the password and the code the session holds only a *pending* marker (user id, backend,
where to go next, when): the user is not logged in, so no staff page, API token page or admin
page opens until the code is verified. The marker lasts :data:`PENDING_SECONDS`.
"""

from __future__ import annotations

import time
from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from gongkai.accounts import totp
from gongkai.accounts.forms import CodeForm
from gongkai.core.errors import DomainError

SESSION_KEY = "gongkai_2fa_pending"
PENDING_SECONDS = 300


def begin(request: HttpRequest, user: Any, next_url: str) -> HttpResponse:
    """After a correct password of a user with an active device: remember the user (not logged
    in) and send the browser to the code step."""
    request.session[SESSION_KEY] = {
        "user": user.pk,
        "backend": user.backend,
        "next": next_url,
        "at": time.time(),
    }
    request.session.cycle_key()
    return redirect("accounts:verify")


def _pending(request: HttpRequest) -> tuple[Any, dict[str, Any]] | None:
    data = request.session.get(SESSION_KEY)
    if not isinstance(data, dict) or time.time() - float(data.get("at", 0)) > PENDING_SECONDS:
        request.session.pop(SESSION_KEY, None)
        return None
    user = get_user_model()._default_manager.filter(pk=data.get("user"), is_active=True).first()
    if user is None:
        request.session.pop(SESSION_KEY, None)
        return None
    return user, data


@never_cache
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    pending = _pending(request)
    if pending is None:
        messages.info(request, _("请重新输入用户名和密码。"))
        return redirect("site:login")
    user, data = pending
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            totp.verify_login(user, form.cleaned_data["code"])
        except DomainError as exc:
            form.add_error("code", exc.message)
        else:
            request.session.pop(SESSION_KEY, None)
            login(request, user, backend=data["backend"])
            return redirect(data.get("next") or "site:console")
    return render(request, "accounts/verify.html", {"form": form, "pending_user": user})


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def manage(request: HttpRequest) -> HttpResponse:
    """Status, enrolment (QR code, first code), recovery codes once, and disabling."""
    user = request.user
    action = request.POST.get("action", "") if request.method == "POST" else ""
    form = CodeForm(request.POST or None) if action in {"confirm", "disable"} else CodeForm()
    try:
        if action == "start":
            totp.start_enrolment(user)
            return redirect("accounts_staff:two_factor")
        if action == "cancel":
            device = totp.pending_device(user)
            if device is not None:
                device.delete()
            return redirect("accounts_staff:two_factor")
        if action == "confirm" and form.is_valid():
            codes = totp.confirm_enrolment(user, form.cleaned_data["code"])
            messages.success(request, _("两步验证已启用。"))
            return render(request, "accounts/recovery_codes.html", {"codes": codes})
        if action == "disable" and form.is_valid():
            totp.disable(user, form.cleaned_data["code"])
            messages.success(request, _("两步验证已停用。"))
            return redirect("accounts_staff:two_factor")
    except DomainError as exc:
        if action not in {"confirm", "disable"}:
            messages.error(request, exc.message)
            return redirect("accounts_staff:two_factor")
        form.add_error("code", exc.message)
    context: dict[str, Any] = {"form": form, "device": totp.active_device(user)}
    if context["device"] is not None:
        context["recovery_left"] = totp.remaining_recovery_codes(user)
    else:
        pending = totp.pending_device(user)
        if pending is not None:
            uri = totp.provisioning_uri(pending)
            context.update(pending=pending, uri=uri, qr=totp.qr_svg(uri), secret=pending.secret)
    return render(request, "accounts/two_factor.html", context)
