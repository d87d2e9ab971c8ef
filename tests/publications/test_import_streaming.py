"""The importers read their source twice and keep no row's content (issue 9: 100,000 rows).

Pass 1 validates every row and keeps only what the cross-row checks need; pass 2 reads the
unchanged source again and writes row by row in one transaction.
"""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.core.errors import DomainError
from gongkai.publications.importing import common
from gongkai.publications.importing.common import write
from gongkai.publications.importing.pages import UndecodableText, decode, file_encoding
from gongkai.publications.importing.site import plan_pages
from gongkai.publications.importing.table import plan_table
from gongkai.publications.models import Document, ImportedSource

SAMPLES = Path(__file__).resolve().parent / "samples"
HEADER = ["机构编码", "栏目", "标题", "发文字号", "发布日期", "正文"]


def catalogue(path: Path, count: int, *, start: int = 0, last: list[str] | None = None) -> Path:
    """A CSV catalogue of ``count`` distinct rows of 152200 / policies (``last`` replaces the
    final row)."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for i in range(start, start + count):
            writer.writerow(
                ["152200", "policies", f"关于第{i + 1}项工作的通知", f"兴署发〔2024〕{i + 1}号",
                 f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}", f"第{i + 1}项工作的正文。"]
            )  # fmt: skip
        if last is not None:
            writer.writerow(last)
    return path


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def reviewer(world):
    return get_user_model().objects.get(username="league_reviewer")


def test_a_table_changed_between_the_passes_is_refused_and_nothing_is_written(reviewer, tmp_path):
    path = catalogue(tmp_path / "t.csv", 3)
    plan = plan_table(path, actor=reviewer)
    assert plan.ok and plan.count == 3, plan.problems
    with path.open("a", encoding="utf-8", newline="") as handle:
        handle.write("152200,policies,后来加上的文件,,2024-05-01,正文。\r\n")
    with pytest.raises(DomainError, match=r"文件 t\.csv 在检查之后被修改了，未导入任何文件"):
        write(reviewer, plan.items(), review_note=lambda item: "迁移导入")
    assert not Document.objects.exists(), "nothing is written from a file that changed"


def test_a_table_changed_during_the_write_is_rolled_back(reviewer, tmp_path):
    path = catalogue(tmp_path / "t.csv", 3)
    plan = plan_table(path, actor=reviewer)

    def rewrite_after_the_first(_document):
        path.write_text(path.read_text(encoding="utf-8").replace("第3项", "第三项"), "utf-8")

    with pytest.raises(DomainError, match="在检查之后被修改了"):
        write(
            reviewer,
            plan.items(),
            review_note=lambda item: "迁移导入",
            on_created=rewrite_after_the_first,
        )
    assert not Document.objects.exists(), "the documents written before the check are undone"
    assert not ImportedSource.objects.exists()


def test_a_page_folder_changed_between_the_passes_is_refused(world, tmp_path):
    folder = tmp_path / "pages"
    shutil.copytree(SAMPLES / "pages", folder)
    head = get_user_model().objects.get(username="league_head")
    plan = plan_pages(folder, actor=head, agency=world.league, column_code="notices")
    assert plan.ok and plan.count == 4, plan.problems
    (folder / "new.html").write_text(
        (folder / "notice-2024.html").read_text(encoding="utf-8"), encoding="utf-8"
    )
    with pytest.raises(DomainError, match="文件夹 pages 中的网页在检查之后被修改了"):
        write(head, plan.items(), review_note=lambda item: "迁移导入")
    assert not Document.objects.exists()


def test_a_problem_in_the_last_row_stops_the_whole_import(world, tmp_path):
    path = catalogue(
        tmp_path / "t.csv", 299, last=["152200", "policies", "最后一份", "", "2024-02-30", "正文"]
    )
    err = io.StringIO()
    with pytest.raises(CommandError, match="发现 1 处问题，未导入任何文件"):
        call_command(
            "import", "documents", str(path), "--user", "league_reviewer",
            stdout=io.StringIO(), stderr=err,
        )  # fmt: skip
    assert "第301行，发布日期：日期不存在：“2024-02-30”" in err.getvalue()
    assert not Document.objects.exists(), "the 299 good rows are not written either"


def test_copies_are_skipped_across_the_chunks_of_pass_one(world, tmp_path, monkeypatch):
    monkeypatch.setattr(common, "CHUNK", 2)
    path = catalogue(tmp_path / "t.csv", 4)
    path.write_text(
        path.read_text(encoding="utf-8")
        + "152200,policies,关于第1项工作的通知,兴署发〔2024〕1号,2024-01-01,第1项工作的正文。\r\n",
        encoding="utf-8",
    )
    out, _err = run("documents", str(path), "--user", "league_reviewer")
    assert "跳过 第6行：与第2行内容相同，跳过" in out
    assert "完成：创建 4 份文件，跳过 1 份。" in out
    out, _err = run("documents", str(path), "--user", "league_reviewer")
    assert out.count("已导入过，跳过") == 5 and "创建 0 份" in out, "the copy too"


def test_index_numbers_repeated_across_chunks_are_reported(world, tmp_path, monkeypatch):
    monkeypatch.setattr(common, "CHUNK", 2)
    path = tmp_path / "t.csv"
    path.write_text(
        "机构编码,栏目,标题,索引号,发布日期,正文\n"
        "152200,policies,甲,011234567/2024-00001,2024-01-01,甲。\n"
        "152200,policies,乙,,2024-01-01,乙。\n"
        "152200,policies,丙,011234567/2024-00001,2024-01-01,丙。\n",
        encoding="utf-8",
    )
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import", "documents", str(path), "--user", "league_reviewer",
            stdout=io.StringIO(), stderr=err,
        )  # fmt: skip
    assert "第4行，索引号：索引号 011234567/2024-00001 与第2行重复。" in err.getvalue()


def test_created_documents_are_listed_after_the_commit(world, tmp_path):
    out, _err = run("documents", str(catalogue(tmp_path / "t.csv", 3)), "--user", "league_reviewer")
    listed = [line for line in out.splitlines() if line.startswith("已创建 ")]
    assert len(listed) == 3 and "《关于第3项工作的通知》" in listed[2], out
    assert out.splitlines()[-1] == "完成：创建 3 份文件，跳过 0 份。"


def test_a_gb18030_catalogue_is_read_without_loading_it(world, tmp_path):
    path = tmp_path / "gbk.csv"
    path.write_bytes(
        "机构编码,栏目,标题,发布日期,正文\n152200,policies,兴安盟公告,2024-01-02,正文。\n".encode(
            "gb18030"
        )
    )
    assert file_encoding(path) == "gb18030"
    run("documents", str(path), "--user", "league_reviewer")
    assert Document.objects.get().title == "兴安盟公告"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.one_of(
        st.binary(max_size=300),
        st.text(max_size=200).map(lambda t: t.encode("utf-8")),
        st.text(alphabet="政府信息公开兴安盟，。abc\n", max_size=200).map(
            lambda t: t.encode("gb18030")
        ),
        st.tuples(
            st.text(alphabet="政府信息公开兴安盟", min_size=25, max_size=60), st.binary(max_size=3)
        ).map(lambda p: p[0].encode("utf-8") + p[1]),
    )
)
def test_the_streamed_encoding_is_the_one_decode_picks(raw):
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "t.csv"
        path.write_bytes(raw)
        try:
            expected = decode(raw)[1]
        except UndecodableText as exc:
            with pytest.raises(UndecodableText) as caught:
                file_encoding(path)
            assert caught.value.message == exc.message, "the same bytes are named"
            return
        assert file_encoding(path) == expected


def _queries_of_import(path: Path) -> int:
    with CaptureQueriesContext(connection) as queries:
        run("documents", str(path), "--user", "league_reviewer")
    return len(queries.captured_queries)


def test_queries_per_row_are_constant(world, tmp_path):
    run("documents", str(catalogue(tmp_path / "warm.csv", 30, start=10_000)), "--user",
        "league_reviewer")  # fmt: skip
    sizes = (50, 100, 150)
    counts = []
    start = 0
    for size in sizes:
        counts.append(_queries_of_import(catalogue(tmp_path / f"{size}.csv", size, start=start)))
        start += size
    first, second = counts[1] - counts[0], counts[2] - counts[1]
    assert first == second, f"each further 50 rows cost the same queries: {counts}"
    per_row = second / 50
    # 17 today, all in services.import_published and the audit chain (the plan costs a few
    # queries per 500 rows, the sources one INSERT per 50)
    assert per_row <= 20, f"{per_row} queries per row ({counts})"
    assert Document.objects.count() == 330


def test_an_import_is_indexed_for_search_by_one_callback(
    world, tmp_path, django_capture_on_commit_callbacks
):
    from gongkai import search

    path = catalogue(tmp_path / "t.csv", 5)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        run("documents", str(path), "--user", "league_reviewer")
    # One for the search index, one for the portal cache (none if the test's setup already
    # registered it in this transaction): never one or two per row.
    assert len(callbacks) <= 2, f"{len(callbacks)} on-commit callbacks for 5 rows"
    assert search.query("第5项工作").total == 1, "every imported document is searchable"
