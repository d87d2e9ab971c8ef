"""The three timeliness flags, with dates that cross the 2025 and 2026 holidays.

Working days as in legal-rules §7.3: day 1 is the first working day after the start date.
2025: 10-01…10-08 off, Sun 09-28 and Sat 10-11 work. 2026: 02-15…02-23 off, Sat 02-14 and
Sat 02-28 work; 01-01…01-03 off, Sun 01-04 works; 05-01…05-05 off, Sat 05-09 works.
"""

from __future__ import annotations

import datetime as dt

import pytest

from gongkai.publications import rules
from gongkai.publications.rules import FlagKind
from gongkai.workdays.calendar import CalendarYearMissing, get_calendar

D = dt.date


@pytest.fixture
def calendar(db):
    return get_calendar()


# --- 条例第二十六条: 20 working days from formation ---------------------------------------------


def test_publication_deadline_counts_make_up_days_and_skips_the_national_day_week(calendar):
    # 2025-09-26 + 20 wd = 2025-10-30 (legal-rules §7.4).
    assert rules.publication_deadline(D(2025, 9, 26), calendar) == D(2025, 10, 30)


def test_publishing_on_the_20th_working_day_is_on_time(calendar):
    assert rules.publication_flag(D(2025, 9, 26), D(2025, 10, 30), calendar) is None


def test_publishing_a_day_after_the_20th_working_day_is_flagged_late(calendar):
    flag = rules.publication_flag(D(2025, 9, 26), D(2025, 10, 31), calendar)
    assert flag is not None and flag.kind == FlagKind.PUBLISHED_LATE
    assert flag.due_on == D(2025, 10, 30)
    assert flag.workdays == 21
    assert "第二十六条" in flag.message and "2025年10月30日" in flag.message


def test_the_spring_festival_2026_extends_the_deadline_into_march(calendar):
    # 2026-02-13 + 20 wd = 2026-03-19: 02-14 (Sat) and 02-28 (Sat) work, 02-15…02-23 off.
    assert rules.publication_flag(D(2026, 2, 13), D(2026, 3, 19), calendar) is None
    late = rules.publication_flag(D(2026, 2, 13), D(2026, 3, 20), calendar)
    assert late is not None and late.workdays == 21


def test_counting_across_new_year_2026_uses_the_sunday_make_up_day(calendar):
    # 2025-12-31 + 20 wd = 2026-01-29 (01-04 Sunday works).
    assert rules.publication_deadline(D(2025, 12, 31), calendar) == D(2026, 1, 29)


def test_another_legal_deadline_suppresses_the_twenty_day_flag(calendar):
    flag = rules.publication_flag(
        D(2025, 9, 26), D(2025, 12, 1), calendar, other_deadline_basis="《统计法》"
    )
    assert flag is None


def test_a_document_without_a_formation_date_is_not_judged(calendar):
    assert rules.publication_flag(None, D(2025, 12, 1), calendar) is None


# --- 三同步: interpretation within 3 working days ------------------------------------------------


def test_interpretation_three_working_days_later_across_labour_day_is_on_time(calendar):
    # Published Thu 2026-04-30: 05-01…05-05 off → 05-06 (1), 05-07 (2), 05-08 (3).
    assert rules.interpretation_deadline(D(2026, 4, 30), calendar) == D(2026, 5, 8)
    flag = rules.interpretation_flag(D(2026, 4, 30), [D(2026, 5, 8)], D(2026, 6, 1), calendar)
    assert flag is None


def test_interpretation_on_the_fourth_working_day_is_flagged_late(calendar):
    # Sat 2026-05-09 is a make-up working day: the 4th working day after 04-30.
    flag = rules.interpretation_flag(D(2026, 4, 30), [D(2026, 5, 9)], D(2026, 6, 1), calendar)
    assert flag is not None and flag.kind == FlagKind.INTERPRETATION_LATE
    assert flag.workdays == 4
    assert flag.due_on == D(2026, 5, 8)


def test_an_interpretation_released_with_or_before_the_document_is_on_time(calendar):
    assert (
        rules.interpretation_flag(D(2026, 3, 2), [D(2026, 3, 2)], D(2026, 4, 1), calendar) is None
    )
    assert (
        rules.interpretation_flag(D(2026, 3, 2), [D(2026, 2, 27)], D(2026, 4, 1), calendar) is None
    )


def test_the_earliest_interpretation_decides(calendar):
    dates = [D(2026, 3, 20), D(2026, 3, 3)]
    assert rules.interpretation_flag(D(2026, 3, 2), dates, D(2026, 4, 1), calendar) is None


def test_a_missing_interpretation_is_not_flagged_while_the_window_is_open(calendar):
    # Published Fri 2026-02-13: 02-14 (Sat, works) = 1, then 02-15…02-23 off, 02-24 = 2, 02-25 = 3.
    assert rules.interpretation_deadline(D(2026, 2, 13), calendar) == D(2026, 2, 25)
    assert rules.interpretation_flag(D(2026, 2, 13), [], D(2026, 2, 25), calendar) is None


def test_a_missing_interpretation_is_flagged_once_the_window_has_passed(calendar):
    flag = rules.interpretation_flag(D(2026, 2, 13), [], D(2026, 2, 26), calendar)
    assert flag is not None and flag.kind == FlagKind.INTERPRETATION_MISSING
    assert "2026年2月25日" in flag.message


def test_missing_across_the_national_day_2025(calendar):
    # Published Tue 2025-09-30: 10-01…10-08 off, Sat 10-11 works → 10-09, 10-10, 10-11.
    assert rules.interpretation_deadline(D(2025, 9, 30), calendar) == D(2025, 10, 11)
    assert rules.interpretation_flag(D(2025, 9, 30), [], D(2025, 10, 11), calendar) is None
    assert rules.interpretation_flag(D(2025, 9, 30), [], D(2025, 10, 13), calendar) is not None


# --- all flags of a document ------------------------------------------------------------------


def test_flags_for_collects_late_publication_and_missing_interpretation(calendar):
    flags = rules.flags_for(
        formed_on=D(2025, 9, 26),
        published_on=D(2025, 11, 3),
        requires_interpretation=True,
        interpretations_published_on=[],
        today=D(2025, 12, 1),
        calendar=calendar,
    )
    assert [f.kind for f in flags] == [FlagKind.PUBLISHED_LATE, FlagKind.INTERPRETATION_MISSING]


def test_documents_without_interpretation_duty_get_no_interpretation_flag(calendar):
    flags = rules.flags_for(
        formed_on=D(2025, 9, 26),
        published_on=D(2025, 9, 29),
        requires_interpretation=False,
        interpretations_published_on=[],
        today=D(2025, 12, 1),
        calendar=calendar,
    )
    assert flags == []


def test_a_year_without_a_calendar_is_refused_not_guessed(calendar):
    with pytest.raises(CalendarYearMissing):
        rules.publication_flag(D(2026, 12, 20), D(2027, 2, 1), calendar)
