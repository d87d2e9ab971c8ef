"""The staff side of disclosure requests (依申请公开的办理): every change to a request goes here.

Each function is one transaction: it locks the application row (``select_for_update``), checks
who acts (:mod:`gongkai.applications.access`), lets the clock refuse an illegal step
(:func:`gongkai.applications.clock.check_next`: a second 补正, an extension after the due date or
beyond 20 working days, a reply without an outcome code, a date before the receipt …), appends
the :class:`~gongkai.applications.models.Event`, refreshes the cached clock columns and writes an
audit entry. A refused step raises :class:`DomainError` (``ClockError``, ``PermissionDeniedError``)
with a Chinese message and leaves nothing behind.

``actor=None`` is the system itself (``gongkai tick``, demo data); every staff view passes the
signed-in user.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongkai.agencies.models import Agency, Role
from gongkai.agencies.scoping import has_role
from gongkai.applications import clock, fees, intake, outcomes, receipt
from gongkai.applications.access import Action
from gongkai.applications.access import check as check_access
from gongkai.applications.clock import ClockError, ClockEvent, ClockResult
from gongkai.applications.models import (
    CLOCK_EVENT_TYPES,
    OPEN_STATUSES,
    Appeal,
    AppealKind,
    AppealResult,
    Application,
    Channel,
    Event,
    EventType,
    StatusChoice,
)
from gongkai.core import crypto, dates
from gongkai.core.dates import format_chinese_date
from gongkai.core.errors import DomainError
from gongkai.site import audit
from gongkai.workdays.calendar import CalendarYearMissing, WorkdayCalendar, get_calendar

logger = logging.getLogger(__name__)

#: The cached clock columns of :class:`Application` (derived, never edited by hand).
CACHED_FIELDS = [
    "status",
    "due_on",
    "outcome",
    "closed_on",
    "on_time",
    "clock_error",
    "yellow_on",
    "expires_on",
]
#: Fields shown as before/after in audit entries of request actions.
AUDITED_FIELDS = [
    *CACHED_FIELDS,
    "received_on",
    "confirmed_on",
    "signed_on",
    "assigned_to_id",
]

#: Which action (and so which roles) each event type needs when appended by :func:`record_event`.
EVENT_ACTIONS: dict[str, Action] = {
    EventType.CORRECTION_REQUESTED: Action.REQUEST_CORRECTION,
    EventType.CORRECTION_RECEIVED: Action.RECORD_CORRECTION,
    EventType.CONSULTATION_OPENED: Action.OPEN_CONSULTATION,
    EventType.CONSULTATION_CLOSED: Action.CLOSE_CONSULTATION,
    EventType.EXTENSION_GRANTED: Action.APPROVE_EXTENSION,
    EventType.ART35_DEADLINE: Action.SET_ART35_DEADLINE,
    EventType.FEE_NOTICE_ISSUED: Action.ISSUE_FEE_NOTICE,
    EventType.FEE_PAID: Action.RECORD_PAYMENT,
    EventType.REPLY_ISSUED: Action.REPLY,
    EventType.DELIVERED: Action.RECORD_DELIVERY,
    EventType.WITHDRAWN: Action.RECORD_WITHDRAWAL,
    EventType.CLOSED: Action.REPLY,
    EventType.ASSIGNED: Action.ASSIGN,
    EventType.EXTENSION_REQUESTED: Action.REQUEST_EXTENSION,
    EventType.EXTENSION_REFUSED: Action.REFUSE_EXTENSION,
    EventType.NOTE: Action.ADD_NOTE,
}

#: Chinese names of the extra data of a reply (keys of ``outcomes.OutcomeInfo.required``).
REPLY_FIELD_LABELS: dict[str, Any] = {
    "how_to_obtain": gettext_lazy("获取信息的方式、途径和时间"),
    "withheld_parts": gettext_lazy("不予公开的内容"),
    "reason": gettext_lazy("理由及依据"),
    "competent_agency_name": gettext_lazy("负责公开该信息的机关名称"),
    "competent_agency_contact": gettext_lazy("该机关的联系方式"),
    "previous_reply": gettext_lazy("此前作出的答复"),
}

for _type, _label in EventType.choices:
    audit.register_action(f"application.{_type}", _label)
audit.register_action("application.register", gettext_lazy("登记申请"))
audit.register_action("appeal.create", gettext_lazy("登记行政复议、行政诉讼"))
audit.register_action("appeal.update", gettext_lazy("更新行政复议、行政诉讼结果"))


# --- The cached clock -------------------------------------------------------------------------


def clock_events(application: Application) -> list[ClockEvent]:
    """The clock's events of ``application``, in the order they were recorded."""
    rows = (
        Event.objects.filter(application_id=application.pk, type__in=CLOCK_EVENT_TYPES)
        .order_by("on", "id")
        .values_list("type", "on", "data")
    )
    return [ClockEvent(type_, on, data or {}) for type_, on, data in rows]


def calendar_for(application: Application) -> WorkdayCalendar:
    return get_calendar(application.agency)


