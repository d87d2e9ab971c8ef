"""Scenarios of the request clock across the 2025 and 2026 holidays.

Every expected date is worked out by hand in the test's comment from the State Council
arrangements (legal-rules §7.2). Notation: "(n)" after a date is its running working-day count;
day 1 is the first working day *after* the start date.

2025: 1/1 off; 1/26 (Sun) works; 1/28–2/4 off; 2/8 (Sat) works; 4/4–4/6 off; 4/27 (Sun) works;
      5/1–5/5 off; 5/31–6/2 off; 9/28 (Sun) works; 10/1–10/8 off; 10/11 (Sat) works.
2026: 1/1–1/3 off; 1/4 (Sun) works; 2/14 (Sat) works; 2/15–2/23 off; 2/28 (Sat) works;
      4/4–4/6 off; 5/1–5/5 off; 5/9 (Sat) works; 6/19–6/21 off.
"""

from __future__ import annotations

import datetime as dt

import pytest

from gongkai.applications import outcomes
from gongkai.applications.clock import (
    ClockError,
    ClockEvent,
    Light,
    Status,
    check_next,
    compute,
    is_overdue,
    traffic_light,
    workdays_left,
)
from gongkai.workdays.calendar import CalendarYearMissing, national_calendar

CAL = national_calendar()


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def ev(kind: str, on: str, **data) -> ClockEvent:
    return ClockEvent(kind, d(on), data)


def run(received: str, *events: ClockEvent, today: str = "2026-11-01"):
    return compute(d(received), list(events), CAL, today=d(today))


def text(result) -> str:
    return "\n".join(result.explanation)


# ---------------------------------------------------------------------------------------------
# Base deadline (第三十三条第二款) and working-day counting


def test_base_deadline_crosses_the_2026_spring_festival():
    # Received Fri 2026-02-13. 2/14 Sat works (1); 2/15–2/23 off; 2/24–2/27 (5); 2/28 Sat (6);
    # 3/2–3/6 (11); 3/9–3/13 (16); 3/16–3/19 (20) → Thu 2026-03-19 (legal-rules §7.4).
    result = run("2026-02-13", today="2026-02-20")
    assert result.due_on == d("2026-03-19"), text(result)
    assert result.status is Status.IN_PROGRESS
    assert result.clock_start == d("2026-02-13")
    assert result.paused == []


def test_explanation_walks_through_the_spring_festival_day_by_day():
    result = run("2026-02-13", today="2026-02-20")
    assert result.explanation[0] == "2026年2月13日收到申请（第三十一条）。"
    counting = result.explanation[1]
    for fragment in (
        "自2026年2月13日的次日起计算20个工作日（第三十三条第二款）",
        "2月14日（周六，调休上班）为第1个工作日",
        "2月15日至2月23日春节假期不计",
        "2月28日（周六，调休上班）为第6个工作日",
        "2026年3月19日为第20个工作日",
    ):
        assert fragment in counting, counting
    assert result.explanation[-1] == "答复期限届满日为2026年3月19日。"


def test_base_deadline_crosses_national_day_2025_with_two_make_up_days():
    # Received Fri 2025-09-26. 9/28 Sun works (1); 9/29, 9/30 (3); 10/1–10/8 off; 10/9, 10/10 (5);
    # 10/11 Sat works (6); 10/13–17 (11); 10/20–24 (16); 10/27–30 (20) → Thu 2025-10-30.
    result = run("2025-09-26", today="2025-10-01")
    assert result.due_on == d("2025-10-30"), text(result)
    assert "9月28日（周日，调休上班）为第1个工作日" in text(result)
    assert "10月11日（周六，调休上班）为第6个工作日" in text(result)
    assert "10月1日至10月8日" in text(result)


def test_base_deadline_crosses_the_2025_spring_festival():
    # Received Mon 2025-01-20. 1/21–1/24 (4); 1/26 Sun works (5); 1/27 (6); 1/28–2/4 off;
    # 2/5–2/7 (9); 2/8 Sat works (10); 2/10–14 (15); 2/17–21 (20) → Fri 2025-02-21.
    result = run("2025-01-20", today="2025-01-21")
    assert result.due_on == d("2025-02-21"), text(result)
    assert "1月28日至2月4日春节假期不计" in text(result)


def test_base_deadline_crosses_new_year_2026():
    # Received Wed 2025-12-31. 1/1–1/3 off; 1/4 Sun works (1); 1/5–9 (6); 1/12–16 (11);
    # 1/19–23 (16); 1/26–29 (20) → Thu 2026-01-29.
    result = run("2025-12-31", today="2026-01-05")
    assert result.due_on == d("2026-01-29"), text(result)
    assert "2026年1月4日（周日，调休上班）为第1个工作日" in text(result)


def test_receipt_on_a_holiday_counts_from_the_next_working_day():
    # Received Sun 2026-02-15 (Spring Festival). 2/24–27 (4); 2/28 Sat (5); 3/2–6 (10);
    # 3/9–13 (15); 3/16–20 (20) → Fri 2026-03-20.
    result = run("2026-02-15", today="2026-02-24")
    assert result.due_on == d("2026-03-20"), text(result)


