"""The deadline clock of a disclosure request (依申请公开), derived from its events.

CONTRACT (stable public names; the implementation may add fields, never rename or remove):

- ``EventType``: the event vocabulary shared by the model layer, the CLI and the API.
- ``ClockEvent(type, on, data)``: one event; ``on`` is the legal date of the step; ``data`` holds
  type-specific values:
    correction_requested: ``deadline`` (date the applicant must correct by)
    correction_received: —
    consultation_opened: ``party`` ("third_party" | "agency"), ``party_received_on`` (date the
        consulted party received the letter; may be missing until known), optional ``ref`` (str)
    consultation_closed: optional ``ref`` (closes the consultation with that ref, else the
        earliest open one)
    extension_granted: ``workdays`` (int, 1–20 in total across grants)
    art35_deadline: ``due_on`` (date)
    fee_notice_issued: ``received_on`` (date the applicant received the notice), ``amount``
    fee_paid: —
    reply_issued: ``outcome`` (an ``outcomes.Outcome`` value)
    delivered: ``method`` ("direct" | "post" | "electronic")
    withdrawn: —
    closed: ``outcome`` (``other_correction_overdue`` or ``other_fee_unpaid``, recorded by
        ``gongkai tick`` when a deadline passes)
- ``compute(received_on, events, calendar, today=None) -> ClockResult``: pure; raises
  ``ClockError`` (a DomainError) for an impossible history, ``CalendarYearMissing`` when a needed
  year has no calendar data.
- ``check_next(received_on, events, new_event, calendar) -> None``: raises ``ClockError`` with a
  Chinese message when appending ``new_event`` would be illegal.

Additions to the contract (all optional for callers):

- ``ClockEvent.type`` may be a plain string and dates inside ``data`` may be ISO strings
  (``"2026-03-02"``), as they come out of a JSON column; both are parsed strictly.
- Optional data: ``extension_granted`` ``approved_by`` (name of the head who approved) and
  ``approved_on`` (date of the approval, not after ``on``, the date the applicant is notified);
  ``fee_notice_issued`` ``method`` ("per_application" | "per_page"); ``consultation_opened``
  ``party_name``; ``reply_issued``/``closed`` any extra keys (ignored here).
- ``ClockResult`` gains ``correction_deadline``, ``fee_received_on``, ``provisional`` (the due
  date assumes that a pause still running ends today), ``overdue`` (as of ``today``) and
  ``today``; :meth:`ClockResult.as_json` gives the CLI/API shape.
- :func:`is_overdue`, :func:`workdays_left`, :func:`traffic_light` for the inbox lights, and
  :func:`workdays_until` / :func:`light_for` for a cached due date on list pages.
- ``EVENT_LABELS`` / ``STATUS_LABELS``: Chinese names for messages and pages.

The rules, with their sources (legal-rules §1.4–1.8, §2.3, §4.2, §7; decisions in
``docs/decisions.md``):

- Counting (§7.3): day 1 is the first working day *after* the start date; 调休 working days count,
  holidays do not; a year without calendar data raises ``CalendarYearMissing``.
- Base (条例第三十三条第二款): the reply is due 20 working days after the receipt date.
- 补正 (第三十条): one single notice within 7 working days of the original receipt, with an
  applicant deadline; no reply period runs while awaiting the correction; the 20 working days
  start again from the day the corrected application is received. A ``closed`` event with
  ``other_correction_overdue`` ends the request (report row 其他处理-1).
- Consultation (第三十二条、第三十四条, 第三十三条第三款): working days up to and including the
  day the letter is sent are consumed; the clock then pauses and resumes on the first working
  day after the opinion arrives or the consulted party's 15 working days (from its own receipt of
  the letter) end, whichever comes first. Overlapping pauses count once.
- Extension (第三十三条第二款): at most 20 working days in total, notified on or before the
  current due date.
- 第三十五条: an agency-set reasonable deadline replaces the computed one from its notice date.
- Fee (国办函〔2020〕109号): a fee notice pauses the reply clock until payment (our decision, same
  boundary convention as consultations); payment is due 20 working days after the applicant
  received the notice; unpaid → ``closed`` with ``other_fee_unpaid`` (其他处理-2).
- Reply and delivery (国办公开办函〔2016〕235号): on time when delivered (direct: signature date;
  post: mailing date; electronic: sending date) on or before the due date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from django.utils.translation import gettext as _

from gongkai.applications import outcomes
from gongkai.core.dates import format_chinese_date
from gongkai.core.errors import DomainError
from gongkai.workdays.calendar import WorkdayCalendar

#: 条例第三十三条第二款: reply within 20 working days of receipt.
REPLY_WORKDAYS = 20
#: 条例第三十条: the correction notice within 7 working days of receipt.
CORRECTION_NOTICE_WORKDAYS = 7
#: 条例第三十二条、第三十四条: the consulted party answers within 15 working days.
CONSULTATION_WORKDAYS = 15
#: 条例第三十三条第二款: extensions total at most 20 working days.
MAX_EXTENSION_WORKDAYS = 20
#: 国办函〔2020〕109号 (Sichuan notice, legal-rules §2.3): pay within 20 working days.
FEE_PAYMENT_WORKDAYS = 20


class EventType(StrEnum):
    CORRECTION_REQUESTED = "correction_requested"
    CORRECTION_RECEIVED = "correction_received"
    CONSULTATION_OPENED = "consultation_opened"
    CONSULTATION_CLOSED = "consultation_closed"
    EXTENSION_GRANTED = "extension_granted"
    ART35_DEADLINE = "art35_deadline"
    FEE_NOTICE_ISSUED = "fee_notice_issued"
    FEE_PAID = "fee_paid"
    REPLY_ISSUED = "reply_issued"
    DELIVERED = "delivered"
    WITHDRAWN = "withdrawn"
    CLOSED = "closed"


class Status(StrEnum):
    IN_PROGRESS = "in_progress"  # 办理中
    AWAITING_CORRECTION = "awaiting_correction"  # 待补正
    CONSULTING = "consulting"  # 征求意见中
    AWAITING_PAYMENT = "awaiting_payment"  # 待缴费
    REPLIED = "replied"  # 已答复（待送达）
    CLOSED = "closed"  # 已办结
    WITHDRAWN = "withdrawn"  # 已撤回


class Party(StrEnum):
    """Who is consulted: a third party (第三十二条) or a co-producing agency (第三十四条)."""

    THIRD_PARTY = "third_party"
    AGENCY = "agency"


class DeliveryMethod(StrEnum):
    """How the reply reached the applicant (国办公开办函〔2016〕235号)."""

    DIRECT = "direct"  # 直接送达：签收之日
    POST = "post"  # 邮寄送达：交邮之日
    ELECTRONIC = "electronic"  # 电子送达：发送之日（235号未规定，本系统的选择）


class Light(StrEnum):
    """Traffic light of a running request (DOMAIN §5)."""

    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"


EVENT_LABELS: dict[EventType, str] = {
    EventType.CORRECTION_REQUESTED: "告知补正",
    EventType.CORRECTION_RECEIVED: "收到补正申请",
    EventType.CONSULTATION_OPENED: "发出征求意见",
    EventType.CONSULTATION_CLOSED: "征求意见结束",
    EventType.EXTENSION_GRANTED: "延期答复",
    EventType.ART35_DEADLINE: "确定延迟答复期限（第三十五条）",
    EventType.FEE_NOTICE_ISSUED: "发出收费通知",
    EventType.FEE_PAID: "缴纳信息处理费",
    EventType.REPLY_ISSUED: "作出答复",
    EventType.DELIVERED: "送达",
    EventType.WITHDRAWN: "申请人撤回申请",
    EventType.CLOSED: "终止处理",
}

STATUS_LABELS: dict[Status, str] = {
    Status.IN_PROGRESS: "办理中",
    Status.AWAITING_CORRECTION: "待补正",
    Status.CONSULTING: "征求意见中",
    Status.AWAITING_PAYMENT: "待缴费",
    Status.REPLIED: "已答复（待送达）",
    Status.CLOSED: "已办结",
    Status.WITHDRAWN: "已撤回",
}

#: Statuses in which the agency still owes the applicant something by ``due_on``.
RUNNING_STATUSES = frozenset(
    {Status.IN_PROGRESS, Status.CONSULTING, Status.AWAITING_PAYMENT, Status.REPLIED}
)

_CLOSING_OUTCOMES = frozenset(
    {outcomes.Outcome.OTHER_CORRECTION_OVERDUE, outcomes.Outcome.OTHER_FEE_UNPAID}
)


class ClockError(DomainError):
    code = "illegal_step"


@dataclass(frozen=True)
class ClockEvent:
    type: EventType
    on: dt.date
    data: Mapping[str, Any] = field(default_factory=dict)


@dataclass
class ClockResult:
    status: Status
    due_on: dt.date | None
    """The current reply deadline (None once closed without a reply deadline)."""
    paused: list[tuple[dt.date, dt.date | None]]
    """Paused intervals [from, to]; ``to`` is None while still paused."""
    explanation: list[str]
    """Chinese sentences explaining how ``due_on`` was computed."""
    clock_start: dt.date
    """The date the 20 working days run from (receipt, or receipt of the corrected application)."""
    correction_due_on: dt.date | None = None
    """Latest date to issue a correction notice (7 working days after the original receipt)."""
    fee_due_on: dt.date | None = None
    closed_on: dt.date | None = None
    outcome: str | None = None
    on_time: bool | None = None
    """Set once delivered (or closed): whether the reply reached the applicant by ``due_on``."""
    extension_workdays: int = 0
    correction_deadline: dt.date | None = None
    """The applicant's deadline for the correction (from the 补正告知书), while one was asked."""
    fee_received_on: dt.date | None = None
    """When the applicant received the fee notice (the payment window runs from the next day)."""
    provisional: bool = False
    """True while a pause is still running: ``due_on`` assumes it ends today and moves later
    each day the pause lasts."""
    overdue: bool = False
    """Whether the agency is late as of ``today`` (see :func:`is_overdue`)."""
    today: dt.date | None = None
    """The date the result was computed for."""

    def as_json(self) -> dict[str, Any]:
        """A JSON-ready dict (dates as ISO strings) for the CLI and the API."""

        def iso(day: dt.date | None) -> str | None:
            return day.isoformat() if day is not None else None

        return {
            "due_on": iso(self.due_on),
            "status": self.status.value,
            "status_label": STATUS_LABELS[self.status],
            "paused": [[iso(start), iso(end)] for start, end in self.paused],
            "explanation": list(self.explanation),
            "clock_start": iso(self.clock_start),
            "correction_due_on": iso(self.correction_due_on),
            "correction_deadline": iso(self.correction_deadline),
            "fee_received_on": iso(self.fee_received_on),
            "fee_due_on": iso(self.fee_due_on),
            "extension_workdays": self.extension_workdays,
            "closed_on": iso(self.closed_on),
            "outcome": self.outcome,
            "on_time": self.on_time,
            "provisional": self.provisional,
            "overdue": self.overdue,
            "today": iso(self.today),
        }