def compute_clock(application: Application, today: dt.date | None = None) -> ClockResult | None:
    """The clock of ``application`` as of ``today`` (None while the receipt is unconfirmed).

    Raises ``CalendarYearMissing`` or ``ClockError`` (both :class:`DomainError`).
    """
    if application.received_on is None:
        return None
    return clock.compute(
        application.received_on, clock_events(application), calendar_for(application), today
    )


def yellow_start(due_on: dt.date, calendar: WorkdayCalendar, yellow_workdays: int) -> dt.date:
    """The first day on which at most ``yellow_workdays`` working days are left until ``due_on``.

    Working days left on day *d* are those in (*d*, ``due_on``] (:func:`clock.workdays_until`),
    so the light turns yellow on the (N+1)-th working day counted back from ``due_on``.
    """
    day, found = due_on, 0
    for _i in range(800):
        if calendar.is_workday(day):
            found += 1
            if found == yellow_workdays + 1:
                return day
        day -= dt.timedelta(days=1)
    return day  # pragma: no cover - 800 days without enough working days


def _cached_values(
    application: Application, result: ClockResult | None, calendar: WorkdayCalendar | None
) -> dict[str, Any]:
    if result is None:
        return {
            "status": StatusChoice.PENDING_CONFIRMATION,
            "due_on": None,
            "outcome": "",
            "closed_on": None,
            "on_time": None,
            "clock_error": "",
            "yellow_on": None,
            "expires_on": None,
        }
    status = result.status.value
    yellow_on = None
    if result.due_on is not None and result.status in clock.RUNNING_STATUSES:
        n = int(getattr(settings, "GONGKAI_YELLOW_WORKDAYS", 5))
        try:
            yellow_on = yellow_start(result.due_on, calendar, n)
        except CalendarYearMissing:
            yellow_on = None
    expires_on = None
    if status == StatusChoice.AWAITING_CORRECTION:
        expires_on = result.correction_deadline
    elif status == StatusChoice.AWAITING_PAYMENT:
        expires_on = result.fee_due_on
    return {
        "status": status,
        "due_on": result.due_on,
        "outcome": result.outcome or "",
        "closed_on": result.closed_on,
        "on_time": result.on_time,
        "clock_error": "",
        "yellow_on": yellow_on,
        "expires_on": expires_on,
    }


def _refresh(application: Application, today: dt.date | None = None) -> ClockResult | None:
    """Recompute and save the cached columns of a locked ``application``.

    A missing calendar year (or, which should never happen, an impossible history) is stored in
    ``clock_error`` instead of failing; the other cached values are then kept.
    """
    result: ClockResult | None = None
    try:
        if application.received_on is None:
            values = _cached_values(application, None, None)
        else:
            calendar = calendar_for(application)
            result = clock.compute(
                application.received_on, clock_events(application), calendar, today
            )
            values = _cached_values(application, result, calendar)
    except DomainError as exc:
        if not isinstance(exc, CalendarYearMissing):
            logger.error("clock of %s: %s", application.tracking_code, exc.message)
        values = {"clock_error": exc.message[:300]}
        if application.status == StatusChoice.PENDING_CONFIRMATION and application.received_on:
            values["status"] = StatusChoice.IN_PROGRESS
    changed = [name for name, value in values.items() if getattr(application, name) != value]
    for name in changed:
        setattr(application, name, values[name])
    if changed:
        application.save(update_fields=changed)
    return result


def _lock(application: Application | int) -> Application:
    pk = application if isinstance(application, int) else application.pk
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("agency", "assigned_to")
        .get(pk=pk)
    )


def _sync(target: Application, source: Application) -> None:
    """Copy the saved state of ``source`` onto the caller's instance ``target``."""
    if target is source:
        return
    for field in source._meta.concrete_fields:
        setattr(target, field.attname, getattr(source, field.attname))


def refresh_clock(application: Application, *, today: dt.date | None = None) -> Application:
    """Recompute the cached status, due date, outcome and lights of ``application``.

    Called after every event (here and by ``intake.create_application``), by ``gongkai tick``
    and when the working-day calendar changes. Never raises for a missing calendar year: the
    message goes to ``clock_error`` and the request is recomputed once the year is loaded.
    """
    with transaction.atomic():
        locked = _lock(application)
        _refresh(locked, today)
    _sync(application, locked)
    return application


# --- Small checks -------------------------------------------------------------------------------


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) else None


def _date(value: Any, field: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return dates.local_date(value) if value.tzinfo else value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        return dates.parse_date(value, field=field)
    raise DomainError(_("请填写日期。"), code="invalid_date", field=field)


def _optional_date(value: Any, field: str) -> dt.date | None:
    if value is None or value == "":
        return None
    return _date(value, field)


def _not_future(day: dt.date, field: str = "on") -> None:
    today = dates.today()
    if day > today:
        raise DomainError(
            _("日期%(day)s晚于今天（%(today)s），不能预先登记。")
            % {"day": format_chinese_date(day), "today": format_chinese_date(today)},
            code="future_date",
            field=field,
        )


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items() if v is not None}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, str):
        return value.strip()
    return value


