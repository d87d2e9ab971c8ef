"""Requests with event logs for the letter tests (rows written directly, no clock involved)."""

from __future__ import annotations

import datetime as dt
import itertools

from gongkai.applications.models import (
    ApplicantType,
    Application,
    Channel,
    Delivery,
    Event,
    EventType,
    FormWanted,
    IdType,
)
from gongkai.applications.outcomes import Outcome
from gongkai.core.dates import SHANGHAI

RECEIVED = dt.date(2026, 3, 2)  # a Monday
DESCRIPTION = "兴安盟2025年度财政预算执行情况报告"
_serial = itertools.count(1)


def make_application(agency, *, received_on: dt.date | None = RECEIVED, **fields) -> Application:
    """An online request of a natural person, received on ``received_on``."""
    n = next(_serial)
    values = {
        "agency": agency,
        "tracking_code": f"GK-2026-T{n:07d}",
        "applicant_type": ApplicantType.NATURAL_PERSON,
        "applicant_name": "张三",
        "id_type": IdType.RESIDENT_ID,
        "id_number": "152201199001010011",
        "phone": "13800000000",
        "description": DESCRIPTION,
        "form_wanted": FormWanted.PAPER,
        "delivery": Delivery.POST,
        "channel": Channel.ONLINE,
        "arrived_at": dt.datetime.combine(received_on or RECEIVED, dt.time(9, 0), tzinfo=SHANGHAI),
        "received_on": received_on,
    }
    values.update(fields)
    application = Application.objects.create(**values)
    Event.objects.create(
        application=application, type=EventType.SUBMITTED, on=values["arrived_at"].date()
    )
    if received_on is not None:
        Event.objects.create(
            application=application, type=EventType.RECEIPT_CONFIRMED, on=received_on
        )
    return application


def add_event(application: Application, event_type: str, on: dt.date | None = None, **data):
    """Append an event (the log is append-only; no clock check here)."""
    return Event.objects.create(
        application=application, type=event_type, on=on or RECEIVED, data=data
    )


#: Event data that satisfies every outcome's required extras.
REPLY_DATA = {
    "reason": "该信息属于依法不予公开的范围",
    "how_to_obtain": "本机关将以邮寄方式提供纸质复印件",
    "withheld_parts": "第三部分中涉及个人身份信息的内容",
    "obtain_place": "乌兰浩特市兴安盟行政公署政府信息公开办公室",
    "obtain_time": "工作日上午9时至下午5时",
}


def reply(application: Application, outcome: Outcome | str, on=dt.date(2026, 3, 20), **data):
    """A reply event with ``outcome``, adding the earlier steps some outcomes need."""
    outcome = Outcome(outcome)
    if outcome in (Outcome.OTHER_CORRECTION_OVERDUE, Outcome.UNAVAILABLE_UNCLEAR_AFTER_CORRECTION):
        add_event(
            application,
            EventType.CORRECTION_REQUESTED,
            dt.date(2026, 3, 4),
            deadline="2026-03-13",
            items="请写明信息的文号",
        )
        if outcome is Outcome.UNAVAILABLE_UNCLEAR_AFTER_CORRECTION:
            add_event(application, EventType.CORRECTION_RECEIVED, dt.date(2026, 3, 10))
    if outcome is Outcome.OTHER_FEE_UNPAID:
        add_event(
            application,
            EventType.FEE_NOTICE_ISSUED,
            dt.date(2026, 3, 5),
            amount="100",
            method="per_application",
            received_on="2026-03-06",
        )
    payload = dict(REPLY_DATA, outcome=outcome.value)
    if outcome is Outcome.UNAVAILABLE_NOT_HELD:
        payload |= {
            "competent_agency_name": "兴安盟财政局",
            "competent_agency_contact": "0482-8226000",
        }
    payload.update(data)
    event_type = (
        EventType.CLOSED
        if outcome in (Outcome.OTHER_CORRECTION_OVERDUE, Outcome.OTHER_FEE_UNPAID)
        else EventType.REPLY_ISSUED
    )
    return add_event(application, event_type, on, **payload)