def test_a_deadline_in_a_year_without_calendar_data_is_refused_naming_the_year():
    # Received Sun 2026-12-20: the 20 working days run into 2027, which has no data.
    with pytest.raises(CalendarYearMissing) as caught:
        run("2026-12-20", today="2026-12-21")
    assert caught.value.year == 2027
    assert "2027年" in caught.value.message


# ---------------------------------------------------------------------------------------------
# 补正 (第三十条)


def test_correction_notice_limit_is_seven_working_days_after_the_original_receipt():
    # Received Fri 2026-02-13: 2/14 (1); 2/24–2/27 (5); 2/28 (6); 3/2 (7) → Mon 2026-03-02.
    result = run("2026-02-13", today="2026-02-14")
    assert result.correction_due_on == d("2026-03-02")


def test_awaiting_correction_near_the_year_end_needs_no_data_for_next_year():
    # Received Thu 2026-12-10; notice limit 12/11 (1), 12/14–18 (6), 12/21 (7) → Mon 12/21.
    # The 20 working days would end in 2027, but none run while awaiting the correction.
    result = run(
        "2026-12-10",
        ev("correction_requested", "2026-12-14", deadline="2026-12-30"),
        today="2026-12-15",
    )
    assert result.correction_due_on == d("2026-12-21")
    assert result.status is Status.AWAITING_CORRECTION
    assert result.due_on is None


def test_awaiting_correction_runs_no_reply_deadline():
    result = run(
        "2026-02-13",
        ev("correction_requested", "2026-03-02", deadline="2026-03-13"),
        today="2026-03-05",
    )
    assert result.status is Status.AWAITING_CORRECTION
    assert result.due_on is None, "no reply period runs while the applicant corrects"
    assert result.correction_deadline == d("2026-03-13")
    assert not result.overdue
    assert workdays_left(result, CAL, d("2026-03-05")) is None


def test_corrected_application_restarts_the_twenty_days_from_its_receipt():
    # Corrected application received Tue 2026-03-10. 3/11–13 (3); 3/16–20 (8); 3/23–27 (13);
    # 3/30–4/3 (18); 4/4–4/6 Qingming off; 4/7 (19); 4/8 (20) → Wed 2026-04-08.
    result = run(
        "2026-02-13",
        ev("correction_requested", "2026-03-02", deadline="2026-03-13"),
        ev("correction_received", "2026-03-10"),
        today="2026-03-11",
    )
    assert result.clock_start == d("2026-03-10")
    assert result.due_on == d("2026-04-08"), text(result)
    assert result.status is Status.IN_PROGRESS
    assert "答复期限自该日起重新计算（第三十条）" in text(result)
    assert "4月4日至4月6日清明节假期不计" in text(result)


def test_a_correction_notice_after_seven_working_days_is_refused():
    with pytest.raises(ClockError, match="7个工作日内"):
        run("2026-02-13", ev("correction_requested", "2026-03-03", deadline="2026-03-13"))


def test_a_second_correction_notice_is_refused():
    with pytest.raises(ClockError, match="一次性"):
        check_next(
            d("2026-02-13"),
            [ev("correction_requested", "2026-02-16", deadline="2026-03-06")],
            ev("correction_requested", "2026-02-17", deadline="2026-03-06"),
            CAL,
        )


def test_a_correction_notice_needs_a_deadline_after_the_notice():
    with pytest.raises(ClockError, match="补正期限"):
        run("2026-02-13", ev("correction_requested", "2026-02-16"))
    with pytest.raises(ClockError, match="应晚于"):
        run("2026-02-13", ev("correction_requested", "2026-02-16", deadline="2026-02-16"))


def test_correction_received_without_a_notice_is_refused():
    with pytest.raises(ClockError, match="没有发出补正告知书"):
        run("2026-02-13", ev("correction_received", "2026-02-16"))


def test_overdue_correction_closes_the_request_as_other_processing_one():
    # Received Fri 2025-04-25; notice Mon 4/28 with deadline Fri 5/9; closed Mon 5/12.
    result = run(
        "2025-04-25",
        ev("correction_requested", "2025-04-28", deadline="2025-05-09"),
        ev("closed", "2025-05-12", outcome="other_correction_overdue"),
    )
    assert result.status is Status.CLOSED
    assert result.outcome == "other_correction_overdue"
    assert result.closed_on == d("2025-05-12")
    assert result.due_on is None
    assert outcomes.report_row(result.outcome, 2025) == "other_correction_overdue"
    assert "视为放弃申请" in text(result)


def test_correction_notice_limit_crosses_labour_day_2025():
    # Received Fri 2025-04-25: 4/27 Sun works (1); 4/28–30 (4); 5/1–5/5 off; 5/6–8 (7) → 5/8.
    result = run("2025-04-25", today="2025-04-28")
    assert result.correction_due_on == d("2025-05-08")
    run("2025-04-25", ev("correction_requested", "2025-05-08", deadline="2025-05-20"))
    with pytest.raises(ClockError):
        run("2025-04-25", ev("correction_requested", "2025-05-09", deadline="2025-05-20"))


