"""Loading a year's notice into the calendar, the preview before it, and unloading."""

from __future__ import annotations

import pytest

from gongkai.site.models import AuditEntry
from gongkai.workdays.calendar import CalendarYearMissing, add_workdays, get_calendar
from gongkai.workdays.loading import load_arrangement, preview, unload_year
from gongkai.workdays.models import CalendarOverride, LoadedYear
from gongkai.workdays.notice import parse_notice
from tests.workdays.conftest import d, notice

pytestmark = pytest.mark.django_db


def load(name: str, user=None, text: str | None = None):
    text = text if text is not None else notice(name)
    arrangement = parse_notice(text)
    return load_arrangement(arrangement, source=arrangement.source, notice_text=text, user=user)


def without_mid_autumn_2026() -> str:
    return notice("2026").replace(
        "　　六、中秋节：9月25日（周五）至27日（周日）放假，共3天。\n", ""
    )


def test_loading_2027_makes_2027_computable(superuser):
    with pytest.raises(CalendarYearMissing):
        add_workdays(d("2026-12-20"), 20)
    load("2027-sample", superuser)
    # 12-21…12-25 (5), 12-28…12-30 (8), 12-31…01-03 off, 01-04…01-08 (13),
    # Sat 01-09 works (14), 01-11…01-15 (19), Mon 01-18 (20)
    assert add_workdays(d("2026-12-20"), 20) == d("2027-01-18")


