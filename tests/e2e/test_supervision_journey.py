"""Browser journey of supervision: the region's supervisor creates tasks from pasted work points
(matching a vanished department by hand), the education department reports progress, and the
supervisor strikes the task off with evidence."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from gongkai.core.dates import override_today
from gongkai.supervision.models import SupervisionTask, TaskStatus
from tests.supervision.factories import build_demo_region

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TODAY = dt.date(2026, 4, 8)

WORK_POINTS = """2026年全区政务公开工作要点

一、深化重点领域信息公开

（一）推进教育领域信息公开。公开义务教育招生划片范围和入学办法，6月30日前完成。（自治区教育厅牵头落实）

（二）做好财政预决算公开。部门预决算在批复后20日内公开。（自治区财政厅牵头，会同审计厅落实）

（三）推进扶贫领域信息公开。公开扶贫资金分配结果。（自治区扶贫办牵头落实）
"""


@pytest.fixture
def demo_region():
    return build_demo_region()


@pytest.fixture(autouse=True)
def pinned_today():
    with override_today(TODAY):
        yield


def test_supervisor_creates_tasks_unit_reports_supervisor_strikes_off(page, demo_region, log_in):
    # The supervisor pastes the work points and previews the proposed tasks.
    log_in(page, demo_region.supervisor.username, demo_region.password)
    page.goto("/console/supervision/import/")
    expect(page.locator("h1")).to_have_text("从工作要点创建督办任务")
    page.fill("#id_text", WORK_POINTS)
    page.get_by_role("button", name="识别并预览").click()
    expect(page.locator("h1")).to_contain_text("核对督办任务（2026年）")
    expect(page.locator("p.lead")).to_contain_text("识别出 3 项编号事项")
    assert SupervisionTask.objects.count() == 0, "nothing is created before confirming"

    # The poverty office no longer exists: confirming without matching it is refused.
    page.get_by_role("button", name="确认创建").click()
    expect(page.locator("#unmatched")).to_contain_text("请为“自治区扶贫办”指定对应的机构")
    page.get_by_label("“自治区扶贫办”对应的机构").fill("内蒙古自治区农牧厅")
    page.get_by_role("button", name="确认创建").click()
    expect(page.locator(".messages")).to_contain_text("已创建 3 项督办任务")
    expect(page.locator("table.tasks")).to_contain_text("推进教育领域信息公开")
    task = SupervisionTask.objects.get(number="一（一）")
    assert task.due_on == dt.date(2026, 6, 30)
    page.get_by_role("button", name="退出").click()

    # The education department's officer reports progress from the unit console.
    log_in(page, demo_region.officer.username, demo_region.password)
    page.goto("/console/supervision/mine/")
    expect(page.locator("h1")).to_have_text("本单位督办任务")
    page.get_by_role("link", name="报告进展").first.click()
    page.fill("#id_period", "2026-04")
    page.fill("#id_text", "已印发自查通知，各盟市正在梳理招生划片信息。")
    page.get_by_role("button", name="提交报告").click()
    expect(page.locator(".messages")).to_contain_text("进展已报告")
    expect(page.locator(".timeline").first).to_contain_text("已印发自查通知")
    page.get_by_role("button", name="退出").click()

    # The supervisor strikes the task off with evidence.
    log_in(page, demo_region.supervisor.username, demo_region.password)
    page.goto(f"/console/supervision/tasks/{task.pk}/")
    expect(page.locator("h1")).to_contain_text("推进教育领域信息公开")
    page.select_option("#id_kind", "strike_off")
    page.fill("#id_text", "已在专栏公开招生划片范围，见教育厅报告。")
    page.get_by_role("button", name="提交").click()
    expect(page.locator(".messages")).to_contain_text("已销账")
    expect(page.locator("dl.facts")).to_contain_text("已于 2026-04-08 销账")
    task.refresh_from_db()
    assert task.status == TaskStatus.STRUCK_OFF