def test_closing_for_missing_correction_before_the_deadline_is_refused():
    with pytest.raises(ClockError, match="尚未届满"):
        run(
            "2025-04-25",
            ev("correction_requested", "2025-04-28", deadline="2025-05-09"),
            ev("closed", "2025-05-09", outcome="other_correction_overdue"),
        )


def test_a_late_correction_is_still_accepted_while_not_closed():
    # Deadline Fri 2025-05-09, corrected application Wed 5/14 (late, but no closing recorded).
    # 5/15–16 (2); 5/19–23 (7); 5/26–30 (12); 5/31–6/2 Dragon Boat off; 6/3–6 (16);
    # 6/9–12 (20) → Thu 2025-06-12.
    result = run(
        "2025-04-25",
        ev("correction_requested", "2025-04-28", deadline="2025-05-09"),
        ev("correction_received", "2025-05-14"),
        today="2025-05-15",
    )
    assert result.due_on == d("2025-06-12"), text(result)
    assert "已超过补正期限2025年5月9日" in text(result)
    assert "端午节假期不计" in text(result)


def test_a_correction_after_closing_is_refused():
    with pytest.raises(ClockError, match="终止处理"):
        run(
            "2025-04-25",
            ev("correction_requested", "2025-04-28", deadline="2025-05-09"),
            ev("closed", "2025-05-12", outcome="other_correction_overdue"),
            ev("correction_received", "2025-05-14"),
        )


# ---------------------------------------------------------------------------------------------
# Consultations (第三十二条、第三十四条、第三十三条第三款)


def test_third_party_consultation_pauses_from_the_day_after_sending_until_the_opinion():
    # Received 2026-02-13 (due 3/19). Letter sent Mon 3/2: 2/14 (1), 2/24–27 (5), 2/28 (6),
    # 3/2 (7) consumed, 13 left. Opinion Mon 3/9; resume Tue 3/10: 3/10–13 (4); 3/16–20 (9);
    # 3/23–26 (13) → Thu 2026-03-26.
    result = run(
        "2026-02-13",
        ev(
            "consultation_opened", "2026-03-02", party="third_party", party_received_on="2026-03-04"
        ),
        ev("consultation_closed", "2026-03-09"),
        today="2026-03-10",
    )
    assert result.due_on == d("2026-03-26"), text(result)
    assert result.paused == [(d("2026-03-02"), d("2026-03-09"))]
    assert result.status is Status.IN_PROGRESS
    assert "不视为同意公开" in text(result)
    assert "至3月2日（含当日）已计7个工作日" in text(result)
    assert "自2026年3月10日起恢复计算，尚余13个工作日" in text(result)


def test_an_open_consultation_shows_consulting_and_a_provisional_due_date():
    # Same letter, no opinion yet on Fri 3/20 (window ends 3/25). Provisional: pause ends today,
    # 13 left from 3/20: 3/23–27 (5); 3/30–4/3 (10); 4/4–6 off; 4/7–9 (13) → Thu 2026-04-09.
    result = run(
        "2026-02-13",
        ev("consultation_opened", "2026-03-02", party="agency", party_received_on="2026-03-04"),
        today="2026-03-20",
    )
    assert result.status is Status.CONSULTING
    assert result.paused == [(d("2026-03-02"), None)]
    assert result.provisional
    assert result.due_on == d("2026-04-09"), text(result)


def test_an_agency_that_stays_silent_ends_the_pause_after_fifteen_working_days():
    # Agency received the letter Wed 3/4: 15 working days = 3/5–6 (2), 3/9–13 (7),
    # 3/16–20 (12), 3/23–25 (15) → window ends Wed 3/25. Resume 3/26 with 13 left:
    # 3/26–27 (2); 3/30–4/3 (7); 4/4–6 off; 4/7–10 (11); 4/13–14 (13) → Tue 2026-04-14.
    result = run(
        "2026-02-13",
        ev("consultation_opened", "2026-03-02", party="agency", party_received_on="2026-03-04"),
        today="2026-04-10",
    )
    assert result.status is Status.IN_PROGRESS, "the clock runs again once the window ends"
    assert result.paused == [(d("2026-03-02"), d("2026-03-25"))]
    assert result.due_on == d("2026-04-14"), text(result)
    assert not result.provisional
    assert "视为同意公开" in text(result)
    assert "不视为同意公开" not in text(result)


def test_a_late_opinion_does_not_extend_the_pause_beyond_the_window():
    # Third party received 3/4, window ends 3/25; opinion arrives only Mon 3/30 → pause ends 3/25.
    result = run(
        "2026-02-13",
        ev(
            "consultation_opened", "2026-03-02", party="third_party", party_received_on="2026-03-04"
        ),
        ev("consultation_closed", "2026-03-30"),
        today="2026-03-30",
    )
    assert result.paused == [(d("2026-03-02"), d("2026-03-25"))]
    assert result.due_on == d("2026-04-14"), text(result)


