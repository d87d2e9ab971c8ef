"""Console pages of personal API tokens (接口令牌): list, create (shown once), revoke.

Staff only (a membership in some agency, or a superuser). A user sees and revokes only their own
tokens; another user's token id answers 404.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from gongkai.agencies.scoping import is_staff_user
from gongkai.apitokens import tokens
from gongkai.apitokens.forms import TokenForm
from gongkai.apitokens.models import ApiToken
from gongkai.core import dates
from gongkai.core.errors import DomainError


def staff_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @login_required
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not is_staff_user(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def _rows(user: Any) -> list[dict[str, Any]]:
    now = dates.now()
    rows = []
    for token in ApiToken.objects.filter(user=user).order_by("-created_at", "-id"):
        if token.is_revoked:
            state, label = "revoked", _("已吊销")
        elif token.is_expired(now):
            state, label = "expired", _("已过期")
        else:
            state, label = "active", _("有效")
        rows.append({"token": token, "state": state, "state_label": label})
    return rows


def _render_list(
    request: HttpRequest, form: TokenForm, *, created: str = "", status: int = 200
) -> HttpResponse:
    return render(
        request,
        "apitokens/list.html",
        {
            "form": form,
            "rows": _rows(request.user),
            "created": created,
            "api_docs": reverse("api:openapi-view"),
        },
        status=status,
    )


@never_cache
@require_GET
@staff_only
def token_list(request: HttpRequest) -> HttpResponse:
    """The user's tokens and the form for a new one."""
    return _render_list(request, TokenForm())


@never_cache
@require_POST
@staff_only
def token_create(request: HttpRequest) -> HttpResponse:
    """Create a token and show it once (the page is never cached; the token is not stored)."""
    form = TokenForm(request.POST)
    if form.is_valid():
        try:
            _token, text = tokens.create_token(
                request.user, form.cleaned_data["name"], form.cleaned_data["lifetime_days"]
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            return _render_list(request, TokenForm(), created=text)
    return _render_list(request, form, status=400)


@require_POST
@staff_only
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    tokens.revoke_token(token, request.user)
    messages.success(request, _("令牌“%(name)s”已吊销，立即失效。") % {"name": token.name})
    return redirect("apitokens:list")