def _require_text(value: Any, field: str, message: str) -> str:
    text = _text(value)
    if not text:
        raise DomainError(message, code="required", field=field)
    return text


def _check_reply_data(data: Mapping[str, Any]) -> None:
    """The extra data an outcome needs (``outcomes.OUTCOMES[code].required``), e.g. the way to
    obtain the information for 予以公开 (第三十六条第（二）项) or the reason for a refusal."""
    code = data.get("outcome")
    try:
        info = outcomes.info(code)
    except (ValueError, KeyError):
        return  # the clock refuses a missing or unknown outcome with its own message
    for key in info.required:
        if not _text(data.get(key)):
            raise DomainError(
                _("办理结果“%(outcome)s”须填写：%(what)s。")
                % {"outcome": info.short_label, "what": REPLY_FIELD_LABELS.get(key, key)},
                code="required",
                field=key,
            )


# --- Appending events ---------------------------------------------------------------------------


def _append_locked(
    application: Application,
    event_type: str,
    on: dt.date,
    data: Mapping[str, Any] | None,
    actor: Any,
    *,
    today: dt.date | None = None,
) -> Event:
    """Validate and append one event to a locked application, refresh, audit."""
    data = _jsonable(dict(data or {}))
    before = audit.snapshot(application, AUDITED_FIELDS)
    if event_type in CLOCK_EVENT_TYPES:
        if application.received_on is None:
            raise DomainError(
                _("尚未确认收到申请（条例第三十一条），不能登记“%(event)s”。")
                % {"event": EventType(event_type).label},
                code="not_received",
            )
        clock.check_next(
            application.received_on,
            clock_events(application),
            ClockEvent(event_type, on, data),
            calendar_for(application),
        )
        if event_type == EventType.REPLY_ISSUED:
            _check_reply_data(data)
    event = Event.objects.create(
        application=application, type=event_type, on=on, data=data, actor=_user(actor)
    )
    _refresh(application, today)
    audit.record(
        actor,
        f"application.{event_type}",
        application,
        before=before,
        after=audit.snapshot(application, AUDITED_FIELDS),
        extra={"event_id": event.pk, "on": on, "data": data},
    )
    return event


def _run(
    application: Application,
    actor: Any,
    action: Action,
    body: Callable[[Application], Any],
) -> Any:
    """Check the actor's role, lock the row, run ``body`` in one transaction, sync the caller."""
    check_access(actor, action, application.agency)
    with transaction.atomic():
        locked = _lock(application)
        result = body(locked)
    _sync(application, locked)
    return result


def record_event(
    application: Application,
    type: str,
    on: dt.date | str,
    data: Mapping[str, Any] | None = None,
    actor: Any = None,
) -> Event:
    """Append one event after checking the actor's role, the clock's rules (``check_next``) and,
    for a reply, the outcome's required data (``outcomes.OUTCOMES[...].required``).

    ``extension_granted`` is for a head only (条例第三十三条第二款). ``submitted`` and
    ``receipt_confirmed`` are written by intake and :func:`confirm_receipt`.
    """
    try:
        event_type = EventType(type)
    except ValueError as exc:
        raise DomainError(_("未知的办理事项“%(type)s”。") % {"type": type}, field="type") from exc
    if event_type in (EventType.SUBMITTED, EventType.RECEIPT_CONFIRMED):
        raise DomainError(
            _("“%(event)s”由受理登记或确认收到申请时自动记录。") % {"event": event_type.label},
            field="type",
        )
    day = _date(on, "on")
    _not_future(day)
    return _run(
        application,
        actor,
        EVENT_ACTIONS[event_type],
        lambda app: _append_locked(app, event_type, day, data, actor),
    )


# --- Receipt (条例第三十一条) ---------------------------------------------------------------------


