"""Demo requests (依申请公开演示数据), loaded by ``gongkai demo``.

About forty requests to the 兴安盟 government (``152200``), 乌兰浩特市 (``152200-wlhts``) and the
兴安盟教育局 (``152200-jyj``), in every status: awaiting confirmation, running with green, yellow
and red lights, awaiting correction, consulting, awaiting the head's approval of an extension,
extended, with an art. 35 deadline, awaiting payment, replied with many outcome codes, closed by
an expired correction or fee deadline, withdrawn, delivered late, under review or lawsuit.

Everything goes through intake and :mod:`gongkai.applications.services`, so the event log, the
cached clock and the audit log are what real use would produce. Deterministic: the dates are
fixed relative to :data:`REFERENCE_DAY` (a Monday in November 2026, inside the calendar data);
run the site with ``GONGKAI_TODAY=2026-11-16`` to see the lights exactly as designed. Idempotent:
the tracking codes are fixed (``GK-2026-DEM00001`` …) and existing ones are skipped.
The demo applicants are fictitious; their identity numbers only pass the check-digit test.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model

from gongkai.agencies.models import Agency
from gongkai.applications import access, intake, services
from gongkai.applications.models import AppealKind, AppealResult, Application, Channel
from gongkai.core import dates
from gongkai.core.dates import SHANGHAI, override_today
from gongkai.workdays.calendar import WorkdayCalendar, get_calendar

#: "Today" of the demo: a Monday. Requests are dated relative to it.
REFERENCE_DAY = dt.date(2026, 11, 16)
#: The query password of every demo request (for the public tracking page).
DEMO_SECRET = "demo-track"
LEAGUE, CITY, EDUCATION = "152200", "152200-wlhts", "152200-jyj"

#: Per agency: (officer username, head username); missing users act as the system.
STAFF = {
    LEAGUE: ("xingan_officer", "xingan_head"),
    CITY: ("wulanhaote_officer", "wulanhaote_head"),
    EDUCATION: ("xingan_jyj_officer", "xingan_head"),
}

PEOPLE: list[dict[str, str]] = [
    {"applicant_name": "张晓燕", "id_number": "15220119850312002X"},
    {"applicant_name": "刘建国", "id_number": "152201197208150010"},
    {"applicant_name": "巴特尔", "id_number": "152221199001010031"},
    {"applicant_name": "孙丽华", "id_number": "152201196307040023"},
    {"applicant_name": "其木格", "id_number": "152202198811200044"},
    {"applicant_name": "高志强", "id_number": "152222199505050068"},
]
ORGANISATIONS: list[dict[str, str]] = [
    {
        "applicant_type": "commercial",
        "applicant_name": "乌兰浩特市绿野商贸有限公司",
        "id_number": "91152201MA0N00001F",
    },
    {
        "applicant_type": "legal_service",
        "applicant_name": "兴安盟草原律师事务所",
        "id_number": "31152200MA0N00002A",
    },
    {
        "applicant_type": "research",
        "applicant_name": "兴安盟农牧业科学研究所",
        "id_number": "12152200MA0N00003C",
    },
    {
        "applicant_type": "public_interest",
        "applicant_name": "兴安盟生态保护协会",
        "id_number": "51152200MA0N00004E",
    },
]

TOPICS = [
    "请公开2025年本机关部门预算及“三公”经费预算。",
    "请公开乌兰浩特市2025年城区老旧小区改造项目的批准文件和实施情况。",
    "请公开2025年度科右前旗草原生态保护补助奖励资金发放名单。",
    "请公开本机关2025年行政处罚决定书（涉及本公司的部分）。",
    "请公开兴安盟2026年义务教育阶段学校招生划片方案。",
    "请公开2024年以来本市集体土地征收补偿安置方案及批复文件。",
    "请公开2025年本机关政府采购项目目录及中标结果。",
    "请公开洮儿河流域水污染防治专项检查报告。",
]


@dataclass(frozen=True)
class W:
    """A date ``n`` working days after the request's receipt date (negative: before)."""

    n: int


@dataclass
class Scenario:
    n: int
    agency: str
    back: int
    """Working days between the receipt and :data:`REFERENCE_DAY`."""
    channel: str = Channel.IN_PERSON
    who: int = 0
    topic: int = 0
    steps: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    confirm: bool = True
    """For online and ordinary-post requests: whether the office confirmed receipt."""


def _reply(outcome: str, at: int, **data: str) -> tuple[str, dict[str, Any]]:
    return ("reply", {"outcome": outcome, "on": W(at), "data": data})


