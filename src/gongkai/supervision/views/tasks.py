"""Console pages of supervision tasks: the supervisor's list, a unit's own tasks, the task page
with its actions, progress reports, creation from work points or by hand, and the monthly
dispatch with its exports. Querysets come from :mod:`gongkai.supervision.tasks` (built on
:mod:`gongkai.agencies.scoping`): out of scope → 404; in scope without the role → 403.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_POST

from gongkai.agencies.models import Role
from gongkai.core import dates
from gongkai.core.dates import format_chinese_date
from gongkai.core.errors import DomainError
from gongkai.site import audit
from gongkai.supervision import dispatch as dispatch_mod
from gongkai.supervision import importing, lights
from gongkai.supervision import tasks as service
from gongkai.supervision.attachments import LimitHandler
from gongkai.supervision.forms import (
    ActionForm,
    AddUnitForm,
    EditTaskForm,
    ImportForm,
    ProgressForm,
    TaskForm,
)
from gongkai.supervision.models import (
    ActionKind,
    Light,
    ProgressAttachment,
    ProgressReport,
    SupervisionTask,
    TaskAction,
    TaskStatus,
    TaskUnit,
)
from gongkai.supervision.views.common import (
    chosen_agency,
    month_param,
    run,
    staff_view,
    supervised_agencies,
    supervising_choices,
    supervisor_view,
    year_param,
)
from gongkai.workdays.calendar import CalendarYearMissing, get_calendar

PAGE_SIZE = 50
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def _agency_names(agency) -> list[str]:
    return list(service.unit_pool(agency).values_list("name", flat=True))


# --- Lists ----------------------------------------------------------------------------------------


def _unit_summary(units, shown: int = 3) -> str:
    """``财政厅、教育厅、审计厅等46个单位``: the first lead units, then how many in all."""
    names = [u.agency.display_name for u in units if u.is_lead]
    if len(names) <= shown:
        return "、".join(names)
    return _("%(names)s等%(n)d个单位") % {"names": "、".join(names[:shown]), "n": len(names)}


@require_GET
@staff_view
def index(request: HttpRequest) -> HttpResponse:
    """The supervisor's task list (others are sent to their own tasks)."""
    if not supervised_agencies(request.user).exists():
        return redirect("supervision_staff:mine")
    year = year_param(request)
    tasks = service.tasks_for_supervisor(request.user).filter(year=year)
    agencies = supervising_choices(request.user)
    code = request.GET.get("agency") or ""
    if code:
        tasks = tasks.filter(supervising_agency__code=code)
    status = request.GET.get("status") or "open"
    if status in TaskStatus.values:
        tasks = tasks.filter(status=status)
    light = request.GET.get("light") or ""
    if light in Light.values:
        tasks = tasks.filter(light=light, status=TaskStatus.OPEN)
    query = (request.GET.get("q") or "").strip()
    if query:
        tasks = tasks.filter(
            Q(title__icontains=query) | Q(number__icontains=query) | Q(text__icontains=query)
        )
    counts = (
        service.tasks_for_supervisor(request.user)
        .filter(year=year, **({"supervising_agency__code": code} if code else {}))
        .aggregate(
            open=Count("id", filter=Q(status=TaskStatus.OPEN)),
            struck_off=Count("id", filter=Q(status=TaskStatus.STRUCK_OFF)),
            green=Count("id", filter=Q(status=TaskStatus.OPEN, light="green")),
            yellow=Count("id", filter=Q(status=TaskStatus.OPEN, light="yellow")),
            red=Count("id", filter=Q(status=TaskStatus.OPEN, light="red")),
        )
    )
    tasks = tasks.select_related("supervising_agency").prefetch_related(
        Prefetch(
            "units",
            queryset=TaskUnit.objects.select_related("agency").order_by("role", "id"),
        )
    )
    page = Paginator(tasks.order_by("due_on", "id"), PAGE_SIZE).get_page(request.GET.get("page"))
    for task in page.object_list:
        task.lead_summary = _unit_summary(task.units.all())
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "supervision/staff/index.html",
        {
            "page": page,
            "year": year,
            "years": range(dates.today().year + 1, dates.today().year - 5, -1),
            "agencies": agencies,
            "agency_code": code,
            "status": status,
            "light": light,
            "q": query,
            "counts": counts,
            "query": params.urlencode(),
            "today": dates.today(),
        },
    )


