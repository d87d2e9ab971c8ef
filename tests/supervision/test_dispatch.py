"""The monthly dispatch report (月调度) and its DOCX and XLSX exports."""

from __future__ import annotations

import datetime as dt
import io

import docx
import pytest
from django.urls import reverse
from openpyxl import load_workbook

from gongkai.core.dates import override_today
from gongkai.supervision import dispatch
from gongkai.supervision import tasks as service
from gongkai.supervision.models import ActionKind, TaskUnit
from tests.supervision.factories import make_task

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 5, 12)


@pytest.fixture
def tasks(demo_region):
    first = make_task(
        demo_region.supervisor,
        demo_region.region,
        [demo_region.education],
        number="一（一）",
        monthly=True,
    )
    second = make_task(
        demo_region.supervisor,
        demo_region.region,
        [demo_region.finance],
        number="一（二）",
        due_on=dt.date(2026, 4, 30),
    )
    unit = TaskUnit.objects.get(task=first)
    with override_today(TODAY):
        service.report_progress(demo_region.officer, unit, dt.date(2026, 5, 1), "五月已完成自查。")
        service.act(demo_region.supervisor, second, ActionKind.URGE, "请报送。")
    return first, second


def test_the_dispatch_lists_every_task_with_the_months_progress(demo_region, tasks):
    report = dispatch.build(demo_region.region, dt.date(2026, 5, 1), TODAY)
    rows = {row.task.number: row for row in report.rows}
    assert set(rows) == {"一（一）", "一（二）"}
    assert "五月已完成自查" in rows["一（一）"].progress_text
    assert rows["一（二）"].light == "red"
    assert rows["一（二）"].urged == 1
    # No report for April: the monthly task is yellow on 12 May.
    assert report.counts == {"total": 2, "struck_off": 0, "green": 0, "yellow": 1, "red": 1}


def test_a_lead_unit_without_a_report_this_month_is_marked(demo_region, tasks):
    report = dispatch.build(demo_region.region, dt.date(2026, 4, 1), TODAY)
    row = next(r for r in report.rows if r.task.number == "一（一）")
    assert "本月未报告" in row.progress_text


def test_the_docx_export_opens_with_the_table(demo_region, tasks):
    report = dispatch.build(demo_region.region, dt.date(2026, 5, 1), TODAY)
    document = docx.Document(io.BytesIO(dispatch.to_docx(report)))
    assert "督办任务月调度表（2026年5月）" in document.paragraphs[0].text
    table = document.tables[0]
    assert [c.text for c in table.rows[0].cells] == list(dispatch.HEADERS)
    assert len(table.rows) == 3


def test_the_xlsx_export_opens_with_one_row_per_task(demo_region, tasks):
    report = dispatch.build(demo_region.region, dt.date(2026, 5, 1), TODAY)
    sheet = load_workbook(io.BytesIO(dispatch.to_xlsx(report))).active
    assert sheet.title == "月调度"
    assert [c.value for c in sheet[3]] == list(dispatch.HEADERS)
    assert sorted(sheet.cell(row=r, column=1).value for r in (4, 5)) == ["一（一）", "一（二）"]


@pytest.mark.parametrize("fmt", ["docx", "xlsx"])
def test_the_export_views_answer_files(client, demo_region, tasks, fmt):
    client.force_login(demo_region.supervisor)
    with override_today(TODAY):
        response = client.get(
            reverse("supervision_staff:dispatch_export", args=[fmt])
            + "?agency=150000&month=2026-05"
        )
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(f'.{fmt}"')
    assert response.content[:2] == b"PK"


def test_the_dispatch_page_shows_the_summary(client, demo_region, tasks):
    client.force_login(demo_region.supervisor)
    with override_today(TODAY):
        response = client.get(reverse("supervision_staff:dispatch") + "?month=2026-05")
    assert "共有督办任务2项" in response.content.decode()


def test_an_unknown_export_format_is_not_found(client, demo_region):
    client.force_login(demo_region.supervisor)
    assert client.get(reverse("supervision_staff:dispatch_export", args=["pdf"])).status_code == 404
