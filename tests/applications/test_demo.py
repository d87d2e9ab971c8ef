"""The demo requests: every status, consistent event logs, idempotent loading."""

from __future__ import annotations

import io

import pytest

from gongkai.agencies import demo_data
from gongkai.applications import demo, services
from gongkai.applications.models import Application, Event, StatusChoice
from gongkai.core.dates import override_today

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_world():
    demo_data.sync_agencies(demo_data.demo_agencies())
    demo_data.sync_users(demo_data.DEMO_USERS)
    demo_data.sync_memberships(demo_data.DEMO_USERS)


def test_the_demo_covers_every_status_and_loads_once(demo_world):
    out = io.StringIO()
    with override_today(demo.REFERENCE_DAY):
        demo.load(out)
    assert f"新建演示申请 {len(demo.SCENARIOS)} 件" in out.getvalue()
    statuses = set(Application.objects.values_list("status", flat=True))
    assert statuses == set(StatusChoice.values), set(StatusChoice.values) - statuses
    assert Application.objects.filter(clock_error="").count() == len(demo.SCENARIOS)
    events = Event.objects.count()
    with override_today(demo.REFERENCE_DAY):
        demo.load(out)
    assert Application.objects.count() == len(demo.SCENARIOS)
    assert Event.objects.count() == events


def test_the_demo_shows_every_light_on_its_reference_day(demo_world):
    from gongkai.applications.ledger import light_of

    with override_today(demo.REFERENCE_DAY):
        demo.load(io.StringIO())
    lights = {light_of(a, demo.REFERENCE_DAY) for a in Application.objects.all()}
    assert {"green", "yellow", "red"} <= lights


def test_the_demo_event_logs_replay_without_error(demo_world):
    with override_today(demo.REFERENCE_DAY):
        demo.load(io.StringIO())
        for app in Application.objects.exclude(received_on=None):
            services.compute_clock(app)  # raises on an inconsistent log
    assert Application.objects.filter(tracking_code="GK-2026-DEM00001").exists()


def test_the_demo_is_skipped_without_the_demo_agencies():
    out = io.StringIO()
    demo.load(out)
    assert "跳过" in out.getvalue()
    assert not Application.objects.exists()
