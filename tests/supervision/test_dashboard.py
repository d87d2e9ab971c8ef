"""The oversight dashboard: figures per unit, drill-down to the records, bounded queries."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.urls import reverse
from django.utils import timezone

from gongkai.agencies.models import Agency
from gongkai.applications.models import Application, StatusChoice
from gongkai.core.dates import override_today
from gongkai.publications.models import Column, Document, DocumentStatus, NormativeKind
from gongkai.supervision import inspection, oversight
from gongkai.supervision.models import Complaint
from tests.factories import AgencyFactory
from tests.supervision.factories import make_task

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 4, 8)
_serial = itertools.count(1)


def request(agency, *, status=StatusChoice.IN_PROGRESS, due_on=None, closed_on=None, on_time=None):
    n = next(_serial)
    return Application.objects.create(
        agency=agency,
        tracking_code=f"GK-SUP-{n:06d}",
        applicant_type="natural_person",
        applicant_name=f"申请人{n}",
        id_type="passport",
        id_number=f"P{n:08d}",
        phone="0482000000",
        description="测试申请",
        form_wanted="paper",
        delivery="post",
        channel="in_person",
        arrived_at=timezone.now(),
        received_on=dt.date(2026, 1, 5),
        status=status,
        due_on=due_on,
        closed_on=closed_on,
        on_time=on_time,
    )


def document(agency, code, published_on, **fields):
    column = Column.objects.get(agency=agency, code=code)
    return Document.objects.create(
        agency=agency,
        column=column,
        title=fields.pop("title", f"{agency.name}的信息"),
        status=DocumentStatus.PUBLISHED,
        published_on=published_on,
        **fields,
    )


@pytest.fixture
def data(world):
    county = world.county
    request(county, due_on=dt.date(2026, 3, 31))  # overdue
    request(county, due_on=dt.date(2026, 4, 30))  # open, on time
    request(county, status=StatusChoice.CLOSED, closed_on=dt.date(2026, 2, 2), on_time=True)
    request(county, status=StatusChoice.CLOSED, closed_on=dt.date(2026, 2, 3), on_time=False)
    request(world.sibling, due_on=dt.date(2026, 3, 1))  # outside the league
    document(
        county,
        "policies",
        dt.date(2026, 3, 2),
        title="乌兰浩特市规范性文件",
        normative_kind=NormativeKind.NORMATIVE,
        formed_or_changed_on=dt.date(2026, 2, 26),
    )
    document(
        world.league_dept,
        "notices",
        dt.date(2026, 3, 20),
        title="迟发的通知",
        formed_or_changed_on=dt.date(2026, 1, 5),
    )
    inspection.refresh(Agency.objects.all(), TODAY)
    task = make_task(world.supervisor, world.league, [county], due_on=dt.date(2026, 3, 31))
    Complaint.objects.create(
        receiving_agency=world.league,
        unit=county,
        complainant="王某",
        contact="13800000000",
        category="request",
        text="未答复",
        received_on=dt.date(2026, 3, 3),
    )
    with override_today(TODAY):
        from gongkai.supervision.tasks import refresh_lights

        refresh_lights(task.__class__.objects.all(), TODAY)
    return world


def row(board, agency):
    return next(r for r in board.rows if r.agency.pk == agency.pk)


def test_request_figures_are_grouped_by_unit_subtree(data):
    board = oversight.build(data.league, 2026, TODAY)
    county = row(board, data.county)
    assert county.get("open_requests") == 2
    assert county.get("overdue_requests") == 1
    assert county.on_time_rate == 50.0
    assert row(board, data.league_dept).get("open_requests") == 0


def test_document_flags_are_counted_per_unit(data):
    board = oversight.build(data.league, 2026, TODAY)
    assert row(board, data.county).get("interpretations") == 1
    assert row(board, data.league_dept).get("late_publications") == 1


def test_columns_tasks_complaints_and_reports_are_counted(data):
    board = oversight.build(data.league, 2026, TODAY)
    county = row(board, data.county)
    assert county.get("blank_columns") > 0
    assert county.get("tasks_red") == 1
    assert county.get("complaints") == 1
    assert (county.report_total, county.report_published) == (1, 0)
    assert county.get("annual_reports") == 1  # 2025 report not published by 31 March 2026


def test_the_league_itself_is_a_row_of_its_own_records(data):
    board = oversight.build(data.league, 2026, TODAY)
    own = board.rows[0]
    assert (own.agency, own.scope) == (data.league, "self")
    assert own.get("open_requests") == 0


def test_a_drill_down_lists_the_records_behind_a_figure(client, data):
    client.force_login(data.supervisor)
    with override_today(TODAY):
        overdue = client.get(
            reverse("supervision_staff:drill", args=[data.county.code, "overdue_requests"])
        )
        late = client.get(
            reverse("supervision_staff:drill", args=[data.league_dept.code, "late_publications"])
        )
    assert overdue.status_code == 200
    codes = [a.tracking_code for a in overdue.context["rows"]]
    assert len(codes) == 1
    assert "迟发的通知" in late.content.decode()
    assert "20个工作日" in late.content.decode()


def test_the_dashboard_page_links_each_figure(client, data):
    client.force_login(data.supervisor)
    with override_today(TODAY):
        html = client.get(reverse("supervision_staff:dashboard")).content.decode()
    expected = reverse("supervision_staff:drill", args=[data.county.code, "overdue_requests"])
    assert expected in html
    assert 'id="trend-data"' in html and "vendor/echarts.min.js" in html
    assert "<script>" not in html, "no inline scripts"


def test_the_trend_counts_per_month(data):
    trend = oversight.trend(data.league, 2026, TODAY)
    assert trend["series"]["late_replies"][1] == 1  # February
    assert trend["series"]["late_publications"][2] == 1  # March
    assert trend["series"]["complaints"][2] == 1


def test_the_dashboard_query_count_does_not_grow_with_units(
    client, data, django_assert_max_num_queries
):
    client.force_login(data.supervisor)
    url = reverse("supervision_staff:dashboard")
    with override_today(TODAY):
        client.get(url)  # warm the calendar cache
        with django_assert_max_num_queries(40) as first:
            client.get(url)
        for n in range(6):
            unit = AgencyFactory(name=f"兴安盟新部门{n}", parent=data.league)
            request(unit, due_on=dt.date(2026, 3, 1))
            document(unit, "news", dt.date(2026, 3, 1))
        inspection.refresh(Agency.objects.all(), TODAY)
        with django_assert_max_num_queries(len(first.captured_queries)):
            response = client.get(url)
    assert len(response.context["board"].rows) == 3 + 6