def test_a_consultation_whose_receipt_is_unknown_pauses_until_known_or_closed():
    # No party_received_on: on Tue 3/31 still paused; 13 left from 3/31: 4/1–3 (3); 4/4–6 off;
    # 4/7–10 (7); 4/13–17 (12); 4/20 (13) → Mon 2026-04-20. Closing it that day gives the same.
    opened = ev("consultation_opened", "2026-03-02", party="third_party")
    open_result = run("2026-02-13", opened, today="2026-03-31")
    assert open_result.status is Status.CONSULTING
    assert open_result.due_on == d("2026-04-20"), text(open_result)
    assert "尚未登记" in text(open_result)
    closed_result = run(
        "2026-02-13", opened, ev("consultation_closed", "2026-03-31"), today="2026-04-02"
    )
    assert closed_result.due_on == d("2026-04-20")
    assert closed_result.paused == [(d("2026-03-02"), d("2026-03-31"))]


def test_overlapping_consultations_pause_once():
    # Third party 3/2 → opinion 3/12; agency 3/9 → opinion 3/16. Union: after 3/2 until 3/16.
    # 7 consumed, 13 left from 3/16: 3/17–20 (4); 3/23–27 (9); 3/30–4/2 (13) → Thu 2026-04-02.
    result = run(
        "2026-02-13",
        ev(
            "consultation_opened",
            "2026-03-02",
            party="third_party",
            party_received_on="2026-03-03",
            ref="A",
        ),
        ev("consultation_opened", "2026-03-09", party="agency", party_received_on="2026-03-10"),
        ev("consultation_closed", "2026-03-12", ref="A"),
        ev("consultation_closed", "2026-03-16"),
        today="2026-03-17",
    )
    assert result.paused == [(d("2026-03-02"), d("2026-03-16"))]
    assert result.due_on == d("2026-04-02"), text(result)


def test_separate_consultations_pause_twice():
    # 3/2 → 3/5 (paused 3/3–3/5) and 3/10 → 3/12 (paused 3/11–3/12): 5 working days in all,
    # so 3/19 + 5 = 3/20, 3/23, 3/24, 3/25, 3/26 → Thu 2026-03-26.
    result = run(
        "2026-02-13",
        ev(
            "consultation_opened", "2026-03-02", party="third_party", party_received_on="2026-03-02"
        ),
        ev("consultation_closed", "2026-03-05"),
        ev("consultation_opened", "2026-03-10", party="agency", party_received_on="2026-03-10"),
        ev("consultation_closed", "2026-03-12"),
        today="2026-03-13",
    )
    assert result.paused == [
        (d("2026-03-02"), d("2026-03-05")),
        (d("2026-03-10"), d("2026-03-12")),
    ]
    assert result.due_on == d("2026-03-26"), text(result)


def test_a_consultation_sent_on_the_due_date_leaves_the_day_the_opinion_arrives():
    # Due Thu 3/19; letter sent that day consumes all 20 days; opinion Wed 3/25 → due 3/25.
    # Opinion on Sat 3/28 instead → the next working day, Mon 3/30.
    opened = ev(
        "consultation_opened", "2026-03-19", party="third_party", party_received_on="2026-03-20"
    )
    result = run("2026-02-13", opened, ev("consultation_closed", "2026-03-25"), today="2026-03-26")
    assert result.due_on == d("2026-03-25"), text(result)
    weekend = run("2026-02-13", opened, ev("consultation_closed", "2026-03-28"), today="2026-03-30")
    assert weekend.due_on == d("2026-03-30"), text(weekend)


def test_a_consultation_after_the_deadline_does_not_move_it():
    result = run(
        "2026-02-13",
        ev(
            "consultation_opened", "2026-03-20", party="third_party", party_received_on="2026-03-20"
        ),
        ev("consultation_closed", "2026-03-24"),
        today="2026-03-25",
    )
    assert result.due_on == d("2026-03-19")
    assert result.paused == []
    assert result.overdue
    assert "不影响答复期限" in text(result)


def test_closing_a_consultation_that_is_not_open_is_refused():
    with pytest.raises(ClockError, match="没有尚未结束的征求意见"):
        run("2026-02-13", ev("consultation_closed", "2026-03-02"))
    with pytest.raises(ClockError, match="编号为“B”"):
        run(
            "2026-02-13",
            ev("consultation_opened", "2026-03-02", party="agency", ref="A"),
            ev("consultation_closed", "2026-03-03", ref="B"),
        )


def test_a_consultation_needs_to_say_who_is_consulted():
    with pytest.raises(ClockError, match="第三方"):
        run("2026-02-13", ev("consultation_opened", "2026-03-02"))


def test_no_consultation_while_awaiting_correction():
    with pytest.raises(ClockError, match="尚未补正"):
        run(
            "2026-02-13",
            ev("correction_requested", "2026-02-16", deadline="2026-03-06"),
            ev("consultation_opened", "2026-02-24", party="agency"),
        )


