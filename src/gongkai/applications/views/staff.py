"""Staff console of disclosure requests (依申请公开): inbox, registration, the request page with
its actions, and the ledger (台账) with exports.

Views only translate: every queryset comes from :mod:`gongkai.applications.access` (which uses
:mod:`gongkai.agencies.scoping`), every change from :mod:`gongkai.applications.services`. A
request outside the user's scope is 404; an action the user's role does not allow is 403.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gongkai.agencies.scoping import agencies_for, is_staff_user
from gongkai.applications import access, clock, forms_staff, ledger, outcomes, services
from gongkai.applications.access import HANDLER_ROLES, Action
from gongkai.applications.models import Application, Event, EventType, StatusChoice
from gongkai.core import dates
from gongkai.core.errors import DomainError

PAGE_SIZE = 50


def staff_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Signed in (else the login page) and a member of some agency (else 403)."""

    @login_required
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not is_staff_user(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def _querystring(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def _attach_error(form: Any, exc: DomainError) -> None:
    errors = exc.details.get("errors") if exc.details else None
    if errors:
        for name, message in errors.items():
            form.add_error(name if name in form.fields else None, message)
        return
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


def _rows(applications: Any, today: Any) -> list[dict[str, Any]]:
    rows = []
    for app in applications:
        light = ledger.light_of(app, today)
        rows.append({"app": app, "light": light, "light_label": ledger.LIGHT_LABELS.get(light, "")})
    return rows


# --- Inbox --------------------------------------------------------------------------------------


@require_GET
@staff_required
def inbox(request: HttpRequest) -> HttpResponse:
    """The requests of the user's agencies: unconfirmed ones first, then by due date, with lights."""
    today = dates.today()
    form = forms_staff.FilterForm(request.GET or None, user=request.user, default_status="open")
    qs = ledger.filter_requests(access.readable(request.user), form.filters(), today)
    qs = ledger.inbox_order(qs).select_related("agency", "assigned_to")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = _rows(page.object_list, today)
    may_register = agencies_for(request.user, HANDLER_ROLES).exists()
    return render(
        request,
        "applications/staff/inbox.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "querystring": _querystring(request),
            "today": today,
            "may_register": may_register,
            "light_labels": ledger.LIGHT_LABELS,
        },
    )


# --- Registration -------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@staff_required
def register(request: HttpRequest) -> HttpResponse:
    """Register a request that arrived by post, in person, by fax or e-mail (条例第三十一条)."""
    if not agencies_for(request.user, HANDLER_ROLES).exists():
        raise PermissionDenied
    form = forms_staff.RegisterForm(request.POST or None, request.FILES or None, user=request.user)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                application = services.register_application(
                    data["agency"],
                    applicant=form.applicant_data(),
                    channel=data["channel"],
                    arrived_on=data["arrived_on"],
                    signed_on=data.get("signed_on"),
                    confirmed_on=data.get("confirmed_on"),
                    actor=request.user,
                    attachments=data.get("attachments") or [],
                    secret=data.get("secret") or None,
                    submission_token=data.get("submission_token") or None,
                )
            except DomainError as exc:
                _attach_error(form, exc)
            else:
                messages.success(
                    request,
                    _("已登记申请，查询码 %(code)s。") % {"code": application.tracking_code},
                )
                return redirect("applications_staff:detail", pk=application.pk)
        status = 400
    return render(request, "applications/staff/register.html", {"form": form}, status=status)


# --- The request page ---------------------------------------------------------------------------


#: Action → (form class, call of the service with the cleaned form, success message).
Handler = Callable[[Application, Any, Any], Any]


def _reply(app: Application, form: Any, user: Any) -> Any:
    data = form.cleaned_data
    return services.reply(
        app, outcome=data["outcome"], on=data["on"], actor=user, data=form.reply_data()
    )


ACTIONS: dict[Action, tuple[type, Handler, Any]] = {
    Action.CONFIRM_RECEIPT: (
        forms_staff.ConfirmReceiptForm,
        lambda app, f, u: services.confirm_receipt(
            app, f.cleaned_data["on"], u, contact_delayed=f.cleaned_data["contact_delayed"]
        ),
        gettext_lazy("已确认收到申请。"),
    ),
    Action.ASSIGN: (
        forms_staff.AssignForm,
        lambda app, f, u: services.assign(app, f.cleaned_data["assignee"], u),
        gettext_lazy("已分配承办人。"),
    ),
    Action.REQUEST_CORRECTION: (
        forms_staff.CorrectionRequestForm,
        lambda app, f, u: services.request_correction(
            app,
            on=f.cleaned_data["on"],
            deadline=f.cleaned_data["deadline"],
            items=f.cleaned_data["items"],
            actor=u,
        ),
        gettext_lazy("已登记补正告知。"),
    ),
    Action.RECORD_CORRECTION: (
        forms_staff.CorrectionReceivedForm,
        lambda app, f, u: services.record_correction(
            app, on=f.cleaned_data["on"], note=f.cleaned_data["note"], actor=u
        ),
        gettext_lazy("已登记收到补正后的申请，答复期限重新计算。"),
    ),
    Action.OPEN_CONSULTATION: (
        forms_staff.ConsultationOpenForm,
        lambda app, f, u: services.open_consultation(
            app,
            on=f.cleaned_data["on"],
            party=f.cleaned_data["party"],
            party_name=f.cleaned_data["party_name"],
            party_received_on=f.cleaned_data.get("party_received_on"),
            actor=u,
        ),
        gettext_lazy("已登记征求意见。"),
    ),
    Action.CLOSE_CONSULTATION: (
        forms_staff.ConsultationCloseForm,
        lambda app, f, u: services.close_consultation(
            app,
            on=f.cleaned_data["on"],
            ref=f.cleaned_data.get("ref"),
            opinion=f.cleaned_data["opinion"],
            actor=u,
        ),
        gettext_lazy("已登记征求意见结束。"),
    ),
    Action.REQUEST_EXTENSION: (
        forms_staff.ExtensionRequestForm,
        lambda app, f, u: services.request_extension(
            app, workdays=f.cleaned_data["workdays"], reason=f.cleaned_data["reason"], actor=u
        ),
        gettext_lazy("已提交延期申请，等待负责人审批。"),
    ),
    Action.APPROVE_EXTENSION: (
        forms_staff.ExtensionApproveForm,
        lambda app, f, u: services.approve_extension(
            app, on=f.cleaned_data["on"], approved_on=f.cleaned_data.get("approved_on"), actor=u
        ),
        gettext_lazy("已同意延期答复。"),
    ),
    Action.REFUSE_EXTENSION: (
        forms_staff.ExtensionRefuseForm,
        lambda app, f, u: services.refuse_extension(app, reason=f.cleaned_data["reason"], actor=u),
        gettext_lazy("已不同意延期。"),
    ),
    Action.SET_ART35_DEADLINE: (
        forms_staff.Art35Form,
        lambda app, f, u: services.set_art35_deadline(
            app,
            on=f.cleaned_data["on"],
            due_on=f.cleaned_data["due_on"],
            reason=f.cleaned_data["reason"],
            actor=u,
        ),
        gettext_lazy("已登记延迟答复期限。"),
    ),
    Action.ISSUE_FEE_NOTICE: (
        forms_staff.FeeNoticeForm,
        lambda app, f, u: services.issue_fee_notice(
            app,
            method=f.cleaned_data["method"],
            on=f.cleaned_data["on"],
            received_on=f.cleaned_data["received_on"],
            pages=f.cleaned_data.get("pages"),
            pieces=f.cleaned_data.get("pieces"),
            actor=u,
        ),
        gettext_lazy("已登记收费通知。"),
    ),
    Action.RECORD_PAYMENT: (
        forms_staff.PaymentForm,
        lambda app, f, u: services.record_payment(
            app, on=f.cleaned_data["on"], reference=f.cleaned_data["reference"], actor=u
        ),
        gettext_lazy("已登记缴费。"),
    ),
    Action.REPLY: (forms_staff.ReplyForm, _reply, gettext_lazy("已登记答复。")),
    Action.RECORD_DELIVERY: (
        forms_staff.DeliveryForm,
        lambda app, f, u: services.record_delivery(
            app,
            method=f.cleaned_data["method"],
            on=f.cleaned_data["on"],
            note=f.cleaned_data["note"],
            actor=u,
        ),
        gettext_lazy("已登记送达。"),
    ),
    Action.RECORD_WITHDRAWAL: (
        forms_staff.WithdrawalForm,
        lambda app, f, u: services.record_withdrawal(
            app, on=f.cleaned_data["on"], note=f.cleaned_data["note"], actor=u
        ),
        gettext_lazy("已登记申请人撤回申请。"),
    ),
    Action.ADD_NOTE: (
        forms_staff.NoteForm,
        lambda app, f, u: services.add_note(
            app,
            f.cleaned_data["text"],
            u,
            step="art35_reasons_requested" if f.cleaned_data["art35_reasons"] else "",
        ),
        gettext_lazy("已添加备注。"),
    ),
    Action.CREATE_APPEAL: (
        forms_staff.AppealCreateForm,
        lambda app, f, u: services.create_appeal(
            app,
            kind=f.cleaned_data["kind"],
            body=f.cleaned_data["body"],
            case_number=f.cleaned_data["case_number"],
            filed_on=f.cleaned_data["filed_on"],
            result=f.cleaned_data["result"],
            decided_on=f.cleaned_data.get("decided_on"),
            note=f.cleaned_data["note"],
            actor=u,
        ),
        gettext_lazy("已登记行政复议、行政诉讼。"),
    ),
    Action.UPDATE_APPEAL: (
        forms_staff.AppealUpdateForm,
        lambda app, f, u: services.update_appeal(
            f.cleaned_data["appeal"],
            result=f.cleaned_data["result"],
            decided_on=f.cleaned_data.get("decided_on"),
            case_number=f.cleaned_data["case_number"],
            note=f.cleaned_data["note"],
            actor=u,
        ),
        gettext_lazy("已更新审理结果。"),
    ),
}

#: Display order of the action panels on the request page, with their headings.
ACTION_TITLES: dict[Action, Any] = {
    Action.CONFIRM_RECEIPT: gettext_lazy("确认收到申请"),
    Action.ASSIGN: gettext_lazy("分配承办人"),
    Action.REQUEST_CORRECTION: gettext_lazy("告知补正"),
    Action.RECORD_CORRECTION: gettext_lazy("收到补正后的申请"),
    Action.OPEN_CONSULTATION: gettext_lazy("征求意见"),
    Action.CLOSE_CONSULTATION: gettext_lazy("征求意见结束"),
    Action.REQUEST_EXTENSION: gettext_lazy("申请延期答复"),
    Action.APPROVE_EXTENSION: gettext_lazy("同意延期（负责人）"),
    Action.REFUSE_EXTENSION: gettext_lazy("不同意延期（负责人）"),
    Action.SET_ART35_DEADLINE: gettext_lazy("确定延迟答复期限（第三十五条）"),
    Action.ISSUE_FEE_NOTICE: gettext_lazy("发出收费通知"),
    Action.RECORD_PAYMENT: gettext_lazy("登记缴费"),
    Action.REPLY: gettext_lazy("作出答复"),
    Action.RECORD_DELIVERY: gettext_lazy("登记送达"),
    Action.RECORD_WITHDRAWAL: gettext_lazy("申请人撤回申请"),
    Action.ADD_NOTE: gettext_lazy("添加备注"),
    Action.CREATE_APPEAL: gettext_lazy("登记行政复议、行政诉讼"),
    Action.UPDATE_APPEAL: gettext_lazy("更新复议、诉讼结果"),
}

_HANDLING = {StatusChoice.IN_PROGRESS, StatusChoice.CONSULTING, StatusChoice.AWAITING_PAYMENT}


def available_actions(
    app: Application,
    result: clock.ClockResult | None,
    events: list[Event],
    *,
    has_appeals: bool,
    today: Any,
) -> list[Action]:
    """The actions that make sense in the request's current state (the services still decide)."""
    found = [Action.ASSIGN, Action.ADD_NOTE]
    if app.received_on is None:
        return [Action.CONFIRM_RECEIPT, *found]
    status = app.status
    types = {e.type for e in events}
    if status == StatusChoice.AWAITING_CORRECTION:
        found += [Action.RECORD_CORRECTION, Action.RECORD_WITHDRAWAL]
    elif status in _HANDLING:
        if (
            result is not None
            and result.correction_deadline is None
            and result.correction_due_on is not None
            and today <= result.correction_due_on
            and not types
            & {
                EventType.CONSULTATION_OPENED,
                EventType.EXTENSION_GRANTED,
                EventType.ART35_DEADLINE,
                EventType.FEE_NOTICE_ISSUED,
            }
        ):
            found.append(Action.REQUEST_CORRECTION)
        found.append(Action.OPEN_CONSULTATION)
        if services.open_consultations(events):
            found.append(Action.CLOSE_CONSULTATION)
        if services.pending_extension(app) is not None:
            found += [Action.APPROVE_EXTENSION, Action.REFUSE_EXTENSION]
        elif EventType.ART35_DEADLINE not in types and (
            result is None or result.extension_workdays < clock.MAX_EXTENSION_WORKDAYS
        ):
            found.append(Action.REQUEST_EXTENSION)
        found.append(Action.SET_ART35_DEADLINE)
        if EventType.FEE_NOTICE_ISSUED not in types:
            found.append(Action.ISSUE_FEE_NOTICE)
        if status == StatusChoice.AWAITING_PAYMENT:
            found.append(Action.RECORD_PAYMENT)
        found += [Action.REPLY, Action.RECORD_WITHDRAWAL]
    elif status == StatusChoice.REPLIED:
        found.append(Action.RECORD_DELIVERY)
    if status in (StatusChoice.REPLIED, StatusChoice.CLOSED, StatusChoice.WITHDRAWN):
        found.append(Action.CREATE_APPEAL)
    if has_appeals:
        found.append(Action.UPDATE_APPEAL)
    order = list(ACTION_TITLES)
    return sorted(set(found), key=order.index)


def _auto_id(action: Action) -> str:
    """Field ids unique on the page, which shows several action forms."""
    return f"id_{action.value}_%s"


def _form_kwargs(app: Application, action: Action, events: list[Event]) -> dict[str, Any]:
    if action is Action.CLOSE_CONSULTATION:
        choices = [
            (e.data.get("ref") or "", f"{e.data.get('party_name', '')}（{e.on}）")
            for e in services.open_consultations(events)
        ]
        return {"open_consultations": choices}
    return {}


#: Chinese names of the data keys shown on the timeline (others are not shown).
DATA_LABELS: dict[str, Any] = {
    **services.REPLY_FIELD_LABELS,
    "channel": gettext_lazy("渠道"),
    "contact_delayed": gettext_lazy("当日无法联系申请人"),
    "assignee_name": gettext_lazy("承办人"),
    "deadline": gettext_lazy("期限"),
    "items": gettext_lazy("补正事项"),
    "party": gettext_lazy("对象"),
    "party_name": gettext_lazy("名称"),
    "party_received_on": gettext_lazy("对方收到日期"),
    "opinion": gettext_lazy("意见"),
    "workdays": gettext_lazy("延长工作日"),
    "approved_by": gettext_lazy("负责人"),
    "approved_on": gettext_lazy("同意日期"),
    "due_on": gettext_lazy("延迟答复期限"),
    "method": gettext_lazy("方式"),
    "amount": gettext_lazy("金额（元）"),
    "basis": gettext_lazy("依据"),
    "received_on": gettext_lazy("申请人收到通知"),
    "pages": gettext_lazy("页数"),
    "pieces": gettext_lazy("件数"),
    "previous_in_month": gettext_lazy("本月此前申请件数"),
    "reference": gettext_lazy("缴款凭证号"),
    "outcome": gettext_lazy("办理结果"),
    "reason": gettext_lazy("理由"),
    "note": gettext_lazy("说明"),
    "text": gettext_lazy("内容"),
}

_VALUE_LABELS: dict[str, Any] = {
    "third_party": gettext_lazy("第三方"),
    "agency": gettext_lazy("共同制作机关"),
    "direct": gettext_lazy("直接送达"),
    "post": gettext_lazy("邮寄送达"),
    "electronic": gettext_lazy("电子送达"),
    "per_application": gettext_lazy("按件计收"),
    "per_page": gettext_lazy("按量计收"),
}


def describe(event: Event) -> list[tuple[str, str]]:
    """(label, value) pairs of an event's data for the timeline."""
    from gongkai.applications.models import Channel

    pairs = []
    for key, value in (event.data or {}).items():
        if key not in DATA_LABELS or value in (None, "", False):
            continue
        if key == "outcome":
            try:
                text = outcomes.info(value).full_label
            except ValueError:
                text = str(value)
        elif key == "channel":
            text = str(Channel(value).label) if value in Channel.values else str(value)
        elif key == "contact_delayed":
            text = _("是")
        elif isinstance(value, str) and len(value) == 10 and value[4] == "-":
            try:
                text = dates.format_chinese_date(dates.parse_date(value))
            except DomainError:
                text = value
        elif isinstance(value, str) and value in _VALUE_LABELS:
            text = str(_VALUE_LABELS[value])
        else:
            text = str(value)
        pairs.append((str(DATA_LABELS[key]), text))
    if event.type == EventType.FEE_NOTICE_ISSUED:
        for line in (event.data or {}).get("breakdown") or []:
            pairs.append((str(_("明细")), str(line)))
    return pairs


def _render_detail(
    request: HttpRequest,
    app: Application,
    bound: dict[Action, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    today = dates.today()
    events = list(app.events.select_related("actor").order_by("on", "id"))
    appeals = list(app.appeals.all())
    result = None
    clock_error = ""
    workdays_left = None
    try:
        result = services.compute_clock(app, today)
        if result is not None:
            workdays_left = clock.workdays_left(result, services.calendar_for(app), today)
    except DomainError as exc:
        clock_error = exc.message
    may_act = access.may(request.user, Action.ADD_NOTE, app.agency)
    is_head = access.may(request.user, Action.APPROVE_EXTENSION, app.agency)
    panels = []
    if may_act:
        shown = available_actions(app, result, events, has_appeals=bool(appeals), today=today)
        for action in sorted(set(shown) | set(bound or {}), key=list(ACTION_TITLES).index):
            if not access.may(request.user, action, app.agency):
                continue
            form_class = ACTIONS[action][0]
            form = (bound or {}).get(action) or form_class(
                application=app, auto_id=_auto_id(action), **_form_kwargs(app, action, events)
            )
            panels.append(
                {
                    "action": action.value,
                    "title": ACTION_TITLES[action],
                    "form": form,
                    "open": action in (bound or {}),
                    "url": reverse("applications_staff:act", args=[app.pk, action.value]),
                }
            )
    outcome_info = outcomes.info(app.outcome) if app.outcome else None
    context = {
        "app": app,
        "events": [{"event": e, "data": describe(e)} for e in events],
        "attachments": list(app.attachments.all()),
        "appeals": appeals,
        "result": result,
        "clock_error": clock_error or app.clock_error,
        "light": ledger.light_of(app, today),
        "light_label": ledger.LIGHT_LABELS.get(ledger.light_of(app, today), ""),
        "workdays_left": workdays_left,
        "workdays_overdue": -workdays_left
        if workdays_left is not None and workdays_left < 0
        else 0,
        "panels": panels,
        "may_act": may_act,
        "is_head": is_head,
        "pending_extension": services.pending_extension(app),
        "outcome_info": outcome_info,
        "today": today,
        "personal": access.personal_data(request.user, app),
    }
    return render(request, "applications/staff/detail.html", context, status=status)


@require_GET
@staff_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One request: applicant data, attachments, timeline, the deadline explanation, actions."""
    app = access.get_readable_or_404(request.user, pk=pk)
    return _render_detail(request, app)


@require_POST
@staff_required
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Perform one action (POST): 404 outside the scope, 403 without the role."""
    app = access.get_readable_or_404(request.user, pk=pk)
    try:
        chosen = Action(action)
    except ValueError as exc:
        raise Http404 from exc
    if chosen not in ACTIONS:
        raise Http404
    if not access.may(request.user, chosen, app.agency):
        raise PermissionDenied
    form_class, handler, success = ACTIONS[chosen]
    events = list(app.events.order_by("on", "id"))
    form = form_class(
        request.POST, application=app, auto_id=_auto_id(chosen), **_form_kwargs(app, chosen, events)
    )
    if form.is_valid():
        try:
            handler(app, form, request.user)
        except DomainError as exc:
            _attach_error(form, exc)
        else:
            messages.success(request, str(success))
            return redirect(reverse("applications_staff:detail", args=[app.pk]) + "#timeline")
    return _render_detail(request, app, {chosen: form}, status=400)


@require_GET
@staff_required
def reply_fields(request: HttpRequest, pk: int) -> HttpResponse:
    """The extra fields of the chosen outcome (htmx partial of the reply form)."""
    app = access.get_readable_or_404(request.user, pk=pk)
    form = forms_staff.ReplyForm(application=app, auto_id=_auto_id(Action.REPLY))
    code = request.GET.get("outcome", "")
    info = None
    try:
        info = outcomes.info(code)
    except ValueError:
        pass
    return render(
        request,
        "applications/staff/_reply_fields.html",
        {"fields": form.fields_for(code), "info": info, "required": info.required if info else ()},
    )


@require_GET
@staff_required
def attachment(request: HttpRequest, pk: int, attachment_id: int) -> FileResponse:
    """Download an attachment of a request (staff in scope only)."""
    app = access.get_readable_or_404(request.user, pk=pk)
    item = get_object_or_404(app.attachments, pk=attachment_id)
    try:
        handle = item.file.open("rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404 from exc
    return FileResponse(
        handle,
        as_attachment=True,
        filename=item.original_name,
        content_type=item.content_type or "application/octet-stream",
    )


# --- Ledger -------------------------------------------------------------------------------------


def _ledger_queryset(request: HttpRequest, form: forms_staff.FilterForm):
    qs = ledger.filter_requests(access.readable(request.user), form.filters(), dates.today())
    return ledger.ledger_order(qs)


@require_GET
@staff_required
def ledger_view(request: HttpRequest) -> HttpResponse:
    """台账: every request in scope (supervisors: their subtree), filterable, exportable."""
    today = dates.today()
    form = forms_staff.FilterForm(request.GET or None, user=request.user, default_status="all")
    qs = _ledger_queryset(request, form).select_related("agency", "assigned_to")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = _rows(page.object_list, today)
    return render(
        request,
        "applications/staff/ledger.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "querystring": _querystring(request),
            "light_labels": ledger.LIGHT_LABELS,
        },
    )


@require_GET
@staff_required
def ledger_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The filtered ledger as XLSX or CSV (UTF-8 with BOM)."""
    form = forms_staff.FilterForm(request.GET or None, user=request.user, default_status="all")
    data = ledger.rows(_ledger_queryset(request, form))
    stamp = dates.today().isoformat()
    if fmt == "xlsx":
        content = ledger.export_xlsx(data, title=_("申请台账"))
        response = HttpResponse(
            content,
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    elif fmt == "csv":
        response = HttpResponse(ledger.export_csv(data), content_type="text/csv; charset=utf-8")
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="gongkai-ledger-{stamp}.{fmt}"'
    return response