def register_application(
    agency: Agency,
    *,
    applicant: Mapping[str, Any],
    channel: str,
    arrived_on: dt.date,
    signed_on: dt.date | None = None,
    confirmed_on: dt.date | None = None,
    actor: Any,
    attachments: Iterable[Any] = (),
    secret: str | None = None,
    submission_token: str | None = None,
) -> Application:
    """An officer registers a request that arrived by post, in person, by fax or e-mail, with the
    channel's receipt facts; the receipt date follows 条例第三十一条 (:mod:`receipt`)."""
    check_access(actor, Action.REGISTER, agency)
    if channel == Channel.ONLINE:
        raise DomainError(
            _("网上申请由申请人通过公开平台提交，请选择信函、当面、传真或电子邮件等渠道。"),
            field="channel",
        )
    arrived_on = _date(arrived_on, "arrived_on")
    _not_future(arrived_on, "arrived_on")
    signed_on = _optional_date(signed_on, "signed_on")
    confirmed_on = _optional_date(confirmed_on, "confirmed_on")
    if signed_on is not None:
        _not_future(signed_on, "signed_on")
    if confirmed_on is not None:
        _not_future(confirmed_on, "confirmed_on")
    if channel == Channel.REGISTERED_POST and signed_on is None:
        raise DomainError(_("邮寄（需签收）的申请请填写签收日期。"), field="signed_on")
    if channel == Channel.IN_PERSON:
        signed_on = confirmed_on = None
    elif channel == Channel.REGISTERED_POST:
        confirmed_on = None
    else:
        signed_on = None
    now = dates.now()
    if dates.local_date(now) == arrived_on:
        arrived_at = now
    else:  # registered afterwards (or with a pinned today): noon of the arrival day
        arrived_at = dt.datetime.combine(arrived_on, dt.time(12, 0), tzinfo=dates.SHANGHAI)
    with transaction.atomic():
        application = intake.create_application(
            agency,
            applicant=applicant,
            channel=channel,
            arrived_at=arrived_at,
            signed_on=signed_on,
            confirmed_on=confirmed_on,
            actor=actor,
            attachments=attachments,
            secret=secret or None,
            submission_token=submission_token,
        )
        if not audit.entries_for(application).filter(action="application.register").exists():
            audit.record(
                actor,
                "application.register",
                application,
                after=audit.snapshot(
                    application,
                    ["tracking_code", "channel", "arrived_at", "received_on", "applicant_name"],
                ),
            )
    return application


def confirm_receipt(
    application: Application,
    on: dt.date | str,
    actor: Any,
    *,
    contact_delayed: bool = False,
) -> Event:
    """Record the receipt fact a request still lacks (条例第三十一条): the day the office confirmed
    with the applicant (online, fax, e-mail, ordinary post), or the day it signed for a
    registered letter. This sets ``received_on``; the 20 working days run from it.

    An ordinary letter must be confirmed on the day it arrived unless the applicant could not be
    reached (``contact_delayed``, 国办公开办函〔2015〕207号).
    """
    day = _date(on, "on")
    _not_future(day)

    def body(app: Application) -> Event:
        if app.received_on is not None:
            raise DomainError(
                _("本申请已确定收到申请之日为%(day)s，无需再次确认。")
                % {"day": format_chinese_date(app.received_on)},
                code="already_received",
            )
        arrived_on = dates.local_date(app.arrived_at)
        before = audit.snapshot(app, AUDITED_FIELDS)
        if app.channel == Channel.REGISTERED_POST:
            app.signed_on = day
        else:
            app.confirmed_on = day
        app.received_on = receipt.receipt_date(
            app.channel,
            arrived_on=arrived_on,
            signed_on=app.signed_on,
            confirmed_on=app.confirmed_on,
            contact_delayed=contact_delayed,
        )
        app.save(update_fields=["signed_on", "confirmed_on", "received_on"])
        event = Event.objects.create(
            application=app,
            type=EventType.RECEIPT_CONFIRMED,
            on=day,
            data={"channel": app.channel, "contact_delayed": bool(contact_delayed)},
            actor=_user(actor),
        )
        _refresh(app)
        audit.record(
            actor,
            "application.receipt_confirmed",
            app,
            before=before,
            after=audit.snapshot(app, AUDITED_FIELDS),
            extra={"event_id": event.pk, "on": day},
        )
        return event

    return _run(application, actor, Action.CONFIRM_RECEIPT, body)


# --- Workflow -----------------------------------------------------------------------------------


def assign(application: Application, assignee: Any, actor: Any) -> Event:
    """Make ``assignee`` (an officer or head of the agency) the person handling the request."""

    def body(app: Application) -> Event:
        if assignee is None or not has_role(assignee, app.agency, [Role.OFFICER, Role.HEAD]):
            raise DomainError(
                _("承办人应为本机关的公开专员或负责人。"), code="invalid_assignee", field="assignee"
            )
        if app.assigned_to_id == assignee.pk:
            raise DomainError(_("该申请已由此人承办。"), field="assignee")
        app.assigned_to = assignee
        app.save(update_fields=["assigned_to"])
        name = assignee.get_full_name() or assignee.get_username()
        return _append_locked(
            app,
            EventType.ASSIGNED,
            dates.today(),
            {"assignee_id": assignee.pk, "assignee_name": name},
            actor,
        )

    return _run(application, actor, Action.ASSIGN, body)


#: Workflow steps a note can mark (they have no clock effect but may call for a letter).
#: ``art35_reasons_requested``: the agency asked the applicant to explain an evidently
#: excessive volume or frequency of requests (条例第三十五条), the step of the 说明理由告知书.
NOTE_STEPS = frozenset({"art35_reasons_requested"})


def add_note(application: Application, text: str, actor: Any, *, step: str = "") -> Event:
    """An internal note on the request's timeline (never shown to the applicant).

    ``step`` marks a procedural step without a clock effect (see :data:`NOTE_STEPS`).
    """
    text = _require_text(text, "text", _("请填写备注内容。"))
    if step and step not in NOTE_STEPS:
        raise DomainError(_("未知的办理步骤。"), field="step")
    data = {"text": text, **({"step": step} if step else {})}

    def body(app: Application) -> Event:
        return _append_locked(app, EventType.NOTE, dates.today(), data, actor)

    return _run(application, actor, Action.ADD_NOTE, body)


