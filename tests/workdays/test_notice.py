"""The notice parser (国务院办公厅关于YYYY年部分节假日安排的通知) on real and sample notices,
and its refusals. Official texts: 2020, 2023, 2024, 2025, 2026; made up: 2027-sample."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import chinese_calendar
import pytest
from chinese_calendar import constants

from gongkai.core.errors import DomainError
from gongkai.workdays.notice import NoticeParseError, parse_notice
from tests.workdays.conftest import d, days, notice

LEGAL_RULES = Path(__file__).resolve().parents[2].parent / "shared/reference/legal-rules.md"


def rest_set(arrangement) -> set[dt.date]:
    return {day.date for day in arrangement.rest_days}


def work_set(arrangement) -> set[dt.date]:
    return {day.date for day in arrangement.make_up_workdays}


def package_holidays(year: int) -> set[dt.date]:
    return {day for day in constants.holidays if day.year == year}


def package_workdays(year: int) -> set[dt.date]:
    return {day for day in constants.workdays if day.year == year}


def package_notice(year: int) -> tuple[set[dt.date], set[dt.date]]:
    """The package's dates that belong to the notice of ``year``: the New Year's Day holiday of
    a year may begin in December of the year before."""

    def belongs(day: dt.date, name: str) -> bool:
        if day.month == 12 and name == "New Year's Day":
            return day.year + 1 == year
        return day.year == year

    rest = {day for day, name in constants.holidays.items() if belongs(day, name)}
    work = {day for day, name in constants.workdays.items() if belongs(day, name)}
    return rest, work


# --- the official notices reproduce chinese_calendar exactly -----------------------------------


@pytest.mark.parametrize("year", [2025, 2026])
def test_the_notice_gives_exactly_the_packages_holidays_of_the_year(year):
    arrangement = parse_notice(notice(str(year)))
    assert arrangement.year == year
    assert rest_set(arrangement) == package_holidays(year), (
        f"only in the notice: {sorted(rest_set(arrangement) - package_holidays(year))}; "
        f"only in the package: {sorted(package_holidays(year) - rest_set(arrangement))}"
    )


@pytest.mark.parametrize("year", [2025, 2026])
def test_the_notice_gives_exactly_the_packages_make_up_days_of_the_year(year):
    arrangement = parse_notice(notice(str(year)))
    assert work_set(arrangement) == package_workdays(year)


def test_the_2023_notice_reproduces_the_package_including_december_2022():
    arrangement = parse_notice(notice("2023"))
    rest, work = package_notice(2023)
    assert rest_set(arrangement) == rest
    assert work_set(arrangement) == work


def test_the_2024_notice_differs_from_the_package_only_by_the_weekend_before_new_year():
    # 「元旦：1月1日放假，与周末连休」: the package also lists Sat 2023-12-30 and Sun 2023-12-31
    # as New Year's Day; the notice names only January 1 (weekend days are rest days anyway).
    arrangement = parse_notice(notice("2024"))
    rest, work = package_notice(2024)
    assert rest - rest_set(arrangement) == {d("2023-12-30"), d("2023-12-31")}
    assert rest_set(arrangement) - rest == set()
    assert work_set(arrangement) == work


@pytest.mark.parametrize("year", [2023, 2024, 2025, 2026])
def test_the_notice_gives_the_packages_working_day_status_for_every_day(year):
    arrangement = parse_notice(notice(str(year)))
    overrides = arrangement.overrides()
    day, wrong = dt.date(year, 1, 1), []
    while day.year == year:
        from_notice = overrides.get(day, day.weekday() < 5)
        if from_notice != chinese_calendar.is_workday(day):
            wrong.append(day)
        day += dt.timedelta(days=1)
    assert wrong == []


@pytest.mark.parametrize("year", [2025, 2026])
def test_the_stored_notices_quote_legal_rules_section_7_2_verbatim(year):
    if not LEGAL_RULES.exists():
        pytest.skip("the shared reference is not next to the repository")
    quoted: list[str] = []
    collecting = False
    for line in LEGAL_RULES.read_text(encoding="utf-8").splitlines():
        if line.startswith(f"**{year}**"):
            collecting = True
            continue
        if collecting:
            if line.startswith("> "):
                quoted.append(line[2:].strip())
            elif quoted:
                break
    items = [
        line.strip().lstrip("\u3000")
        for line in notice(str(year)).splitlines()
        if line.strip().lstrip("\u3000")[:2]
        in {"一、", "二、", "三、", "四、", "五、", "六、", "七、"}
    ]
    assert quoted, "§7.2 quote not found"
    assert items == quoted


def test_the_year_source_and_names_come_from_the_notice():
    arrangement = parse_notice(notice("2026"))
    assert arrangement.source == "国务院办公厅关于2026年部分节假日安排的通知"
    assert [p.name for p in arrangement.holidays] == [
        "元旦",
        "春节",
        "清明节",
        "劳动节",
        "端午节",
        "中秋节",
        "国庆节",
    ]
    spring = arrangement.holidays[1]
    assert (spring.first, spring.last, spring.days) == (d("2026-02-15"), d("2026-02-23"), 9)
    assert spring.make_up_dates == (d("2026-02-14"), d("2026-02-28"))


def test_rest_days_and_make_up_days_carry_the_holiday_name():
    arrangement = parse_notice(notice("2026"))
    by_date = {day.date: day for day in arrangement.make_up_workdays}
    assert by_date[d("2026-02-14")].holiday == "春节"
    assert by_date[d("2026-02-14")].work_label == "春节调休上班"
    rest = {day.date: day.holiday for day in arrangement.rest_days}
    assert rest[d("2026-10-07")] == "国庆节"


def test_the_document_number_becomes_part_of_the_source():
    arrangement = parse_notice(notice("2024"))
    assert arrangement.document_number == "国办发明电〔2023〕7号"
    assert (
        arrangement.source == "国务院办公厅关于2024年部分节假日安排的通知（国办发明电〔2023〕7号）"
    )


@pytest.mark.parametrize("name", ["2020", "2023", "2024", "2025", "2026", "2027-sample"])
def test_official_boilerplate_is_recognised_and_nothing_is_left_over(name):
    assert parse_notice(notice(name)).ignored == ()


# --- other wordings -----------------------------------------------------------------------------


def test_the_2024_notice_reads_weekend_links_and_the_new_years_eve_recommendation():
    arrangement = parse_notice(notice("2024"))
    rest = rest_set(arrangement)
    assert d("2024-01-01") in rest, "元旦：1月1日放假，与周末连休"
    assert d("2024-06-10") in rest, "端午节：6月10日放假，与周末连休"
    assert d("2024-02-09") not in rest, "除夕（2月9日）is only recommended, not a rest day"
    assert days("2024-02-10", "2024-02-17") == [day for day in sorted(rest) if day.month == 2], (
        "春节：2月10日至17日"
    )


def test_the_original_2020_notice_is_read_as_published():
    arrangement = parse_notice(notice("2020"))
    expected_rest = {
        d("2020-01-01"),
        *days("2020-01-24", "2020-01-30"),
        *days("2020-04-04", "2020-04-06"),
        *days("2020-05-01", "2020-05-05"),
        *days("2020-06-25", "2020-06-27"),
        *days("2020-10-01", "2020-10-08"),
    }
    expected_work = {
        d("2020-01-19"),
        d("2020-02-01"),  # later cancelled by the extension notice (国办发明电〔2020〕1号)
        d("2020-04-26"),
        d("2020-05-09"),
        d("2020-06-28"),
        d("2020-09-27"),
        d("2020-10-10"),
    }
    assert rest_set(arrangement) == expected_rest
    assert work_set(arrangement) == expected_work
    assert arrangement.holidays[-1].name == "国庆节、中秋节"


def test_an_explicit_range_across_the_year_end_starts_in_the_previous_year():
    arrangement = parse_notice(notice("2023"))
    new_year = arrangement.holidays[0]
    assert (new_year.first, new_year.last) == (d("2022-12-31"), d("2023-01-02"))


def test_a_range_across_the_year_end_without_years_starts_in_december_before():
    arrangement = parse_notice(notice("2027-sample"))
    new_year = arrangement.holidays[0]
    assert new_year.rest_dates == tuple(days("2026-12-31", "2027-01-03"))
    assert new_year.make_up_dates == (d("2027-01-09"),)


def test_a_range_across_a_month_boundary_is_read_whole():
    arrangement = parse_notice(notice("2023"))
    golden_week = arrangement.holidays[-1]
    assert golden_week.rest_dates == tuple(days("2023-09-29", "2023-10-06"))
    assert golden_week.make_up_dates == (d("2023-10-07"), d("2023-10-08"))


def test_a_range_across_a_month_with_lunar_notes_is_read_whole():
    arrangement = parse_notice(notice("2025"))
    spring = arrangement.holidays[1]
    assert spring.rest_dates == tuple(days("2025-01-28", "2025-02-04"))


def test_a_day_in_lieu_is_a_rest_day_of_that_holiday():
    arrangement = parse_notice(notice("2027-sample"))
    labour = next(p for p in arrangement.holidays if p.name == "劳动节")
    assert labour.rest_dates == (d("2027-05-01"), d("2027-05-03")), "5月1日放假，5月3日补休"


def test_a_single_day_without_make_up_is_read():
    arrangement = parse_notice(notice("2027-sample"))
    dragon = next(p for p in arrangement.holidays if p.name == "端午节")
    assert dragon.rest_dates == (d("2027-06-09"),)
    assert dragon.make_up_dates == ()


def test_a_recommendation_with_a_date_inside_an_item_changes_nothing():
    arrangement = parse_notice(notice("2027-sample"))
    assert d("2027-02-04") not in rest_set(arrangement)


def test_several_make_up_days_in_one_sentence_are_all_read():
    arrangement = parse_notice(notice("2025"))
    spring = arrangement.holidays[1]
    assert spring.make_up_dates == (d("2025-01-26"), d("2025-02-08"))


def test_a_notice_pasted_as_one_paragraph_gives_the_same_arrangement():
    text = notice("2020")
    one_paragraph = "".join(line.strip() for line in text.splitlines())
    assert rest_set(parse_notice(one_paragraph)) == rest_set(parse_notice(text))
    assert work_set(parse_notice(one_paragraph)) == work_set(parse_notice(text))


def test_half_width_punctuation_and_stray_spaces_are_tolerated():
    text = (
        "国务院办公厅关于2025年部分节假日安排的通知\n"
        "一、元旦: 1月1日 (周三) 放假1天, 不调休。\n"
        "二、劳动节:5月1日(周四)至5日(周一)放假调休,共5天。4月27日(周日)上班。\n"
    )
    arrangement = parse_notice(text)
    assert rest_set(arrangement) == {d("2025-01-01"), *days("2025-05-01", "2025-05-05")}
    assert work_set(arrangement) == {d("2025-04-27")}


def test_old_style_in_lieu_and_public_rest_wordings_are_read():
    text = (
        "国务院办公厅关于2012年部分节假日安排的通知\n"
        "一、元旦：2012年1月1日至3日放假调休，共3天。2011年12月31日（星期六）上班。\n"
        "五、端午节：6月22日至24日放假公休，共3天。\n"
        "六、中秋节：9月30日放假。\n"
    )
    arrangement = parse_notice(text)
    assert work_set(arrangement) == {d("2011-12-31")}
    assert rest_set(arrangement) == {
        *days("2012-01-01", "2012-01-03"),
        *days("2012-06-22", "2012-06-24"),
        d("2012-09-30"),
    }


def test_a_special_holiday_with_digits_in_its_name_is_read():
    text = (
        "国务院办公厅关于2015年部分节假日安排的通知\n"
        "一、中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日：9月3日至5日放假调休，共3天。"
        "9月6日（星期日）上班。\n"
    )
    arrangement = parse_notice(text)
    assert rest_set(arrangement) == set(days("2015-09-03", "2015-09-05"))
    assert arrangement.holidays[0].name.endswith("70周年纪念日")


def test_the_year_can_be_given_when_the_title_is_missing():
    arrangement = parse_notice("一、元旦：1月1日（周四）放假1天，不调休。", year=2026)
    assert rest_set(arrangement) == {d("2026-01-01")}


def test_text_unrelated_to_dates_outside_the_items_is_reported_back():
    text = notice("2026") + "\n责任编辑：张三\n"
    assert parse_notice(text).ignored == ("责任编辑：张三",)


def test_a_news_lead_before_the_notice_is_recognised():
    text = "新华社北京11月4日电 国务院办公厅关于2026年部分节假日安排的通知，全文如下：\n" + notice(
        "2026"
    )
    assert parse_notice(text).year == 2026


# --- refusals -----------------------------------------------------------------------------------


def refused(text: str, year: int | None = None) -> NoticeParseError:
    with pytest.raises(NoticeParseError) as caught:
        parse_notice(text, year)
    return caught.value


TITLE = "国务院办公厅关于2026年部分节假日安排的通知\n"


def test_a_parse_error_is_a_domain_error():
    assert issubclass(NoticeParseError, DomainError)


def test_unknown_wording_in_an_item_is_refused_quoting_the_line():
    line = "三、清明节：4月4日（周六）至6日（周一）放假，视情况调整。"
    error = refused(TITLE + line)
    assert line in error.message
    assert "第2行" in error.message
    assert error.line_number == 2
    assert "视情况调整" in error.message


def test_a_wrong_day_count_is_refused():
    line = "三、清明节：4月4日（周六）至6日（周一）放假，共4天。"
    error = refused(TITLE + line)
    assert "共4天" in error.message and "是3天" in error.message
    assert line in error.message


def test_a_weekday_note_that_does_not_match_the_date_is_refused():
    line = "三、清明节：4月4日（周日）至6日（周一）放假，共3天。"
    error = refused(TITLE + line)
    assert "2026年4月4日标注为“周日”，但该日是星期六" in error.message
    assert line in error.message


def test_a_weekday_note_in_long_form_is_checked_too():
    error = refused(TITLE + "三、清明节：4月4日至6日放假，共3天。4月7日（星期日）上班。")
    assert "标注为“星期日”" in error.message


def test_a_make_up_day_on_a_weekday_is_refused():
    error = refused(TITLE + "七、国庆节：10月1日至7日放假调休，共7天。10月9日上班。")
    assert "调休上班日2026年10月9日是星期五，不是周末" in error.message


def test_a_day_in_lieu_on_a_weekend_is_refused():
    error = refused(TITLE + "四、劳动节：5月1日放假，5月2日补休。")
    assert "补休日2026年5月2日是星期六" in error.message


def test_a_date_that_does_not_exist_is_refused():
    error = refused(TITLE + "二、春节：2月30日放假。")
    assert "日期“2月30日”不存在" in error.message


def test_an_unknown_note_after_a_date_is_refused():
    error = refused(TITLE + "一、元旦：1月1日（暂定）放假1天，不调休。")
    assert "（暂定）" in error.message


def test_the_same_date_in_two_items_is_refused():
    error = refused(TITLE + "五、端午节：6月19日放假。\n六、中秋节：6月19日放假。")
    assert "2026年6月19日在通知第2行和第3行重复出现" in error.message


def test_a_date_both_rest_and_work_is_refused():
    error = refused(TITLE + "二、春节：2月14日至16日放假，共3天。2月14日（周六）上班。")
    assert "既写为放假又写为上班" in error.message


def test_an_item_without_rest_dates_is_refused():
    error = refused(TITLE + "二、春节：2月14日（周六）上班。")
    assert "没有写明放假日期" in error.message


def test_a_date_outside_the_year_is_refused():
    error = refused(TITLE + "四、劳动节：2025年5月1日放假。")
    assert "不属于2026年" in error.message


def test_calendar_text_outside_the_items_is_refused():
    line = "另外，12月31日下午放假半天。"
    error = refused(notice("2026") + "\n" + line)
    assert line in error.message


def test_a_line_without_an_item_marker_is_refused_rather_than_skipped():
    error = refused(TITLE + "八 元旦 1月1日放假")
    assert "八 元旦 1月1日放假" in error.message


def test_an_empty_notice_is_refused():
    assert "通知内容为空" in refused("  \n\n").message


def test_a_notice_without_items_is_refused():
    error = refused(TITLE + "各省、自治区、直辖市人民政府，国务院各部委、各直属机构：")
    assert "没有找到节假日条目" in error.message


def test_a_notice_without_a_year_is_refused_unless_the_year_is_given():
    error = refused("一、元旦：1月1日放假1天，不调休。")
    assert "无法确定通知的年份" in error.message


def test_a_given_year_that_contradicts_the_title_is_refused():
    error = refused(notice("2026"), year=2027)
    assert "通知是2026年的安排，与指定的2027年不符" in error.message


def test_an_implausibly_long_range_is_refused():
    error = refused(TITLE + "二、春节：2月1日至28日放假，共28天。")
    assert "超过15天" in error.message


@pytest.mark.parametrize(
    ("known", "altered"),
    [
        ("妥善安排好值班和安全", "妥善安排好值班，12月31日放假，和安全"),  # the closing paragraph
        ("实际形成较长假期，推动错峰出行", "实际形成较长假期，10月8日放假"),  # the encouragement
        ("经国务院批准，现将", "经国务院批准，10月8日放假，现将"),  # the introduction
    ],
)
def test_a_known_boilerplate_opening_does_not_hide_a_calendar_change(known, altered):
    text = notice("2026")
    assert known in text
    error = refused(text.replace(known, altered, 1))
    assert "放假" in error.message and ("12月31日" in error.message or "10月8日" in error.message)


def test_a_recommendation_inside_an_item_does_not_hide_a_calendar_change():
    line = (
        "二、春节：2月10日至17日放假调休，共8天。鼓励各单位结合带薪年休假等制度落实，"
        "安排职工在除夕（2月9日）休息，2月18日放假。"
    )
    error = refused("国务院办公厅关于2024年部分节假日安排的通知\n" + line)
    assert "2月18日放假" in error.message


def test_the_2025_legal_basis_paragraph_is_recognised_only_word_for_word():
    text = notice("2025").replace("各增加1天", "各增加1天，另外12月31日放假", 1)
    error = refused(text)
    assert "12月31日放假" in error.message
