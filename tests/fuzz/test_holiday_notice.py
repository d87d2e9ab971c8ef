"""Fuzzing the State Council holiday notice parser (gongkai.workdays.notice.parse_notice).

Whatever is pasted, the parser returns an arrangement or raises :class:`NoticeParseError` with a
Chinese message; it never crashes and never returns a date outside the notice's year.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from gongkai.workdays.notice import NoticeParseError, parse_notice
from tests.fuzz.strategies import FUZZ, any_text, from_pieces, mutated

NOTICES = Path(__file__).resolve().parents[1] / "workdays" / "notices"
SAMPLES = [path.read_text(encoding="utf-8") for path in sorted(NOTICES.glob("*.txt"))]

PIECES = [
    "国务院办公厅关于2026年部分节假日安排的通知",
    "国办发明电〔2025〕7号",
    "各省、自治区、直辖市人民政府，国务院各部委、各直属机构：",
    "经国务院批准，现将2026年元旦、春节放假调休日期的具体安排通知如下。",
    "\n一、元旦：",
    "\n二、春节：",
    "\n（三）清明节：",
    "\n4.劳动节：",
    "\n国庆节、中秋节：",
    "1月1日",
    "12月31日",
    "2月15日（周日）",
    "（星期三）",
    "（农历除夕、周二）",
    "（周天）",
    "2025年12月31日",
    "2027年1月2日",
    "至",
    "至3日",
    "至10月6日",
    "、",
    "放假",
    "放假调休",
    "放假公休",
    "，共3天",
    "，共9天",
    "放假1天，不调休",
    "，与周末连休",
    "补休",
    "上班",
    "。",
    "；",
    "，",
    "鼓励各单位结合带薪年休假等制度落实，安排职工在除夕（2月9日）休息。",
    "节假日期间，各地区、各部门要妥善安排好值班和安全工作。",
    "\n国务院办公厅\n2025年11月4日",
    "（此件公开发布）",
    "新华社北京11月4日电",
]


def _check(text: str, year: int | None = None) -> None:
    try:
        arrangement = parse_notice(text, year)
    except NoticeParseError as exc:
        assert exc.message, "a refusal must say why"
        assert "\x00" not in exc.code
        return
    for day in arrangement.dates:
        assert day.year == arrangement.year or (
            day.year == arrangement.year - 1 and day.month == 12
        ), f"{day} lies outside the arrangement of {arrangement.year}"
    assert set(arrangement.overrides()) == set(arrangement.labels())
    assert 2000 <= arrangement.year <= 2100


@FUZZ
@given(any_text)
def test_arbitrary_text_is_parsed_or_refused(text):
    _check(text)


@FUZZ
@given(from_pieces(PIECES), st.one_of(st.none(), st.integers(1990, 2110)))
def test_text_built_from_notice_wording_is_parsed_or_refused(text, year):
    _check(text, year)


@FUZZ
@given(mutated(SAMPLES, PIECES, steps=3))
def test_mutated_real_notices_are_parsed_or_refused(text):
    _check(text)


@FUZZ
@given(
    st.sampled_from(["元旦", "春节", "国庆节"]),
    st.integers(0, 13),
    st.integers(0, 40),
    st.one_of(st.none(), st.integers(0, 13)),
    st.integers(0, 40),
    st.integers(0, 60),
    st.sampled_from(["", "（周一）", "（星期日）", "（周八）", "（农历初一）", "（）"]),
)
def test_one_item_with_random_dates_is_parsed_or_refused(name, m1, d1, m2, d2, n, note):
    end = f"至{m2}月{d2}日{note}" if m2 is not None else f"至{d2}日"
    text = (
        "国务院办公厅关于2026年部分节假日安排的通知\n"
        f"一、{name}：{m1}月{d1}日{note}{end}放假调休，共{n}天。{m1}月{d2}日{note}上班。"
    )
    _check(text)


def test_a_parsed_sample_is_still_accepted():
    """The fuzz strategies start from notices the parser accepts (else mutation tests little)."""
    accepted = [parse_notice(text) for text in SAMPLES if "sample" not in text[:0]]
    assert any(a.year == 2026 for a in accepted)
    assert all(isinstance(d, dt.date) for a in accepted for d in a.dates)
