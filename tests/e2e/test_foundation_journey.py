"""Browser journeys over the foundation: public pages, login, console, the agency profile."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from gongkai.agencies import demo_data
from gongkai.agencies.models import Agency

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def hierarchy():
    """The real demo hierarchy and demo users (without other apps' demo content)."""
    demo_data.sync_agencies(demo_data.demo_agencies())
    demo_data.sync_users(demo_data.DEMO_USERS)
    demo_data.sync_memberships(demo_data.DEMO_USERS)


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_home_directory_agency_page_login_console(page, hierarchy):
    page.goto("/")
    expect(page.locator("h1")).to_contain_text("内蒙古自治区政府信息公开平台")

    page.locator(".public-nav").get_by_role("link", name="机构目录").click()
    expect(page.locator("h1")).to_have_text("机构目录")
    expect(page.locator("#group-league li")).to_have_count(14)

    page.locator("#group-league").get_by_role("link", name="兴安盟行政公署").click()
    expect(page).to_have_url(re.compile(r"/agencies/152200/$"))
    expect(page.locator("h1")).to_have_text("兴安盟行政公署")
    expect(page.locator(".breadcrumbs")).to_contain_text("内蒙古自治区")
    expect(page.locator("#guide")).to_contain_text("政府信息公开指南")
    expect(page.locator("#contact")).to_contain_text(Agency.objects.get(code="152200").phone)
    expect(page.locator("#children")).to_contain_text("乌兰浩特市人民政府")

    page.get_by_role("link", name="工作人员登录").click()
    page.fill("#id_username", "xingan_head")
    page.fill("#id_password", demo_data.DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()

    expect(page).to_have_url(re.compile(r"/console/$"))
    expect(page.locator("h1")).to_have_text("工作台")
    expect(page.locator(".console-nav")).to_contain_text("本机构信息")
    expect(page.locator("main table")).to_contain_text("兴安盟行政公署")
    expect(page.locator("main table")).to_contain_text("负责人")


def test_an_officer_does_not_get_the_agency_profile_menu(page, hierarchy, log_in):
    log_in(page, "xingan_officer", demo_data.DEMO_PASSWORD)
    expect(page.locator("h1")).to_have_text("工作台")
    expect(page.locator(".console-nav")).not_to_contain_text("本机构信息")


def test_directory_filter_narrows_the_list_as_one_types(page, hierarchy):
    page.goto("/agencies/")
    page.fill("#directory-filter-input", "乌兰浩特")
    visible = page.locator("li[data-name]:visible")
    expect(visible.first).to_be_visible()
    names = visible.all_inner_texts()
    assert names and all("乌兰浩特" in n for n in names), names
    expect(page.locator("#group-region_department")).to_be_hidden()


def test_a_head_edits_the_agency_guide_on_a_phone(phone_page, hierarchy, log_in):
    page = phone_page
    log_in(page, "xingan_head", demo_data.DEMO_PASSWORD)
    page.goto("/console/agencies/")
    page.get_by_role("link", name="编辑").first.click()
    expect(page.locator("h1")).to_have_text("兴安盟行政公署")
    assert no_horizontal_scroll(page), "the edit form is wider than the phone"

    page.fill("#id_phone", "0482-0654321")
    page.fill("#id_postcode", "12")
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".errors")).to_contain_text("邮政编码应为6位数字")

    page.fill("#id_postcode", "137400")
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".messages")).to_contain_text("机构信息已保存")
    expect(page.locator("#history")).to_contain_text("0482-0654321")

    page.get_by_role("link", name="查看公开页面").click()
    expect(page.locator("#contact")).to_contain_text("0482-0654321")


@pytest.mark.parametrize("path", ["/", "/agencies/", "/agencies/152200/", "/agencies/150000-bgt/"])
def test_public_pages_fit_a_phone_screen(phone_page, hierarchy, path):
    phone_page.goto(path)
    expect(phone_page.locator("h1")).to_be_visible()
    assert no_horizontal_scroll(phone_page), f"{path} scrolls sideways on a phone"
