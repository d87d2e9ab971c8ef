"""A sample request for the template editor's live preview (never saved, no real person).

Each kind gets an unsaved :class:`Application` of the agency, the event its letter belongs to and
the earlier events it needs, with example data, so a template can be previewed exactly as it
will be rendered.
"""

from __future__ import annotations

import datetime as dt

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
from gongkai.core.dates import SHANGHAI, today
from gongkai.letters.kinds import ART35_REASONS_STEP, KindSpec

REPLY_DATA = {
    "reason": "示例：该信息涉及……，依法不予公开。",
    "how_to_obtain": "本机关将以邮寄方式向你提供该信息的纸质复印件。",
    "withheld_parts": "第三部分中涉及个人身份信息的内容",
    "competent_agency_name": "兴安盟财政局",
    "competent_agency_contact": "0482-0000000",
    "previous_reply": "本机关2026年1月5日出具的答复书",
}


def sample_case(agency, spec: KindSpec) -> tuple[Application, Event, list[Event]]:
    """(application, event, history) for previewing ``spec`` of ``agency``."""
    base = today()
    received = base - dt.timedelta(days=12)
    application = Application(
        agency=agency,
        tracking_code="GK-2026-SAMPLE00",
        applicant_type=ApplicantType.NATURAL_PERSON,
        applicant_name="张三",
        id_type=IdType.RESIDENT_ID,
        id_number="",
        phone="13800000000",
        description="本机关2025年度部门预算执行情况的说明（示例申请内容）",
        form_wanted=FormWanted.PAPER,
        delivery=Delivery.POST,
        channel=Channel.ONLINE,
        arrived_at=dt.datetime.combine(received, dt.time(9, 30), tzinfo=SHANGHAI),
        received_on=received,
        due_on=base + dt.timedelta(days=16),
    )
    history: list[Event] = [
        Event(application=application, type=EventType.SUBMITTED, on=received, data={}),
    ]

    def add(event_type: str, on: dt.date, **data) -> Event:
        event = Event(application=application, type=event_type, on=on, data=data)
        history.append(event)
        return event

    day = received + dt.timedelta(days=2)
    code = spec.code
    if code == "receipt":
        event = add(EventType.RECEIPT_CONFIRMED, received)
    elif code == "correction_notice":
        event = add(
            EventType.CORRECTION_REQUESTED,
            day,
            deadline=(day + dt.timedelta(days=15)).isoformat(),
            items="请写明所需信息的名称或者文号。\n请写明所需信息形成的大致时间。",
        )
    elif code == "extension_notice":
        event = add(
            EventType.EXTENSION_GRANTED,
            base,
            workdays=20,
            reason="所申请的信息涉及多个年度的档案，需要逐卷调取核对",
        )
    elif code in ("consultation_third_party", "consultation_agency"):
        party = "third_party" if code == "consultation_third_party" else "agency"
        event = add(
            EventType.CONSULTATION_OPENED,
            day,
            party=party,
            party_name="某某有限公司" if party == "third_party" else "兴安盟财政局",
        )
    elif code == "third_party_disclosure_notice":
        add(EventType.CONSULTATION_OPENED, day, party="third_party", party_name="某某有限公司")
        event = add(
            EventType.REPLY_ISSUED,
            base,
            outcome=Outcome.DISCLOSED.value,
            disclosure_reason="该信息涉及公共资金的使用，不公开可能对公共利益造成重大影响",
        )
    elif code == "art35_reasons_notice":
        event = add(
            EventType.NOTE,
            day,
            step=ART35_REASONS_STEP,
            observation="你在本月内已提出政府信息公开申请23件",
            reason_deadline=(day + dt.timedelta(days=10)).isoformat(),
        )
    elif code == "art35_deadline_notice":
        event = add(
            EventType.ART35_DEADLINE,
            day,
            due_on=(day + dt.timedelta(days=60)).isoformat(),
            reason="所申请的信息数量较大，需要逐件检索、审查",
        )
    elif code == "fee_notice":
        event = add(
            EventType.FEE_NOTICE_ISSUED,
            day,
            amount="100",
            method="per_application",
            payment="通过非税收入缴款码缴纳（缴款码随本通知书送达）",
        )
    else:
        outcome = spec.outcome
        assert outcome is not None
        if outcome in (
            Outcome.OTHER_CORRECTION_OVERDUE,
            Outcome.UNAVAILABLE_UNCLEAR_AFTER_CORRECTION,
        ):
            add(
                EventType.CORRECTION_REQUESTED,
                day,
                deadline=(day + dt.timedelta(days=15)).isoformat(),
            )
            if outcome is Outcome.UNAVAILABLE_UNCLEAR_AFTER_CORRECTION:
                add(EventType.CORRECTION_RECEIVED, day + dt.timedelta(days=5))
        if outcome is Outcome.OTHER_FEE_UNPAID:
            add(EventType.FEE_NOTICE_ISSUED, day, amount="100", method="per_application")
        data = dict(
            REPLY_DATA,
            outcome=outcome.value,
            obtain_place=agency.address or "本机关政府信息公开工作机构",
            obtain_time=agency.office_hours or "工作日上午9时至下午5时",
        )
        if outcome is Outcome.OTHER:
            data["reason"] = "你于2026年3月2日书面申请撤回该政府信息公开申请"
        if outcome is Outcome.WITHHELD_ADMINISTRATIVE_INQUIRY:
            data["reason"] = "请持本人身份证明到不动产登记机构申请查询"
        event = add(EventType.REPLY_ISSUED, base, **data)
    return application, event, history