@require_GET
@staff_view
def mine(request: HttpRequest) -> HttpResponse:
    """Tasks of the user's units (the unit console): lights, due dates, the report link."""
    units = (
        service.my_units(request.user)
        .filter(task__status=TaskStatus.OPEN)
        .select_related("task", "task__supervising_agency", "agency", "owner")
        .order_by("task__due_on", "id")
    )
    done = (
        service.my_units(request.user)
        .filter(task__status=TaskStatus.STRUCK_OFF)
        .select_related("task", "agency")
        .order_by("-task__struck_off_on", "-id")[:20]
    )
    previous = lights.previous_month(dates.today())
    reported = set(
        ProgressReport.objects.filter(unit__in=units, period=previous).values_list(
            "unit_id", flat=True
        )
    )
    return render(
        request,
        "supervision/staff/mine.html",
        {"units": units, "done": done, "previous": previous, "reported": reported},
    )


# --- The task page --------------------------------------------------------------------------------


def _task(request: HttpRequest, pk: int) -> SupervisionTask:
    return get_object_or_404(
        service.visible_tasks(request.user).select_related("supervising_agency", "created_by"),
        pk=pk,
    )


def _detail_context(request: HttpRequest, task: SupervisionTask, **forms: Any) -> dict[str, Any]:
    today = dates.today()
    units = list(task.units.select_related("agency", "owner").order_by("role", "id"))
    months = service.reported_months(u.pk for u in units)
    calendar_error = ""
    try:
        calendar = get_calendar(task.supervising_agency)
        workdays_left = lights.workdays_left(task.due_on, today, calendar)
        for unit in units:
            unit.live_light = lights.unit_light(
                due_on=task.due_on,
                today=today,
                calendar=calendar,
                struck_off=not task.is_open,
                monthly=task.monthly_reporting,
                is_lead=unit.is_lead,
                issued_on=task.issued_on,
                reported_months=months.get(unit.pk, ()),
            )
        live = lights.worst([u.live_light for u in units])
    except CalendarYearMissing as exc:
        calendar_error, workdays_left, live = exc.message, None, task.light or None
        for unit in units:
            unit.live_light = unit.light or None
    supervisor = service.can_supervise(request.user, task)
    mine = service.Memberships(request.user)
    candidates = service.owner_candidates_by_agency({u.agency_id for u in units})
    for unit in units:
        unit.task = task
        unit.can_report = task.is_open and mine.can_report(unit)
        may_name_owner = supervisor or mine.roles_in(unit.agency) & {Role.HEAD, Role.ADMINISTRATOR}
        unit.owner_choices = candidates.get(unit.agency_id, []) if may_name_owner else None
        unit.missing_previous = bool(
            task.is_open
            and task.monthly_reporting
            and unit.is_lead
            and lights.monthly_report_missing(task.issued_on, months.get(unit.pk, ()), today)
        )
    reports = (
        ProgressReport.objects.filter(unit__task=task)
        .select_related("unit", "unit__agency")
        .prefetch_related("attachments")
        .order_by("-period", "-created_at")
    )
    context = {
        "task": task,
        "units": units,
        "light": None if not task.is_open else live,
        "workdays_left": workdays_left,
        "overdue_workdays": -workdays_left
        if workdays_left is not None and workdays_left < 0
        else None,
        "calendar_error": calendar_error,
        "reports": reports,
        "actions": task.actions.select_related("unit", "unit__agency"),
        "entries": audit.entries_for(task)[:50],
        "can_supervise": supervisor,
        "previous": lights.previous_month(today),
        "today": today,
    }
    if supervisor and task.is_open:
        context["action_form"] = forms.get("action_form") or ActionForm(units=units)
        context["edit_form"] = forms.get("edit_form") or EditTaskForm(
            initial={
                "title": task.title,
                "due_on": task.due_on,
                "monthly_reporting": task.monthly_reporting,
            }
        )
        context["unit_form"] = forms.get("unit_form") or AddUnitForm()
        context["agency_names"] = _agency_names(task.supervising_agency)
    return context


