"""Console pages of complaints (投诉举报): list with counts, registration, the complaint page with
assignment and reply. Complaints outside the user's scope are not found (404)."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from gongkai.core import dates
from gongkai.supervision import complaints as service
from gongkai.supervision.forms import AssignForm, ComplaintForm, ReplyForm
from gongkai.supervision.models import Complaint, ComplaintCategory, ComplaintStatus
from gongkai.supervision.views.common import (
    run,
    staff_view,
    supervised_agencies,
    supervising_choices,
    supervisor_view,
    year_param,
)


@require_GET
@staff_view
def complaint_list(request: HttpRequest) -> HttpResponse:
    year = year_param(request)
    complaints = service.complaints_for(request.user).received_in(year)
    status = request.GET.get("status") or ""
    if status in ComplaintStatus.values:
        complaints = complaints.filter(status=status)
    counts = (
        service.complaints_for(request.user)
        .received_in(year)
        .aggregate(
            total=Count("id"),
            open=Count("id", filter=~Q(status=ComplaintStatus.REPLIED)),
            substantiated=Count("id", filter=Q(finding="substantiated")),
            **{c.value: Count("id", filter=Q(category=c.value)) for c in ComplaintCategory},
        )
    )
    page = Paginator(
        complaints.select_related("unit", "assigned_to").order_by("-received_on", "-id"), 50
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "supervision/staff/complaints.html",
        {
            "page": page,
            "year": year,
            "years": range(dates.today().year, dates.today().year - 6, -1),
            "status": status,
            "counts": counts,
            "categories": [(label, counts[value]) for value, label in ComplaintCategory.choices],
            "can_register": supervising_choices(request.user).exists(),
        },
    )


@supervisor_view
def complaint_new(request: HttpRequest) -> HttpResponse:
    agencies = supervising_choices(request.user)
    if request.method == "POST":
        form = ComplaintForm(request.POST, agencies=agencies)
        if form.is_valid():
            data = form.cleaned_data
            receiving = data["receiving_agency"]
            name = data["unit"].strip()
            unit = (
                supervised_agencies(request.user)
                .filter(path__startswith=receiving.path)
                .filter(Q(name=name) | Q(code=name) | Q(short_name=name))
                .order_by("depth")
                .first()
            )
            if unit is None:
                form.add_error("unit", _("找不到该单位，请从列表中选择全称。"))
            else:
                complaint = run(
                    request,
                    lambda: service.register(
                        request.user,
                        receiving_agency=receiving,
                        unit=unit,
                        complainant=data["complainant"],
                        contact=data["contact"],
                        category=data["category"],
                        text=data["text"],
                        received_on=data["received_on"],
                    ),
                    form,
                )
                if complaint:
                    messages.success(request, _("投诉举报已登记。"))
                    return redirect("supervision_staff:complaint", complaint.pk)
        status = 400
    else:
        form = ComplaintForm(
            agencies=agencies,
            initial={"receiving_agency": agencies.first(), "received_on": dates.today()},
        )
        status = 200
    names = supervised_agencies(request.user).order_by("depth", "pinyin_key")
    return render(
        request,
        "supervision/staff/complaint_form.html",
        {"form": form, "agency_names": names.values_list("name", flat=True)},
        status=status,
    )


def _complaint(request: HttpRequest, pk: int) -> Complaint:
    return get_object_or_404(
        service.complaints_for(request.user).select_related(
            "unit", "receiving_agency", "assigned_to", "created_by"
        ),
        pk=pk,
    )


def _detail(request: HttpRequest, complaint: Complaint, status: int = 200, **forms) -> HttpResponse:
    from gongkai.agencies.scoping import has_role
    from gongkai.site import audit

    handler = has_role(request.user, complaint.receiving_agency, service.HANDLER_ROLES)
    assignee = complaint.assigned_to_id == request.user.pk
    open_ = complaint.status != ComplaintStatus.REPLIED
    context = {
        "complaint": complaint,
        "entries": audit.entries_for(complaint)[:20],
        "assign_form": forms.get("assign_form")
        or (
            AssignForm(candidates=service.assignee_candidates(complaint))
            if handler and open_
            else None
        ),
        "reply_form": forms.get("reply_form")
        or (
            ReplyForm(initial={"replied_on": dates.today()})
            if (handler or assignee) and open_
            else None
        ),
    }
    return render(request, "supervision/staff/complaint.html", context, status=status)


@require_GET
@staff_view
def complaint_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _complaint(request, pk))


@require_POST
@staff_view
def complaint_assign(request: HttpRequest, pk: int) -> HttpResponse:
    complaint = _complaint(request, pk)
    form = AssignForm(request.POST, candidates=service.assignee_candidates(complaint))
    if form.is_valid() and run(
        request,
        lambda: service.assign(request.user, complaint, form.cleaned_data["assigned_to"]),
        form,
    ):
        messages.success(request, _("已分办。"))
        return redirect("supervision_staff:complaint", complaint.pk)
    return _detail(request, complaint, 400, assign_form=form)


@require_POST
@staff_view
def complaint_reply(request: HttpRequest, pk: int) -> HttpResponse:
    complaint = _complaint(request, pk)
    form = ReplyForm(request.POST)
    if form.is_valid() and run(
        request,
        lambda: service.answer(
            request.user,
            complaint,
            reply=form.cleaned_data["reply"],
            finding=form.cleaned_data["finding"],
            replied_on=form.cleaned_data["replied_on"],
        ),
        form,
    ):
        messages.success(request, _("已答复。"))
        return redirect("supervision_staff:complaint", complaint.pk)
    return _detail(request, complaint, 400, reply_form=form)