# ---------------------------------------------------------------------------------------------
# Extension (第三十三条第二款)


def test_an_extension_notified_on_the_due_date_adds_twenty_working_days():
    # Base due Thu 2025-10-30. +20: 10/31 (1); 11/3–7 (6); 11/10–14 (11); 11/17–21 (16);
    # 11/24–27 (20) → Thu 2025-11-27.
    result = run(
        "2025-09-26",
        ev("extension_granted", "2025-10-30", workdays=20, approved_by="王主任"),
        today="2025-10-31",
    )
    assert result.due_on == d("2025-11-27"), text(result)
    assert result.extension_workdays == 20
    assert "负责人（王主任）" in text(result)
    assert "第三十三条第二款" in text(result)


def test_two_extensions_add_up_to_the_same_date_as_one():
    # +10 on 10/20 → 10/31 (1), 11/3–7 (6), 11/10–13 (10) → 11/13; +10 on 11/13 → 11/27.
    result = run(
        "2025-09-26",
        ev("extension_granted", "2025-10-20", workdays=10),
        ev("extension_granted", "2025-11-13", workdays=10),
        today="2025-11-14",
    )
    assert result.due_on == d("2025-11-27"), text(result)
    assert result.extension_workdays == 20


def test_an_extension_after_the_due_date_is_refused():
    with pytest.raises(ClockError, match="届满前"):
        run("2025-09-26", ev("extension_granted", "2025-10-31", workdays=5))


def test_extensions_beyond_twenty_working_days_in_total_are_refused():
    with pytest.raises(ClockError, match="累计不得超过20个工作日"):
        check_next(
            d("2025-09-26"),
            [ev("extension_granted", "2025-10-20", workdays=15)],
            ev("extension_granted", "2025-10-21", workdays=6),
            CAL,
        )
    with pytest.raises(ClockError, match="累计不得超过20个工作日"):
        run("2025-09-26", ev("extension_granted", "2025-10-20", workdays=21))


def test_an_extension_needs_a_positive_number_of_working_days():
    with pytest.raises(ClockError, match="工作日数"):
        run("2025-09-26", ev("extension_granted", "2025-10-20"))
    with pytest.raises(ClockError, match="工作日数"):
        run("2025-09-26", ev("extension_granted", "2025-10-20", workdays=0))


# ---------------------------------------------------------------------------------------------
# 第三十五条 reasonable deadline


def test_an_art35_deadline_replaces_the_computed_one():
    result = run(
        "2026-02-13",
        ev("art35_deadline", "2026-03-10", due_on="2026-05-29"),
        today="2026-03-11",
    )
    assert result.due_on == d("2026-05-29")
    assert "第三十五条" in text(result)
    assert "取代此前计算的答复期限2026年3月19日" in text(result)


def test_an_art35_deadline_may_be_earlier_than_the_computed_one():
    result = run(
        "2026-02-13", ev("art35_deadline", "2026-03-02", due_on="2026-03-16"), today="2026-03-03"
    )
    assert result.due_on == d("2026-03-16")


def test_an_art35_deadline_on_a_rest_day_moves_to_the_next_working_day():
    # Sat 2026-05-02 is in the Labour Day break (5/1–5/5) → Wed 2026-05-06.
    result = run(
        "2026-02-13", ev("art35_deadline", "2026-03-10", due_on="2026-05-02"), today="2026-03-11"
    )
    assert result.due_on == d("2026-05-06")
    assert "顺延至2026年5月6日" in text(result)


def test_an_art35_deadline_must_be_after_its_notice():
    with pytest.raises(ClockError, match="应晚于告知申请人之日"):
        run("2026-02-13", ev("art35_deadline", "2026-03-10", due_on="2026-03-10"))


def test_no_art33_extension_after_an_art35_deadline():
    with pytest.raises(ClockError, match="第三十五条"):
        run(
            "2026-02-13",
            ev("art35_deadline", "2026-03-10", due_on="2026-05-29"),
            ev("extension_granted", "2026-03-11", workdays=5),
        )


def test_a_consultation_after_an_art35_deadline_still_pauses_it():
    # Art. 35 on Tue 3/10 fixes Thu 4/30. Agency consulted Wed 4/1, opinion Fri 4/3: the pause
    # skips 4/2 and 4/3 (2 working days) → 4/30 + 2 = (5/1–5/5 off) 5/6, 5/7 → Thu 2026-05-07.
    result = run(
        "2026-02-13",
        ev("art35_deadline", "2026-03-10", due_on="2026-04-30"),
        ev("consultation_opened", "2026-04-01", party="agency", party_received_on="2026-04-01"),
        ev("consultation_closed", "2026-04-03"),
        today="2026-04-07",
    )
    assert result.due_on == d("2026-05-07"), text(result)


# ---------------------------------------------------------------------------------------------
# Fees (国办函〔2020〕109号; the pause is our decision, docs/decisions.md)

