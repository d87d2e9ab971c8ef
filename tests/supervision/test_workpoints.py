import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.supervision import workpoints

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
WORK_POINTS = SHARED / "reference" / "work-points-2016.txt"


@pytest.fixture(scope="module")
def result():
    return workpoints.parse(WORK_POINTS.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def region_departments():
    data = json.loads((SHARED / "data" / "inner-mongolia-divisions.json").read_text("utf-8"))
    return list(enumerate(data["region_departments"], start=1))


def by_number(result, number):
    return next(t for t in result.tasks if t.number == number)


def test_the_year_comes_from_the_title(result):
    assert result.year == 2016


def test_every_numbered_item_becomes_a_task(result):
    numbers = [t.number for t in result.tasks]
    expected = (
        [
            f"一（{n}）"
            for n in "一 二 三 四 五 六 七 八 九 十 十一 十二 十三 十四 十五 十六".split()
        ]
        + ["二（一）", "二（二）", "二（三）"]
        + ["三（一）", "三（二）", "三（三）", "三（四）"]
    )
    assert numbers == expected


def test_half_width_item_markers_are_recognised(result):
    assert by_number(result, "三（三）").title == "加强公开队伍专业化理论化建设"


def test_lines_broken_inside_sentences_are_joined(result):
    text = by_number(result, "一（二）").text
    assert "公开执法监管的依据、内容、标准、程序和结果" in text
    assert "（自治区工商局牵头落实）" in text


def test_a_note_with_several_leads_shares_the_region_prefix(result):
    leads = [u.text for u in by_number(result, "一（四）").leads]
    assert leads == ["自治区发改委", "自治区财政厅"]


def test_continuation_paragraphs_add_their_own_lead_units(result):
    task = by_number(result, "一（二）")
    assert len(task.parts) == 3
    assert [u.text for u in task.parts[1].leads] == ["自治区工商局"]
    assert [u.text for u in task.parts[2].leads] == ["自治区发改委"]


def test_cooperating_units_are_separated_from_the_lead(result):
    task = by_number(result, "一（十二）")
    assert [u.text for u in task.leads] == ["自治区环保厅"]
    assert [u.text for u in task.cooperating] == ["自治区住建厅", "自治区水利厅", "自治区卫计委"]


def test_collective_notes_name_all_units(result):
    task = by_number(result, "一（三）")
    assert [(u.text, u.collective) for u in task.leads] == [("各地区、各部门", "all_units")]
    governments = by_number(result, "三（二）").parts[1].leads
    assert [u.collective for u in governments] == ["all_governments"]


def test_every_note_in_the_reference_document_is_recognised(result):
    assert result.unrecognised_notes == []


def test_deadlines_are_found_in_the_text(result):
    assert by_number(result, "一（十四）").deadline == dt.date(2016, 12, 31)
    assert by_number(result, "一（一）").deadline is None


def test_the_closing_paragraph_without_item_is_shown_unassigned_with_its_date(result):
    assert len(result.unassigned) == 1
    assert "6月15日前" in result.unassigned[0]
    assert workpoints.find_deadline(result.unassigned[0], 2016)[0] == dt.date(2016, 6, 15)


def test_lead_units_are_matched_to_region_departments(result, region_departments):
    workpoints.match_units(result, region_departments)
    names = dict(region_departments)
    task = by_number(result, "一（十二）")
    matched = [names[u.agency_id] for u in [*task.leads, *task.cooperating]]
    assert matched == [
        "内蒙古自治区生态环境厅",
        "内蒙古自治区住房和城乡建设厅",
        "内蒙古自治区水利厅",
        "内蒙古自治区卫生健康委员会",
    ]
    assert names[by_number(result, "一（一）").leads[0].agency_id] == "内蒙古自治区司法厅"


def test_units_that_no_longer_exist_are_listed_for_manual_matching(result, region_departments):
    workpoints.match_units(result, region_departments)
    assert set(result.unmatched_units) == {"自治区地税局", "自治区扶贫办"}


def test_an_unknown_note_wording_is_reported_not_guessed():
    text = (
        "2026年政务公开工作要点\n一、重点任务\n"
        "（一）推进某项公开。具体内容。（请酌情考虑落实情况）\n"
    )
    result = workpoints.parse(text)
    assert result.tasks[0].leads == []
    assert result.unrecognised_notes == ["请酌情考虑落实情况"]


@settings(max_examples=200, deadline=None)
@given(
    st.text(
        alphabet="一二三（）()、，。年月日前0123456789牵头负责落实会同自治区各地区部门\n ",
        max_size=300,
    )
)
def test_parsing_never_crashes_on_arbitrary_text(text):
    result = workpoints.parse(text)
    assert isinstance(result.tasks, list)
