"""Task services: progress reports, urging, strike-off, owners, lights and the audit trail."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from gongkai.core.dates import override_today
from gongkai.core.errors import DomainError, PermissionDeniedError
from gongkai.site.models import AuditEntry
from gongkai.supervision import tasks as service
from gongkai.supervision.models import (
    ActionKind,
    ProgressReport,
    SupervisionTask,
    TaskAction,
    TaskStatus,
    TaskUnit,
)
from tests.factories import AgencyFactory
from tests.supervision.factories import make_task

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def task(demo_region):
    return make_task(
        demo_region.supervisor,
        demo_region.region,
        [demo_region.education],
        cooperating=[demo_region.finance],
        due_on=dt.date(2026, 6, 30),
        issued_on=dt.date(2026, 3, 2),
        monthly=True,
    )


def unit_of(task, agency):
    return TaskUnit.objects.get(task=task, agency=agency)


def test_a_new_task_has_its_units_and_a_light(task, demo_region):
    roles = dict(task.units.values_list("agency__code", "role"))
    assert roles == {"150000-jyt": "lead", "150000-czt": "cooperating"}
    task.refresh_from_db()
    assert task.light == "green"


def test_a_unit_officer_reports_progress_with_an_attachment(task, demo_region):
    unit = unit_of(task, demo_region.education)
    with override_today(dt.date(2026, 4, 8)):
        report = service.report_progress(
            demo_region.officer,
            unit,
            dt.date(2026, 3, 1),
            "已部署自查。",
            [SimpleUploadedFile("方案.pdf", PDF, "application/pdf")],
        )
    assert report.attachments.get().original_name == "方案.pdf"
    assert AuditEntry.objects.filter(action="supervision.report").count() == 1


def test_an_officer_of_another_unit_cannot_report(task, demo_region):
    unit = unit_of(task, demo_region.education)
    with pytest.raises(PermissionDeniedError):
        service.report_progress(demo_region.finance_officer, unit, dt.date(2026, 3, 1), "x")


def test_a_future_month_cannot_be_reported(task, demo_region):
    unit = unit_of(task, demo_region.education)
    with override_today(dt.date(2026, 4, 8)), pytest.raises(DomainError) as caught:
        service.report_progress(demo_region.officer, unit, dt.date(2026, 5, 1), "x")
    assert caught.value.field == "period"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("大文件.pdf", b"%PDF-" + b"0" * (20 * 1024 * 1024), "超过 20 MB"),
        ("伪装.pdf", b"MZ not a pdf", "内容与扩展名"),
        ("脚本.exe", b"MZ", "类型不允许上传"),
    ],
)
def test_bad_attachments_are_refused_and_nothing_is_saved(
    task, demo_region, name, content, message
):
    unit = unit_of(task, demo_region.education)
    with override_today(dt.date(2026, 4, 8)), pytest.raises(DomainError) as caught:
        service.report_progress(
            demo_region.officer,
            unit,
            dt.date(2026, 3, 1),
            "进展",
            [SimpleUploadedFile(name, content)],
        )
    assert message in caught.value.message
    assert ProgressReport.objects.count() == 0


def test_a_missing_monthly_report_turns_the_task_yellow_until_it_is_filed(task, demo_region):
    with override_today(dt.date(2026, 4, 8)):
        service.refresh_lights(SupervisionTask.objects.all(), dt.date(2026, 4, 8))
        task.refresh_from_db()
        assert task.light == "yellow"
        assert unit_of(task, demo_region.finance).light == "green"
        service.report_progress(
            demo_region.officer, unit_of(task, demo_region.education), dt.date(2026, 3, 1), "ok"
        )
    task.refresh_from_db()
    assert task.light == "green"


def test_progress_reports_are_append_only(task, demo_region):
    unit = unit_of(task, demo_region.education)
    with override_today(dt.date(2026, 4, 8)):
        report = service.report_progress(demo_region.officer, unit, dt.date(2026, 3, 1), "x")
    report.text = "改写"
    with pytest.raises(RuntimeError):
        report.save()


def test_urging_mails_the_unit_owner_after_commit(
    task, demo_region, django_capture_on_commit_callbacks
):
    unit = unit_of(task, demo_region.education)
    service.set_owner(demo_region.supervisor, unit, demo_region.officer)
    with django_capture_on_commit_callbacks(execute=True):
        service.act(demo_region.supervisor, task, ActionKind.URGE, "请尽快报送。", unit=unit)
    assert [m.to for m in mail.outbox] == [["jyt@demo.example"]]
    assert "催办" in mail.outbox[0].subject


def test_striking_off_requires_evidence(task, demo_region):
    with pytest.raises(DomainError) as caught:
        service.act(demo_region.supervisor, task, ActionKind.STRIKE_OFF, "  ")
    assert "销账须写明" in caught.value.message
    task.refresh_from_db()
    assert task.status == TaskStatus.OPEN


def test_striking_off_closes_the_task_and_clears_its_lights(task, demo_region):
    evidence = SimpleUploadedFile("截图.png", b"\x89PNG\r\n\x1a\n" + b"0" * 20)
    with override_today(dt.date(2026, 6, 1)):
        service.act(
            demo_region.supervisor,
            task,
            ActionKind.STRIKE_OFF,
            "已公开，见截图。",
            evidence_file=evidence,
        )
    task.refresh_from_db()
    assert (task.status, task.struck_off_on, task.light) == (
        TaskStatus.STRUCK_OFF,
        dt.date(2026, 6, 1),
        "",
    )
    assert set(task.units.values_list("light", flat=True)) == {""}
    action = TaskAction.objects.get(kind=ActionKind.STRIKE_OFF)
    assert action.original_name == "截图.png"
    entry = AuditEntry.objects.get(action="supervision.strike_off")
    assert entry.changes["fields"]["status"] == ["open", "struck_off"]


def test_a_struck_off_task_accepts_no_more_actions_or_reports(task, demo_region):
    service.act(demo_region.supervisor, task, ActionKind.STRIKE_OFF, "完成。")
    with pytest.raises(DomainError):
        service.act(demo_region.supervisor, task, ActionKind.URGE, "再催")
    with pytest.raises(DomainError):
        service.report_progress(
            demo_region.officer, unit_of(task, demo_region.education), dt.date(2026, 3, 1), "x"
        )


def test_a_unit_officer_cannot_urge_or_strike_off(task, demo_region):
    with pytest.raises(PermissionDeniedError):
        service.act(demo_region.officer, task, ActionKind.STRIKE_OFF, "自己销账")


def test_actions_are_append_only(task, demo_region):
    action = service.act(demo_region.supervisor, task, ActionKind.COMMENT, "注意进度。")
    action.text = "改写"
    with pytest.raises(RuntimeError):
        action.save()


def test_the_owner_must_belong_to_the_unit(task, demo_region):
    unit = unit_of(task, demo_region.education)
    with pytest.raises(DomainError):
        service.set_owner(demo_region.supervisor, unit, demo_region.finance_officer)


def test_a_unit_outside_the_supervising_government_cannot_be_added(demo_region):
    bureau = AgencyFactory(name="兴安盟教育局", parent=demo_region.league)
    task = make_task(demo_region.league_supervisor, demo_region.league, [bureau])
    with pytest.raises(DomainError) as caught:
        service.add_unit(demo_region.league_supervisor, task, demo_region.education, "lead")
    assert "管辖范围" in caught.value.message


def test_a_duplicate_task_number_is_refused(task, demo_region):
    with pytest.raises(DomainError) as caught:
        make_task(demo_region.supervisor, demo_region.region, [demo_region.education])
    assert caught.value.code == "duplicate_number"


def test_a_task_needs_a_lead_unit(demo_region):
    with pytest.raises(DomainError):
        make_task(demo_region.supervisor, demo_region.region, [])
    assert SupervisionTask.objects.count() == 0


def test_the_light_updates_when_the_due_date_changes(task, demo_region):
    with override_today(dt.date(2026, 6, 25)):
        service.update_task(
            demo_region.supervisor,
            task,
            title=task.title,
            due_on=dt.date(2026, 6, 26),
            monthly_reporting=False,
        )
    task.refresh_from_db()
    assert task.light == "yellow"


def test_attachment_bytes_are_stored_under_a_random_name(task, demo_region):
    unit = unit_of(task, demo_region.education)
    with override_today(dt.date(2026, 4, 8)):
        report = service.report_progress(
            demo_region.officer,
            unit,
            dt.date(2026, 3, 1),
            "x",
            [SimpleUploadedFile("方案.pdf", PDF)],
        )
    stored = report.attachments.get()
    assert "方案" not in stored.file.name
    assert stored.file.read() == PDF