FEE_NOTICE = ev("fee_notice_issued", "2026-03-05", received_on="2026-03-06", amount=100)


def test_a_fee_notice_sets_the_payment_window_and_pauses_the_clock():
    # Received Mon 2026-03-02, base due 3/3–6 (4), 3/9–13 (9), 3/16–20 (14), 3/23–27 (19),
    # 3/30 (20) → Mon 3/30. Notice Thu 3/5 (3/3, 3/4, 3/5 consumed: 17 left), applicant got it
    # Fri 3/6: pay within 3/9–13 (5), 3/16–20 (10), 3/23–27 (15), 3/30–4/3 (20) → Fri 4/3.
    # Unpaid on Tue 3/10: provisional 17 from 3/10: 3/11–13 (3), 3/16–20 (8), 3/23–27 (13),
    # 3/30–4/2 (17) → Thu 4/2.
    result = run("2026-03-02", FEE_NOTICE, today="2026-03-10")
    assert result.status is Status.AWAITING_PAYMENT
    assert result.fee_due_on == d("2026-04-03")
    assert result.fee_received_on == d("2026-03-06")
    assert result.paused == [(d("2026-03-05"), None)]
    assert result.due_on == d("2026-04-02"), text(result)
    assert "金额100元" in text(result)


def test_payment_resumes_the_clock_the_next_working_day():
    # Paid Mon 3/16; resume Tue 3/17 with 17 left: 3/17–20 (4), 3/23–27 (9), 3/30–4/3 (14);
    # 4/4–6 off; 4/7–9 (17) → Thu 2026-04-09.
    result = run("2026-03-02", FEE_NOTICE, ev("fee_paid", "2026-03-16"), today="2026-03-17")
    assert result.status is Status.IN_PROGRESS
    assert result.paused == [(d("2026-03-05"), d("2026-03-16"))]
    assert result.due_on == d("2026-04-09"), text(result)


def test_an_unpaid_fee_closes_the_request_as_other_processing_two():
    # Window ends Fri 4/3; 4/4–6 off; closing recorded Tue 4/7.
    result = run("2026-03-02", FEE_NOTICE, ev("closed", "2026-04-07", outcome="other_fee_unpaid"))
    assert result.status is Status.CLOSED
    assert result.outcome == "other_fee_unpaid"
    assert result.closed_on == d("2026-04-07")
    assert result.paused == [(d("2026-03-05"), d("2026-04-07"))]
    assert "逾期未缴纳信息处理费" in text(result)


def test_closing_for_an_unpaid_fee_before_the_window_ends_is_refused():
    with pytest.raises(ClockError, match="缴费期限2026年4月3日尚未届满"):
        run("2026-03-02", FEE_NOTICE, ev("closed", "2026-04-03", outcome="other_fee_unpaid"))


def test_fee_paid_without_a_notice_is_refused():
    with pytest.raises(ClockError, match="没有待缴纳的收费通知"):
        run("2026-03-02", ev("fee_paid", "2026-03-05"))


def test_a_fee_notice_after_the_due_date_is_refused():
    with pytest.raises(ClockError, match="答复期限内"):
        run("2026-02-13", ev("fee_notice_issued", "2026-03-20", received_on="2026-03-20"))


def test_a_second_fee_notice_is_refused():
    with pytest.raises(ClockError, match="第三条"):
        run(
            "2026-03-02",
            FEE_NOTICE,
            ev("fee_paid", "2026-03-16"),
            ev("fee_notice_issued", "2026-03-17", received_on="2026-03-18", amount=200),
        )


def test_a_fee_notice_with_a_bad_amount_is_refused():
    with pytest.raises(ClockError, match="金额"):
        run("2026-03-02", ev("fee_notice_issued", "2026-03-05", amount="abc"))
    with pytest.raises(ClockError, match="大于零"):
        run("2026-03-02", ev("fee_notice_issued", "2026-03-05", amount=-5))


def test_a_fee_notice_overlapping_a_consultation_pauses_once():
    # Agency consulted Wed 3/4 (3/3, 3/4 consumed) → opinion Wed 3/11; fee notice Mon 3/9 → paid
    # Fri 3/13. Union after 3/4 until 3/13; 18 left from 3/13: 3/16–20 (5), 3/23–27 (10),
    # 3/30–4/3 (15), 4/7–9 (18) → Thu 2026-04-09.
    result = run(
        "2026-03-02",
        ev("consultation_opened", "2026-03-04", party="agency", party_received_on="2026-03-04"),
        ev("fee_notice_issued", "2026-03-09", received_on="2026-03-09", amount=200),
        ev("consultation_closed", "2026-03-11"),
        ev("fee_paid", "2026-03-13"),
        today="2026-03-16",
    )
    assert result.paused == [(d("2026-03-04"), d("2026-03-13"))]
    assert result.due_on == d("2026-04-09"), text(result)


# ---------------------------------------------------------------------------------------------
# Reply, delivery (235号), withdrawal


