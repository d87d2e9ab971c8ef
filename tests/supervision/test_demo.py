"""The supervision demo data: tasks in every light, progress, complaints; idempotent."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest

from gongkai.agencies import demo_data
from gongkai.core.dates import override_today
from gongkai.supervision import demo
from gongkai.supervision.models import Complaint, ProgressReport, SupervisionTask

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 16)


@pytest.fixture
def demo_agencies(db):
    demo_data.sync_agencies(demo_data.demo_agencies())
    demo_data.sync_users(demo_data.DEMO_USERS)
    demo_data.sync_memberships(demo_data.DEMO_USERS)


def test_the_demo_creates_tasks_in_every_light(demo_agencies):
    out = StringIO()
    with override_today(TODAY):
        demo.load(out)
    region_tasks = SupervisionTask.objects.filter(supervising_agency__code="150000", year=2026)
    assert region_tasks.count() == 8, out.getvalue()
    lights = set(region_tasks.open().values_list("light", flat=True))
    assert lights == {"green", "yellow", "red"}, out.getvalue()
    assert region_tasks.struck_off().count() == 1
    assert ProgressReport.objects.exists()
    assert Complaint.objects.count() == 2
    assert SupervisionTask.objects.filter(supervising_agency__code="152200").count() == 2


def test_loading_the_demo_twice_changes_nothing(demo_agencies):
    with override_today(TODAY):
        demo.load(StringIO())
        counts = (SupervisionTask.objects.count(), Complaint.objects.count())
        demo.load(StringIO())
    assert (SupervisionTask.objects.count(), Complaint.objects.count()) == counts


def test_the_demo_skips_quietly_without_the_region(db):
    out = StringIO()
    demo.load(out)
    assert "跳过" in out.getvalue()
