"""``gongkai search query`` and ``gongkai search reindex``."""

from __future__ import annotations

import io
import json
import sys
import types

import pytest
from django.core.management import CommandError, call_command

from gongkai import search
from tests.search.conftest import build_doc


def run(*args: str, stdout=None) -> str:
    out = stdout or io.StringIO()
    call_command("search", *args, stdout=out)
    return out.getvalue()


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture
def records_module(monkeypatch):
    """A stand-in for gongkai.publications.indexing with three published documents."""
    module = types.ModuleType("gongkai.publications.indexing")
    documents = [build_doc(title=f"命令行重建{n}") for n in range(3)]
    module.iter_search_records = lambda: iter(documents)
    module.count_search_records = lambda: len(documents)
    monkeypatch.setitem(sys.modules, "gongkai.publications.indexing", module)
    return documents


# --- query -------------------------------------------------------------------------------------


def test_query_prints_ids_and_titles_as_json_with_chinese_unescaped(make_doc):
    first = make_doc(title="兴安盟信息公开指南", doc_number="兴署发〔2026〕1号")
    second = make_doc(body_text="信息公开")

    output = run("query", "信息公开", "--format", "json")

    assert "兴安盟信息公开指南" in output, "ensure_ascii=False keeps Chinese readable"
    data = json.loads(output)
    assert [(h["id"], h["title"]) for h in data["hits"]] == [
        (first.id, "兴安盟信息公开指南"),
        (second.id, "无关标题"),
    ]
    assert (data["total"], data["page"], data["pages"], data["query"]) == (2, 1, 1, "信息公开")
    assert data["hits"][0]["doc_number"] == "兴署发〔2026〕1号"
    assert data["hits"][0]["published_at"].startswith("2026-01-05T")


def test_query_prints_a_summary_and_one_line_per_hit_as_text(make_doc):
    record = make_doc(title="草原防火通知")
    output = run("query", "草原防火")
    assert output.splitlines() == [
        "“草原防火”：共 1 条结果（第 1/1 页）",
        f"{record.id}\t草原防火通知",
    ]


def test_query_pages(make_doc):
    made = [make_doc(title=f"分页{n}") for n in range(5)]
    data = json.loads(run("query", "分页", "--format", "json", "--per-page", "2", "--page", "3"))
    assert [h["id"] for h in data["hits"]] == [made[0].id]
    assert (data["total"], data["pages"]) == (5, 3)


def test_query_limits_to_an_agency_and_its_subtree_by_code(world, make_doc):
    own = make_doc(agency_path=world.league.path, title="盟内文件")
    below = make_doc(agency_path=world.county.path, title="盟内文件")
    make_doc(agency_path=world.sibling.path, title="盟内文件")
    data = json.loads(run("query", "盟内文件", "--agency", world.league.code, "--format", "json"))
    assert {h["id"] for h in data["hits"]} == {own.id, below.id}


def test_query_with_an_unknown_agency_code_fails_in_chinese(db):
    with pytest.raises(CommandError, match="找不到机构编码：nope"):
        run("query", "公开", "--agency", "nope")


def test_query_of_one_character_fails_asking_for_two(db):
    with pytest.raises(CommandError, match="至少两个字"):
        run("query", "公")


def test_query_rejects_a_page_that_is_not_positive(db):
    with pytest.raises(CommandError, match="应为正整数"):
        run("query", "公开", "--page", "0")


# --- reindex -----------------------------------------------------------------------------------


def test_reindex_rebuilds_from_the_publications_records(records_module, make_doc):
    stale = make_doc(title="命令行旧文件")
    output = run("reindex", "--batch-size", "2")
    assert "已重建全文索引：3 个文件" in output
    assert "\r" not in output, "no progress bar when not on a terminal"
    assert search.query("命令行重建").total == 3
    assert search.query("命令行旧文件").total == 0, f"{stale.id} is no longer published"


def test_reindex_shows_a_progress_bar_on_a_terminal(records_module, db):
    output = run("reindex", "--batch-size", "2", stdout=Terminal())
    assert "\r重建索引 [" in output
    assert "100% 3/3" in output


def test_reindex_without_the_publications_module_says_so(monkeypatch, db):
    monkeypatch.setitem(sys.modules, "gongkai.publications.indexing", None)
    with pytest.raises(CommandError, match=r"gongkai\.publications\.indexing"):
        run("reindex")


def test_query_without_the_index_table_asks_to_migrate(monkeypatch, db):
    from django.db import DatabaseError

    from gongkai.search import engine

    def missing(*args, **kwargs):
        raise DatabaseError("no such table: search_entry")

    monkeypatch.setattr(engine, "query", missing)
    with pytest.raises(CommandError, match="gongkai migrate"):
        run("query", "公开")
