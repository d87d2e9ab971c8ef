"""``gongkai supervision tick``: lights, stale columns, reminders at most once per light per day."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from gongkai.supervision import periodic
from gongkai.supervision import tasks as service
from gongkai.supervision.models import ColumnCheck, SupervisionTask, TaskUnit
from tests.supervision.factories import make_task

pytestmark = pytest.mark.django_db


@pytest.fixture
def task(demo_region):
    task = make_task(
        demo_region.supervisor,
        demo_region.region,
        [demo_region.education],
        due_on=dt.date(2026, 4, 10),
        issued_on=dt.date(2026, 3, 2),
    )
    unit = TaskUnit.objects.get(task=task)
    service.set_owner(demo_region.supervisor, unit, demo_region.officer)
    return task


def test_a_task_due_soon_turns_yellow_and_its_owner_is_mailed_once_a_day(task):
    first = periodic.run(dt.date(2026, 4, 7))
    task.refresh_from_db()
    assert task.light == "yellow"
    assert (first.alerted, first.emails) == (1, 1)
    assert mail.outbox[0].to == ["jyt@demo.example"]
    assert "需催办（黄灯）" in mail.outbox[0].body
    again = periodic.run(dt.date(2026, 4, 7))
    assert (again.alerted, again.emails, len(mail.outbox)) == (0, 0, 1)


def test_the_next_day_brings_a_new_reminder(task):
    periodic.run(dt.date(2026, 4, 7))
    periodic.run(dt.date(2026, 4, 8))
    assert len(mail.outbox) == 2


def test_catching_up_after_missed_days_gives_the_current_light(task):
    summary = periodic.run(dt.date(2026, 4, 20))
    task.refresh_from_db()
    assert task.light == "red"
    assert summary.emails == 1
    assert "已逾期（红灯，盯办）" in mail.outbox[0].body


def test_a_green_task_sends_nothing(task):
    summary = periodic.run(dt.date(2026, 3, 3))
    assert (summary.alerted, len(mail.outbox)) == (0, 0)


def test_struck_off_tasks_are_left_alone(task, demo_region):
    service.act(demo_region.supervisor, task, "strike_off", "完成。")
    periodic.run(dt.date(2026, 4, 20))
    task.refresh_from_db()
    assert (task.light, len(mail.outbox)) == ("", 0)


def test_units_without_an_owner_mail_their_contact_people(task, demo_region):
    unit = TaskUnit.objects.get(task=task)
    service.set_owner(demo_region.supervisor, unit, None)
    periodic.run(dt.date(2026, 4, 7))
    assert mail.outbox[0].to == ["jyt@demo.example"]  # the unit's officer


def test_the_tick_refreshes_the_column_checks(task):
    periodic.run(dt.date(2026, 4, 7))
    assert ColumnCheck.objects.filter(checked_on=dt.date(2026, 4, 7)).exists()


def test_the_command_prints_a_summary(task):
    out = StringIO()
    call_command("supervision", "tick", "--today", "2026-04-07", stdout=out)
    text = out.getvalue()
    assert "督查督办：2026年4月7日" in text
    assert "发出邮件 1 封" in text


def test_the_command_can_skip_e_mail(task):
    call_command("supervision", "tick", "--today", "2026-04-07", "--no-email", stdout=StringIO())
    assert len(mail.outbox) == 0
    assert SupervisionTask.objects.get().light == "yellow"


def test_the_command_refuses_a_bad_date():
    with pytest.raises(CommandError) as caught:
        call_command("supervision", "tick", "--today", "2026-13-01", stdout=StringIO())
    assert "日期" in str(caught.value)