def request_correction(
    application: Application, *, on: dt.date | str, deadline: dt.date | str, items: str, actor: Any
) -> Event:
    """补正告知 (条例第三十条): once, within 7 working days of receipt, stating what to correct
    and a reasonable deadline."""
    items = _require_text(items, "items", _("补正告知书应说明需要补正的事项（第三十条）。"))
    deadline = _date(deadline, "deadline")
    return record_event(
        application,
        EventType.CORRECTION_REQUESTED,
        on,
        {"deadline": deadline, "items": items},
        actor,
    )


def record_correction(
    application: Application, *, on: dt.date | str, actor: Any, note: str = ""
) -> Event:
    """收到补正后的申请 (条例第三十条): the 20 working days start again from this day."""
    return record_event(
        application, EventType.CORRECTION_RECEIVED, on, {"note": _text(note) or None}, actor
    )


def _next_consultation_ref(app: Application) -> str:
    count = app.events.filter(type=EventType.CONSULTATION_OPENED).count()
    return f"C{count + 1}"


def open_consultation(
    application: Application,
    *,
    on: dt.date | str,
    party: str,
    party_name: str,
    party_received_on: dt.date | str | None = None,
    actor: Any,
) -> Event:
    """征求意见 of a third party (条例第三十二条) or a co-producing agency (第三十四条); the
    time is not counted (第三十三条第三款). ``party_received_on``: the day the consulted party
    received the letter, from which its 15 working days run."""
    party_name = _require_text(party_name, "party_name", _("请填写被征求意见方的名称。"))
    day = _date(on, "on")
    received = _optional_date(party_received_on, "party_received_on")
    if received is not None:
        _not_future(received, "party_received_on")

    def body(app: Application) -> Event:
        _not_future(day)
        data = {
            "party": party,
            "party_name": party_name,
            "party_received_on": received,
            "ref": _next_consultation_ref(app),
        }
        return _append_locked(app, EventType.CONSULTATION_OPENED, day, data, actor)

    return _run(application, actor, Action.OPEN_CONSULTATION, body)


def close_consultation(
    application: Application,
    *,
    on: dt.date | str,
    ref: str | None = None,
    opinion: str = "",
    actor: Any,
) -> Event:
    """The consulted party's opinion arrived (or its 15 working days ended)."""
    return record_event(
        application,
        EventType.CONSULTATION_CLOSED,
        on,
        {"ref": _text(ref) or None, "opinion": _text(opinion) or None},
        actor,
    )


def pending_extension(application: Application) -> Event | None:
    """The latest extension request not yet approved or refused by the head, if any."""
    last = (
        application.events.filter(
            type__in=[
                EventType.EXTENSION_REQUESTED,
                EventType.EXTENSION_GRANTED,
                EventType.EXTENSION_REFUSED,
            ]
        )
        .order_by("-id")
        .first()
    )
    if last is not None and last.type == EventType.EXTENSION_REQUESTED:
        return last
    return None


def _parse_workdays(value: Any) -> int:
    try:
        workdays = int(value)
    except (TypeError, ValueError):
        workdays = 0
    if workdays < 1 or workdays > clock.MAX_EXTENSION_WORKDAYS:
        raise DomainError(_("请填写延长的工作日数（1至20之间的整数）。"), field="workdays")
    return workdays


def request_extension(
    application: Application,
    *,
    workdays: int,
    reason: str,
    actor: Any,
    on: dt.date | str | None = None,
) -> Event:
    """An officer asks the head of the disclosure office for an extension (条例第三十三条第二款).

    Refused at once when granting it today would be illegal (after the due date, beyond 20
    working days in total)."""
    workdays = _parse_workdays(workdays)
    reason = _require_text(reason, "reason", _("请说明需要延期答复的理由。"))
    day = _date(on, "on") if on else dates.today()
    _not_future(day)

    def body(app: Application) -> Event:
        if pending_extension(app) is not None:
            raise DomainError(_("已有延期申请等待负责人审批。"), code="extension_pending")
        if app.received_on is None:
            raise DomainError(_("尚未确认收到申请，不能申请延期。"), code="not_received")
        clock.check_next(
            app.received_on,
            clock_events(app),
            ClockEvent(EventType.EXTENSION_GRANTED, day, {"workdays": workdays}),
            calendar_for(app),
        )
        return _append_locked(
            app, EventType.EXTENSION_REQUESTED, day, {"workdays": workdays, "reason": reason}, actor
        )

    return _run(application, actor, Action.REQUEST_EXTENSION, body)