@require_GET
@staff_view
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    task = _task(request, pk)
    return render(request, "supervision/staff/task.html", _detail_context(request, task))


@csrf_exempt
def task_act(request: HttpRequest, pk: int) -> HttpResponse:
    """Urge, follow up, comment or strike off (with an evidence file: limit handler first)."""
    request.upload_handlers.insert(0, LimitHandler(request))
    return _task_act(request, pk)


@csrf_protect
@require_POST
@staff_view
def _task_act(request: HttpRequest, pk: int) -> HttpResponse:
    task = _task(request, pk)
    if not service.can_supervise(request.user, task):
        raise PermissionDenied(_("只有督办机关的主管才能进行此操作。"))
    units = list(task.units.select_related("agency"))
    form = ActionForm(request.POST, request.FILES, units=units)
    if form.is_valid():
        data = form.cleaned_data
        unit = next((u for u in units if u.pk == data["unit"]), None)
        action = run(
            request,
            lambda: service.act(
                request.user,
                task,
                data["kind"],
                data["text"],
                unit=unit,
                evidence_file=data.get("evidence"),
            ),
            form,
        )
        if action is not None:
            messages.success(request, _("已%(kind)s。") % {"kind": ActionKind(action.kind).label})
            return redirect("supervision_staff:task", task.pk)
    context = _detail_context(request, task, action_form=form)
    return render(request, "supervision/staff/task.html", context, status=400)


@require_POST
@staff_view
def task_edit(request: HttpRequest, pk: int) -> HttpResponse:
    task = _task(request, pk)
    if not service.can_supervise(request.user, task):
        raise PermissionDenied
    form = EditTaskForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        done = run(
            request,
            lambda: service.update_task(
                request.user,
                task,
                title=data["title"],
                due_on=data["due_on"],
                monthly_reporting=data["monthly_reporting"],
            ),
            form,
        )
        if done is not None:
            messages.success(request, _("任务已修改。"))
            return redirect("supervision_staff:task", task.pk)
    context = _detail_context(request, task, edit_form=form)
    return render(request, "supervision/staff/task.html", context, status=400)


@require_POST
@staff_view
def unit_add(request: HttpRequest, pk: int) -> HttpResponse:
    task = _task(request, pk)
    if not service.can_supervise(request.user, task):
        raise PermissionDenied
    form = AddUnitForm(request.POST)
    if form.is_valid():
        agencies, unknown = service.resolve_names(
            form.cleaned_data["agency"], service.unit_pool(task.supervising_agency)
        )
        if unknown or len(agencies) != 1:
            form.add_error("agency", _("请从列表中选择一个机构的全称。"))
        elif run(
            request,
            lambda: service.add_unit(request.user, task, agencies[0], form.cleaned_data["role"]),
            form,
        ):
            messages.success(request, _("已增加责任单位。"))
            return redirect("supervision_staff:task", task.pk)
    context = _detail_context(request, task, unit_form=form)
    return render(request, "supervision/staff/task.html", context, status=400)