def _deliver(at: int, method: str = "post") -> tuple[str, dict[str, Any]]:
    return ("record_delivery", {"method": method, "on": W(at)})


SCENARIOS: list[Scenario] = [
    # awaiting confirmation of receipt (条例第三十一条)
    Scenario(1, LEAGUE, 0, Channel.ONLINE, who=0, topic=0, confirm=False),
    Scenario(2, CITY, 1, Channel.ONLINE, who=1, topic=1, confirm=False),
    Scenario(3, EDUCATION, 0, Channel.ONLINE, who=2, topic=4, confirm=False),
    Scenario(4, LEAGUE, 1, Channel.ORDINARY_POST, who=3, topic=6, confirm=False),
    # running: green, yellow, red
    Scenario(5, LEAGUE, 2, Channel.ONLINE, who=4, topic=6),
    Scenario(6, CITY, 3, Channel.IN_PERSON, who=5, topic=5),
    Scenario(7, EDUCATION, 4, Channel.EMAIL, who=0, topic=4),
    Scenario(8, LEAGUE, 16, Channel.REGISTERED_POST, who=6, topic=3, steps=[("assign", {})]),
    Scenario(9, CITY, 17, Channel.ONLINE, who=1, topic=1),
    Scenario(10, LEAGUE, 23, Channel.ONLINE, who=7, topic=7),
    Scenario(11, EDUCATION, 25, Channel.FAX, who=2, topic=4),
    # 补正
    Scenario(
        12,
        LEAGUE,
        3,
        Channel.ONLINE,
        who=3,
        topic=0,
        steps=[
            (
                "request_correction",
                {"on": W(2), "deadline": W(10), "items": "请写明所需预算的年度和部门名称。"},
            ),
        ],
    ),
    Scenario(
        13,
        CITY,
        12,
        Channel.ONLINE,
        who=4,
        topic=5,
        steps=[
            (
                "request_correction",
                {"on": W(1), "deadline": W(6), "items": "请说明所指的征收项目名称或地块位置。"},
            ),
            ("record_correction", {"on": W(5)}),
        ],
    ),
    Scenario(
        14,
        LEAGUE,
        20,
        Channel.ONLINE,
        who=5,
        topic=2,
        steps=[
            (
                "request_correction",
                {"on": W(2), "deadline": W(7), "items": "请写明所需信息的名称或文号。"},
            ),
            ("close_expired", {"on": W(9)}),
        ],
    ),
    # consultations (第三十二条、第三十四条)
    Scenario(
        15,
        LEAGUE,
        8,
        Channel.ONLINE,
        who=6,
        topic=3,
        steps=[
            (
                "open_consultation",
                {
                    "on": W(3),
                    "party": "third_party",
                    "party_name": "乌兰浩特市某某建材有限公司",
                    "party_received_on": W(4),
                },
            ),
        ],
    ),
    Scenario(
        16,
        CITY,
        9,
        Channel.IN_PERSON,
        who=0,
        topic=5,
        steps=[
            (
                "open_consultation",
                {
                    "on": W(2),
                    "party": "agency",
                    "party_name": "兴安盟自然资源局",
                    "party_received_on": W(3),
                },
            ),
        ],
    ),
    Scenario(
        17,
        LEAGUE,
        30,
        Channel.ONLINE,
        who=1,
        topic=3,
        steps=[
            (
                "open_consultation",
                {
                    "on": W(4),
                    "party": "third_party",
                    "party_name": "兴安盟某某物流有限公司",
                    "party_received_on": W(5),
                },
            ),
            ("close_consultation", {"on": W(12), "opinion": "不同意公开，涉及商业秘密。"}),
            _reply(
                "withheld_third_party_rights",
                20,
                reason="涉及第三方商业秘密，第三方不同意公开（第十五条）。",
            ),
            _deliver(21),
        ],
    ),
    # extensions (第三十三条第二款) and art. 35
    Scenario(
        18,
        LEAGUE,
        18,
        Channel.ONLINE,
        who=2,
        topic=7,
        steps=[
            (
                "request_extension",
                {"on": W(16), "workdays": 15, "reason": "需向多个科室调取检查档案。"},
            ),
        ],
    ),
    Scenario(
        19,
        CITY,
        24,
        Channel.REGISTERED_POST,
        who=3,
        topic=1,
        steps=[
            (
                "request_extension",
                {"on": W(15), "workdays": 20, "reason": "涉及多年度档案，需逐卷检索。"},
            ),
            ("approve_extension", {"on": W(16)}),
        ],
    ),
    Scenario(
        20,
        LEAGUE,
        10,
        Channel.ONLINE,
        who=7,
        topic=6,
        steps=[
            (
                "set_art35_deadline",
                {
                    "on": W(3),
                    "due_on": W(30),
                    "reason": "申请人本月提出同类申请36件，数量明显超过合理范围。",
                },
            ),
        ],
    ),
    # fees (国办函〔2020〕109号)
    Scenario(
        21,
        LEAGUE,
        6,
        Channel.ONLINE,
        who=8,
        topic=6,
        steps=[
            (
                "issue_fee_notice",
                {"on": W(2), "received_on": W(2), "method": "per_page", "pages": 160},
            ),
        ],
    ),
    Scenario(
        22,
        CITY,
        40,
        Channel.ONLINE,
        who=9,
        topic=5,
        steps=[
            (
                "issue_fee_notice",
                {"on": W(3), "received_on": W(4), "method": "per_page", "pages": 80},
            ),
            ("close_expired", {"on": W(27)}),
        ],
    ),
    Scenario(
        23,
        LEAGUE,
        28,
        Channel.ONLINE,
        who=8,
        topic=7,
        steps=[
            (
                "issue_fee_notice",
                {"on": W(2), "received_on": W(2), "method": "per_page", "pages": 45},
            ),
            ("record_payment", {"on": W(5), "reference": "NT15220026000123"}),
            _reply("disclosed", 15, how_to_obtain="已通过电子邮件发送检查报告全文。"),
            _deliver(15, "electronic"),
        ],
    ),
    # replied, awaiting delivery
    Scenario(
        24,
        LEAGUE,
        12,
        Channel.IN_PERSON,
        who=0,
        topic=0,
        steps=[
            _reply("disclosed", 10, how_to_obtain="请于工作日到兴安盟行政公署政务公开办领取。"),
        ],
    ),
    Scenario(
        25,
        EDUCATION,
        14,
        Channel.ONLINE,
        who=1,
        topic=4,
        steps=[
            _reply(
                "unavailable_not_held",
                12,
                reason="经检索，本机关未制作该方案。",
                competent_agency_name="乌兰浩特市教育局",
                competent_agency_contact="0482-8211111",
            ),
        ],
    ),
    # closed, on time
    Scenario(
        26,
        LEAGUE,
        45,
        Channel.ONLINE,
        who=2,
        topic=0,
        steps=[
            _reply("disclosed", 8, how_to_obtain="已邮寄纸质文本。"),
            _deliver(9),
        ],
    ),
    Scenario(
        27,
        CITY,
        50,
        Channel.IN_PERSON,
        who=3,
        topic=1,
        steps=[
            _reply(
                "partially_disclosed",
                15,
                how_to_obtain="已邮寄可公开部分。",
                withheld_parts="居民个人身份信息和联系方式",
                reason="涉及个人隐私（第十五条）。",
            ),
            _deliver(16),
        ],
    ),
    Scenario(
        28,
        LEAGUE,
        55,
        Channel.REGISTERED_POST,
        who=9,
        topic=3,
        steps=[
            _reply(
                "withheld_process_information", 18, reason="属于内部讨论记录（第十六条第二款）。"
            ),
            _deliver(19),
            (
                "create_appeal",
                {"kind": AppealKind.REVIEW, "body": "兴安盟行政公署", "filed_on": W(30)},
            ),
        ],
    ),
    Scenario(
        29,
        CITY,
        60,
        Channel.ONLINE,
        who=4,
        topic=5,
        steps=[
            _reply(
                "not_processed_petition", 5, reason="申请内容为投诉举报，已告知通过信访渠道反映。"
            ),
            _deliver(5, "electronic"),
        ],
    ),
    Scenario(
        30,
        LEAGUE,
        62,
        Channel.ONLINE,
        who=5,
        topic=0,
        steps=[
            _reply("not_processed_repeated", 4, previous_reply="兴署公开〔2026〕21号"),
            _deliver(5),
        ],
    ),
    Scenario(
        31,
        EDUCATION,
        48,
        Channel.IN_PERSON,
        who=6,
        topic=4,
        steps=[
            _reply(
                "unavailable_needs_creation", 14, reason="需对现有信息进行汇总加工（第三十八条）。"
            ),
            _deliver(14, "direct"),
        ],
    ),
    Scenario(
        32,
        LEAGUE,
        70,
        Channel.EMAIL,
        who=10,
        topic=2,
        steps=[
            _reply(
                "not_processed_publication",
                6,
                how_to_obtain="该信息已刊登于《兴安盟行政公署公报》2025年第3期。",
            ),
            _deliver(6, "electronic"),
        ],
    ),
    Scenario(
        33,
        CITY,
        66,
        Channel.ONLINE,
        who=11,
        topic=7,
        steps=[
            _reply("withheld_state_secret", 17, reason="经保密审查，属于国家秘密（第十四条）。"),
            _deliver(18),
            (
                "create_appeal",
                {
                    "kind": AppealKind.LAWSUIT_DIRECT,
                    "body": "乌兰浩特市人民法院",
                    "filed_on": W(25),
                    "case_number": "（2026）内2201行初15号",
                    "result": AppealResult.UPHELD,
                    "decided_on": W(40),
                },
            ),
        ],
    ),
    # late delivery, withdrawal, other
    Scenario(
        34,
        LEAGUE,
        58,
        Channel.ONLINE,
        who=0,
        topic=6,
        steps=[
            _reply("disclosed", 21, how_to_obtain="已邮寄纸质文本。"),
            _deliver(22),
        ],
    ),
    Scenario(
        35,
        CITY,
        35,
        Channel.ONLINE,
        who=1,
        topic=1,
        steps=[
            ("record_withdrawal", {"on": W(3), "note": "申请人来电撤回申请。"}),
        ],
    ),
    Scenario(
        36,
        LEAGUE,
        42,
        Channel.ORDINARY_POST,
        who=2,
        topic=2,
        steps=[
            _reply("other", 10, reason="申请人要求本机关出具证明，已告知依法办理途径。"),
            _deliver(11),
        ],
    ),
    Scenario(
        37,
        EDUCATION,
        7,
        Channel.REGISTERED_POST,
        who=3,
        topic=4,
        steps=[
            ("add_note", {"text": "已电话联系申请人，确认所需为2026年方案。"}),
        ],
    ),
    Scenario(38, CITY, 19, Channel.FAX, who=4, topic=5, steps=[("assign", {})]),
]


