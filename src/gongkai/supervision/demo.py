"""Demo supervision data (督查督办演示数据), loaded by ``gongkai demo`` after the other apps.

- The region's work points for the current year, written for this project in the style of the
  2016 document (numbered items with parenthesised lead units, old department names such as
  「环保厅」 that the alias table maps to today's names, a collective 「各盟市、各部门」 and a closing
  paragraph outside any item), turned into tasks through the same preview/confirm code as the
  console. Deadlines are set relative to today so the lights show every colour: one task already
  struck off with evidence, one overdue (red, urged and followed up), one due within a few working
  days (yellow), one monthly task without last month's report (yellow), the rest green.
- Two league tasks of 兴安盟 led by its education bureau (so ``xingan_jyj_officer`` has tasks in
  the unit console), progress reports with the demo users, two complaints (one answered), the
  default assessment indicators for the region, and a first website inspection.

Idempotent: tasks are identified by supervising agency, year and number, complaints by their
complainant and date; nothing that exists is created again.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model

from gongkai.agencies.models import Agency
from gongkai.core import dates
from gongkai.core.errors import DomainError
from gongkai.supervision import complaints, importing, indicators, inspection, lights
from gongkai.supervision import tasks as service
from gongkai.supervision.models import (
    ActionKind,
    Complaint,
    ComplaintCategory,
    SupervisionTask,
    TaskUnit,
)
from gongkai.workdays.calendar import CalendarYearMissing, get_calendar

REGION, LEAGUE, REGION_EDUCATION, LEAGUE_EDUCATION = "150000", "152200", "150000-jyt", "152200-jyj"


def _md(day: dt.date) -> str:
    return f"{day.month}月{day.day}日前"


def work_points(year: int, *, done: dt.date, overdue: dt.date, soon: dt.date) -> str:
    """This project's own work points for ``year`` (demo text, not an official document)."""
    return f"""内蒙古自治区政务公开领导小组办公室

{year}年全区政务公开工作要点（演示）

{year}年，全区政务公开工作以提升公开质量和实效为重点，围绕群众关切做好信息发布、政策解读和回应工作。

一、深化重点领域信息公开

（一）集中公开现行有效的行政规范性文件。全面梳理本级现行有效的行政规范性文件，在政府信息公开专栏集中公开，逐件标注有效性，{_md(done)}完成。（自治区司法厅牵头落实）

（二）做好财政预决算信息公开。部门预决算在批复后20日内公开，支出细化到功能分类项级科目，同步公开“三公”经费说明。{_md(overdue)}报送公开情况。（自治区财政厅牵头，会同审计厅落实）

（三）推进教育领域信息公开。公开义务教育招生划片范围、入学办法和办理流程，公开学生资助政策和资助资金分配结果，{_md(soon)}完成年度公开情况自查。（自治区教育厅牵头落实）

（四）推进生态环境信息公开。按月发布各盟市空气质量和重点流域水质状况，公开重点排污单位名录和监督性监测结果。（自治区环保厅牵头，会同水利厅落实）

（五）推进政务服务事项公开。动态更新政务服务事项清单和办事指南，公开办理时限和收费依据。（自治区政务服务局、发改委按职责分工分别牵头落实）

二、加强政策解读和回应关切

（一）提高政策解读质量。文件和解读方案一并报批，解读材料于文件公开后3个工作日内发布。年底前对本年度解读情况进行一次自查。（各盟市、各部门负责落实）

（二）做好政务舆情回应。建立重要政务舆情会商机制，对涉及重大突发事件的舆情及时发布权威信息。（自治区政府办公厅牵头落实）

三、夯实政务公开工作基础

（一）规范依申请公开办理。严格执行法定答复期限，规范答复文书，年底前完成本年度申请办理情况台账核查。（自治区政府办公厅、司法厅按职责分工分别牵头落实）

有牵头任务的自治区部门要制定工作方案，{_md(soon)}将落实情况报自治区政府办公厅。
"""


LEAGUE_TASKS = [
    ("兴1", "公开学校食堂食品安全检查结果", 60),
    ("兴2", "公开义务教育阶段学校招生划片范围", 4),
]