def approve_extension(
    application: Application,
    *,
    actor: Any,
    on: dt.date | str | None = None,
    approved_on: dt.date | str | None = None,
) -> Event:
    """The head approves the pending extension request (条例第三十三条第二款): appends
    ``extension_granted``. ``on`` is the day the applicant is notified (延期答复告知书), on or
    before the current due date; ``approved_on`` the day of the approval (default ``on``)."""
    day = _date(on, "on") if on else dates.today()
    approval = _date(approved_on, "approved_on") if approved_on else day
    _not_future(day)

    def body(app: Application) -> Event:
        pending = pending_extension(app)
        if pending is None:
            raise DomainError(_("没有待审批的延期申请。"), code="no_extension_pending")
        name = (actor.get_full_name() or actor.get_username()) if _user(actor) else ""
        data = {
            "workdays": pending.data.get("workdays"),
            "reason": pending.data.get("reason"),
            "approved_by": name or None,
            "approved_on": approval,
            "request_event_id": pending.pk,
        }
        return _append_locked(app, EventType.EXTENSION_GRANTED, day, data, actor)

    return _run(application, actor, Action.APPROVE_EXTENSION, body)


def refuse_extension(
    application: Application, *, reason: str, actor: Any, on: dt.date | str | None = None
) -> Event:
    """The head refuses the pending extension request; the due date stays."""
    reason = _require_text(reason, "reason", _("请说明不同意延期的理由。"))
    day = _date(on, "on") if on else dates.today()
    _not_future(day)

    def body(app: Application) -> Event:
        pending = pending_extension(app)
        if pending is None:
            raise DomainError(_("没有待审批的延期申请。"), code="no_extension_pending")
        data = {"reason": reason, "request_event_id": pending.pk}
        return _append_locked(app, EventType.EXTENSION_REFUSED, day, data, actor)

    return _run(application, actor, Action.REFUSE_EXTENSION, body)


def set_art35_deadline(
    application: Application,
    *,
    on: dt.date | str,
    due_on: dt.date | str,
    reason: str,
    actor: Any,
) -> Event:
    """延迟答复的合理期限 (条例第三十五条), notified to the applicant on ``on``."""
    reason = _require_text(reason, "reason", _("请说明确定延迟答复期限的理由（第三十五条）。"))
    return record_event(
        application,
        EventType.ART35_DEADLINE,
        on,
        {"due_on": _date(due_on, "due_on"), "reason": reason},
        actor,
    )


def previous_applications_in_month(application: Application) -> int:
    """How many earlier requests the same applicant made to the same agency in the calendar
    month of this request's receipt date (按件计收, 国办函〔2020〕109号第四条; our decision: per
    agency, by 第三十一条 receipt date)."""
    assert application.received_on is not None
    identity = crypto.blind_index(application.id_number, "identity")
    if not identity:
        return 0
    first, last = fees.month_bounds(application.received_on)
    return (
        Application.objects.filter(
            agency_id=application.agency_id,
            id_type=application.id_type,
            id_number_index=identity,  # the identity number is encrypted: its blind index
            received_on__gte=first,
            received_on__lte=last,
        )
        .filter(
            Q(received_on__lt=application.received_on)
            | Q(received_on=application.received_on, pk__lt=application.pk)
        )
        .count()
    )


def issue_fee_notice(
    application: Application,
    *,
    method: str,
    on: dt.date | str,
    received_on: dt.date | str,
    actor: Any,
    pages: int | None = None,
    pieces: int | None = None,
) -> Event:
    """收费通知 (国办函〔2020〕109号): the amount comes from :mod:`fees` under exactly one method
    (按件 or 按量, 第三条), with its basis and breakdown stored on the event. ``received_on`` is the
    day the applicant received the notice; payment is due 20 working days after it."""
    day = _date(on, "on")
    notice_received = _date(received_on, "received_on")
    _not_future(notice_received, "received_on")

    def body(app: Application) -> Event:
        _not_future(day)
        if app.received_on is None:
            raise DomainError(_("尚未确认收到申请，不能发出收费通知。"), code="not_received")
        try:
            chosen = fees.FeeMethod(method)
        except ValueError as exc:
            raise DomainError(_("请选择收费方式：按件计收或按量计收。"), field="method") from exc
        if chosen is fees.FeeMethod.PER_APPLICATION:
            if pages:
                raise fees.FeeError(
                    _(
                        "按件计收时不填写页数（国办函〔2020〕109号第三条：不得同时按两种标准计收）。"
                    ),
                    field="pages",
                )
            previous = previous_applications_in_month(app)
            quote = fees.quote(chosen, pieces=int(pieces or 1), previous_in_month=previous)
            quantity = {"pieces": int(pieces or 1), "previous_in_month": previous}
        else:
            if pieces:
                raise fees.FeeError(
                    _(
                        "按量计收时不填写件数（国办函〔2020〕109号第三条：不得同时按两种标准计收）。"
                    ),
                    field="pieces",
                )
            if not pages:
                raise fees.FeeError(_("按量计收须填写页数。"), field="pages")
            quote = fees.quote(chosen, pages=int(pages))
            quantity = {"pages": int(pages)}
        if quote.total <= 0:
            raise fees.FeeError(
                _("按%(basis)s计算，本申请不收费，无需发出收费通知。") % {"basis": quote.basis},
                field="method",
            )
        data = {
            "method": chosen.value,
            "amount": quote.total,
            "basis": quote.basis,
            "breakdown": quote.lines(),
            "received_on": notice_received,
            **quantity,
        }
        return _append_locked(app, EventType.FEE_NOTICE_ISSUED, day, data, actor)

    return _run(application, actor, Action.ISSUE_FEE_NOTICE, body)