@require_POST
@staff_view
def unit_owner(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = get_object_or_404(
        TaskUnit.objects.select_related("task", "task__supervising_agency", "agency").filter(
            task__in=service.visible_tasks(request.user)
        ),
        pk=unit_id,
    )
    owner = None
    if request.POST.get("owner"):
        owner = service.owner_candidates(unit).filter(pk=request.POST["owner"]).first()
        if owner is None:
            messages.error(request, _("责任人须是本单位的工作人员。"))
            return redirect("supervision_staff:task", unit.task_id)
    if run(request, lambda: service.set_owner(request.user, unit, owner)):
        messages.success(request, _("责任人已设置。"))
    return redirect("supervision_staff:task", unit.task_id)


# --- Progress reports -----------------------------------------------------------------------------


@csrf_exempt
def report(request: HttpRequest, unit_id: int) -> HttpResponse:
    if request.method == "POST":
        request.upload_handlers.insert(0, LimitHandler(request))
    return _report(request, unit_id)


@csrf_protect
@staff_view
def _report(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = get_object_or_404(
        TaskUnit.objects.select_related("task", "task__supervising_agency", "agency").filter(
            task__in=service.visible_tasks(request.user)
        ),
        pk=unit_id,
    )
    if not service.can_report(request.user, unit):
        raise PermissionDenied(_("只有责任单位的工作人员可以报告进展。"))
    today = dates.today()
    if request.method == "POST":
        form = ProgressForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data

            def call():
                period = service.parse_period(data["period"])
                return service.report_progress(
                    request.user, unit, period, data["text"], request.FILES.getlist("attachments")
                )

            if run(request, call, form) is not None:
                messages.success(request, _("进展已报告。"))
                return redirect("supervision_staff:task", unit.task_id)
        status = 400
    else:
        form = ProgressForm(initial={"period": today.strftime("%Y-%m")})
        status = 200
    previous = ProgressReport.objects.filter(unit=unit).prefetch_related("attachments")
    return render(
        request,
        "supervision/staff/report.html",
        {"unit": unit, "task": unit.task, "form": form, "previous_reports": previous},
        status=status,
    )


@require_GET
@staff_view
def report_attachment(request: HttpRequest, pk: int) -> HttpResponse:
    attachment = get_object_or_404(
        ProgressAttachment.objects.filter(
            report__unit__task__in=service.visible_tasks(request.user)
        ),
        pk=pk,
    )
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )


@require_GET
@staff_view
def evidence(request: HttpRequest, pk: int) -> HttpResponse:
    action = get_object_or_404(
        TaskAction.objects.filter(task__in=service.visible_tasks(request.user)).exclude(file=""),
        pk=pk,
    )
    return FileResponse(
        action.file.open("rb"),
        as_attachment=True,
        filename=action.original_name,
        content_type=action.content_type,
    )


# --- Creating tasks -------------------------------------------------------------------------------


@supervisor_view
def import_start(request: HttpRequest) -> HttpResponse:
    """Step 1: paste or upload the work points; the answer is the preview (nothing written)."""
    agencies = supervising_choices(request.user)
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES, agencies=agencies)
        if form.is_valid():
            data = form.cleaned_data
            try:
                text = (
                    importing.read_document(data["document"])
                    if data.get("document")
                    else data["text"]
                )
            except DomainError as exc:
                form.add_domain_error(exc)
            else:
                plan = importing.build_plan(text, data["supervising_agency"], year=data["year"])
                if not plan.tasks and not plan.extras:
                    form.add_error(
                        None,
                        _(
                            "没有识别出任何编号事项（如“（一）……”）。请确认粘贴的是工作要点全文，"
                            "各部分以“一、”“二、”开头，事项以“（一）”“（二）”开头。"
                        ),
                    )
                else:
                    return render(request, "supervision/staff/preview.html", {"plan": plan})
        status = 400
    else:
        form = ImportForm(agencies=agencies, initial={"supervising_agency": agencies.first()})
        status = 200
    return render(request, "supervision/staff/import.html", {"form": form}, status=status)