def _ahead(calendar, today: dt.date, workdays: int) -> dt.date:
    """``workdays`` working days after today, at the latest the year's last day."""
    end = dt.date(today.year, 12, 31)
    try:
        return min(calendar.add_workdays(today, workdays), end)
    except CalendarYearMissing:  # the count ran into a year not loaded yet
        return end


def _users() -> dict[str, Any]:
    names = ["region_supervisor", "region_jyt_officer", "xingan_supervisor", "xingan_jyj_officer"]
    return {u.username: u for u in get_user_model().objects.filter(username__in=names)}


def _step(stdout: Any, what: str, call) -> Any:
    try:
        return call()
    except DomainError as exc:
        stdout.write(f"督查督办：{what}未完成：{exc.message}")
        return None


def _region_tasks(stdout: Any, region: Agency, users: dict[str, Any], today: dt.date) -> int:
    supervisor = users.get("region_supervisor")
    if supervisor is None:
        stdout.write("督查督办：未找到演示账号 region_supervisor，跳过自治区督办任务。")
        return 0
    year = today.year
    if SupervisionTask.objects.filter(supervising_agency=region, year=year).exists():
        return 0
    calendar = get_calendar(region)
    issued = max(dt.date(year, 1, 2), today - dt.timedelta(days=120))
    done = max(issued + dt.timedelta(days=1), today - dt.timedelta(days=30))
    overdue = max(issued + dt.timedelta(days=1), today - dt.timedelta(days=10))
    soon = _ahead(calendar, today, 3)
    text = work_points(year, done=done, overdue=overdue, soon=soon)
    plan = importing.build_plan(text, region, year=year, today=today)
    for task in plan.tasks:
        task.monthly = task.number in ("一（三）", "一（四）")
    plan.issued_on = issued.isoformat()
    created = importing.confirm(supervisor, plan)
    if not created:
        stdout.write("督查督办：演示工作要点未能创建任务：" + "；".join(plan.errors))
        return 0
    by_number = {t.number: t for t in created}
    previous = lights.previous_month(today)
    officer = users.get("region_jyt_officer")
    education = TaskUnit.objects.filter(
        task=by_number.get("一（三）"), agency__code=REGION_EDUCATION
    ).first()
    if education is not None and officer is not None:
        service.set_owner(supervisor, education, officer)
        for period, text in (
            (
                max(previous, lights.month_start(issued)),
                "已印发自查通知，各盟市教育局正在梳理招生划片信息。",
            ),
            (lights.month_start(today), "已汇总12个盟市的公开情况，正在形成自查报告。"),
        ):
            _step(
                stdout,
                "教育厅进展报告",
                lambda p=period, t=text: service.report_progress(officer, education, p, t),
            )
    first = by_number.get("一（一）")
    if first is not None:
        _step(
            stdout,
            "销账",
            lambda: service.act(
                supervisor,
                first,
                ActionKind.STRIKE_OFF,
                "已在政府信息公开专栏集中公开现行有效的行政规范性文件，并逐件标注有效性；"
                "依据：司法厅报送的落实情况报告及专栏截图。",
            ),
        )
    late = by_number.get("一（二）")
    if late is not None:
        _step(
            stdout,
            "催办",
            lambda: service.act(supervisor, late, ActionKind.URGE, "请于3个工作日内报送公开情况。"),
        )
        _step(
            stdout,
            "盯办",
            lambda: service.act(
                supervisor, late, ActionKind.FOLLOW_UP, "已逾期，请财政厅每周报告一次进展。"
            ),
        )
    return len(created)