def test_a_reply_posted_on_the_due_date_is_on_time():
    result = run(
        "2026-02-13",
        ev("reply_issued", "2026-03-18", outcome="disclosed", how_to_obtain="附件"),
        ev("delivered", "2026-03-19", method="post"),
    )
    assert result.status is Status.CLOSED
    assert result.on_time is True
    assert result.outcome == "disclosed"
    assert result.closed_on == d("2026-03-18")
    assert "交邮" in text(result)


def test_a_reply_signed_for_after_the_due_date_is_late():
    result = run(
        "2026-02-13",
        ev("reply_issued", "2026-03-18", outcome="partially_disclosed"),
        ev("delivered", "2026-03-20", method="direct"),
    )
    assert result.on_time is False
    assert "逾期答复" in text(result)


def test_a_reply_not_yet_delivered_is_replied_and_can_become_overdue():
    events = [ev("reply_issued", "2026-03-18", outcome="unavailable_not_held")]
    on_due = run("2026-02-13", *events, today="2026-03-19")
    assert on_due.status is Status.REPLIED
    assert on_due.on_time is None
    assert not on_due.overdue
    assert run("2026-02-13", *events, today="2026-03-20").overdue


def test_a_reply_freezes_a_running_pause():
    # Consultation sent 3/2 still open when the reply goes out Tue 3/10: the pause ends 3/10.
    # 13 left from 3/10: 3/11–13 (3), 3/16–20 (8), 3/23–27 (13) → Fri 2026-03-27, whatever today.
    result = run(
        "2026-02-13",
        ev("consultation_opened", "2026-03-02", party="third_party"),
        ev("reply_issued", "2026-03-10", outcome="withheld_third_party_rights", reason="…"),
        today="2026-06-01",
    )
    assert result.due_on == d("2026-03-27"), text(result)
    assert result.paused == [(d("2026-03-02"), d("2026-03-10"))]
    assert not result.provisional


def test_a_reply_without_an_outcome_is_refused():
    with pytest.raises(ClockError, match="必须选择办理结果"):
        run("2026-02-13", ev("reply_issued", "2026-03-02"))


def test_a_reply_with_an_unknown_outcome_is_refused():
    with pytest.raises(ClockError, match="未知的办理结果"):
        run("2026-02-13", ev("reply_issued", "2026-03-02", outcome="approved"))


def test_system_outcomes_cannot_be_chosen_for_a_reply():
    with pytest.raises(ClockError, match="由系统"):
        run("2026-02-13", ev("reply_issued", "2026-03-02", outcome="other_fee_unpaid"))


def test_unclear_after_correction_needs_a_received_correction():
    with pytest.raises(ClockError, match="补正"):
        run(
            "2026-02-13",
            ev("reply_issued", "2026-03-02", outcome="unavailable_unclear_after_correction"),
        )
    result = run(
        "2026-02-13",
        ev("correction_requested", "2026-02-16", deadline="2026-03-06"),
        ev("correction_received", "2026-03-04"),
        ev("reply_issued", "2026-03-10", outcome="unavailable_unclear_after_correction"),
    )
    assert result.outcome == "unavailable_unclear_after_correction"


def test_delivery_needs_a_reply_and_a_method():
    with pytest.raises(ClockError, match="尚未作出答复"):
        run("2026-02-13", ev("delivered", "2026-03-02", method="post"))
    with pytest.raises(ClockError, match="送达方式"):
        run(
            "2026-02-13",
            ev("reply_issued", "2026-03-02", outcome="disclosed"),
            ev("delivered", "2026-03-03", method="courier"),
        )


def test_withdrawal_ends_the_request_as_other():
    result = run("2026-02-13", ev("withdrawn", "2026-03-02"), today="2026-04-01")
    assert result.status is Status.WITHDRAWN
    assert result.outcome == "other"
    assert result.closed_on == d("2026-03-02")
    assert not result.overdue


def test_nothing_but_delivery_follows_a_reply():
    history = [ev("reply_issued", "2026-03-02", outcome="disclosed")]
    with pytest.raises(ClockError, match="只能再登记送达"):
        check_next(d("2026-02-13"), history, ev("withdrawn", "2026-03-03"), CAL)
    check_next(d("2026-02-13"), history, ev("delivered", "2026-03-03", method="electronic"), CAL)
    delivered = [*history, ev("delivered", "2026-03-03", method="electronic")]
    with pytest.raises(ClockError, match="已于2026年3月3日登记送达"):
        check_next(d("2026-02-13"), delivered, ev("delivered", "2026-03-04", method="post"), CAL)


def test_nothing_follows_a_withdrawal():
    with pytest.raises(ClockError, match="撤回"):
        check_next(
            d("2026-02-13"),
            [ev("withdrawn", "2026-03-02")],
            ev("reply_issued", "2026-03-03", outcome="disclosed"),
            CAL,
        )


# ---------------------------------------------------------------------------------------------
# Dates, input forms, unknown types