@require_POST
@supervisor_view
def import_confirm(request: HttpRequest) -> HttpResponse:
    """Step 2: the corrected preview; tasks are created in one transaction, or the preview comes
    back with the errors."""
    agency = get_object_or_404(supervising_choices(request.user), pk=request.POST.get("agency"))
    try:
        year = int(request.POST.get("year") or 0)
    except ValueError:
        year = 0
    if not 2000 <= year <= 2100:
        raise Http404
    plan = importing.build_plan(request.POST.get("text", ""), agency, year=year, data=request.POST)
    try:
        created = importing.confirm(request.user, plan)
    except DomainError as exc:
        raise PermissionDenied(exc.message) from exc
    if not created:
        return render(request, "supervision/staff/preview.html", {"plan": plan}, status=400)
    messages.success(request, _("已创建 %(n)d 项督办任务。") % {"n": len(created)})
    url = reverse("supervision_staff:index")
    return redirect(f"{url}?year={year}&agency={agency.code}")


@supervisor_view
def task_new(request: HttpRequest) -> HttpResponse:
    """Enter one task by hand."""
    agencies = supervising_choices(request.user)
    today = dates.today()
    if request.method == "POST":
        form = TaskForm(request.POST, agencies=agencies)
        if form.is_valid():
            data = form.cleaned_data
            agency = data["supervising_agency"]
            pool = service.unit_pool(agency)
            leads, unknown = service.resolve_names(data["leads"], pool)
            cooperating, unknown_coop = service.resolve_names(data["cooperating"], pool)
            if unknown:
                form.add_error("leads", _("找不到机构：%(n)s。") % {"n": "、".join(unknown)})
            if unknown_coop:
                form.add_error(
                    "cooperating", _("找不到机构：%(n)s。") % {"n": "、".join(unknown_coop)}
                )
            if not form.errors:
                draft = service.TaskDraft(
                    number=data["number"],
                    title=data["title"],
                    due_on=data["due_on"],
                    leads=leads,
                    cooperating=cooperating,
                    text=data["text"],
                    monthly_reporting=data["monthly_reporting"],
                )
                created = run(
                    request,
                    lambda: service.create_tasks(
                        request.user, agency, data["year"], [draft], issued_on=data["issued_on"]
                    ),
                    form,
                )
                if created:
                    messages.success(request, _("督办任务已创建。"))
                    return redirect("supervision_staff:task", created[0].pk)
        status = 400
    else:
        first = agencies.first()
        form = TaskForm(
            agencies=agencies,
            initial={
                "supervising_agency": first,
                "year": today.year,
                "issued_on": today,
                "due_on": today.replace(month=12, day=31),
            },
        )
        status = 200
    home = agencies.first()
    return render(
        request,
        "supervision/staff/task_form.html",
        {"form": form, "agency_names": _agency_names(home) if home else []},
        status=status,
    )


# --- Monthly dispatch -----------------------------------------------------------------------------


def _dispatch(request: HttpRequest) -> dispatch_mod.Dispatch:
    agency = chosen_agency(request, supervising_choices(request.user))
    if agency is None:
        raise Http404
    return dispatch_mod.build(agency, month_param(request), dates.today())


@require_GET
@supervisor_view
def dispatch(request: HttpRequest) -> HttpResponse:
    report = _dispatch(request)
    return render(
        request,
        "supervision/staff/dispatch.html",
        {
            "dispatch": report,
            "agencies": supervising_choices(request.user),
            "month_value": report.month.strftime("%Y-%m"),
            "as_of": format_chinese_date(report.as_of),
        },
    )


@require_GET
@supervisor_view
def dispatch_export(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in CONTENT_TYPES:
        raise Http404
    report = _dispatch(request)
    data = dispatch_mod.to_xlsx(report) if fmt == "xlsx" else dispatch_mod.to_docx(report)
    name = f"{report.agency.code}-{report.month:%Y-%m}-dispatch.{fmt}"
    response = HttpResponse(data, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
