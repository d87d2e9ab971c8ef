"""The portal search page: filters reach the engine, hits render highlighted, pages link.

The first tests replace ``gongkai.search.query`` with a recorder to pin down the page's contract;
the last ones go through the real engine (SQLite FTS5 or PostgreSQL) end to end.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from gongkai import search
from gongkai.publications import services
from gongkai.publications.indexing import iter_search_records, search_record
from gongkai.publications.models import Validity
from gongkai.search.types import SearchFilters, SearchHit, SearchResults
from tests.publications.conftest import TODAY
from tests.publications.factories import published


class Recorder:
    def __init__(self, hits=(), total=None):
        self.calls = []
        self.hits = list(hits)
        self.total = len(self.hits) if total is None else total

    def __call__(self, text, filters=None, *, page=1, per_page=20):
        self.calls.append((text, filters, page, per_page))
        return SearchResults(text, self.total, page, per_page, list(self.hits))


def hit(document, title_html=None, snippet=""):
    return SearchHit(
        id=document.pk,
        title=document.title,
        title_highlighted=title_html or document.title,
        snippet=snippet,
        published_at=document.published_at,
        title_match=True,
    )


def test_the_search_page_passes_text_filters_and_page_to_the_engine(client, world, monkeypatch):
    recorder = Recorder()
    monkeypatch.setattr(search, "query", recorder)
    published(world)
    client.get(
        reverse("publications:search"),
        {"q": " 信息  公开 ", "agency": "152200", "column": "policies", "category": "art20-01",
         "year": "2026", "validity": "abolished", "page": "3"},
    )  # fmt: skip
    text, filters, page_number, _per_page = recorder.calls[0]
    assert text == "信息 公开"
    assert filters == SearchFilters(
        agency_path=world.league.path,
        column="policies",
        category="art20-01",
        year=2026,
        validity="abolished",
    )
    assert page_number == 3


def test_unknown_filter_values_are_ignored(client, world, monkeypatch):
    recorder = Recorder()
    monkeypatch.setattr(search, "query", recorder)
    client.get(
        reverse("publications:search"), {"q": "公开", "column": "x", "validity": "y", "page": "z"}
    )
    _text, filters, page_number, _ = recorder.calls[0]
    assert filters == SearchFilters() and page_number == 1


def test_hits_render_with_the_engines_highlighting_and_metadata(client, world, monkeypatch):
    document = published(world, title="关于政府信息公开的通知", doc_number="兴署发〔2026〕4号")
    monkeypatch.setattr(
        search,
        "query",
        Recorder(
            [hit(document, "关于<mark>政府信息</mark>公开的通知", "……做好<mark>政府信息</mark>……")]
        ),
    )
    html = client.get(reverse("publications:search"), {"q": "政府信息"}).content.decode()
    assert "关于<mark>政府信息</mark>公开的通知" in html
    assert "……做好<mark>政府信息</mark>……" in html
    assert document.get_absolute_url() in html
    assert "兴署发〔2026〕4号" in html and document.index_number in html
    assert "共找到 1 条信息" in html


def test_a_stale_hit_of_a_withdrawn_document_is_not_shown(client, world, monkeypatch):
    document = published(world, title="已撤回的文件")
    services.withdraw(world.reviewer, document, "误发")
    monkeypatch.setattr(search, "query", Recorder([hit(document)]))
    html = client.get(reverse("publications:search"), {"q": "撤回"}).content.decode()
    assert document.get_absolute_url() not in html


def test_pagination_links_keep_the_query(client, world, monkeypatch):
    document = published(world)
    monkeypatch.setattr(search, "query", Recorder([hit(document)], total=45))
    html = client.get(reverse("publications:search"), {"q": "通知", "page": "2"}).content.decode()
    assert "第 2 页，共 3 页" in html
    assert "page=1" in html and "page=3" in html and "q=%E9%80%9A%E7%9F%A5" in html


def test_an_engine_failure_shows_a_message_not_an_error_page(client, world, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("engine down")

    monkeypatch.setattr(search, "query", broken)
    response = client.get(reverse("publications:search"), {"q": "通知"})
    assert response.status_code == 200
    assert "检索服务暂时不可用" in response.content.decode()


def test_the_empty_search_page_does_not_query(client, world, monkeypatch):
    recorder = Recorder()
    monkeypatch.setattr(search, "query", recorder)
    assert client.get(reverse("publications:search")).status_code == 200
    assert recorder.calls == []


def test_the_search_page_has_a_query_budget(
    client, world, monkeypatch, django_assert_max_num_queries
):
    documents = [published(world, title=f"通知{i}") for i in range(20)]
    monkeypatch.setattr(search, "query", Recorder([hit(d) for d in documents]))
    with django_assert_max_num_queries(6):
        client.get(reverse("publications:search"), {"q": "通知"})


# --- the search record and the real engine ---------------------------------------------------


def test_the_search_record_carries_the_text_numbers_and_filter_values(world):
    document = published(
        world,
        title="关于规范政务公开的通知",
        summary="内容概述",
        doc_number="兴署发〔2026〕6号",
        mongolian_title="ᠮᠣᠩᠭᠣᠯ",
    )
    record = search_record(document)
    assert record.id == document.pk and record.agency_path == world.league.path
    assert record.index_number == document.index_number and record.doc_number == "兴署发〔2026〕6号"
    assert "内容概述" in record.body_text and "ᠮᠣᠩᠭᠣᠯ" in record.body_text
    assert (record.column, record.validity, record.year) == ("policies", "in_force", 2026)


def test_reindexing_reads_published_documents_only(world):
    kept = published(world)
    withdrawn = published(world, title="撤回")
    services.withdraw(world.reviewer, withdrawn, "误发")
    from tests.publications.factories import draft

    draft(world.officer, world.league)
    assert [r.id for r in iter_search_records()] == [kept.pk]


def _published_indexed(world, django_capture_on_commit_callbacks, **kwargs):
    with django_capture_on_commit_callbacks(execute=True):
        return published(world, **kwargs)


def test_the_public_finds_a_published_document_by_search(
    client, world, django_capture_on_commit_callbacks
):
    document = _published_indexed(
        world,
        django_capture_on_commit_callbacks,
        title="兴安盟草原防火工作方案",
        body_html="<p>切实做好草原防火工作。</p>",
    )
    html = client.get(reverse("publications:search"), {"q": "草原防火"}).content.decode()
    assert document.get_absolute_url() in html
    assert "<mark>草原防火</mark>" in html


def test_withdrawing_removes_the_document_from_search(
    client, world, django_capture_on_commit_callbacks
):
    document = _published_indexed(world, django_capture_on_commit_callbacks, title="森林防火通告")
    with django_capture_on_commit_callbacks(execute=True):
        services.withdraw(world.reviewer, document, "误发")
    assert search.query("森林防火").total == 0


def test_abolishing_updates_the_validity_filter(client, world, django_capture_on_commit_callbacks):
    document = _published_indexed(world, django_capture_on_commit_callbacks, title="旧的管理办法")
    with django_capture_on_commit_callbacks(execute=True):
        services.change_validity(world.reviewer, document, Validity.EXPIRED, TODAY)
    assert search.query("管理办法", SearchFilters(validity="expired")).total == 1
    assert search.query("管理办法", SearchFilters(validity="in_force")).total == 0


@pytest.mark.parametrize("subtree_of", ["region", "league"])
def test_the_agency_filter_covers_the_subtree(
    world, django_capture_on_commit_callbacks, subtree_of
):
    from gongkai.agencies.models import Role
    from tests.factories import member

    county_reviewer = member(world.county, Role.REVIEWER)
    with django_capture_on_commit_callbacks(execute=True):
        from tests.publications.factories import draft

        document = draft(world.county_officer, world.county, title="乌兰浩特市城市管理通知")
        services.submit(world.county_officer, document)
        services.review_and_publish(county_reviewer, document)
    agency = getattr(world, subtree_of)
    assert search.query("城市管理", SearchFilters(agency_path=agency.path)).total == 1
    assert search.query("城市管理", SearchFilters(agency_path=world.sibling.path)).total == 0


def test_the_reindex_progress_knows_the_total(world):
    from gongkai.publications.indexing import count_search_records

    published(world)
    published(world, title="第二份")
    assert count_search_records() == 2 == len(list(iter_search_records()))