def test_an_event_before_the_receipt_date_is_refused():
    with pytest.raises(ClockError, match="早于收到申请之日2026年2月13日"):
        run("2026-02-13", ev("withdrawn", "2026-02-12"))


def test_an_event_before_the_previous_event_is_refused():
    with pytest.raises(ClockError, match="请按时间顺序登记"):
        check_next(
            d("2026-02-13"),
            [ev("consultation_opened", "2026-03-02", party="agency")],
            ev("consultation_closed", "2026-03-01"),
            CAL,
        )


def test_an_unknown_event_type_is_refused():
    with pytest.raises(ClockError, match="未知的事项类型“received”"):
        run("2026-02-13", ev("received", "2026-02-13"))


def test_event_data_from_a_json_column_is_accepted():
    events = [
        ClockEvent("correction_requested", "2026-03-02", {"deadline": "2026-03-13"}),
        ClockEvent("correction_received", "2026-03-10", {}),
    ]
    result = compute(d("2026-02-13"), events, CAL, today=d("2026-03-11"))
    assert result.due_on == d("2026-04-08")


def test_a_malformed_date_in_event_data_is_refused_in_chinese():
    with pytest.raises(ClockError, match="日期格式不正确"):
        run("2026-02-13", ev("correction_requested", "2026-02-16", deadline="2026/03/06"))


def test_today_defaults_to_the_pinned_legal_date():
    from gongkai.core.dates import override_today

    with override_today(d("2026-03-20")):
        result = compute(d("2026-02-13"), [], CAL)
    assert result.today == d("2026-03-20")
    assert result.overdue


# ---------------------------------------------------------------------------------------------
# Traffic lights


def test_traffic_light_is_green_with_more_than_five_working_days_left():
    # Due Thu 3/19. On Wed 3/11: 3/12, 3/13, 3/16, 3/17, 3/18, 3/19 → 6 left.
    result = run("2026-02-13", today="2026-03-11")
    assert workdays_left(result, CAL, d("2026-03-11")) == 6
    assert traffic_light(result, CAL, d("2026-03-11"), yellow_workdays=5) is Light.GREEN


def test_traffic_light_is_yellow_with_five_or_fewer_working_days_left():
    result = run("2026-02-13", today="2026-03-12")
    assert workdays_left(result, CAL, d("2026-03-12")) == 5
    assert traffic_light(result, CAL, d("2026-03-12"), yellow_workdays=5) is Light.YELLOW
    assert workdays_left(result, CAL, d("2026-03-19")) == 0
    assert traffic_light(result, CAL, d("2026-03-19"), yellow_workdays=5) is Light.YELLOW


def test_traffic_light_is_red_when_overdue_even_on_a_weekend():
    result = run("2026-02-13", today="2026-03-20")
    assert is_overdue(result, d("2026-03-20"))
    assert workdays_left(result, CAL, d("2026-03-20")) == -1
    assert workdays_left(result, CAL, d("2026-03-21")) == -1, "Saturday after the due date"
    assert workdays_left(result, CAL, d("2026-03-23")) == -2
    assert traffic_light(result, CAL, d("2026-03-21")) is Light.RED


def test_traffic_light_threshold_defaults_to_the_setting(settings):
    result = run("2026-02-13", today="2026-03-11")
    settings.GONGKAI_YELLOW_WORKDAYS = 6
    assert traffic_light(result, CAL, d("2026-03-11")) is Light.YELLOW
    settings.GONGKAI_YELLOW_WORKDAYS = 5
    assert traffic_light(result, CAL, d("2026-03-11")) is Light.GREEN


def test_no_light_when_nothing_is_owed():
    awaiting = run(
        "2026-02-13",
        ev("correction_requested", "2026-02-16", deadline="2026-03-06"),
        today="2026-02-17",
    )
    assert traffic_light(awaiting, CAL, d("2026-02-17")) is None
    withdrawn = run("2026-02-13", ev("withdrawn", "2026-02-16"))
    assert traffic_light(withdrawn, CAL, d("2026-04-01")) is None


def test_as_json_has_the_cli_shape():
    result = run(
        "2026-02-13",
        ev("consultation_opened", "2026-03-02", party="third_party"),
        today="2026-03-05",
    )
    data = result.as_json()
    assert data["due_on"] == result.due_on.isoformat()
    assert data["status"] == "consulting"
    assert data["paused"] == [["2026-03-02", None]]
    assert isinstance(data["explanation"], list) and data["explanation"]


def test_a_cached_due_date_gets_the_same_light():
    from gongkai.applications.clock import light_for, workdays_until

    assert workdays_until(d("2026-03-19"), CAL, d("2026-03-12")) == 5
    assert light_for(d("2026-03-19"), CAL, d("2026-03-11"), yellow_workdays=5) is Light.GREEN
    assert light_for(d("2026-03-19"), CAL, d("2026-03-12"), yellow_workdays=5) is Light.YELLOW
    assert light_for(d("2026-03-19"), CAL, d("2026-03-20"), yellow_workdays=5) is Light.RED
    assert light_for(None, CAL, d("2026-03-20")) is None
