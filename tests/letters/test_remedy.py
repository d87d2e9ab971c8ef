"""The remedy paragraph (legal-rules §1.12): review body, 60 days, 6 months, review first."""

from __future__ import annotations

import datetime as dt

import pytest

from gongkai.applications.outcomes import OUTCOMES, Outcome, OutcomeGroup
from gongkai.letters import remedy
from gongkai.letters.models import LetterSettings
from gongkai.letters.remedy import RemedyError, ReviewFirst
from tests.factories import AgencyFactory

DAY = dt.date(2026, 3, 20)


@pytest.mark.django_db
def test_a_local_department_is_reviewed_by_the_government_at_the_same_level(world):
    body = remedy.review_body(world.league_dept, decided_on=DAY)
    assert body.name == "兴安盟行政公署"
    assert body.basis == "第二十四条第一款第（一）项"


@pytest.mark.django_db
def test_a_county_government_is_reviewed_by_the_government_one_level_up(world):
    assert remedy.review_body(world.county, decided_on=DAY).name == "兴安盟行政公署"


@pytest.mark.django_db
def test_the_region_government_reviews_its_own_acts(world):
    assert remedy.review_body(world.region, decided_on=DAY).name == "内蒙古自治区人民政府"


@pytest.mark.django_db
def test_a_vertically_managed_agency_is_reviewed_by_its_superior_department(world):
    tax = AgencyFactory(
        name="国家税务总局兴安盟税务局", parent=world.league, is_vertically_managed=True
    )
    settings = LetterSettings(agency=tax, superior_department="国家税务总局内蒙古自治区税务局")
    body = remedy.review_body(tax, settings, decided_on=DAY)
    assert body.name == "国家税务总局内蒙古自治区税务局"
    assert body.basis == "第二十七条"


@pytest.mark.django_db
def test_a_vertically_managed_agency_without_its_superior_department_is_refused(world):
    tax = AgencyFactory(name="兴安盟税务局", parent=world.league, is_vertically_managed=True)
    with pytest.raises(RemedyError) as caught:
        remedy.review_body(tax, LetterSettings(agency=tax), decided_on=DAY)
    assert "上一级主管部门" in caught.value.message and "第二十七条" in caught.value.message


@pytest.mark.django_db
def test_an_agency_may_configure_its_review_body(world):
    settings = LetterSettings(agency=world.league_dept, review_body="兴安盟行政公署（行政复议）")
    assert (
        remedy.review_body(world.league_dept, settings, decided_on=DAY).name
        == "兴安盟行政公署（行政复议）"
    )


@pytest.mark.django_db
def test_a_department_without_a_government_above_it_is_refused():
    orphan = AgencyFactory(name="孤立部门")
    with pytest.raises(RemedyError):
        remedy.review_body(orphan, decided_on=DAY)


@pytest.mark.django_db
def test_the_ordinary_paragraph_gives_60_days_review_or_6_months_lawsuit(world):
    text = remedy.compute(world.league_dept, decided_on=DAY).text
    assert "60日内向兴安盟行政公署申请行政复议" in text
    assert "6个月内直接向人民法院提起行政诉讼" in text
    assert "《中华人民共和国行政复议法》第二十条第一款、第二十四条第一款第（一）项" in text
    assert "《中华人民共和国行政诉讼法》第四十六条第一款" in text
    assert "应当先" not in text


@pytest.mark.django_db
def test_a_refusal_says_that_review_must_come_first_and_offers_no_direct_lawsuit(world):
    text = remedy.compute(world.league_dept, decided_on=DAY, review_first=ReviewFirst.ALL).text
    assert "第二十三条第一款第（四）项和第二款" in text
    assert "应当先向行政复议机关申请行政复议" in text
    assert "60日内向兴安盟行政公署申请行政复议" in text
    assert "直接向人民法院" not in text


@pytest.mark.django_db
def test_a_partial_disclosure_gives_review_first_only_for_the_withheld_part(world):
    text = remedy.compute(world.league_dept, decided_on=DAY, review_first=ReviewFirst.PART).text
    assert "不予公开的部分不服，应当先向行政复议机关申请行政复议" in text
    assert "其他部分不服" in text and "6个月内直接向人民法院提起行政诉讼" in text


@pytest.mark.django_db
def test_before_2024_the_old_law_applies_without_review_first(world):
    result = remedy.compute(
        world.league_dept, decided_on=dt.date(2023, 12, 29), review_first=ReviewFirst.ALL
    )
    assert "兴安盟行政公署或者上一级主管部门" in result.text
    assert "（2017年修正）第十二条" in result.text
    assert "应当先" not in result.text
    assert result.review_first is ReviewFirst.NO


@pytest.mark.parametrize("code", list(Outcome))
def test_review_first_applies_to_exactly_the_refusals_and_partial_disclosure(code):
    info = OUTCOMES[code]
    expected = (
        ReviewFirst.ALL
        if info.group is OutcomeGroup.WITHHELD
        else ReviewFirst.PART
        if info.group is OutcomeGroup.PARTIALLY_DISCLOSED
        else ReviewFirst.NO
    )
    assert remedy.review_first_for(code) is expected
