"""Demo history for annual reports (年度报告演示数据), loaded by ``gongkai demo``.

Requests received from 2023 to October 2026 across the region government, several region
departments, 兴安盟 and its banners and cities, and a few other leagues — every outcome code,
corrections that restart the clock or expire, unpaid fees, withdrawals, requests carried over the
year end, reviews and lawsuits — all created through intake and the request services, so the event
log and the cached clock are what real use produces. Then the 2024 and 2025 reports of those
agencies are locked, and most of them published (a few 2025 ones left unpublished so the deadline
board shows red), plus the consolidated 2025 reports of 兴安盟 and the region.

Deterministic (a seeded generator) and idempotent (fixed tracking codes ``GK-YYYY-H…``; existing
ones are skipped; reports already locked are left alone).
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.db import transaction

from gongkai.agencies.models import Agency, AgencyKind
from gongkai.applications import services
from gongkai.applications.models import Application, Channel
from gongkai.applications.outcomes import OUTCOMES, Outcome
from gongkai.core.dates import SHANGHAI, override_today, today
from gongkai.core.identity import credit_code_check_char, resident_id_check_char
from gongkai.reports import compute, locking, suggestions
from gongkai.reports.models import AnnualReport, ReportStatus, Scope
from gongkai.workdays.calendar import CalendarYearMissing, WorkdayCalendar, get_calendar

YEARS = (2023, 2024, 2025, 2026)
LAST_RECEIPT_2026 = dt.date(2026, 10, 16)
SEED = 20260101

SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗"
GIVEN = ["建华", "丽娟", "志强", "海燕", "巴图", "其其格", "晓东", "秀英", "文博", "乌云"]
ORG_TYPES = ["commercial", "research", "public_interest", "legal_service", "other"]
ORG_NAMES = {
    "commercial": "兴安草原商贸有限公司",
    "research": "农牧业技术研究所",
    "public_interest": "生态环境保护协会",
    "legal_service": "律师事务所",
    "other": "村民委员会",
}
TOPICS = [
    "本机关年度部门预算、决算及“三公”经费情况",
    "城区老旧小区改造项目的批准文件和实施情况",
    "草原生态保护补助奖励资金的发放情况",
    "农村牧区道路建设项目的招投标结果",
    "义务教育阶段学校招生划片方案",
    "集体土地征收补偿安置方案及批复文件",
    "饮用水水源地水质监测报告",
    "行政许可事项办理结果",
]

#: Outcomes an officer replies with directly, and the data each needs.
REPLY_DATA: dict[str, str] = {
    "how_to_obtain": "请于收到本答复之日起十个工作日内到本机关政府信息公开办公室领取。",
    "withheld_parts": "涉及个人身份信息的部分",
    "reason": "该信息属于条例规定的不予公开情形。",
}


def _person(rng: random.Random, n: int) -> dict[str, str]:
    birth = dt.date(1960, 1, 1) + dt.timedelta(days=rng.randrange(0, 40 * 365))
    first17 = f"152201{birth:%Y%m%d}{n % 1000:03d}"
    return {
        "applicant_type": "natural_person",
        "applicant_name": rng.choice(SURNAMES) + rng.choice(GIVEN),
        "id_type": "resident_id",
        "id_number": first17 + resident_id_check_char(first17),
    }


def _organisation(rng: random.Random, n: int) -> dict[str, str]:
    kind = rng.choice(ORG_TYPES)
    first17 = f"91152200MA0H{n % 100000:05d}"
    return {
        "applicant_type": kind,
        "applicant_name": f"兴安盟{ORG_NAMES[kind]}",
        "id_type": "credit_code",
        "id_number": first17 + credit_code_check_char(first17),
        "contact_person": "王经办",
    }


def _applicant(rng: random.Random, n: int, agency: Agency) -> dict[str, Any]:
    base = _person(rng, n) if rng.random() < 0.7 else _organisation(rng, n)
    return {
        **base,
        "phone": f"0482{8000000 + n % 1000000:07d}",
        "email": f"history{n}@example.cn",
        "address": "内蒙古自治区兴安盟乌兰浩特市兴安南大街1号",
        "postcode": "137400",
        "description": f"请公开{agency.display_name}{rng.choice(TOPICS)}。",
        "document_hint": "",
        "form_wanted": rng.choice(["paper", "email"]),
        "delivery": rng.choice(["post", "email", "collection"]),
    }


def _agencies() -> list[Agency]:
    region = list(Agency.objects.filter(kind=AgencyKind.REGION_GOVERNMENT)[:1])
    if not region:
        return []
    departments = list(
        Agency.objects.filter(parent=region[0], kind=AgencyKind.DEPARTMENT).order_by("code")[:6]
    )
    league = Agency.objects.filter(code="152200").first()
    league_units = list(Agency.objects.filter(parent=league).order_by("code")[:8]) if league else []
    others = list(
        Agency.objects.filter(kind=AgencyKind.LEAGUE_GOVERNMENT)
        .exclude(code="152200")
        .order_by("code")[:3]
    )
    return region + departments + ([league] if league else []) + league_units + others


def _plan(rng: random.Random) -> list[str]:
    """The order of scenarios: every outcome code, then weighted random ones."""
    every = [o.value for o in Outcome]
    weighted = (
        ["disclosed"] * 8
        + ["partially_disclosed"] * 3
        + ["unavailable_not_held"] * 3
        + [
            "withheld_third_party_rights",
            "withheld_process_information",
            "other",
            "not_processed_repeated",
            "other_correction_overdue",
            "open",
        ]
    )
    return every + [rng.choice(weighted) for _ in range(2000)]


def _receipt_day(rng: random.Random, year: int, calendar: WorkdayCalendar) -> dt.date:
    last = LAST_RECEIPT_2026 if year == 2026 else dt.date(year, 12, 31)
    day = dt.date(year, 1, 5) + dt.timedelta(
        days=rng.randrange(0, (last - dt.date(year, 1, 5)).days)
    )
    while not calendar.is_workday(day):
        day += dt.timedelta(days=1)
    return day


def _at(calendar: WorkdayCalendar, start: dt.date, n: int) -> dt.date:
    return calendar.add_workdays(start, n)


def _run(day: dt.date, action, *args, **kwargs):
    with override_today(day):
        return action(*args, **kwargs)


def _handle(
    app: Application, scenario: str, rng: random.Random, calendar: WorkdayCalendar, horizon: dt.date
) -> None:
    received = app.received_on
    if scenario == "open":
        return
    if scenario == "other_correction_overdue":
        ask, deadline = _at(calendar, received, 2), _at(calendar, received, 8)
        _run(
            ask,
            services.request_correction,
            app,
            on=ask,
            deadline=deadline,
            items="请写明所需信息的名称、文号或形成时间。",
            actor=None,
        )
        closing = deadline + dt.timedelta(days=1)
        if closing <= horizon:
            _run(closing, services.close_expired, app, closing)
        return
    if scenario == "other_fee_unpaid":
        notice = _at(calendar, received, 5)
        got = _at(calendar, notice, 2)
        _run(
            got,
            services.issue_fee_notice,
            app,
            method="per_page",
            pages=180,
            on=notice,
            received_on=got,
            actor=None,
        )
        closing = _at(calendar, got, 20) + dt.timedelta(days=1)
        if closing <= horizon:
            _run(closing, services.close_expired, app, closing)
        return
    if scenario == "other":
        day = _at(calendar, received, rng.randint(1, 6))
        _run(day, services.record_withdrawal, app, on=day, actor=None, note="申请人书面撤回申请。")
        return
    start = received
    if scenario == "unavailable_unclear_after_correction" or rng.random() < 0.08:
        ask, fixed = _at(calendar, received, 3), _at(calendar, received, 6)
        _run(
            ask,
            services.request_correction,
            app,
            on=ask,
            deadline=_at(calendar, received, 10),
            items="请说明所需信息的具体范围。",
            actor=None,
        )
        _run(fixed, services.record_correction, app, on=fixed, actor=None)
        start = fixed
    reply_day = _at(calendar, start, rng.randint(3, 19))
    if reply_day > horizon:
        return  # still being handled: carried forward
    info = OUTCOMES[Outcome(scenario)]
    data = {key: REPLY_DATA[key] for key in info.required}
    if scenario == "unavailable_not_held" and rng.random() < 0.5:
        data["competent_agency_name"] = "兴安盟自然资源局"
    _run(reply_day, services.reply, app, outcome=scenario, on=reply_day, actor=None, data=data)
    delivered = _at(calendar, reply_day, 1 if rng.random() < 0.93 else 2)
    if delivered <= horizon:
        _run(
            delivered,
            services.record_delivery,
            app,
            method=rng.choice(["post", "direct"]),
            on=delivered,
            actor=None,
        )
    if info.is_refusal and rng.random() < 0.5:
        filed = reply_day + dt.timedelta(days=30)
        if filed <= horizon:
            decided = filed + dt.timedelta(days=60)
            done = decided <= horizon
            _run(
                filed if not done else decided,
                services.create_appeal,
                app,
                kind=rng.choice(["review", "review", "lawsuit_direct"]),
                body="兴安盟行政公署" if rng.random() < 0.5 else "乌兰浩特市人民法院",
                filed_on=filed,
                actor=None,
                result=rng.choice(["upheld", "upheld", "corrected", "other"])
                if done
                else "pending",
                decided_on=decided if done else None,
            )


def _requests(stdout: Any) -> tuple[int, int]:
    agencies = _agencies()
    rng = random.Random(SEED)
    plan = _plan(rng)
    horizon = min(today(), dt.date(2026, 11, 13))
    created = skipped = 0
    n = 0
    for year in YEARS:
        for index, agency in enumerate(agencies):
            calendar = get_calendar(agency)
            for _ in range(2 + (index + year) % 4):
                n += 1
                scenario = plan[(n - 1) % len(plan)]
                code = f"GK-{year}-H{index:02d}{n:05d}"
                received = _receipt_day(rng, year, calendar)
                applicant = _applicant(rng, n, agency)
                if Application.objects.filter(tracking_code=code).exists():
                    skipped += 1
                    continue
                if received > horizon:
                    continue
                try:
                    with transaction.atomic():
                        app = _run(
                            received,
                            services.register_application,
                            agency,
                            applicant=applicant,
                            channel=Channel.IN_PERSON,
                            arrived_on=received,
                            actor=None,
                            submission_token=f"gongkai-history-{code}",
                        )
                        Application.objects.filter(pk=app.pk).update(tracking_code=code)
                        app.tracking_code = code
                        _handle(app, scenario, rng, calendar, horizon)
                        services.refresh_clock(app, today=horizon)
                except CalendarYearMissing:
                    continue
                created += 1
    return created, skipped


TYPED_2021 = ("licensing_decisions", "penalty_decisions", "coercion_decisions")


def _report(agency: Agency, year: int, scope: str, publish_on: dt.date | None) -> bool:
    report, _ = AnnualReport.objects.get_or_create(agency=agency, year=year, scope=scope)
    if report.is_locked:
        return False
    rng = random.Random(f"{agency.code}-{year}")
    if scope == Scope.SELF:
        report.typed = {
            "table2": {
                **{key: rng.randint(0, 400) for key in TYPED_2021},
                "fees_collected": f"{rng.randint(0, 5000) / 100:.2f}",
            }
        }
    data = compute.compute(agency, year, scope)
    report.section_overview = suggestions.overview(data)
    report.section_problems = (
        "一是部分单位主动公开内容更新不够及时；二是政策解读形式较为单一。"
        "下一步将加强日常监测和业务培训。"
    )
    report.section_other = suggestions.other_matters(data, compute.scope_agencies(agency, scope))
    report.save()
    locking.lock(report, None)
    if publish_on is not None:
        locking.publish(report, None)
        published = dt.datetime.combine(publish_on, dt.time(10), tzinfo=SHANGHAI)
        AnnualReport.objects.filter(pk=report.pk).update(published_at=published)
    return True


def load(stdout: Any) -> None:
    if not Agency.objects.filter(kind=AgencyKind.REGION_GOVERNMENT).exists():
        stdout.write("年度报告：未找到自治区人民政府，跳过演示数据。")
        return
    created, skipped = _requests(stdout)
    locked = 0
    agencies = _agencies()
    for i, agency in enumerate(agencies):
        for year in (2024, 2025):
            deadline = (
                dt.date(year + 1, 3, 31) if agency.is_government else dt.date(year + 1, 1, 31)
            )
            unpublished = year == 2025 and i % 5 == 4
            publish_on = None if unpublished else deadline - dt.timedelta(days=10 + i % 7)
            locked += _report(agency, year, Scope.SELF, publish_on)
    for code in ("152200", "150000"):
        agency = Agency.objects.filter(code=code).first()
        if agency is not None:
            locked += _report(agency, 2025, Scope.SUBTREE, dt.date(2026, 3, 25))
    stdout.write(
        f"年度报告：新建历史申请 {created} 件（已存在 {skipped} 件），锁定年度报告 {locked} 份。"
    )
    _ = ReportStatus
