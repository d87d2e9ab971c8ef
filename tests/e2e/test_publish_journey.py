"""Browser journey of proactive disclosure: an officer drafts, a reviewer publishes, the public
finds the document by search and opens it; plus the portal's reading aids."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from gongkai.core.dates import today
from gongkai.publications import services
from gongkai.publications.models import Column, Document
from tests.factories import build_world

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TITLE = "关于做好春季草原防火工作的通知"


@pytest.fixture
def world():
    return build_world()


def test_officer_drafts_reviewer_publishes_public_finds_it(page, world, log_in):
    # The officer drafts the document and submits it.
    log_in(page, world.officer.username, world.password)
    page.goto("/console/documents/new/")
    expect(page.locator("h1")).to_have_text("起草主动公开信息")
    page.select_option("#id_column", label="— 通知公告")
    page.fill("#id_title", TITLE)
    page.fill("#id_doc_number", "兴署办发〔2026〕15号")
    page.fill("#id_subject", "农业、林业、水利")
    page.fill("#id_formed_or_changed_on", today().isoformat())
    page.fill(
        "#id_body_html", "<p>各旗县市人民政府：请切实做好春季草原防火工作。</p><script>x()</script>"
    )
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".messages")).to_contain_text("草稿已保存")
    page.get_by_role("button", name="提交审核").click()
    expect(page.locator(".messages")).to_contain_text("已提交审核")
    page.get_by_role("button", name="退出").click()

    # The reviewer records the confidentiality review and publishes.
    log_in(page, world.reviewer.username, world.password)
    page.goto("/console/documents/")
    page.get_by_role("link", name=TITLE).click()
    page.get_by_role("link", name="保密审查与发布").click()
    page.fill("#id_note", "不涉及国家秘密、商业秘密和个人隐私")
    page.get_by_role("button", name="审查通过并发布").click()
    expect(page.locator(".messages")).to_contain_text("已发布，索引号 152200/")
    index_number = Document.objects.get(title=TITLE).index_number
    page.get_by_role("button", name="退出").click()

    # The public searches, sees the highlighted hit and opens the document.
    page.goto("/documents/")
    page.fill("#portal-search-q", "草原防火")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/documents/search/\?q="))
    hit = page.locator(".search-hit").first
    expect(hit.locator("mark").first).to_have_text("草原防火")
    hit.get_by_role("link").first.click()
    expect(page.locator("h1")).to_have_text(TITLE)
    box = page.locator(".meta-box")
    expect(box).to_contain_text(index_number)
    expect(box).to_contain_text("兴署办发〔2026〕15号")
    expect(box).to_contain_text("现行有效")
    expect(page.locator(".doc-body")).to_contain_text("请切实做好春季草原防火工作")
    assert "x()" not in page.content()


def _publish(world, **extra):
    column = Column.objects.get(agency=world.league, code="policies")
    data = services.DocumentInput(
        column=column,
        title=extra.pop("title", "兴安盟政务公开工作规则"),
        body_html="<p>第一条 为规范政务公开工作，制定本规则。</p>",
        formed_or_changed_on=None,
        **extra,
    )
    data.formed_or_changed_on = today()
    document = services.create_draft(world.officer, world.league, data)
    services.submit(world.officer, document)
    return services.review_and_publish(world.reviewer, document, note="不涉密")


def test_mongolian_is_vertical_and_large_text_is_remembered(page, world):
    document = _publish(
        world,
        mongolian_title="ᠮᠣᠩᠭᠣᠯ ᠪᠢᠴᠢᠭ",
        mongolian_body="<p>ᠥᠪᠥᠷ ᠮᠣᠩᠭᠣᠯ ᠤᠨ ᠥᠪᠡᠷᠲᠡᠭᠡᠨ ᠵᠠᠰᠠᠬᠤ ᠣᠷᠣᠨ</p>",
    )
    page.goto(document.get_absolute_url())
    mongolian = page.locator(".mongolian-text")
    expect(mongolian).to_contain_text("ᠮᠣᠩᠭᠣᠯ")
    assert mongolian.evaluate("e => getComputedStyle(e).writingMode") == "vertical-lr"
    assert "Noto Sans Mongolian" in mongolian.evaluate("e => getComputedStyle(e).fontFamily")
    box = mongolian.bounding_box()
    assert box["height"] > 100, "vertical text makes a tall block"

    size = page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")
    page.get_by_role("button", name="大字模式").click()
    expect(page.locator("body")).to_have_class(re.compile(r"large-text"))
    larger = page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")
    assert larger > size
    page.reload()
    expect(page.locator("body")).to_have_class(re.compile(r"large-text"))
    expect(page.get_by_role("button", name="标准字号")).to_have_attribute("aria-pressed", "true")


def test_keyboard_navigation_on_a_column_page(page, world):
    for i in range(3):
        _publish(world, title=f"兴安盟政策文件第{i}号")
    page.goto("/documents/152200/policies/")
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "portal-search-q"
    page.locator("h1").click()
    page.keyboard.press("j")
    assert page.evaluate("document.activeElement.hasAttribute('data-nav-item')")
    first = page.evaluate("document.activeElement.textContent")
    page.keyboard.press("j")
    assert page.evaluate("document.activeElement.textContent") != first
    page.keyboard.press("Enter")
    expect(page.locator(".meta-box")).to_be_visible()


def test_the_document_page_works_on_a_phone(phone_page, world):
    document = _publish(
        world, title="一份标题相当长的关于进一步做好政府信息公开平台建设和栏目规范工作的通知"
    )
    phone_page.goto(document.get_absolute_url())
    expect(phone_page.locator(".meta-box")).to_be_visible()
    assert phone_page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