def _workday_before(calendar: WorkdayCalendar, day: dt.date, n: int) -> dt.date:
    while not calendar.is_workday(day):
        day -= dt.timedelta(days=1)
    while n > 0:
        day -= dt.timedelta(days=1)
        if calendar.is_workday(day):
            n -= 1
    return day


def _resolve(value: Any, received: dt.date, calendar: WorkdayCalendar) -> Any:
    if isinstance(value, W):
        if value.n >= 0:
            return calendar.add_workdays(received, value.n) if value.n else received
        return _workday_before(calendar, received, -value.n)
    if isinstance(value, dict):
        return {k: _resolve(v, received, calendar) for k, v in value.items()}
    return value


def tracking_code(n: int) -> str:
    return f"GK-2026-DEM{n:05d}"


def _applicant(scenario: Scenario) -> dict[str, str]:
    everyone = PEOPLE + ORGANISATIONS
    who = everyone[scenario.who % len(everyone)]
    data = {
        "applicant_type": "natural_person",
        "id_type": "resident_id",
        "contact_person": "",
        "phone": f"048282{scenario.n:05d}",
        "email": f"demo{scenario.n:02d}@example.cn",
        "address": "内蒙古自治区兴安盟乌兰浩特市兴安南大街1号",
        "postcode": "137400",
        "description": TOPICS[scenario.topic % len(TOPICS)],
        "document_hint": "",
        "form_wanted": "paper",
        "delivery": "post",
        **who,
    }
    if data["applicant_type"] != "natural_person":
        data["id_type"] = "credit_code"
        data["contact_person"] = "王经办"
    return data