def _league_tasks(stdout: Any, league: Agency, users: dict[str, Any], today: dt.date) -> int:
    supervisor = users.get("xingan_supervisor")
    unit = Agency.objects.filter(code=LEAGUE_EDUCATION).first()
    if supervisor is None or unit is None:
        return 0
    year = today.year
    existing = set(
        SupervisionTask.objects.filter(supervising_agency=league, year=year).values_list(
            "number", flat=True
        )
    )
    calendar = get_calendar(league)
    drafts = []
    for number, title, workdays in LEAGUE_TASKS:
        if number in existing:
            continue
        due = _ahead(calendar, today, workdays)
        drafts.append(
            service.TaskDraft(
                number=number,
                title=title,
                due_on=due,
                leads=[unit],
                text=f"{title}，在本单位政府信息公开专栏发布并报盟政务公开办备案。",
                monthly_reporting=number == "兴1",
            )
        )
    if not drafts:
        return 0
    created = _step(
        stdout,
        "兴安盟督办任务",
        lambda: service.create_tasks(
            supervisor,
            league,
            year,
            drafts,
            issued_on=max(dt.date(year, 1, 2), today - dt.timedelta(days=40)),
        ),
    )
    officer = users.get("xingan_jyj_officer")
    if created and officer is not None:
        unit_row = TaskUnit.objects.filter(task=created[0], agency=unit).first()
        _step(
            stdout,
            "兴安盟教育局进展报告",
            lambda: service.report_progress(
                officer,
                unit_row,
                lights.previous_month(today),
                "已完成全盟学校食堂第一轮检查，结果正在整理。",
            ),
        )
    return len(created or [])


def _complaints(stdout: Any, region: Agency, users: dict[str, Any], today: dt.date) -> int:
    supervisor = users.get("region_supervisor")
    league = Agency.objects.filter(code=LEAGUE).first()
    education = Agency.objects.filter(code=REGION_EDUCATION).first()
    if supervisor is None or league is None or education is None:
        return 0
    created = 0
    specs = [
        (
            league,
            "张某某（演示）",
            ComplaintCategory.REQUEST_NOT_ANSWERED,
            "本人向兴安盟行政公署申请公开草原补助资金发放名单，超过20个工作日仍未收到答复。",
            max(dt.date(today.year, 1, 2), today - dt.timedelta(days=25)),
            True,
        ),
        (
            education,
            "李某某（演示）",
            ComplaintCategory.NOT_PUBLISHED,
            "自治区教育厅网站“通知公告”栏目半年多没有更新，招生政策找不到。",
            max(dt.date(today.year, 1, 2), today - dt.timedelta(days=5)),
            False,
        ),
    ]
    for unit, who, category, text, received, answered in specs:
        if Complaint.objects.filter(complainant=who, received_on=received, unit=unit).exists():
            continue
        complaint = _step(
            stdout,
            "登记投诉",
            lambda u=unit, w=who, c=category, t=text, r=received: complaints.register(
                supervisor,
                receiving_agency=region,
                unit=u,
                complainant=w,
                contact="0471-0000000（演示）",
                category=c,
                text=t,
                received_on=r,
            ),
        )
        if complaint is None:
            continue
        created += 1
        if answered:
            _step(
                stdout,
                "答复投诉",
                lambda c=complaint, r=received: complaints.answer(
                    supervisor,
                    c,
                    reply="经核查，该申请确未在法定期限内答复。已督促兴安盟行政公署于5个工作日内"
                    "作出答复，并在全区通报。",
                    finding="substantiated",
                    replied_on=min(today, r + dt.timedelta(days=10)),
                ),
            )
    return created


def load(stdout: Any) -> None:
    """Create the supervision demo data that does not exist yet (``gongkai demo``)."""
    region = Agency.objects.filter(code=REGION).first()
    if region is None:
        stdout.write("督查督办：未找到自治区（150000），跳过演示数据。")
        return
    today = dates.today()
    users = _users()
    try:
        region_count = _region_tasks(stdout, region, users, today)
        league = Agency.objects.filter(code=LEAGUE).first()
        league_count = _league_tasks(stdout, league, users, today) if league else 0
    except CalendarYearMissing as exc:
        stdout.write(f"督查督办：{exc.message}")
        return
    complaint_count = _complaints(stdout, region, users, today)
    supervisor = users.get("region_supervisor")
    defaults = 0
    if supervisor is not None:
        defaults = indicators.load_defaults(supervisor, region, today.year)
    checked = inspection.refresh(Agency.objects.all(), today).checked
    stdout.write(
        f"督查督办：新建自治区督办任务 {region_count} 项、兴安盟督办任务 {league_count} 项、"
        f"投诉举报 {complaint_count} 件、考核指标 {defaults} 项；检查栏目 {checked} 个"
    )