def test_loading_sends_calendar_changed_with_the_year_after_commit(
    superuser, calendar_signals, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        load("2027-sample", superuser)
        assert calendar_signals == [], "nothing is announced before the commit"
    assert len(calendar_signals) == 1
    assert 2027 in calendar_signals[0]
    assert calendar_signals[0] <= {2026, 2027}, "2026 only for the New Year's Eve rest day"


def test_loading_records_the_year_its_source_text_and_who_loaded_it(superuser):
    load("2027-sample", superuser)
    loaded = LoadedYear.objects.get()
    assert loaded.year == 2027
    assert loaded.source == "国务院办公厅关于2027年部分节假日安排的通知"
    assert loaded.notice_text == notice("2027-sample")
    assert loaded.loaded_by == superuser


def test_loading_writes_one_national_row_per_rest_day_and_per_make_up_day(superuser):
    result = load("2027-sample", superuser)
    rows = CalendarOverride.objects.national()
    assert rows.filter(is_workday=False).count() == 25
    assert rows.filter(is_workday=True).count() == 4
    assert result.created == 29
    make_up = rows.get(date=d("2027-01-09"))
    assert (make_up.is_workday, make_up.name, make_up.notice_year) == (True, "元旦调休上班", 2027)
    assert rows.get(date=d("2026-12-31")).name == "元旦"


def test_loading_writes_an_audit_entry(superuser):
    load("2027-sample", superuser)
    entry = AuditEntry.objects.get(action="workdays.load_notice")
    assert entry.actor == superuser
    assert entry.changes["extra"]["year"] == 2027
    assert "2027-01-09" in entry.changes["extra"]["make_up_workdays"]


def test_reloading_a_year_replaces_its_rows_instead_of_adding_to_them(superuser):
    load("2027-sample", superuser)
    changed = notice("2027-sample").replace("五、端午节：6月9日（周三）放假1天，不调休。\n", "")
    load("2027-sample", superuser, text=changed)
    assert LoadedYear.objects.count() == 1
    assert CalendarOverride.objects.count() == 28
    assert get_calendar().is_workday(d("2027-06-09")), "the removed holiday is a working day again"


def test_a_loaded_year_replaces_the_built_in_data_of_that_year(superuser):
    assert not get_calendar().is_workday(d("2026-09-25"))
    load("2026", superuser, text=without_mid_autumn_2026())
    assert get_calendar().is_workday(d("2026-09-25")), "the package's 中秋节 no longer applies"
    assert not get_calendar().is_workday(d("2026-02-16")), "the rest of the notice applies"


def test_reloading_a_year_keeps_the_next_years_new_years_eve(superuser):
    load("2027-sample", superuser)
    load("2026", superuser)
    assert not get_calendar().is_workday(d("2026-12-31")), "2026-12-31 belongs to the 2027 notice"


def test_hand_made_national_rows_of_the_year_are_replaced(superuser):
    CalendarOverride.objects.create(date=d("2027-03-01"), is_workday=False, name="手工")
    load("2027-sample", superuser)
    assert not CalendarOverride.objects.filter(name="手工").exists()


def test_regional_rows_survive_loading(world, superuser):
    CalendarOverride.objects.create(
        date=d("2027-07-12"), is_workday=False, name="那达慕", region=world.league
    )
    load("2027-sample", superuser)
    assert CalendarOverride.objects.regional().count() == 1


def test_a_failure_while_loading_leaves_nothing_behind(superuser, monkeypatch):
    from gongkai.site import audit

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(audit, "record", broken)
    with pytest.raises(RuntimeError):
        load("2027-sample", superuser)
    assert LoadedYear.objects.count() == 0
    assert CalendarOverride.objects.count() == 0
    with pytest.raises(CalendarYearMissing):
        get_calendar().is_workday(d("2027-03-01"))


def test_the_preview_lists_rest_days_make_up_days_and_writes_nothing():
    summary = preview(parse_notice(notice("2027-sample")))
    assert len(summary.rest_days) == 25
    assert [day.date for day in summary.make_up_workdays] == [
        d("2027-01-09"),
        d("2027-02-20"),
        d("2027-09-26"),
        d("2027-10-09"),
    ]
    assert summary.newly_covered
    assert LoadedYear.objects.count() == 0 and CalendarOverride.objects.count() == 0


def test_the_preview_shows_a_change_to_a_covered_year():
    summary = preview(parse_notice(notice("2027-sample")))
    eve = next(change for change in summary.changes if change.date == d("2026-12-31"))
    assert (eve.before, eve.after) == (True, False)
    assert eve.describe() == "2026-12-31（周四）：工作日（周一至周五） → 休息日（元旦）"


def test_the_preview_of_an_uncovered_year_lists_only_days_off_the_weekday_rule():
    summary = preview(parse_notice(notice("2027-sample")))
    uncovered = [c for c in summary.changes if c.before is None]
    assert all(c.after != (c.date.weekday() < 5) for c in uncovered)
    assert d("2027-01-09") in {c.date for c in uncovered}
    assert d("2027-03-01") not in {c.date for c in uncovered}


def test_the_preview_of_the_official_2026_notice_changes_nothing():
    summary = preview(parse_notice(notice("2026")))
    assert summary.changes == ()
    assert not summary.newly_covered


def test_the_preview_of_a_changed_notice_shows_each_changed_day():
    summary = preview(parse_notice(without_mid_autumn_2026()))
    assert [c.describe() for c in summary.changes] == [
        "2026-09-25（周五）：休息日（中秋节） → 工作日（周一至周五）"
    ]


def test_the_preview_says_when_a_year_was_loaded_before(superuser):
    load("2027-sample", superuser)
    summary = preview(parse_notice(notice("2027-sample")))
    assert summary.replaces_previous_load
    assert summary.changes == ()


def test_unloading_a_year_removes_its_rows_and_its_coverage(superuser):
    load("2027-sample", superuser)
    unload_year(LoadedYear.objects.get(), user=superuser)
    assert CalendarOverride.objects.count() == 0
    with pytest.raises(CalendarYearMissing):
        get_calendar().is_workday(d("2027-03-01"))
    assert get_calendar().is_workday(d("2026-12-31"))
    assert AuditEntry.objects.filter(action="workdays.unload_year").count() == 1


def test_the_load_audit_entry_has_a_chinese_action_label(superuser):
    load("2027-sample", superuser)
    entry = AuditEntry.objects.get(action="workdays.load_notice")
    assert entry.action_label == "载入节假日安排通知"