def record_payment(
    application: Application, *, on: dt.date | str, actor: Any, reference: str = ""
) -> Event:
    """The applicant paid the information processing fee (recorded, not invoiced)."""
    return record_event(
        application, EventType.FEE_PAID, on, {"reference": _text(reference) or None}, actor
    )


def reply(
    application: Application,
    *,
    outcome: str,
    on: dt.date | str,
    actor: Any,
    data: Mapping[str, Any] | None = None,
) -> Event:
    """答复 (条例第三十六条至第三十九条) with one of the 21 outcome codes and the data it needs."""
    payload = {key: _text(value) or None for key, value in (data or {}).items()}
    payload["outcome"] = outcome
    return record_event(application, EventType.REPLY_ISSUED, on, payload, actor)


def record_delivery(
    application: Application, *, method: str, on: dt.date | str, actor: Any, note: str = ""
) -> Event:
    """送达 (国办公开办函〔2016〕235号): direct → the signature date; post → the mailing date."""
    return record_event(
        application,
        EventType.DELIVERED,
        on,
        {"method": method, "note": _text(note) or None},
        actor,
    )


def record_withdrawal(
    application: Application, *, on: dt.date | str, actor: Any, note: str = ""
) -> Event:
    """The applicant withdrew the request (counted as 其他处理-3.其他)."""
    return record_event(application, EventType.WITHDRAWN, on, {"note": _text(note) or None}, actor)


# --- Deadlines passed (gongkai tick) ---------------------------------------------------------


def close_expired(application: Application, today: dt.date | None = None) -> Event | None:
    """Close a request whose applicant deadline passed before ``today``: 逾期不补正 (条例第三十条,
    其他处理-1) or 逾期未缴费 (国办函〔2020〕109号, 其他处理-2). The closing is dated the first
    day after the deadline. Returns None when nothing is due (already closed, paid, corrected).
    """
    today = today or dates.today()

    def body(app: Application) -> Event | None:
        result = compute_clock(app, today)
        if result is None:
            return None
        if result.status is clock.Status.AWAITING_CORRECTION:
            deadline, code = result.correction_deadline, outcomes.Outcome.OTHER_CORRECTION_OVERDUE
        elif result.status is clock.Status.AWAITING_PAYMENT:
            deadline, code = result.fee_due_on, outcomes.Outcome.OTHER_FEE_UNPAID
        else:
            _refresh(app, today)
            return None
        if deadline is None or deadline >= today:
            _refresh(app, today)
            return None
        # The day after the deadline, unless a later step was recorded meanwhile (the log
        # must stay in date order).
        last = max((event.on for event in clock_events(app)), default=app.received_on)
        on = max(deadline + dt.timedelta(days=1), last)
        data = {"outcome": code.value, "deadline": deadline}
        return _append_locked(app, EventType.CLOSED, on, data, None, today=today)

    return _run(application, None, Action.REPLY, body)


# --- Administrative reviews and lawsuits (table 4) -------------------------------------------


def _check_appeal(
    application: Application,
    *,
    filed_on: dt.date,
    result: str,
    decided_on: dt.date | None,
) -> None:
    if result not in AppealResult.values:
        raise DomainError(_("请选择审理结果。"), field="result")
    _not_future(filed_on, "filed_on")
    start = application.received_on or dates.local_date(application.arrived_at)
    if filed_on < start:
        raise DomainError(
            _("立案（申请）日期%(filed)s早于收到申请之日%(start)s。")
            % {"filed": format_chinese_date(filed_on), "start": format_chinese_date(start)},
            field="filed_on",
        )
    if result == AppealResult.PENDING:
        if decided_on is not None:
            raise DomainError(_("尚未审结的案件不填写审结日期。"), field="decided_on")
        return
    if decided_on is None:
        raise DomainError(_("已审结的案件请填写审结日期。"), field="decided_on")
    _not_future(decided_on, "decided_on")
    if decided_on < filed_on:
        raise DomainError(
            _("审结日期%(decided)s早于立案日期%(filed)s。")
            % {"decided": format_chinese_date(decided_on), "filed": format_chinese_date(filed_on)},
            field="decided_on",
        )


_APPEAL_FIELDS = ["kind", "body", "case_number", "filed_on", "result", "decided_on", "note"]


