"""Console pages of supervision: the task page and its forms, reports with files, hand entry,
indicators, the inspection re-check, and query budgets of the list pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gongkai.core.dates import override_today
from gongkai.supervision.models import (
    ColumnCheck,
    Indicator,
    ManualScore,
    ProgressReport,
    SupervisionTask,
    TaskAction,
    TaskUnit,
)
from tests.supervision.factories import make_task

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 4, 8)
PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture(autouse=True)
def pinned_today():
    with override_today(TODAY):
        yield


@pytest.fixture
def task(demo_region):
    return make_task(
        demo_region.supervisor,
        demo_region.region,
        [demo_region.education],
        cooperating=[demo_region.finance],
        monthly=True,
    )


def test_the_task_page_shows_units_lights_and_the_supervisors_forms(client, demo_region, task):
    client.force_login(demo_region.supervisor)
    response = client.get(reverse("supervision_staff:task", args=[task.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "内蒙古自治区教育厅" in html and "配合单位" in html
    assert 'id="action-form"' in html
    assert "2026年3月未报告" in html  # the lead unit owes March's report


def test_a_unit_officer_sees_the_task_without_the_supervisors_forms(client, demo_region, task):
    client.force_login(demo_region.officer)
    html = client.get(reverse("supervision_staff:task", args=[task.pk])).content.decode()
    assert 'id="action-form"' not in html
    assert (
        reverse("supervision_staff:report", args=[TaskUnit.objects.get(task=task, role="lead").pk])
        in html
    )


def test_the_report_form_accepts_several_files(client, demo_region, task):
    unit = TaskUnit.objects.get(task=task, role="lead")
    client.force_login(demo_region.officer)
    response = client.post(
        reverse("supervision_staff:report", args=[unit.pk]),
        {
            "period": "2026-03",
            "text": "三月进展。",
            "attachments": [
                SimpleUploadedFile("一.pdf", PDF, "application/pdf"),
                SimpleUploadedFile("二.pdf", PDF, "application/pdf"),
            ],
        },
    )
    assert response.status_code == 302
    assert ProgressReport.objects.get().attachments.count() == 2
    attachment = ProgressReport.objects.get().attachments.first()
    download = client.get(reverse("supervision_staff:attachment", args=[attachment.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF


def test_a_refused_file_shows_the_reason_on_the_form(client, demo_region, task):
    unit = TaskUnit.objects.get(task=task, role="lead")
    client.force_login(demo_region.officer)
    response = client.post(
        reverse("supervision_staff:report", args=[unit.pk]),
        {"period": "2026-03", "text": "x", "attachments": [SimpleUploadedFile("a.exe", b"MZ")]},
    )
    assert response.status_code == 400
    assert "类型不允许上传" in response.content.decode()
    assert ProgressReport.objects.count() == 0


def test_a_bad_month_is_refused(client, demo_region, task):
    unit = TaskUnit.objects.get(task=task, role="lead")
    client.force_login(demo_region.officer)
    response = client.post(
        reverse("supervision_staff:report", args=[unit.pk]), {"period": "2026-13", "text": "x"}
    )
    assert response.status_code == 400
    assert "报告月份格式不正确" in response.content.decode()


def test_strike_off_through_the_page_with_an_evidence_file(client, demo_region, task):
    client.force_login(demo_region.supervisor)
    response = client.post(
        reverse("supervision_staff:act", args=[task.pk]),
        {
            "kind": "strike_off",
            "text": "已完成。",
            "unit": "",
            "evidence": SimpleUploadedFile("依据.pdf", PDF),
        },
    )
    assert response.status_code == 302
    action = TaskAction.objects.get()
    download = client.get(reverse("supervision_staff:evidence", args=[action.pk]))
    assert download.status_code == 200


def test_strike_off_without_text_is_shown_as_a_form_error(client, demo_region, task):
    client.force_login(demo_region.supervisor)
    response = client.post(
        reverse("supervision_staff:act", args=[task.pk]), {"kind": "strike_off", "text": " "}
    )
    assert response.status_code == 400
    assert SupervisionTask.objects.get().is_open


def test_the_supervisor_adds_a_unit_and_names_an_owner(client, demo_region, task):
    client.force_login(demo_region.supervisor)
    response = client.post(
        reverse("supervision_staff:unit_add", args=[task.pk]),
        {"agency": "内蒙古自治区审计厅", "role": "cooperating"},
    )
    assert response.status_code == 302
    assert task.units.filter(agency__code="150000-sjt").exists()
    unit = TaskUnit.objects.get(task=task, role="lead")
    client.post(
        reverse("supervision_staff:owner", args=[unit.pk]), {"owner": demo_region.officer.pk}
    )
    unit.refresh_from_db()
    assert unit.owner == demo_region.officer


def test_the_supervisor_edits_the_due_date(client, demo_region, task):
    client.force_login(demo_region.supervisor)
    client.post(
        reverse("supervision_staff:edit", args=[task.pk]),
        {"title": task.title, "due_on": "2026-09-30", "monthly_reporting": ""},
    )
    task.refresh_from_db()
    assert (task.due_on, task.monthly_reporting) == (dt.date(2026, 9, 30), False)


def test_a_task_entered_by_hand(client, demo_region):
    client.force_login(demo_region.supervisor)
    response = client.post(
        reverse("supervision_staff:new"),
        {
            "supervising_agency": demo_region.region.pk,
            "year": "2026",
            "number": "专项1",
            "title": "公开行政事业性收费目录",
            "text": "",
            "issued_on": "2026-04-08",
            "due_on": "2026-05-29",
            "leads": "财政厅",
            "cooperating": "内蒙古自治区发展和改革委员会",
        },
    )
    assert response.status_code == 302
    task = SupervisionTask.objects.get(number="专项1")
    assert dict(task.units.values_list("agency__code", "role")) == {
        "150000-czt": "lead",
        "150000-fgw": "cooperating",
    }


def test_hand_entry_with_an_unknown_unit_is_refused(client, demo_region):
    client.force_login(demo_region.supervisor)
    response = client.post(
        reverse("supervision_staff:new"),
        {
            "supervising_agency": demo_region.region.pk,
            "year": "2026",
            "number": "专项2",
            "title": "x",
            "issued_on": "2026-04-08",
            "due_on": "2026-05-29",
            "leads": "月球事务局",
        },
    )
    assert response.status_code == 400
    assert "找不到机构：月球事务局" in response.content.decode()


def test_indicators_are_managed_from_the_assessment_page(client, demo_region):
    client.force_login(demo_region.supervisor)
    query = "?agency=150000&year=2026"
    client.post(reverse("supervision_staff:defaults") + query)
    assert Indicator.objects.count() == 9
    manual = Indicator.objects.get(rule="manual")
    client.post(
        reverse("supervision_staff:manual_score", args=[manual.pk, demo_region.league.code]),
        {"score": "4", "reason": "工作人员不足"},
    )
    assert ManualScore.objects.get().score == 4
    client.post(
        reverse("supervision_staff:indicator", args=[manual.pk]),
        {"name": "队伍建设", "weight": "6", "rule": "manual", "per_item": "1", "order": "1"},
    )
    manual.refresh_from_db()
    assert (manual.name, manual.weight) == ("队伍建设", 6)
    client.post(reverse("supervision_staff:indicator_delete", args=[manual.pk]))
    assert Indicator.objects.count() == 8


def test_the_recheck_button_refreshes_the_inspection(client, demo_region):
    client.force_login(demo_region.supervisor)
    response = client.post(reverse("supervision_staff:recheck"), {"agency": "152200"})
    assert response.status_code == 302
    assert ColumnCheck.objects.filter(agency=demo_region.league).exists()
    assert not ColumnCheck.objects.filter(agency=demo_region.education).exists()


def test_the_task_list_query_count_does_not_grow_with_tasks(
    client, demo_region, django_assert_max_num_queries
):
    client.force_login(demo_region.supervisor)
    url = reverse("supervision_staff:index") + "?year=2026"
    make_task(demo_region.supervisor, demo_region.region, [demo_region.education], number="1")
    with django_assert_max_num_queries(20) as first:
        client.get(url)
    for n in range(2, 12):
        make_task(
            demo_region.supervisor,
            demo_region.region,
            [demo_region.education, demo_region.finance],
            number=str(n),
        )
    with django_assert_max_num_queries(len(first.captured_queries)):
        response = client.get(url)
    assert len(response.context["page"].object_list) == 11


def test_the_unit_console_query_count_does_not_grow_with_tasks(
    client, demo_region, django_assert_max_num_queries
):
    client.force_login(demo_region.officer)
    url = reverse("supervision_staff:mine")
    make_task(demo_region.supervisor, demo_region.region, [demo_region.education], number="1")
    with django_assert_max_num_queries(20) as first:
        client.get(url)
    for n in range(2, 12):
        make_task(
            demo_region.supervisor, demo_region.region, [demo_region.education], number=str(n)
        )
    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get(url)


def test_the_task_page_query_count_does_not_grow_with_units(
    client, demo_region, django_assert_max_num_queries
):
    few = make_task(demo_region.supervisor, demo_region.region, [demo_region.education], number="1")
    many = make_task(
        demo_region.supervisor,
        demo_region.region,
        list(demo_region.region.children.all()),
        number="2",
    )
    client.force_login(demo_region.officer)
    with django_assert_max_num_queries(30) as first:
        client.get(reverse("supervision_staff:task", args=[few.pk]))
    with django_assert_max_num_queries(len(first.captured_queries)):
        response = client.get(reverse("supervision_staff:task", args=[many.pk]))
    assert len(response.context["units"]) == demo_region.region.children.count()
