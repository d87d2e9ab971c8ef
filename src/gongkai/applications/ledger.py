"""The request ledger (依申请公开台账) and the shared filters of the inbox and the ledger.

Lights (红黄绿灯, DOMAIN §5) come from the cached columns the clock keeps on each row
(``due_on`` and ``yellow_on``, computed with the agency's working-day calendar and
``settings.GONGKAI_YELLOW_WORKDAYS``), so lists neither query the calendar nor compute per row:
red when today is after the due date, yellow from ``yellow_on`` (the day on which at most N working
days remain) to the due date, green before. Only requests that still owe a reply or its delivery
have a light.

Exports: XLSX (openpyxl, write-only) and CSV (UTF-8 with BOM so that Excel opens it as Chinese).
Cells that start like a formula (``= + - @``) are prefixed with an apostrophe so a spreadsheet
shows them as text (CSV/formula injection).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, F, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongkai.agencies.models import Agency
from gongkai.applications import clock, outcomes
from gongkai.applications.models import (
    OPEN_STATUSES,
    RUNNING_STATUSES,
    Application,
    Event,
    EventType,
    StatusChoice,
)
from gongkai.core.crypto import blind_index
from gongkai.core.dates import format_chinese_date, local_date
from gongkai.core.masking import mask_id_number, mask_phone

LIGHT_LABELS: dict[str, Any] = {
    "green": gettext_lazy("绿灯（期限充裕）"),
    "yellow": gettext_lazy("黄灯（即将到期）"),
    "red": gettext_lazy("红灯（已逾期）"),
}

#: The inbox's default: everything still being handled (pending confirmation included).
INBOX_STATUSES = (*OPEN_STATUSES, StatusChoice.REPLIED)


def light_of(application: Application, today: dt.date) -> str | None:
    """The traffic light of one request on ``today`` (None when nothing is owed)."""
    if application.status not in RUNNING_STATUSES or application.due_on is None:
        return None
    if today > application.due_on:
        return clock.Light.RED.value
    if application.yellow_on is None or today >= application.yellow_on:
        return clock.Light.YELLOW.value
    return clock.Light.GREEN.value


def filter_requests(
    queryset: QuerySet[Application], filters: Mapping[str, Any], today: dt.date
) -> QuerySet[Application]:
    """Apply the inbox/ledger filters (all optional):

    ``status`` (a status value, ``"open"`` for everything still handled, ``""``/``"all"`` for
    all), ``light`` (green/yellow/red), ``assignee`` (a user, ``"me"`` with ``user``,
    ``"none"``), ``applicant_type``, ``channel``, ``received_from``/``received_to`` (the
    第三十一条 receipt date), ``agency`` (an :class:`Agency`; with ``subtree`` its subordinate
    units too) and ``q`` (tracking code, applicant name or description).
    """
    qs = queryset
    status = filters.get("status") or ""
    if status == "open":
        qs = qs.filter(status__in=INBOX_STATUSES)
    elif status and status != "all":
        qs = qs.filter(status=status)
    light = filters.get("light") or ""
    if light:
        qs = qs.with_light(light, today)
    assignee = filters.get("assignee")
    if assignee == "none":
        qs = qs.filter(assigned_to__isnull=True)
    elif assignee == "me":
        qs = qs.filter(assigned_to=filters.get("user"))
    elif assignee:
        qs = qs.filter(assigned_to=assignee)
    if filters.get("applicant_type"):
        qs = qs.filter(applicant_type=filters["applicant_type"])
    if filters.get("channel"):
        qs = qs.filter(channel=filters["channel"])
    if filters.get("received_from"):
        qs = qs.filter(received_on__gte=filters["received_from"])
    if filters.get("received_to"):
        qs = qs.filter(received_on__lte=filters["received_to"])
    agency = filters.get("agency")
    if isinstance(agency, Agency):
        if filters.get("subtree"):
            qs = qs.filter(agency__path__startswith=agency.path)
        else:
            qs = qs.filter(agency=agency)
    text = (filters.get("q") or "").strip()
    if text:
        condition = (
            Q(tracking_code__icontains=text)
            | Q(applicant_name__icontains=text)
            | Q(description__icontains=text)
        )
        identity = blind_index(text, "identity")  # a whole identity number (encrypted column)
        if identity:
            condition |= Q(id_number_index=identity)
        qs = qs.filter(condition)
    return qs


def inbox_order(queryset: QuerySet[Application]) -> QuerySet[Application]:
    """Requests still awaiting confirmation of receipt first (oldest arrival first), then by due
    date (earliest first, none last)."""
    return queryset.annotate(
        _unconfirmed=Case(
            When(status=StatusChoice.PENDING_CONFIRMATION, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
    ).order_by("_unconfirmed", F("due_on").asc(nulls_last=True), "arrived_at", "id")


def ledger_order(queryset: QuerySet[Application]) -> QuerySet[Application]:
    """Newest arrivals first."""
    return queryset.order_by("-arrived_at", "-id")


# --- Columns and exports ------------------------------------------------------------------------

#: Event types whose data the ledger shows (fee, extension, reply, delivery).
LEDGER_EVENT_TYPES = (
    EventType.EXTENSION_GRANTED,
    EventType.FEE_NOTICE_ISSUED,
    EventType.FEE_PAID,
    EventType.REPLY_ISSUED,
    EventType.DELIVERED,
)


def with_ledger_data(queryset: QuerySet[Application]) -> QuerySet[Application]:
    """Everything the ledger columns read, in a constant number of queries."""
    return queryset.select_related("agency", "assigned_to").prefetch_related(
        Prefetch(
            "events",
            queryset=Event.objects.filter(type__in=LEDGER_EVENT_TYPES).order_by("on", "id"),
            to_attr="ledger_events",
        ),
        "appeals",
    )


def _events(app: Application, event_type: str) -> list[Event]:
    return [e for e in getattr(app, "ledger_events", []) if e.type == event_type]


def _first(app: Application, event_type: str) -> Event | None:
    found = _events(app, event_type)
    return found[0] if found else None


def _user_name(user: Any) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def _outcome_label(code: str) -> str:
    if not code:
        return ""
    try:
        return outcomes.info(code).full_label
    except ValueError:
        return code


def _yes_no(value: bool | None) -> str:
    if value is None:
        return ""
    return _("是") if value else _("否")


def _extension_days(app: Application) -> int | str:
    total = sum(int(e.data.get("workdays") or 0) for e in _events(app, EventType.EXTENSION_GRANTED))
    return total or ""


def _fee_amount(app: Application) -> str:
    notice = _first(app, EventType.FEE_NOTICE_ISSUED)
    return str(notice.data.get("amount", "")) if notice else ""


def _fee_paid(app: Application) -> dt.date | None:
    paid = _first(app, EventType.FEE_PAID)
    return paid.on if paid else None


def _delivered(app: Application) -> dt.date | None:
    event = _first(app, EventType.DELIVERED)
    return event.on if event else None


def _appeals(app: Application) -> str:
    return "；".join(
        f"{a.get_kind_display()}（{a.body}，{a.get_result_display()}）" for a in app.appeals.all()
    )


@dataclass(frozen=True)
class Column:
    label: Any
    value: Callable[[Application], Any]


#: The ledger's columns: every field of the request plus the steps the report and supervision use.
#: Identity number and telephone are masked: an export leaves the system (docs/decisions.md).
LEDGER_COLUMNS: tuple[Column, ...] = (
    Column(gettext_lazy("查询码"), lambda a: a.tracking_code),
    Column(gettext_lazy("受理机关"), lambda a: a.agency.name),
    Column(gettext_lazy("申请渠道"), lambda a: a.get_channel_display()),
    Column(gettext_lazy("到达时间"), lambda a: local_date(a.arrived_at)),
    Column(gettext_lazy("签收日期"), lambda a: a.signed_on),
    Column(gettext_lazy("确认日期"), lambda a: a.confirmed_on),
    Column(gettext_lazy("收到申请之日"), lambda a: a.received_on),
    Column(gettext_lazy("申请人类型"), lambda a: a.get_applicant_type_display()),
    Column(gettext_lazy("姓名或名称"), lambda a: a.applicant_name),
    Column(gettext_lazy("证件类型"), lambda a: a.get_id_type_display()),
    Column(gettext_lazy("证件号码"), lambda a: mask_id_number(a.id_number)),
    Column(gettext_lazy("联系人"), lambda a: a.contact_person),
    Column(gettext_lazy("联系电话"), lambda a: mask_phone(a.phone)),
    Column(gettext_lazy("电子邮箱"), lambda a: a.email),
    Column(gettext_lazy("通信地址"), lambda a: a.address),
    Column(gettext_lazy("邮政编码"), lambda a: a.postcode),
    Column(gettext_lazy("所需信息的内容描述"), lambda a: a.description),
    Column(gettext_lazy("信息名称、文号等特征"), lambda a: a.document_hint),
    Column(gettext_lazy("获取信息的形式"), lambda a: a.get_form_wanted_display()),
    Column(gettext_lazy("获取信息的方式"), lambda a: a.get_delivery_display()),
    Column(gettext_lazy("承办人"), lambda a: _user_name(a.assigned_to)),
    Column(gettext_lazy("状态"), lambda a: a.get_status_display()),
    Column(gettext_lazy("答复期限"), lambda a: a.due_on),
    Column(gettext_lazy("延期工作日"), _extension_days),
    Column(gettext_lazy("收费金额（元）"), _fee_amount),
    Column(gettext_lazy("缴费日期"), _fee_paid),
    Column(gettext_lazy("办理结果"), lambda a: _outcome_label(a.outcome)),
    Column(gettext_lazy("答复日期"), lambda a: a.closed_on),
    Column(gettext_lazy("送达日期"), _delivered),
    Column(gettext_lazy("按时答复"), lambda a: _yes_no(a.on_time)),
    Column(gettext_lazy("行政复议、行政诉讼"), _appeals),
)


def header() -> list[str]:
    return [str(column.label) for column in LEDGER_COLUMNS]


def rows(queryset: QuerySet[Application], chunk_size: int = 2000) -> Iterator[list[Any]]:
    """One list of cell values per request (dates as ``date``), streaming in chunks."""
    for app in with_ledger_data(queryset).iterator(chunk_size=chunk_size):
        yield [column.value(app) for column in LEDGER_COLUMNS]


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_text(value: Any) -> Any:
    """Neutralise text that a spreadsheet would take as a formula."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def export_xlsx(data: Iterable[list[Any]], *, title: str) -> bytes:
    """The ledger as an XLSX workbook (one sheet named ``title``)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append(header())
    for row in data:
        cells = []
        for value in row:
            if isinstance(value, dt.date):
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = "yyyy-mm-dd"
            else:
                cell = WriteOnlyCell(sheet, value=safe_text(value))
                if isinstance(value, str):
                    cell.data_type = "s"
            cells.append(cell)
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def export_csv(data: Iterable[list[Any]]) -> bytes:
    """The ledger as CSV, UTF-8 with a byte-order mark (Excel then reads Chinese correctly)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header())
    for row in data:
        writer.writerow(
            [value.isoformat() if isinstance(value, dt.date) else safe_text(value) for value in row]
        )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def chinese_date(value: dt.date | None) -> str:
    return format_chinese_date(value) if value else ""