def create_appeal(
    application: Application,
    *,
    kind: str,
    body: str,
    filed_on: dt.date | str,
    actor: Any,
    case_number: str = "",
    result: str = AppealResult.PENDING,
    decided_on: dt.date | str | None = None,
    note: str = "",
) -> Appeal:
    """Record an administrative review (行政复议) or lawsuit (行政诉讼) about the request, counted
    in table 4 of the annual report (条例第五十条第（三）项)."""
    if kind not in AppealKind.values:
        raise DomainError(_("请选择类型：行政复议或行政诉讼。"), field="kind")
    body_text = _require_text(body, "body", _("请填写复议机关或人民法院的名称。"))
    filed = _date(filed_on, "filed_on")
    decided = _optional_date(decided_on, "decided_on")

    def run(app: Application) -> Appeal:
        _check_appeal(app, filed_on=filed, result=result, decided_on=decided)
        appeal = Appeal.objects.create(
            application=app,
            kind=kind,
            body=body_text,
            case_number=_text(case_number),
            filed_on=filed,
            result=result,
            decided_on=decided,
            note=_text(note),
            recorded_by=_user(actor),
        )
        audit.record(
            actor,
            "appeal.create",
            appeal,
            agency=app.agency,
            after=audit.snapshot(appeal, _APPEAL_FIELDS),
        )
        return appeal

    return _run(application, actor, Action.CREATE_APPEAL, run)


def update_appeal(
    appeal: Appeal,
    *,
    result: str,
    actor: Any,
    decided_on: dt.date | str | None = None,
    case_number: str | None = None,
    note: str | None = None,
) -> Appeal:
    """Record the result of a review or lawsuit (维持 / 纠正 / 其他 / 尚未审结)."""
    decided = _optional_date(decided_on, "decided_on")

    def run(app: Application) -> Appeal:
        locked = Appeal.objects.select_for_update().get(pk=appeal.pk, application=app)
        _check_appeal(app, filed_on=locked.filed_on, result=result, decided_on=decided)
        before = audit.snapshot(locked, _APPEAL_FIELDS)
        locked.result = result
        locked.decided_on = decided
        if case_number is not None:
            locked.case_number = _text(case_number)
        if note is not None:
            locked.note = _text(note)
        locked.save()
        audit.record(
            actor,
            "appeal.update",
            locked,
            agency=app.agency,
            before=before,
            after=audit.snapshot(locked, _APPEAL_FIELDS),
        )
        _sync(appeal, locked)
        return appeal

    return _run(appeal.application, actor, Action.UPDATE_APPEAL, run)


# --- Recomputing many requests ------------------------------------------------------------------


def recompute(queryset: Iterable[Application] | None = None, today: dt.date | None = None) -> int:
    """Refresh the cached clock of every request in ``queryset`` (default: every request still
    open or awaiting delivery, and those whose clock failed). Returns how many were refreshed."""
    if queryset is None:
        queryset = Application.objects.filter(
            Q(status__in=[*OPEN_STATUSES, StatusChoice.REPLIED]) | ~Q(clock_error="")
        )
    count = 0
    for pk in list(queryset.values_list("pk", flat=True)):  # type: ignore[union-attr]
        try:
            refresh_clock(Application(pk=pk), today=today)
        except Application.DoesNotExist:  # pragma: no cover - deleted meanwhile
            continue
        count += 1
    return count


def recompute_for_years(years: Iterable[int], today: dt.date | None = None) -> int:
    """Refresh the open requests whose deadlines may involve ``years`` (after the working-day
    calendar changed). Finished requests keep their recorded result."""
    years = sorted(set(years))
    if not years:
        return 0
    first, last = dt.date(years[0], 1, 1), dt.date(years[-1], 12, 31)
    affected = Application.objects.filter(
        (
            Q(status__in=[*OPEN_STATUSES, StatusChoice.REPLIED])
            & Q(received_on__isnull=False, received_on__lte=last)
            & (Q(due_on__isnull=True) | Q(due_on__gte=first))
        )
        | ~Q(clock_error="")
    )
    return recompute(affected, today)


__all__ = [
    "ClockError",
    "add_note",
    "approve_extension",
    "assign",
    "close_consultation",
    "close_expired",
    "compute_clock",
    "confirm_receipt",
    "create_appeal",
    "issue_fee_notice",
    "open_consultation",
    "pending_extension",
    "recompute",
    "recompute_for_years",
    "record_correction",
    "record_delivery",
    "record_event",
    "record_payment",
    "record_withdrawal",
    "refresh_clock",
    "refuse_extension",
    "register_application",
    "reply",
    "request_correction",
    "request_extension",
    "set_art35_deadline",
    "update_appeal",
]


def open_consultations(events: Iterable[Event]) -> list[Event]:
    """The ``consultation_opened`` events not yet closed (a close without ``ref`` closes the
    earliest open one, as in the clock)."""
    still_open: list[Event] = []
    for event in events:
        if event.type == EventType.CONSULTATION_OPENED:
            still_open.append(event)
        elif event.type == EventType.CONSULTATION_CLOSED and still_open:
            ref = (event.data or {}).get("ref")
            match = next((e for e in still_open if ref and e.data.get("ref") == ref), None)
            still_open.remove(match or still_open[0])
    return still_open
