"""Regional overrides apply to their agency's subtree only; hand-made overrides are audited,
clear the cache and announce the change."""

from __future__ import annotations

import pytest

from gongkai.site.models import AuditEntry
from gongkai.workdays.calendar import add_workdays, get_calendar
from gongkai.workdays.models import CalendarOverride
from gongkai.workdays.overrides import delete_overrides, save_override
from tests.workdays.conftest import d

pytestmark = pytest.mark.django_db

NAADAM = d("2026-07-13")  # a Monday


@pytest.fixture
def naadam(world):
    """兴安盟 gives its subtree a day off for 那达慕 (放假办法第四条)."""
    return CalendarOverride.objects.create(
        date=NAADAM, is_workday=False, name="那达慕大会", region=world.league
    )


def test_a_regional_day_off_applies_to_the_agency_itself(world, naadam):
    assert not get_calendar(world.league).is_workday(NAADAM)


@pytest.mark.parametrize("member", ["county", "league_dept"])
def test_a_regional_day_off_applies_inside_the_subtree(world, naadam, member):
    assert not get_calendar(getattr(world, member)).is_workday(NAADAM)


@pytest.mark.parametrize("outside", ["region", "region_dept", "sibling"])
def test_a_regional_day_off_does_not_apply_outside_the_subtree(world, naadam, outside):
    assert get_calendar(getattr(world, outside)).is_workday(NAADAM)


def test_a_regional_day_off_does_not_touch_the_national_calendar(world, naadam):
    assert get_calendar().is_workday(NAADAM)


def test_a_regional_day_off_moves_deadlines_in_the_subtree_only(world, naadam):
    start = d("2026-07-10")  # Friday
    assert add_workdays(start, 1, region=world.county) == d("2026-07-14")
    assert add_workdays(start, 1, region=world.sibling) == NAADAM


def test_a_regional_day_off_is_explained_with_its_name(world, naadam):
    _working, text = get_calendar(world.county).explain_day(NAADAM)
    assert text == "2026-07-13（周一）：休息日（那达慕大会）"


def test_the_nearest_regional_override_wins(world, naadam):
    CalendarOverride.objects.create(
        date=NAADAM, is_workday=True, name="照常上班", region=world.county
    )
    assert get_calendar(world.county).is_workday(NAADAM), "the county's own rule"
    assert not get_calendar(world.league_dept).is_workday(NAADAM), "the league's rule"


def test_a_region_wide_override_reaches_every_level(world):
    CalendarOverride.objects.create(
        date=NAADAM, is_workday=False, name="自治区成立纪念", region=world.region
    )
    assert not get_calendar(world.county).is_workday(NAADAM)
    assert not get_calendar(world.sibling).is_workday(NAADAM)
    assert get_calendar().is_workday(NAADAM)


def test_saving_an_override_is_audited_and_announced(
    world, superuser, calendar_signals, django_capture_on_commit_callbacks
):
    get_calendar(world.league)  # cached before the change
    override = CalendarOverride(date=NAADAM, is_workday=False, name="那达慕", region=world.league)
    with django_capture_on_commit_callbacks(execute=True):
        save_override(override, user=superuser)
    assert not get_calendar(world.league).is_workday(NAADAM), "the cache was cleared"
    assert calendar_signals == [{2026}]
    entry = AuditEntry.objects.get(action="workdays.override_create")
    assert entry.agency == world.league
    assert entry.actor == superuser


def test_changing_an_override_records_the_old_and_new_values(world, superuser, naadam):
    naadam.date = d("2026-07-14")
    save_override(naadam, user=superuser)
    entry = AuditEntry.objects.get(action="workdays.override_update")
    assert entry.changes["fields"]["date"] == ["2026-07-13", "2026-07-14"]
    assert get_calendar(world.league).is_workday(NAADAM)


def test_deleting_an_override_is_audited_and_announced(
    world, superuser, naadam, calendar_signals, django_capture_on_commit_callbacks
):
    assert not get_calendar(world.league).is_workday(NAADAM)
    with django_capture_on_commit_callbacks(execute=True):
        assert delete_overrides([naadam], user=superuser) == 1
    assert get_calendar(world.league).is_workday(NAADAM)
    assert calendar_signals == [{2026}]
    assert AuditEntry.objects.filter(action="workdays.override_delete").count() == 1


def test_override_audit_entries_have_chinese_action_labels(world, superuser, naadam):
    save_override(naadam, user=superuser)
    delete_overrides([naadam], user=superuser)
    labels = {
        entry.action: entry.action_label
        for entry in AuditEntry.objects.filter(action__startswith="workdays.")
    }
    assert labels == {
        "workdays.override_update": "修改节假日调整",
        "workdays.override_delete": "删除节假日调整",
    }