def _users() -> dict[str, Any]:
    names = {name for pair in STAFF.values() for name in pair}
    return {u.username: u for u in get_user_model().objects.filter(username__in=names)}


def _create(scenario: Scenario, agency: Agency, received: dt.date, officer: Any) -> Application:
    applicant = _applicant(scenario)
    token = f"gongkai-demo-request-{scenario.n:05d}"
    with override_today(received):
        if scenario.channel == Channel.ONLINE:
            arrived = dt.datetime.combine(received, dt.time(9, 30), tzinfo=SHANGHAI)
            app = intake.create_application(
                agency,
                applicant=applicant,
                channel=Channel.ONLINE,
                arrived_at=arrived,
                secret=DEMO_SECRET,
                submission_token=token,
            )
        else:
            confirm_now = scenario.confirm and scenario.channel != Channel.IN_PERSON
            app = services.register_application(
                agency,
                applicant=applicant,
                channel=scenario.channel,
                arrived_on=received,
                signed_on=received if scenario.channel == Channel.REGISTERED_POST else None,
                confirmed_on=received if confirm_now else None,
                actor=officer,
                secret=DEMO_SECRET,
                submission_token=token,
            )
    Application.objects.filter(pk=app.pk).update(tracking_code=tracking_code(scenario.n))
    app.tracking_code = tracking_code(scenario.n)
    if scenario.channel == Channel.ONLINE and scenario.confirm:
        with override_today(received):
            services.confirm_receipt(app, received, officer)
    return app


