"""Each agency's public page: disclosure guide, contacts, breadcrumbs, sub-agencies; home page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from gongkai.agencies.models import Agency, AgencyKind
from tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def guided(world):
    Agency.objects.filter(pk=world.league.pk).update(
        office_name="兴安盟行政公署办公室",
        address="兴安盟乌兰浩特市政务服务中心3层",
        postcode="137400",
        office_hours="工作日8:30—12:00",
        phone="0482-0123456",
        fax="0482-0123457",
        email="gongkai@demo.example",
        guide_text="一、本指南的用途\n介绍公开范围。",
    )
    return world


def page(client, agency) -> str:
    response = client.get(reverse("agencies:detail", args=[agency.code]))
    assert response.status_code == 200
    return response.content.decode()


def test_agency_page_shows_the_disclosure_guide_and_every_contact_field(client, guided):
    html = page(client, guided.league)
    for text in (
        "政府信息公开指南",
        "兴安盟行政公署办公室",
        "兴安盟乌兰浩特市政务服务中心3层",
        "137400",
        "工作日8:30—12:00",
        "0482-0123456",
        "0482-0123457",
        "mailto:gongkai@demo.example",
        "一、本指南的用途",
    ):
        assert text in html, f"{text!r} missing from the agency page"


def test_agency_page_explains_how_to_request_information(client, guided):
    html = page(client, guided.league)
    assert "如何申请政府信息公开" in html
    assert "信函申请：寄至兴安盟乌兰浩特市政务服务中心3层，兴安盟行政公署办公室收" in html
    assert "传真申请：0482-0123457" in html


def test_agency_page_without_a_guide_says_so(client, world):
    assert "本机构尚未发布公开指南正文" in page(client, world.sibling)


def test_agency_page_has_breadcrumbs_from_the_region_down(client, world):
    html = page(client, world.county)
    crumbs = html.split('class="breadcrumbs"', 1)[1].split("</nav>", 1)[0]
    assert crumbs.index("自治区") < crumbs.index("兴安盟") < crumbs.index("乌兰浩特市")


def test_agency_page_lists_sub_governments_and_departments_separately(client, world):
    html = page(client, world.league)
    children = html.split('id="children"', 1)[1]
    governments, departments = children.split("工作部门", 1)
    assert "乌兰浩特市人民政府" in governments
    assert "兴安盟教育局" in departments


def test_agency_page_uses_a_fixed_number_of_queries(client, world, django_assert_max_num_queries):
    for i in range(20):
        AgencyFactory(parent=world.league, name=f"部门{i}")
    with django_assert_max_num_queries(3):
        page(client, world.league)


def test_unknown_agency_code_answers_404_in_chinese(client, db):
    response = client.get(reverse("agencies:detail", args=["nope"]))
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


def test_inactive_agency_answers_404(client, world):
    Agency.objects.filter(pk=world.sibling.pk).update(is_active=False)
    response = client.get(reverse("agencies:detail", args=[world.sibling.code]))
    assert response.status_code == 404


def test_edit_link_shows_only_to_those_who_may_edit(client, world):
    edit_url = reverse("agencies_staff:edit", args=[world.league.code])
    assert edit_url not in page(client, world.league)
    client.force_login(world.officer)
    assert edit_url not in page(client, world.league)
    client.force_login(world.head)
    assert edit_url in page(client, world.league)


def test_home_page_lists_leagues_and_cities_under_separate_planning(client, world):
    AgencyFactory(
        name="二连浩特市人民政府",
        short_name="二连浩特市",
        kind=AgencyKind.COUNTY_GOVERNMENT,
        parent=world.sibling,
        is_separately_planned=True,
    )
    html = client.get(reverse("site:home")).content.decode()
    assert "<h1>自治区政府信息公开平台</h1>" in html, "the region names the platform"
    assert html.index("锡林郭勒盟") < html.index("兴安盟") < html.index("二连浩特市")
    assert "乌兰浩特市" not in html, "county-level units do not belong on the home page"


def test_home_page_without_agencies_says_how_to_load_the_demo(client, db):
    assert "gongkai demo" in client.get(reverse("site:home")).content.decode()


def test_home_page_uses_a_fixed_number_of_queries(client, world, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        assert client.get(reverse("site:home")).status_code == 200
