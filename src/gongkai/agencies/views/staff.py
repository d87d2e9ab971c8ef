"""Staff pages: "本机构信息", where administrators and heads keep their agency's profile."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from gongkai.agencies.forms import AgencyProfileForm
from gongkai.agencies.models import Agency
from gongkai.agencies.profile import EDIT_ROLES, update_profile
from gongkai.agencies.scoping import agencies_for, get_in_scope_or_404, require_role
from gongkai.core.errors import DomainError
from gongkai.site.audit import entries_for

PAGE_SIZE = 50
HISTORY_SIZE = 30


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """The agencies whose profile the user may edit (as administrator or head)."""
    agencies = agencies_for(request.user, EDIT_ROLES).select_related("parent").in_pinyin_order()
    page = Paginator(agencies, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "agencies/staff/mine.html", {"page": page})


@login_required
def edit(request: HttpRequest, code: str) -> HttpResponse:
    """Edit one agency's profile: 404 outside the user's scope, 403 without an editing role."""
    agency = get_in_scope_or_404(
        Agency.objects.select_related("parent"), request.user, agency_field="pk", code=code
    )
    require_role(request.user, agency, EDIT_ROLES)
    form = AgencyProfileForm(request.POST or None, instance=agency)
    if request.method == "POST" and form.is_valid():
        try:
            update_profile(agency, form.cleaned_data, actor=request.user)
        except DomainError as exc:
            for field, errors in (exc.details or {exc.field: [exc.message]}).items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
        else:
            messages.success(request, _("机构信息已保存。"))
            return redirect("agencies_staff:edit", code=agency.code)
    history = entries_for(agency)[:HISTORY_SIZE]
    return render(
        request, "agencies/staff/edit.html", {"agency": agency, "form": form, "history": history}
    )