def _step(
    app: Application, action: str, kwargs: dict[str, Any], officer: Any, head: Any
) -> dt.date:
    """Run one step as of its own date; returns that date."""
    on = kwargs.get("on") or app.received_on
    handlers: dict[str, Callable[[], Any]] = {
        "assign": lambda: services.assign(app, officer, officer),
        "add_note": lambda: services.add_note(app, kwargs["text"], officer),
        "request_correction": lambda: services.request_correction(app, actor=officer, **kwargs),
        "record_correction": lambda: services.record_correction(app, actor=officer, **kwargs),
        "open_consultation": lambda: services.open_consultation(app, actor=officer, **kwargs),
        "close_consultation": lambda: services.close_consultation(app, actor=officer, **kwargs),
        "request_extension": lambda: services.request_extension(app, actor=officer, **kwargs),
        "approve_extension": lambda: services.approve_extension(app, actor=head, **kwargs),
        "set_art35_deadline": lambda: services.set_art35_deadline(app, actor=officer, **kwargs),
        "issue_fee_notice": lambda: services.issue_fee_notice(app, actor=officer, **kwargs),
        "record_payment": lambda: services.record_payment(app, actor=officer, **kwargs),
        "reply": lambda: services.reply(app, actor=officer, **kwargs),
        "record_delivery": lambda: services.record_delivery(app, actor=officer, **kwargs),
        "record_withdrawal": lambda: services.record_withdrawal(app, actor=officer, **kwargs),
        "close_expired": lambda: services.close_expired(app, on),
        "create_appeal": lambda: services.create_appeal(
            app, actor=officer, **{k: v for k, v in kwargs.items()}
        ),
    }
    past = ("received_on", "party_received_on", "filed_on", "decided_on")
    day = max([on, *(kwargs[k] for k in past if kwargs.get(k))])
    with override_today(day):
        handlers[action]()
    return day


def load(stdout: Any) -> None:
    """Create the demo requests that do not exist yet (``gongkai demo``)."""
    agencies = {a.code: a for a in Agency.objects.filter(code__in=[LEAGUE, CITY, EDUCATION])}
    if LEAGUE not in agencies:
        stdout.write("依申请公开：未找到兴安盟（152200），跳过演示申请。")
        return
    existing = set(
        Application.objects.filter(
            tracking_code__in=[tracking_code(s.n) for s in SCENARIOS]
        ).values_list("tracking_code", flat=True)
    )
    users = _users()
    created = skipped = 0
    for scenario in SCENARIOS:
        agency = agencies.get(scenario.agency)
        if agency is None or tracking_code(scenario.n) in existing:
            skipped += 1
            continue
        calendar = get_calendar(agency)
        received = _workday_before(calendar, REFERENCE_DAY, scenario.back)
        officer_name, head_name = STAFF[scenario.agency]
        officer, head = users.get(officer_name), users.get(head_name)
        # Act as the demo staff where they hold their role, else as the system.
        if officer is not None and not access.may(officer, access.Action.REPLY, agency):
            officer = None
        if head is not None and not access.may(head, access.Action.APPROVE_EXTENSION, agency):
            head = None
        app = _create(scenario, agency, received, officer)
        for action, raw in scenario.steps:
            kwargs = _resolve(raw, received, calendar)
            if action == "assign" and officer is None:
                continue
            _step(app, action, kwargs, officer, head)
        services.refresh_clock(app, today=dates.today())
        created += 1
    stdout.write(
        f"依申请公开：新建演示申请 {created} 件，已存在 {skipped} 件"
        f"（查询密码 {DEMO_SECRET}；以 GONGKAI_TODAY={REFERENCE_DAY.isoformat()} 运行可看到设计的红黄绿灯）"
    )