# --------------------------------------------------------------------------------------------
# Small helpers


def _full(day: dt.date) -> str:
    return format_chinese_date(day)


def _short(day: dt.date, year: int) -> str:
    """``2月14日`` inside ``year``, the full date otherwise."""
    if day.year == year:
        return f"{day.month}月{day.day}日"
    return _full(day)


_WEEKDAYS = "一二三四五六日"


def _weekday(day: dt.date) -> str:
    return f"周{_WEEKDAYS[day.weekday()]}"


def _label(event_type: EventType) -> str:
    return EVENT_LABELS[event_type]


@dataclass(frozen=True)
class _Event:
    """A normalised event: typed ``type``, a real date, and its position in the log."""

    type: EventType
    on: dt.date
    data: Mapping[str, Any]
    seq: int

    def date(self, key: str, *, required: bool = False) -> dt.date | None:
        value = self.data.get(key)
        if value is None or value == "":
            if required:
                raise ClockError(
                    _("“%(event)s”缺少日期“%(key)s”。") % {"event": _label(self.type), "key": key},
                    field=key,
                )
            return None
        return _as_date(value, f"{_label(self.type)}：{key}")


def _as_date(value: Any, what: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        from gongkai.core.dates import parse_date

        try:
            return parse_date(value)
        except DomainError as exc:
            raise ClockError(f"{what}：{exc.message}") from exc
    raise ClockError(_("%(what)s：日期格式不正确。") % {"what": what})


def _normalise(event: ClockEvent, seq: int) -> _Event:
    try:
        kind = EventType(event.type)
    except ValueError as exc:
        known = "、".join(t.value for t in EventType)
        raise ClockError(
            _("未知的事项类型“%(type)s”，应为以下之一：%(known)s。")
            % {"type": event.type, "known": known},
            field="type",
        ) from exc
    on = _as_date(event.on, _label(kind))
    data = event.data if isinstance(event.data, Mapping) else {}
    return _Event(kind, on, data, seq)


# --------------------------------------------------------------------------------------------
# State built by replaying the event log


@dataclass
class _Consultation:
    party: Party
    opened: _Event
    party_received_on: dt.date | None
    ref: str | None
    party_name: str | None
    closed_on: dt.date | None = None

    def window_end(self, calendar: WorkdayCalendar) -> dt.date | None:
        """The last of the consulted party's 15 working days (第三十二条、第三十四条)."""
        if self.party_received_on is None:
            return None
        return calendar.add_workdays(self.party_received_on, CONSULTATION_WORKDAYS)


@dataclass
class _Fee:
    notice: _Event
    received_on: dt.date | None
    amount: Decimal | None
    paid_on: dt.date | None = None

    def due_on(self, calendar: WorkdayCalendar) -> dt.date | None:
        """20 working days counted from the day after the applicant received the notice."""
        if self.received_on is None:
            return None
        return calendar.add_workdays(self.received_on, FEE_PAYMENT_WORKDAYS)


@dataclass
class _Extension:
    event: _Event
    workdays: int
    total_after: int


@dataclass
class _Art35:
    event: _Event
    due_on: dt.date


@dataclass
class _State:
    received_on: dt.date
    events: list[_Event] = field(default_factory=list)
    correction_requested: _Event | None = None
    correction_deadline: dt.date | None = None
    correction_received: _Event | None = None
    consultations: list[_Consultation] = field(default_factory=list)
    extensions: list[_Extension] = field(default_factory=list)
    art35: list[_Art35] = field(default_factory=list)
    fee: _Fee | None = None
    reply: _Event | None = None
    delivered: _Event | None = None
    withdrawn: _Event | None = None
    closed: _Event | None = None

    @property
    def clock_start(self) -> dt.date:
        if self.correction_received is not None:
            return self.correction_received.on
        return self.received_on

    @property
    def awaiting_correction(self) -> bool:
        return self.correction_requested is not None and self.correction_received is None

    @property
    def terminal(self) -> _Event | None:
        """The event that ended the handling (reply, closing or withdrawal), if any."""
        return self.reply or self.closed or self.withdrawn

    @property
    def extension_total(self) -> int:
        return sum(e.workdays for e in self.extensions)

    @property
    def fee_outstanding(self) -> bool:
        return self.fee is not None and self.fee.paid_on is None

    def open_consultations(self) -> list[_Consultation]:
        return [c for c in self.consultations if c.closed_on is None]


# --------------------------------------------------------------------------------------------
# Pauses and the counting walk


@dataclass
class _Pause:
    start: dt.date
    """The day the letter or notice went out (its working day is still counted)."""
    end: dt.date | None
    """The day after which counting resumes; None while the pause is still running."""
    seq: int
    kind: str  # "consultation" | "fee"


@dataclass
class _Group:
    start: dt.date
    end: dt.date | None
    members: list[_Pause]
    effective: bool = True
    end_effective: dt.date | None = None
    counted_before: int = 0
    remaining: int = 0


@dataclass
class _Segment:
    start: dt.date  # counting starts the day after
    end: dt.date  # last day of the segment (inclusive)
    first: int  # ordinal of the first working day counted in the segment
    last: int  # ordinal of the last working day counted (first - 1 when none)


@dataclass
class _Phase:
    anchor: dt.date
    budget: int
    due_on: dt.date
    groups: list[_Group]
    segments: list[_Segment]
    provisional: bool


def _finish(calendar: WorkdayCalendar, day: dt.date, remaining: int) -> dt.date:
    """The due date when ``remaining`` working days are left after ``day``.

    With nothing left (a pause began on the due date itself) the period ends on the day the pause
    ends, or on the next working day if that is a rest day (民事诉讼法第八十五条 by analogy).
    """
    if remaining > 0:
        return calendar.add_workdays(day, remaining)
    return day if calendar.is_workday(day) else calendar.next_workday(day)


def _merge(pauses: list[_Pause]) -> list[_Group]:
    groups: list[_Group] = []
    for pause in sorted(pauses, key=lambda p: (p.start, p.seq)):
        current = groups[-1] if groups else None
        if current is not None and (current.end is None or pause.start <= current.end):
            current.members.append(pause)
            if current.end is not None:
                current.end = None if pause.end is None else max(current.end, pause.end)
        else:
            groups.append(_Group(pause.start, pause.end, [pause]))
    return groups


def _walk(
    calendar: WorkdayCalendar,
    anchor: dt.date,
    budget: int,
    pauses: list[_Pause],
    as_of: dt.date,
) -> _Phase:
    """Count ``budget`` working days after ``anchor``, skipping the paused intervals.

    Each merged pause consumes the working days up to and including its start day; counting
    resumes after its end (or after ``as_of`` while it is still running). A pause that starts
    after the deadline already expired has no effect.
    """
    groups = _merge(pauses)
    day, remaining, counted = anchor, budget, 0
    segments: list[_Segment] = []
    provisional = False
    for group in groups:
        if group.start > _finish(calendar, day, remaining):
            group.effective = False
            continue
        start = max(group.start, day)
        used = calendar.workdays_between(day, start) if start > day else 0
        segments.append(_Segment(day, start, counted + 1, counted + used))
        counted += used
        remaining -= used
        group.counted_before, group.remaining = counted, remaining
        if group.end is None:
            provisional = True
            group.end_effective = max(as_of, start)
        else:
            group.end_effective = max(group.end, start)
        day = group.end_effective
    due = _finish(calendar, day, remaining)
    segments.append(_Segment(day, due, counted + 1, counted + remaining))
    return _Phase(anchor, budget, due, groups, segments, provisional)


def _pauses(
    state: _State, calendar: WorkdayCalendar, as_of: dt.date, after_seq: int, before_seq: int
) -> list[_Pause]:
    """The consultation and fee pauses opened by events with ``after_seq < seq < before_seq``."""
    pauses: list[_Pause] = []
    for consultation in state.consultations:
        seq = consultation.opened.seq
        if not after_seq < seq < before_seq:
            continue
        window_end = consultation.window_end(calendar)
        ends = [d for d in (consultation.closed_on, window_end) if d is not None]
        if consultation.closed_on is not None:
            end: dt.date | None = min(ends)
        elif window_end is not None and window_end < as_of:
            end = window_end
        else:
            end = None
        pauses.append(_Pause(consultation.opened.on, end, seq, "consultation"))
    fee = state.fee
    if fee is not None and after_seq < fee.notice.seq < before_seq:
        pauses.append(_Pause(fee.notice.on, fee.paid_on, fee.notice.seq, "fee"))
    terminal = state.terminal
    if terminal is not None:
        # Handling ended: a pause still running stops on that day.
        for pause in pauses:
            if pause.end is None or pause.end > terminal.on:
                pause.end = max(terminal.on, pause.start)
    return pauses


def _phases(state: _State, calendar: WorkdayCalendar, as_of: dt.date) -> list[_Phase]:
    """The counting phases: art. 33 from the clock start, then one per art. 35 deadline."""
    phases: list[_Phase] = []
    anchors: list[tuple[int, dt.date, int]] = [
        (-1, state.clock_start, REPLY_WORKDAYS + state.extension_total)
    ]
    for art35 in state.art35:
        due = _finish(calendar, art35.due_on, 0)
        anchors.append(
            (art35.event.seq, art35.event.on, calendar.workdays_between(art35.event.on, due))
        )
    for index, (seq, anchor, budget) in enumerate(anchors):
        following = anchors[index + 1] if index + 1 < len(anchors) else None
        before_seq = following[0] if following else 10**9
        phase_as_of = following[1] if following else as_of
        pauses = _pauses(state, calendar, phase_as_of, seq, before_seq)
        phases.append(_walk(calendar, anchor, budget, pauses, phase_as_of))
    return phases


# --------------------------------------------------------------------------------------------
# Replay with validation (check_next and compute share it)


def _refuse(message: str, **kwargs: Any) -> ClockError:
    return ClockError(message, **kwargs)


def _current_due(state: _State, calendar: WorkdayCalendar, as_of: dt.date) -> dt.date | None:
    """The reply deadline in force on ``as_of`` (None while no reply period runs)."""
    if state.awaiting_correction:
        return None
    return _phases(state, calendar, as_of)[-1].due_on


def _require_running(state: _State, event: _Event) -> None:
    if state.awaiting_correction:
        raise _refuse(
            _("申请人尚未补正，答复期限尚未起算（第三十条），不能登记“%(event)s”。")
            % {"event": _label(event.type)}
        )


def _parse_amount(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise _refuse(_("收费金额“%(value)s”不是有效的数字。") % {"value": value}) from exc
    if not amount.is_finite() or amount <= 0:
        raise _refuse(_("收费金额应大于零。"), field="amount")
    return amount


def _on_correction_requested(state: _State, event: _Event, calendar: WorkdayCalendar) -> None:
    """补正告知 (第三十条): once, within 7 working days of the original receipt, with an
    applicant deadline later than the notice; not once handling has moved on."""
    if state.correction_requested is not None:
        raise _refuse(
            _("已于%(on)s发出过补正告知书。补正告知应一次性作出（第三十条），不能再次要求补正。")
            % {"on": _full(state.correction_requested.on)}
        )
    if state.consultations or state.extensions or state.art35 or state.fee:
        raise _refuse(_("本申请已进入征求意见、延期或收费等办理环节，不能再要求补正（第三十条）。"))
    limit = calendar.add_workdays(state.received_on, CORRECTION_NOTICE_WORKDAYS)
    if event.on > limit:
        raise _refuse(
            _(
                "补正告知应在收到申请之日起7个工作日内一次性作出（第三十条）：本申请于"
                "%(received)s收到，最迟应于%(limit)s告知，%(on)s已超过期限。"
            )
            % {
                "received": _full(state.received_on),
                "limit": _full(limit),
                "on": _full(event.on),
            }
        )
    deadline = event.date("deadline")
    if deadline is None:
        raise _refuse(
            _("补正告知书应写明合理的补正期限（第三十条），请填写补正期限。"),
            field="deadline",
        )
    if deadline <= event.on:
        raise _refuse(
            _("补正期限%(deadline)s应晚于告知补正之日%(on)s。")
            % {"deadline": _full(deadline), "on": _full(event.on)},
            field="deadline",
        )
    state.correction_requested = event
    state.correction_deadline = deadline


def _on_correction_received(state: _State, event: _Event, calendar: WorkdayCalendar) -> None:
    """收到补正后的申请 (第三十条): the 20 working days start again from this day. Accepted
    after the applicant's deadline as long as the request was not closed."""
    if not state.awaiting_correction:
        if state.correction_received is not None:
            raise _refuse(_("已登记过收到补正后的申请，不能重复登记。"))
        raise _refuse(_("本申请没有发出补正告知书，不能登记收到补正申请。"))
    state.correction_received = event


def _on_consultation_opened(state: _State, event: _Event, calendar: WorkdayCalendar) -> None:
    """征求意见 (第三十二条 third party, 第三十四条 co-producing agency), only while the
    reply period runs."""
    _require_running(state, event)
    try:
        party = Party(event.data.get("party"))
    except ValueError as exc:
        raise _refuse(
            _(
                "请说明征求意见的对象：第三方（third_party，第三十二条）或共同制作机关"
                "（agency，第三十四条）。"
            ),
            field="party",
        ) from exc
    party_received_on = event.date("party_received_on")
    if party_received_on is not None and party_received_on < event.on:
        raise _refuse(
            _("被征求意见方收到征求意见书的日期%(received)s早于发出之日%(on)s。")
            % {"received": _full(party_received_on), "on": _full(event.on)},
            field="party_received_on",
        )
    ref = event.data.get("ref") or None
    if ref is not None and any(c.ref == str(ref) for c in state.open_consultations()):
        raise _refuse(
            _("编号为“%(ref)s”的征求意见尚未结束，不能重复发出。") % {"ref": ref},
            field="ref",
        )
    state.consultations.append(
        _Consultation(
            party,
            event,
            party_received_on,
            None if ref is None else str(ref),
            event.data.get("party_name") or None,
        )
    )


def _on_consultation_closed(state: _State, event: _Event, calendar: WorkdayCalendar) -> None:
    """The opinion arrived: closes the consultation with ``ref``, else the earliest open one."""
    open_ones = state.open_consultations()
    ref = event.data.get("ref") or None
    if ref is not None:
        open_ones = [c for c in open_ones if c.ref == str(ref)]
    if not open_ones:
        if ref is not None:
            raise _refuse(
                _("没有编号为“%(ref)s”且尚未结束的征求意见，无法登记征求意见结束。") % {"ref": ref},
                field="ref",
            )
        raise _refuse(_("没有尚未结束的征求意见，无法登记征求意见结束。"))
    open_ones[0].closed_on = event.on


def _on_extension_granted(state: _State, event: _Event, calendar: WorkdayCalendar) -> None:
    """延期答复 (第三十三条第二款): at most 20 working days in total, notified to the
    applicant on or before the current due date; not after an art. 35 deadline."""
    _require_running(state, event)
    if state.art35:
        raise _refuse(
            _(
                "已依照第三十五条确定延迟答复的期限，不再适用第三十三条的延期；"
                "如需调整，请重新确定延迟答复期限。"
            )
        )
    workdays = event.data.get("workdays")
    if isinstance(workdays, str) and workdays.strip().isdigit():
        workdays = int(workdays.strip())
    if not isinstance(workdays, int) or isinstance(workdays, bool) or workdays < 1:
        raise _refuse(_("请填写延长的工作日数（1至20之间的整数）。"), field="workdays")
    approved_on = event.date("approved_on")
    if approved_on is not None and approved_on > event.on:
        raise _refuse(
            _("负责人同意延期的日期%(approved)s不应晚于告知申请人之日%(on)s。")
            % {"approved": _full(approved_on), "on": _full(event.on)},
            field="approved_on",
        )
    total = state.extension_total + workdays
    if total > MAX_EXTENSION_WORKDAYS:
        raise _refuse(
            _(
                "延长答复期限累计不得超过20个工作日（第三十三条第二款）：已延长"
                "%(done)d个工作日，本次又延长%(asked)d个工作日，合计%(total)d个。"
            )
            % {"done": state.extension_total, "asked": workdays, "total": total},
            field="workdays",
        )
    due = _current_due(state, calendar, event.on)
    if due is not None and event.on > due:
        raise _refuse(
            _(
                "延期答复须在答复期限届满前经政府信息公开工作机构负责人同意并告知申请人"
                "（第三十三条第二款）：答复期限为%(due)s，%(on)s已超过。"
            )
            % {"due": _full(due), "on": _full(event.on)}
        )
    state.extensions.append(_Extension(event, workdays, total))


def _on_art35_deadline(state: _State, event: _Event, calendar: WorkdayCalendar) -> None:
    """延迟答复的合理期限 (第三十五条): later than its notice date; replaces the computed one."""
    _require_running(state, event)
    due_on = event.date("due_on")
    if due_on is None:
        raise _refuse(_("请填写确定的延迟答复期限（第三十五条）。"), field="due_on")
    if due_on <= event.on:
        raise _refuse(
            _("延迟答复的期限%(due)s应晚于告知申请人之日%(on)s（第三十五条）。")
            % {"due": _full(due_on), "on": _full(event.on)},
            field="due_on",
        )
    _finish(calendar, due_on, 0)  # the year of the new date must be known
    state.art35.append(_Art35(event, due_on))


def _on_fee_notice_issued(state: _State, event: _Event, calendar: WorkdayCalendar) -> None:
    """收费通知 (国办函〔2020〕109号; legal-rules §2.3): within the reply period, once per
    application (第三条: one method, never twice)."""
    _require_running(state, event)
    if state.fee is not None:
        raise _refuse(
            _(
                "本申请已于%(on)s发出收费通知。同一申请只按一种标准收费一次"
                "（国办函〔2020〕109号第三条）。"
            )
            % {"on": _full(state.fee.notice.on)}
        )
    due = _current_due(state, calendar, event.on)
    if due is not None and event.on > due:
        raise _refuse(
            _(
                "收费通知应在答复期限内发出（国办函〔2020〕109号）：答复期限为%(due)s，"
                "%(on)s已超过。"
            )
            % {"due": _full(due), "on": _full(event.on)}
        )
    received = event.date("received_on")
    if received is not None and received < event.on:
        raise _refuse(
            _("申请人收到收费通知的日期%(received)s早于发出之日%(on)s。")
            % {"received": _full(received), "on": _full(event.on)},
            field="received_on",
        )
    fee = _Fee(event, received, _parse_amount(event.data.get("amount")))
    fee.due_on(calendar)  # the payment window's year must be known
    state.fee = fee


def _on_fee_paid(state: _State, event: _Event, calendar: WorkdayCalendar) -> None:
    """缴费: needs an outstanding notice; a late payment is accepted until the request is closed."""
    if not state.fee_outstanding:
        raise _refuse(_("没有待缴纳的收费通知，不能登记缴费。"))
    assert state.fee is not None
    state.fee.paid_on = event.on


def _on_reply_issued(state: _State, event: _Event, calendar: WorkdayCalendar) -> None:
    """答复 (第三十六条至第三十九条) with one of the outcome codes an officer may choose."""
    code = event.data.get("outcome")
    if not code:
        raise _refuse(
            _("作出答复必须选择办理结果（年度报告表三的21种办理结果之一）。"),
            field="outcome",
        )
    try:
        info = outcomes.info(code)
    except ValueError as exc:
        raise _refuse(_("未知的办理结果“%(code)s”。") % {"code": code}, field="outcome") from exc
    if not info.officer_selectable:
        raise _refuse(
            _("“%(label)s”由系统在期限届满时以终止处理登记，不能作为答复的办理结果。")
            % {"label": info.short_label},
            field="outcome",
        )
    if (
        info.code is outcomes.Outcome.UNAVAILABLE_UNCLEAR_AFTER_CORRECTION
        and state.correction_received is None
    ):
        raise _refuse(
            _("“补正后申请内容仍不明确”只适用于已收到补正申请的情形（第三十条）。"),
            field="outcome",
        )
    state.reply = event


def _on_delivered(state: _State, event: _Event, calendar: WorkdayCalendar) -> None:
    """送达 (国办公开办函〔2016〕235号): after the reply, once, stating the method."""
    if state.reply is None:
        raise _refuse(_("尚未作出答复，不能登记送达。"))
    if state.delivered is not None:
        raise _refuse(_("已于%(on)s登记送达。") % {"on": _full(state.delivered.on)})
    try:
        DeliveryMethod(event.data.get("method"))
    except ValueError as exc:
        raise _refuse(
            _("请选择送达方式：direct（直接送达）、post（邮寄送达）或 electronic（电子送达）。"),
            field="method",
        ) from exc
    state.delivered = event


def _on_withdrawn(state: _State, event: _Event, calendar: WorkdayCalendar) -> None:
    """撤回: ends the handling; counted as （六）其他处理-3.其他."""
    state.withdrawn = event


def _on_closed(state: _State, event: _Event, calendar: WorkdayCalendar) -> None:
    """终止处理 recorded by ``gongkai tick``: 逾期不补正 (第三十条) after the correction deadline,
    逾期未缴费 (国办函〔2020〕109号) after the payment window."""
    code = event.data.get("outcome")
    try:
        outcome = outcomes.Outcome(code)
    except ValueError:
        outcome = None
    if outcome not in _CLOSING_OUTCOMES:
        raise _refuse(
            _(
                "终止处理只用于逾期不补正（other_correction_overdue）或逾期未缴费"
                "（other_fee_unpaid）；其他情形请作出答复。"
            ),
            field="outcome",
        )
    if outcome is outcomes.Outcome.OTHER_CORRECTION_OVERDUE:
        if not state.awaiting_correction:
            raise _refuse(_("本申请没有待补正的补正告知，不能以逾期不补正终止处理。"))
        assert state.correction_deadline is not None
        if event.on <= state.correction_deadline:
            raise _refuse(
                _("补正期限%(deadline)s尚未届满，不能以逾期不补正终止处理（第三十条）。")
                % {"deadline": _full(state.correction_deadline)}
            )
    else:
        if not state.fee_outstanding:
            raise _refuse(_("本申请没有待缴纳的收费通知，不能以逾期未缴费终止处理。"))
        assert state.fee is not None
        fee_due = state.fee.due_on(calendar)
        if fee_due is None:
            raise _refuse(_("尚未登记申请人收到收费通知的日期，无法确定缴费期限，不能终止处理。"))
        if event.on <= fee_due:
            raise _refuse(
                _("缴费期限%(due)s尚未届满，不能以逾期未缴费终止处理。") % {"due": _full(fee_due)}
            )
    state.closed = event


_HANDLERS: dict[EventType, Callable[[_State, _Event, WorkdayCalendar], None]] = {
    EventType.CORRECTION_REQUESTED: _on_correction_requested,
    EventType.CORRECTION_RECEIVED: _on_correction_received,
    EventType.CONSULTATION_OPENED: _on_consultation_opened,
    EventType.CONSULTATION_CLOSED: _on_consultation_closed,
    EventType.EXTENSION_GRANTED: _on_extension_granted,
    EventType.ART35_DEADLINE: _on_art35_deadline,
    EventType.FEE_NOTICE_ISSUED: _on_fee_notice_issued,
    EventType.FEE_PAID: _on_fee_paid,
    EventType.REPLY_ISSUED: _on_reply_issued,
    EventType.DELIVERED: _on_delivered,
    EventType.WITHDRAWN: _on_withdrawn,
    EventType.CLOSED: _on_closed,
}


def _apply(state: _State, event: _Event, calendar: WorkdayCalendar) -> None:
    """Validate ``event`` against ``state`` and record it (raises :class:`ClockError`)."""
    label = _label(event.type)
    if event.on < state.received_on:
        raise _refuse(
            _("“%(event)s”的日期%(on)s早于收到申请之日%(received)s。")
            % {"event": label, "on": _full(event.on), "received": _full(state.received_on)},
            field="on",
        )
    if state.events and event.on < state.events[-1].on:
        previous = state.events[-1]
        raise _refuse(
            _("“%(event)s”的日期%(on)s早于上一事项“%(previous)s”的日期%(prev)s，请按时间顺序登记。")
            % {
                "event": label,
                "on": _full(event.on),
                "previous": _label(previous.type),
                "prev": _full(previous.on),
            },
            field="on",
        )
    if state.withdrawn is not None:
        raise _refuse(_("申请人已撤回申请，不能再登记“%(event)s”。") % {"event": label})
    if state.closed is not None:
        raise _refuse(_("本申请已终止处理，不能再登记“%(event)s”。") % {"event": label})
    if state.reply is not None and event.type is not EventType.DELIVERED:
        raise _refuse(
            _("本申请已作出答复，只能再登记送达，不能登记“%(event)s”。") % {"event": label}
        )

    _HANDLERS[event.type](state, event, calendar)
    state.events.append(event)


def _replay(
    received_on: dt.date, events: Sequence[ClockEvent], calendar: WorkdayCalendar
) -> _State:
    if not isinstance(received_on, dt.date):
        received_on = _as_date(received_on, _("收到申请之日"))
    calendar.is_workday(received_on)  # the receipt year must be known
    state = _State(received_on)
    for seq, raw in enumerate(events):
        _apply(state, _normalise(raw, seq), calendar)
    return state


# --------------------------------------------------------------------------------------------
# Explanation


_HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}


def _holiday_name(day: dt.date) -> str | None:
    """The festival a rest day belongs to, from the national data when it knows it."""
    try:
        import chinese_calendar

        on_holiday, name = chinese_calendar.get_holiday_detail(day)
    except (ImportError, NotImplementedError):
        return None
    if not on_holiday or not name:
        return None
    return _HOLIDAY_NAMES.get(str(name), str(name))


def _rest_run(start: dt.date, end: dt.date, names: list[str], year: int) -> str:
    span = _short(start, year) if start == end else f"{_short(start, year)}至{_short(end, year)}"
    if names:
        unique = list(dict.fromkeys(names))
        return _("%(span)s%(names)s假期不计") % {"span": span, "names": "、".join(unique)}
    return _("%(span)s节假日休息不计") % {"span": span}


def _describe_segment(
    calendar: WorkdayCalendar, segment: _Segment, *, resumed: bool = False
) -> list[str]:
    """Make-up working days (with their ordinals) and holiday runs in (start, end].

    After a pause (``resumed``) rest days before the first counted working day belong to the
    pause and are not listed.
    """
    parts: list[str] = []
    year = segment.start.year
    ordinal = segment.first - 1
    run: list[dt.date] = []
    run_names: list[str] = []
    run_has_weekday = False

    def flush() -> None:
        nonlocal run, run_names, run_has_weekday
        if run and run_has_weekday:
            parts.append(_rest_run(run[0], run[-1], run_names, year))
        run, run_names, run_has_weekday = [], [], False

    day = segment.start
    while day < segment.end:
        day += dt.timedelta(days=1)
        if calendar.is_workday(day):
            if resumed and ordinal == segment.first - 1:
                run, run_names, run_has_weekday = [], [], False
            flush()
            ordinal += 1
            if day.weekday() >= 5:
                parts.append(
                    _("%(day)s（%(weekday)s，调休上班）为第%(n)d个工作日")
                    % {"day": _short(day, year), "weekday": _weekday(day), "n": ordinal}
                )
        else:
            run.append(day)
            if day.weekday() < 5:
                run_has_weekday = True
            name = _holiday_name(day)
            if name:
                run_names.append(name)
    flush()
    return parts


def _party_label(consultation: _Consultation) -> str:
    if consultation.party is Party.THIRD_PARTY:
        base = _("第三方")
    else:
        base = _("共同制作机关")
    if consultation.party_name:
        return f"{base}（{consultation.party_name}）"
    return base


def _explain_consultation(
    consultation: _Consultation, calendar: WorkdayCalendar, as_of: dt.date
) -> str:
    event = consultation.opened
    article = "第三十二条" if consultation.party is Party.THIRD_PARTY else "第三十四条"
    text = _(
        "%(on)s向%(party)s发出征求意见书（%(article)s），征求意见所需时间不计入答复期限"
        "（第三十三条第三款）"
    ) % {"on": _full(event.on), "party": _party_label(consultation), "article": article}
    window_end = consultation.window_end(calendar)
    if window_end is not None:
        text += _("；对方于%(received)s收到，应在15个工作日内（至%(end)s）提出意见") % {
            "received": _full(consultation.party_received_on),
            "end": _full(window_end),
        }
    else:
        text += _("；对方收到征求意见书的日期尚未登记，暂停持续至登记该日期或征求意见结束")
    if consultation.party is Party.THIRD_PARTY:
        text += _("；第三方逾期未提出意见的，不视为同意公开，由本机关依照条例规定决定是否公开")
    else:
        text += _("；被征求意见机关逾期未提出意见的，视为同意公开")
    if consultation.closed_on is not None:
        if window_end is not None and consultation.closed_on > window_end:
            text += _("。%(closed)s收到意见（已超过15个工作日，暂停至%(end)s结束）") % {
                "closed": _full(consultation.closed_on),
                "end": _full(window_end),
            }
        else:
            text += _("。%(closed)s收到意见，征求意见结束") % {
                "closed": _full(consultation.closed_on)
            }
    elif window_end is not None and window_end < as_of:
        text += _("。对方在期限内未提出意见，暂停至%(end)s结束") % {"end": _full(window_end)}
    else:
        text += _("。尚在征求意见中")
    return text + "。"


def _explain_fee(fee: _Fee, calendar: WorkdayCalendar) -> str:
    amount = ""
    if fee.amount is not None:
        amount = _("，金额%(amount)s元") % {"amount": _yuan(fee.amount)}
    text = _("%(on)s发出收费通知（国办函〔2020〕109号%(amount)s）") % {
        "on": _full(fee.notice.on),
        "amount": amount,
    }
    due = fee.due_on(calendar)
    if fee.received_on is not None and due is not None:
        text += _(
            "，申请人于%(received)s收到，应自收到次日起20个工作日内（至%(due)s）缴纳，"
            "逾期未缴纳的视为放弃申请"
        ) % {"received": _full(fee.received_on), "due": _full(due)}
    else:
        text += _("，申请人收到通知的日期尚未登记")
    text += _(
        "；收费期间答复期限暂停计算（发出通知当日计入，自缴费之日后的第一个工作日起恢复计算）"
    )
    if fee.paid_on is not None:
        late = ""
        if due is not None and fee.paid_on > due:
            late = _("（已超过缴费期限，因尚未终止处理，仍予办理）")
        text += _("。%(paid)s缴费%(late)s") % {"paid": _full(fee.paid_on), "late": late}
    else:
        text += _("。尚未缴费")
    return text + "。"


def _yuan(amount: Decimal) -> str:
    return format(amount.normalize(), "f")


def _explain_counting(
    calendar: WorkdayCalendar, phase: _Phase, index: int, state: _State
) -> list[str]:
    sentences: list[str] = []
    if index == 0:
        extension = state.extension_total
        if extension:
            head = _(
                "答复期限自%(start)s的次日起计算%(budget)d个工作日（第三十三条第二款规定的20个"
                "工作日，加延长的%(ext)d个工作日）"
            ) % {
                "start": _full(phase.anchor),
                "budget": phase.budget,
                "ext": extension,
            }
        else:
            head = _("答复期限自%(start)s的次日起计算20个工作日（第三十三条第二款）") % {
                "start": _full(phase.anchor)
            }
    else:
        head = _("自%(start)s的次日起至第三十五条确定的期限，共%(budget)d个工作日") % {
            "start": _full(phase.anchor),
            "budget": phase.budget,
        }
    effective = [g for g in phase.groups if g.effective]
    for number, segment in enumerate(phase.segments):
        parts = _describe_segment(calendar, segment, resumed=number > 0)
        year = segment.start.year
        is_last = number == len(phase.segments) - 1
        if number == 0:
            prefix = head + "："
        elif segment.last < segment.first:
            # Nothing was left when the pause began: the period ends when the pause ends.
            if segment.end == segment.start:
                ending = _("答复期限于暂停结束之日%(day)s届满") % {"day": _full(segment.end)}
            else:
                ending = _("暂停结束之日%(start)s不是工作日，答复期限顺延至%(day)s届满") % {
                    "start": _full(segment.start),
                    "day": _full(segment.end),
                }
            sentences.append(
                _("暂停开始之日已计满全部%(budget)d个工作日，%(ending)s。")
                % {"budget": phase.budget, "ending": ending}
            )
            continue
        else:
            group = effective[number - 1]
            resumed = calendar.next_workday(segment.start)
            prefix = _("自%(resume)s起恢复计算，尚余%(left)d个工作日：") % {
                "resume": _full(resumed),
                "left": group.remaining,
            }
        if is_last:
            parts.append(
                _("%(day)s为第%(n)d个工作日") % {"day": _full(segment.end), "n": segment.last}
            )
        else:
            group = effective[number]
            if segment.last >= segment.first:
                parts.append(
                    _("至%(day)s（含当日）已计%(n)d个工作日，此后暂停计算")
                    % {"day": _short(segment.end, year), "n": segment.last}
                )
            else:
                parts.append(
                    _("至%(day)s未计入新的工作日，此后暂停计算")
                    % {"day": _short(segment.end, year)}
                )
            if group.end is None and state.terminal is None:
                parts.append(
                    _("暂停尚未结束，以下按暂停至今日（%(today)s）推算")
                    % {"today": _full(group.end_effective)}
                )
            else:
                parts.append(_("暂停至%(end)s结束") % {"end": _full(group.end_effective)})
        sentences.append(prefix + "，".join(parts) + "。")
    for group in phase.groups:
        if not group.effective:
            kinds = {pause.kind for pause in group.members}
            what = "、".join(
                word
                for kind, word in (("consultation", _("征求意见")), ("fee", _("收费")))
                if kind in kinds
            )
            sentences.append(
                _("%(on)s开始的%(what)s发生在答复期限届满之后，不影响答复期限。")
                % {"on": _full(group.start), "what": what}
            )
    return sentences


def _explain(
    state: _State, calendar: WorkdayCalendar, phases: list[_Phase], as_of: dt.date
) -> list[str]:
    sentences = [_("%(on)s收到申请（第三十一条）。") % {"on": _full(state.received_on)}]
    correction_limit = calendar.add_workdays(state.received_on, CORRECTION_NOTICE_WORKDAYS)
    phase_index = 0
    for event in state.events:
        kind = event.type
        if kind is EventType.CORRECTION_REQUESTED:
            sentences.append(
                _(
                    "%(on)s发出补正告知书（第三十条：应在收到申请之日起7个工作日内、最迟于%(limit)s"
                    "一次性告知），补正期限至%(deadline)s；待补正期间不计算答复期限。"
                )
                % {
                    "on": _full(event.on),
                    "limit": _full(correction_limit),
                    "deadline": _full(state.correction_deadline),
                }
            )
        elif kind is EventType.CORRECTION_RECEIVED:
            late = ""
            if state.correction_deadline is not None and event.on > state.correction_deadline:
                late = _("（已超过补正期限%(deadline)s；因尚未以逾期不补正终止处理，仍予受理）") % {
                    "deadline": _full(state.correction_deadline)
                }
            sentences.append(
                _("%(on)s收到补正后的申请%(late)s，答复期限自该日起重新计算（第三十条）。")
                % {"on": _full(event.on), "late": late}
            )
        elif kind is EventType.CONSULTATION_OPENED:
            consultation = next(c for c in state.consultations if c.opened is event)
            sentences.append(_explain_consultation(consultation, calendar, as_of))
        elif kind is EventType.EXTENSION_GRANTED:
            extension = next(e for e in state.extensions if e.event is event)
            approver = event.data.get("approved_by")
            approved_on = event.date("approved_on")
            who = _("经政府信息公开工作机构负责人%(name)s%(when)s同意") % {
                "name": f"（{approver}）" if approver else "",
                "when": _("于%(day)s") % {"day": _full(approved_on)} if approved_on else "",
            }
            sentences.append(
                _(
                    "%(on)s%(who)s延长答复期限%(n)d个工作日并告知申请人（第三十三条第二款），"
                    "累计延长%(total)d个工作日。"
                )
                % {
                    "on": _full(event.on),
                    "who": who,
                    "n": extension.workdays,
                    "total": extension.total_after,
                }
            )
        elif kind is EventType.ART35_DEADLINE:
            art35 = next(a for a in state.art35 if a.event is event)
            previous = phases[phase_index].due_on
            phase_index += 1
            moved = ""
            effective_due = _finish(calendar, art35.due_on, 0)
            if effective_due != art35.due_on:
                moved = _("（该日不是工作日，顺延至%(day)s）") % {"day": _full(effective_due)}
            late = ""
            if event.on > previous:
                late = _("告知时原答复期限已届满；")
            sentences.append(
                _(
                    "%(on)s告知申请人延迟答复的期限至%(due)s%(moved)s（第三十五条：申请数量、"
                    "频次明显超过合理范围，理由合理但无法在第三十三条规定的期限内答复）；"
                    "%(late)s该期限取代此前计算的答复期限%(previous)s，不受“20+20个工作日”的限制。"
                )
                % {
                    "on": _full(event.on),
                    "due": _full(art35.due_on),
                    "moved": moved,
                    "late": late,
                    "previous": _full(previous),
                }
            )
        elif kind is EventType.FEE_NOTICE_ISSUED:
            assert state.fee is not None
            sentences.append(_explain_fee(state.fee, calendar))
    if state.correction_requested is not None and state.correction_received is None:
        if state.closed is not None:
            sentences.append(
                _(
                    "%(on)s申请人逾期未补正，视为放弃申请，不再处理（第三十条；年度报告"
                    "“其他处理”第1项）。"
                )
                % {"on": _full(state.closed.on)}
            )
        else:
            if state.correction_deadline is not None and as_of > state.correction_deadline:
                sentences.append(
                    _("补正期限已于%(deadline)s届满，尚未收到补正申请。")
                    % {"deadline": _full(state.correction_deadline)}
                )
            if state.terminal is None:
                sentences.append(_("答复期限自收到补正后的申请之日起重新计算20个工作日。"))
    else:
        for index, phase in enumerate(phases):
            if index < len(phases) - 1:
                continue  # superseded by a later art. 35 deadline; see its sentence
            sentences.extend(_explain_counting(calendar, phase, index, state))
        due = phases[-1].due_on
        if phases[-1].provisional and state.terminal is None:
            sentences.append(
                _("答复期限暂定为%(due)s；暂停每多延续一个工作日，期限相应顺延。")
                % {"due": _full(due)}
            )
        else:
            sentences.append(_("答复期限届满日为%(due)s。") % {"due": _full(due)})
    sentences.extend(_explain_ending(state, phases, calendar))
    return sentences


_DELIVERY_WORDS = {
    DeliveryMethod.DIRECT: "申请人签收（直接送达，以签收之日为准）",
    DeliveryMethod.POST: "交邮寄送（邮寄送达，以交邮之日为准）",
    DeliveryMethod.ELECTRONIC: "以电子方式发送（以发送之日为准）",
}


def _explain_ending(state: _State, phases: list[_Phase], calendar: WorkdayCalendar) -> list[str]:
    sentences: list[str] = []
    due = None if state.awaiting_correction else phases[-1].due_on
    if state.reply is not None:
        info = outcomes.info(state.reply.data["outcome"])
        sentences.append(
            _("%(on)s作出答复，办理结果为“%(label)s”（%(basis)s）。")
            % {"on": _full(state.reply.on), "label": info.short_label, "basis": info.legal_basis}
        )
    if state.delivered is not None:
        method = DeliveryMethod(state.delivered.data["method"])
        text = _("%(on)s%(how)s（国办公开办函〔2016〕235号）") % {
            "on": _full(state.delivered.on),
            "how": _DELIVERY_WORDS[method],
        }
        if due is None or state.delivered.on <= due:
            text += _("，在答复期限内，按时答复。")
        else:
            text += _("，晚于答复期限%(due)s，逾期答复。") % {"due": _full(due)}
        sentences.append(text)
    if state.withdrawn is not None:
        sentences.append(
            _("%(on)s申请人撤回申请，办理结束，办理结果计入“其他处理—其他”。")
            % {"on": _full(state.withdrawn.on)}
        )
    if state.closed is not None and state.fee is not None and state.fee.paid_on is None:
        sentences.append(
            _(
                "%(on)s申请人逾期未缴纳信息处理费，视为放弃申请，不再处理（国办函〔2020〕109号；"
                "年度报告“其他处理”第2项）。"
            )
            % {"on": _full(state.closed.on)}
        )
    return sentences


# --------------------------------------------------------------------------------------------
# Public functions


def _status(state: _State, calendar: WorkdayCalendar, as_of: dt.date) -> Status:
    if state.withdrawn is not None:
        return Status.WITHDRAWN
    if state.closed is not None:
        return Status.CLOSED
    if state.reply is not None:
        return Status.CLOSED if state.delivered is not None else Status.REPLIED
    if state.awaiting_correction:
        return Status.AWAITING_CORRECTION
    if state.fee_outstanding:
        return Status.AWAITING_PAYMENT
    for consultation in state.open_consultations():
        window_end = consultation.window_end(calendar)
        if window_end is None or window_end >= as_of:
            return Status.CONSULTING
    return Status.IN_PROGRESS


def compute(
    received_on: dt.date,
    events: Sequence[ClockEvent],
    calendar: WorkdayCalendar,
    today: dt.date | None = None,
) -> ClockResult:
    """Derive status, due date, pauses and the Chinese explanation from the event log.

    Pure (no database). ``today`` (default :func:`gongkai.core.dates.today`) decides how long a
    pause that is still running has lasted and whether the request is overdue. Raises
    :class:`ClockError` for an impossible history and ``CalendarYearMissing`` when a needed year
    has no calendar data.
    """
    today = _today(today)
    state = _replay(received_on, events, calendar)
    terminal = state.terminal
    as_of = terminal.on if terminal is not None else today
    # While awaiting a correction no reply period runs, so none is computed (nor its years needed).
    phases = [] if state.awaiting_correction else _phases(state, calendar, as_of)
    status = _status(state, calendar, as_of)

    paused: list[tuple[dt.date, dt.date | None]] = []
    provisional = False
    for phase in phases:
        for group in phase.groups:
            if not group.effective:
                continue
            still_running = group.end is None and terminal is None and phase is phases[-1]
            provisional = provisional or still_running
            paused.append((group.start, None if still_running else group.end_effective))
    if state.awaiting_correction:
        due_on: dt.date | None = None
        provisional = False
    else:
        due_on = phases[-1].due_on

    fee_due_on = state.fee.due_on(calendar) if state.fee is not None else None
    outcome: str | None = None
    closed_on: dt.date | None = None
    on_time: bool | None = None
    if state.reply is not None:
        outcome = str(outcomes.Outcome(state.reply.data["outcome"]))
        closed_on = state.reply.on
        if state.delivered is not None:
            on_time = due_on is None or state.delivered.on <= due_on
    elif state.closed is not None:
        outcome = str(outcomes.Outcome(state.closed.data["outcome"]))
        closed_on = state.closed.on
        on_time = True
    elif state.withdrawn is not None:
        outcome = outcomes.Outcome.OTHER.value
        closed_on = state.withdrawn.on

    result = ClockResult(
        status=status,
        due_on=due_on,
        paused=paused,
        explanation=_explain(state, calendar, phases, as_of),
        clock_start=state.clock_start,
        correction_due_on=calendar.add_workdays(state.received_on, CORRECTION_NOTICE_WORKDAYS),
        fee_due_on=fee_due_on,
        closed_on=closed_on,
        outcome=outcome,
        on_time=on_time,
        extension_workdays=state.extension_total,
        correction_deadline=state.correction_deadline,
        fee_received_on=state.fee.received_on if state.fee is not None else None,
        provisional=provisional,
        today=today,
    )
    result.overdue = is_overdue(result, today)
    return result


def check_next(
    received_on: dt.date,
    events: Sequence[ClockEvent],
    new_event: ClockEvent,
    calendar: WorkdayCalendar,
) -> None:
    """Refuse (with :class:`ClockError`) appending ``new_event`` to a valid history.

    The same rules as :func:`compute` apply: e.g. a second 补正告知 (第三十条), a 补正告知 later
    than 7 working days after receipt, an extension after the due date or beyond 20 working days
    in total (第三十三条第二款), a reply without a valid outcome code, a date before the receipt or
    before the previous event, anything after the request was closed or withdrawn.
    """
    state = _replay(received_on, events, calendar)
    _apply(state, _normalise(new_event, len(state.events)), calendar)


def is_overdue(result: ClockResult, today: dt.date | None = None) -> bool:
    """Whether the agency is late: still owing a reply (or its delivery) after ``due_on``."""
    if result.status not in RUNNING_STATUSES or result.due_on is None:
        return False
    return _today(today) > result.due_on


def _today(today: dt.date | None) -> dt.date:
    if today is not None:
        return today
    from gongkai.core.dates import today as current_day

    return current_day()


def workdays_until(due_on: dt.date, calendar: WorkdayCalendar, today: dt.date | None = None) -> int:
    """Working days from ``today`` (exclusive) to ``due_on`` (inclusive); negative when overdue.

    ``0`` means due today; the day after the due date gives at least ``-1``, even on a weekend.
    Works on a cached due date (list pages) as well as on a :class:`ClockResult`.
    """
    today = _today(today)
    if today > due_on:
        return -max(1, calendar.workdays_between(due_on, today))
    return calendar.workdays_between(today, due_on)


def light_for(
    due_on: dt.date | None,
    calendar: WorkdayCalendar,
    today: dt.date | None = None,
    yellow_workdays: int | None = None,
) -> Light | None:
    """红黄绿灯 for a due date: red when overdue, yellow with ``yellow_workdays`` or fewer working
    days left (default ``settings.GONGKAI_YELLOW_WORKDAYS``), green otherwise; None without a
    due date. The caller decides whether the request still owes anything (see
    :data:`RUNNING_STATUSES`)."""
    if due_on is None:
        return None
    left = workdays_until(due_on, calendar, today)
    if yellow_workdays is None:
        from django.conf import settings

        yellow_workdays = int(getattr(settings, "GONGKAI_YELLOW_WORKDAYS", 5))
    if left < 0:
        return Light.RED
    if left <= yellow_workdays:
        return Light.YELLOW
    return Light.GREEN


def workdays_left(
    result: ClockResult, calendar: WorkdayCalendar, today: dt.date | None = None
) -> int | None:
    """Working days left until ``result.due_on`` (see :func:`workdays_until`); None when nothing
    is owed (awaiting correction, closed, withdrawn)."""
    if result.status not in RUNNING_STATUSES or result.due_on is None:
        return None
    return workdays_until(result.due_on, calendar, today)


def traffic_light(
    result: ClockResult,
    calendar: WorkdayCalendar,
    today: dt.date | None = None,
    yellow_workdays: int | None = None,
) -> Light | None:
    """The light of a request (see :func:`light_for`); None when nothing is owed."""
    if result.status not in RUNNING_STATUSES:
        return None
    return light_for(result.due_on, calendar, today, yellow_workdays)
