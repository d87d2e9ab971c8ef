"""Helpers to build supervision tasks in tests (through the service, as the console does)."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from gongkai.agencies import demo_data
from gongkai.agencies.models import Agency, Role
from gongkai.core.dates import override_today
from gongkai.supervision import tasks as service
from tests.factories import PASSWORD, member


def build_demo_region() -> SimpleNamespace:
    """The region government, its departments and its leagues and cities with the demo codes and
    names (as ``gongkai demo`` creates them), a region supervisor, an education-department
    officer, a finance-department officer and a league supervisor."""
    specs = [s for s in demo_data.demo_agencies() if s.parent_code in (None, demo_data.REGION_CODE)]
    demo_data.sync_agencies(specs)
    region = Agency.objects.get(code=demo_data.REGION_CODE)
    league = Agency.objects.get(code="152200")
    education = Agency.objects.get(code="150000-jyt")
    finance = Agency.objects.get(code="150000-czt")
    supervisor = member(region, Role.SUPERVISOR, "region_boss")
    supervisor.email = "boss@demo.example"
    supervisor.save()
    officer = member(education, Role.OFFICER, "jyt_officer")
    officer.email = "jyt@demo.example"
    officer.save()
    return SimpleNamespace(
        region=region,
        league=league,
        education=education,
        finance=finance,
        supervisor=supervisor,
        officer=officer,
        league_supervisor=member(league, Role.SUPERVISOR, "league_boss"),
        finance_officer=member(finance, Role.OFFICER, "czt_officer"),
        password=PASSWORD,
    )


def make_task(
    actor,
    supervising_agency,
    leads,
    *,
    number: str = "一（一）",
    due_on: dt.date = dt.date(2026, 6, 30),
    issued_on: dt.date = dt.date(2026, 3, 2),
    cooperating=(),
    monthly: bool = False,
    year: int | None = None,
    today: dt.date | None = None,
):
    """One task created through :func:`gongkai.supervision.tasks.create_tasks`."""
    draft = service.TaskDraft(
        number=number,
        title=f"测试任务{number}",
        due_on=due_on,
        leads=list(leads),
        cooperating=list(cooperating),
        monthly_reporting=monthly,
    )
    with override_today(today or issued_on):
        return service.create_tasks(
            actor, supervising_agency, year or due_on.year, [draft], issued_on=issued_on
        )[0]
