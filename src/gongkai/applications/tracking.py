"""Applicants following their own request (申请办理进度查询) with the tracking code and secret.

- :func:`find_for_applicant` checks a tracking code and the query password chosen at intake. A
  wrong code and a wrong password give the same message, and take the same time, so the answer
  does not reveal whether a code exists. Failed attempts are limited per client address and per
  code (:data:`MAX_FAILURES` in :data:`WINDOW_SECONDS`) through Django's cache.
- :func:`public_timeline` is what the applicant sees of the event log: the steps that concern
  them (receipt, 补正, consultation, extension, fees, reply, delivery), never internal notes,
  assignments or extension requests the head has not granted.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from django.contrib.auth.hashers import check_password, make_password
from django.core.cache import cache
from django.utils.translation import gettext as _

from gongkai.applications import intake, outcomes
from gongkai.applications.models import Application, Event, EventType
from gongkai.core.dates import format_chinese_date
from gongkai.core.errors import DomainError

MAX_FAILURES = 10
WINDOW_SECONDS = 600
_PREFIX = "gongkai:track-fail:"

#: Event types an applicant sees on the tracking page, with the Chinese wording shown there.
PUBLIC_EVENT_LABELS: dict[str, str] = {
    EventType.SUBMITTED: "提交申请",
    EventType.RECEIPT_CONFIRMED: "确认收到申请",
    EventType.CORRECTION_REQUESTED: "告知补正申请",
    EventType.CORRECTION_RECEIVED: "收到补正后的申请",
    EventType.CONSULTATION_OPENED: "征求意见（期间不计入答复期限）",
    EventType.CONSULTATION_CLOSED: "征求意见结束",
    EventType.EXTENSION_GRANTED: "延期答复",
    EventType.ART35_DEADLINE: "告知延迟答复期限",
    EventType.FEE_NOTICE_ISSUED: "发出收取信息处理费通知",
    EventType.FEE_PAID: "缴纳信息处理费",
    EventType.REPLY_ISSUED: "作出答复",
    EventType.DELIVERED: "答复已送达",
    EventType.WITHDRAWN: "撤回申请",
    EventType.CLOSED: "终止处理",
}


class TrackingDenied(DomainError):
    code = "tracking_denied"
    status = 404


class TooManyAttempts(DomainError):
    code = "too_many_attempts"
    status = 429


@dataclass(frozen=True)
class TimelineEntry:
    on: dt.date
    label: str
    detail: str = ""


def _key(kind: str, value: str) -> str:
    return _PREFIX + kind + ":" + hashlib.sha256(value.encode()).hexdigest()[:32]


def _failures(key: str) -> int:
    return int(cache.get(key, 0) or 0)


def _record_failure(key: str) -> None:
    cache.add(key, 0, timeout=WINDOW_SECONDS)
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=WINDOW_SECONDS)


def find_for_applicant(code: str, secret: str, *, client: str) -> Application:
    """The application with tracking ``code`` if ``secret`` is its query password.

    Raises :class:`TrackingDenied` (one message for a wrong code or a wrong password) or
    :class:`TooManyAttempts` after :data:`MAX_FAILURES` failures from the same ``client``
    (address) or for the same code within :data:`WINDOW_SECONDS`.
    """
    normalized = intake.normalize_tracking_code(code)
    keys = (_key("client", client or "-"), _key("code", normalized))
    if any(_failures(k) >= MAX_FAILURES for k in keys):
        raise TooManyAttempts(
            _("查询尝试次数过多，请 %(minutes)d 分钟后再试。") % {"minutes": WINDOW_SECONDS // 60}
        )
    application = None
    if intake.TRACKING_RE.match(normalized):
        application = (
            Application.objects.select_related("agency").filter(tracking_code=normalized).first()
        )
    if application is not None and application.secret_hash:
        ok = check_password(secret or "", application.secret_hash)
    else:
        make_password(secret or "")  # same work as a real check: no timing hint
        ok = False
    if not ok:
        for k in keys:
            _record_failure(k)
        raise TrackingDenied(_("查询码或查询密码不正确，请核对后重试。"))
    return application


def _detail(event: Event) -> str:
    data = event.data or {}
    if event.type == EventType.CORRECTION_REQUESTED and data.get("deadline"):
        try:
            deadline = dt.date.fromisoformat(str(data["deadline"]))
        except ValueError:
            return ""
        return _("请于 %(date)s 前补正。") % {"date": format_chinese_date(deadline)}
    if event.type == EventType.EXTENSION_GRANTED and data.get("workdays"):
        return _("延长 %(n)s 个工作日。") % {"n": data["workdays"]}
    if event.type == EventType.ART35_DEADLINE and data.get("due_on"):
        try:
            due = dt.date.fromisoformat(str(data["due_on"]))
        except ValueError:
            return ""
        return _("答复期限为 %(date)s。") % {"date": format_chinese_date(due)}
    if event.type == EventType.FEE_NOTICE_ISSUED and data.get("amount") not in (None, ""):
        return _("金额 %(amount)s 元。") % {"amount": data["amount"]}
    if event.type in (EventType.REPLY_ISSUED, EventType.CLOSED) and data.get("outcome"):
        try:
            return outcomes.info(data["outcome"]).short_label
        except (ValueError, KeyError):
            return ""
    if event.type == EventType.CONSULTATION_OPENED:
        return _("征求第三方意见") if data.get("party") == "third_party" else _("征求其他机关意见")
    return ""


def public_timeline(application: Application) -> list[TimelineEntry]:
    """The applicant-visible steps of a request, oldest first."""
    events = application.events.filter(type__in=list(PUBLIC_EVENT_LABELS)).order_by("on", "id")
    return [
        TimelineEntry(on=e.on, label=PUBLIC_EVENT_LABELS[e.type], detail=_detail(e)) for e in events
    ]


def outcome_label(application: Application) -> str:
    """The reply's outcome in Chinese (short label), or "" while there is none."""
    if not application.outcome:
        return ""
    try:
        return outcomes.info(application.outcome).short_label
    except (ValueError, KeyError):
        return ""
