"""The public portal: catalogue, columns, document pages, feeds, sitemap, print, large text."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gongkai.publications import services
from gongkai.publications.models import Validity
from gongkai.publications.views.public import LARGE_TEXT_COOKIE
from tests.publications.conftest import TODAY
from tests.publications.factories import draft, published

STATIC = Path(__file__).resolve().parents[2] / "src/gongkai/publications/static/publications"


def page(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.content.decode()


def test_the_agency_catalogue_has_the_national_and_inner_mongolia_columns(client, world):
    html = page(client, reverse("publications:agency", args=["152200"]))
    for name in ("政府信息公开指南", "政府信息公开制度", "法定主动公开内容", "政府信息公开年报",
                 "机构简介", "领导介绍", "预决算公开", "依申请公开", "政策文件", "政策解读"):  # fmt: skip
        assert name in html, name


def test_every_agency_gets_the_standard_columns_when_created(world):
    from tests.factories import AgencyFactory

    agency = AgencyFactory(code="152222", name="科尔沁右翼前旗人民政府")
    codes = set(agency.columns.values_list("code", flat=True))
    assert {"guide", "system", "statutory", "annual-report", "budget", "on-request"} <= codes
    assert agency.columns.get(code="policies").parent.code == "statutory"
    assert agency.columns.get(code="news").kind == "news"


def test_the_document_page_shows_the_standard_metadata_box(client, world):
    document = published(
        world,
        title="关于做好政府信息公开工作的通知",
        doc_number="兴署发〔2026〕3号",
        subject="综合政务",
        written_on=TODAY.replace(day=10),
    )
    html = page(client, document.get_absolute_url())
    box = re.search(r'<table class="meta-box".*?</table>', html, re.S).group(0)
    for label, value in [
        ("索引号", "152200/2026-00001"),
        ("主题分类", "综合政务"),
        ("发布机构", "兴安盟行政公署"),
        ("成文日期", "2026年3月10日"),
        ("标题", "关于做好政府信息公开工作的通知"),
        ("发文字号", "兴署发〔2026〕3号"),
        ("发布日期", "2026年3月16日"),
        ("有效性", "现行有效"),
    ]:
        assert label in box and value in box, (label, value)
    assert html.count("<h1") == 1


def test_an_abolished_document_says_so_at_the_top(client, world):
    old = published(world, title="暂行办法")
    new = published(world, title="正式办法", doc_number="兴署发〔2026〕8号")
    services.change_validity(world.reviewer, old, Validity.ABOLISHED, TODAY, abolished_by=new)
    html = page(client, old.get_absolute_url())
    banner = html.index('class="banner abolished"')
    assert banner < html.index('class="meta-box"') < html.index("<h1")
    assert "本文件已于2026年3月16日废止" in html
    assert new.get_absolute_url() in html[banner : banner + 600]


def test_a_withdrawn_document_answers_gone(client, world):
    document = published(world)
    services.withdraw(world.reviewer, document, "误发")
    html = page(client, document.get_absolute_url(), status=410)
    assert "已撤回" in html and "误发" not in html


def test_drafts_are_not_public(client, world):
    document = draft(world.officer, world.league)
    page(client, reverse("publications:document", args=["152200", document.pk]), status=404)


def test_a_document_is_only_found_under_its_own_agency(client, world):
    document = published(world)
    page(client, reverse("publications:document", args=["152500", document.pk]), status=404)


def test_the_mongolian_version_is_rendered_vertically(client, world):
    document = published(world, mongolian_title="ᠮᠣᠩᠭᠣᠯ ᠪᠢᠴᠢᠭ", mongolian_body="<p>ᠥᠪᠥᠷ ᠮᠣᠩᠭᠣᠯ</p>")
    html = page(client, document.get_absolute_url())
    assert 'lang="mn-Mong"' in html and 'class="mongolian-text"' in html
    assert "ᠮᠣᠩᠭᠣᠯ ᠪᠢᠴᠢᠭ" in html
    css = (STATIC / "portal.css").read_text()
    rule = re.search(r"\.mongolian-text \{[^}]*\}", css, re.S).group(0)
    assert "writing-mode:vertical-lr" in rule and '"Noto Sans Mongolian"' in rule


def test_attachments_download_from_published_documents_only(client, world):
    document = draft(world.officer, world.league)
    attachment = services.add_attachment(
        world.officer, document, SimpleUploadedFile("实施方案.pdf", b"%PDF-1.4\n%%EOF")
    )
    url = reverse("publications:download", args=["152200", document.pk, attachment.pk])
    page(client, url, status=404)
    services.submit(world.officer, document)
    services.review_and_publish(world.reviewer, document)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert "attachment" in response["Content-Disposition"]
    assert "实施方案.pdf" in page(client, document.get_absolute_url())


def test_linked_published_interpretations_are_shown_on_both_pages(client, world):
    policy = published(
        world, title="某某管理办法", normative_kind="normative", doc_number="兴署发〔2026〕2号"
    )
    interpretation = published(
        world, title="《某某管理办法》政策解读", column_code="interpretations"
    )
    services.link_interpretation(world.officer, policy, interpretation)
    assert interpretation.get_absolute_url() in page(client, policy.get_absolute_url())
    assert policy.get_absolute_url() in page(client, interpretation.get_absolute_url())


def test_an_unpublished_interpretation_is_not_linked_publicly(client, world):
    policy = published(world)
    interpretation = draft(
        world.officer, world.league, title="尚未发布的解读", column_code="interpretations"
    )
    services.link_interpretation(world.officer, policy, interpretation)
    assert "尚未发布的解读" not in page(client, policy.get_absolute_url())


def test_a_first_level_column_lists_its_sub_columns_documents(client, world):
    document = published(world, title="政策文件一号")
    html = page(client, reverse("publications:column", args=["152200", "statutory"]))
    assert document.title in html


def test_column_pages_are_paginated_with_a_query_budget(
    client, world, django_assert_max_num_queries
):
    for i in range(25):
        published(world, title=f"第{i}号通知")
    url = reverse("publications:column", args=["152200", "policies"])
    with django_assert_max_num_queries(8):
        first = page(client, url)
    assert first.count("data-nav-item") == 20
    assert "第 1 页，共 2 页" in first and 'rel="next"' in first
    assert page(client, url + "?page=2").count("data-nav-item") == 5


def test_the_agency_page_has_a_query_budget(client, world, django_assert_max_num_queries):
    for i in range(5):
        published(world, title=f"文件{i}")
    with django_assert_max_num_queries(8):
        page(client, reverse("publications:agency", args=["152200"]))


def test_the_portal_index_has_a_query_budget(client, world, django_assert_max_num_queries):
    for i in range(5):
        published(world, title=f"文件{i}")
    with django_assert_max_num_queries(6):
        page(client, reverse("publications:index"))


def test_the_document_page_has_a_query_budget(client, world, django_assert_max_num_queries):
    document = published(world)
    with django_assert_max_num_queries(10):
        page(client, document.get_absolute_url())


def test_rss_and_atom_feeds_are_valid_xml(client, world):
    first = published(world, title="第一份文件", summary="概述一")
    published(world, title="第二份文件", column_code="notices")
    rss = ET.fromstring(client.get(reverse("publications:feed_rss", args=["152200"])).content)
    titles = [item.findtext("title") for item in rss.iter("item")]
    assert set(titles) == {"第一份文件", "第二份文件"}
    assert rss.find("channel/title").text == "兴安盟行政公署 · 主动公开"
    link = next(i.findtext("link") for i in rss.iter("item") if i.findtext("title") == first.title)
    assert link.endswith(first.get_absolute_url())
    atom = ET.fromstring(
        client.get(reverse("publications:column_feed_atom", args=["152200", "policies"])).content
    )
    ns = {"a": "http://www.w3.org/2005/Atom"}
    assert [e.findtext("a:title", namespaces=ns) for e in atom.findall("a:entry", ns)] == [
        "第一份文件"
    ]


def test_feeds_of_unknown_agencies_or_columns_are_not_found(client, world):
    assert client.get(reverse("publications:feed_rss", args=["999999"])).status_code == 404
    url = reverse("publications:column_feed_rss", args=["152200", "no-such-column"])
    assert client.get(url).status_code == 404


def test_the_sitemap_lists_published_documents_and_catalogue_pages(client, world):
    document = published(world)
    withdrawn = published(world, title="撤回的文件")
    services.withdraw(world.reviewer, withdrawn, "误发")
    index = ET.fromstring(client.get("/sitemap.xml").content)
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    sections = [loc.text for loc in index.findall("s:sitemap/s:loc", ns)]
    assert any(s.endswith("/sitemap-documents.xml") for s in sections)
    urls = ET.fromstring(client.get("/sitemap-documents.xml").content)
    locations = [loc.text for loc in urls.findall("s:url/s:loc", ns)]
    assert any(loc.endswith(document.get_absolute_url()) for loc in locations)
    assert not any(loc.endswith(withdrawn.get_absolute_url()) for loc in locations)
    catalogues = ET.fromstring(client.get("/sitemap-catalogues.xml").content)
    assert any(
        loc.text.endswith("/documents/152200/policies/")
        for loc in catalogues.findall("s:url/s:loc", ns)
    )


def test_the_print_view_has_the_document_without_the_site_chrome(client, world):
    document = published(world, title="可打印的文件")
    html = page(client, reverse("publications:print", args=["152200", document.pk]))
    assert "可打印的文件" in html and 'class="meta-box"' in html and "data-print" in html
    assert "site-header" not in html


def test_large_text_mode_is_remembered_in_a_cookie(client, world):
    url = reverse("publications:agency", args=["152200"])
    response = client.get(reverse("publications:text_size") + f"?large=1&next={url}")
    assert response.status_code == 302 and response["Location"] == url
    assert response.cookies[LARGE_TEXT_COOKIE].value == "1"
    assert re.search(r'<body class="[^"]*large-text', page(client, url))
    client.get(reverse("publications:text_size") + f"?large=0&next={url}")
    assert not re.search(r'<body class="[^"]*large-text', page(client, url))


def test_the_text_size_switch_does_not_redirect_off_site(client, world):
    response = client.get(reverse("publications:text_size") + "?large=1&next=https://evil.example/")
    assert response["Location"] == reverse("publications:index")


@pytest.mark.parametrize("name", ["index", "search"])
def test_portal_pages_have_no_inline_scripts(client, world, name):
    html = page(client, reverse(f"publications:{name}"))
    scripts = re.findall(r"<script([^>]*)>", html)
    assert scripts and all("src=" in attrs for attrs in scripts), scripts
    assert "onclick=" not in html


def test_the_portal_script_handles_text_size_print_and_keys():
    script = (STATIC / "portal.js").read_text()
    for needle in ("data-text-size", "gk_large_text", "data-print", '"/"', "data-nav-item"):
        assert needle in script, needle


def test_pages_are_responsive():
    css = (STATIC / "portal.css").read_text()
    assert "@media (max-width:40rem)" in css and "@media print" in css


def test_the_agency_page_links_to_its_catalogue(client, world):
    html = page(client, reverse("agencies:detail", args=["152200"]))
    assert reverse("publications:agency", args=["152200"]) in html
