"""``gongkai import documents FILE`` and ``gongkai import pages DIR``."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from gongkai.publications.models import (
    Document,
    DocumentStatus,
    ImportedSource,
    NormativeKind,
    Validity,
)

SAMPLES = Path(__file__).resolve().parent / "samples"


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def samples(tmp_path):
    target = tmp_path / "samples"
    shutil.copytree(SAMPLES, target)
    return target


# --- documents FILE -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["catalogue.csv", "catalogue.xlsx"])
def test_a_catalogue_table_is_imported_as_published_documents(world, samples, name):
    out, _err = run("documents", str(samples / name), "--user", world.reviewer.username)
    assert "完成：创建 3 份文件" in out
    rules = Document.objects.get(title="兴安盟行政公署关于印发政府信息公开工作规则的通知")
    assert rules.status == DocumentStatus.PUBLISHED
    assert rules.index_number == "152200/2023-00001"
    assert rules.normative_kind == NormativeKind.NORMATIVE
    assert rules.category.code == "art20-01"
    assert rules.attachments.get().original_name == "notice.pdf"
    assert rules.reviews.get().note.startswith("迁移导入")
    holiday = Document.objects.get(title="关于2023年春节放假安排的通知")
    assert holiday.column.code == "notices"
    assert holiday.doc_number == "兴署办发〔2023〕1号", "mistyped numbers are normalised"
    assert str(holiday.published_on) == "2023-01-06" and str(holiday.written_on) == "2023-01-05"
    old = Document.objects.get(title="兴安盟政府信息公开暂行办法")
    assert old.index_number == "011234567/2020-00003", "the old site's index number is kept"
    assert old.validity == Validity.ABOLISHED and str(old.invalid_on) == "2023-02-15"


def test_the_import_reports_normalised_numbers_in_the_dry_run(world, samples):
    out, _err = run(
        "documents", str(samples / "catalogue.csv"), "--user", "league_reviewer", "--dry-run"
    )
    assert "发文字号“兴署办发[2023]1号”已规范为“兴署办发〔2023〕1号”" in out
    assert "试运行：将创建 3 份文件" in out
    assert not Document.objects.exists(), "a dry run writes nothing"


def test_re_importing_the_same_table_creates_nothing_new(world, samples):
    run("documents", str(samples / "catalogue.csv"), "--user", "league_reviewer")
    out, _err = run("documents", str(samples / "catalogue.csv"), "--user", "league_reviewer")
    assert Document.objects.count() == 3
    assert out.count("已导入过，跳过") == 3 and "创建 0 份" in out


def test_a_bad_table_is_reported_row_by_row_and_nothing_is_written(world, samples):
    with pytest.raises(CommandError) as caught:
        run("documents", str(samples / "bad.csv"), "--user", "league_reviewer")
    assert "发现 4 处问题，未导入任何文件" in str(caught.value)
    assert not Document.objects.exists(), "the valid first row is not written either"


def test_bad_rows_name_their_row_and_field(world, samples):
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import", "documents", str(samples / "bad.csv"), "--user", "league_reviewer",
            stdout=io.StringIO(), stderr=err,
        )  # fmt: skip
    report = err.getvalue()
    assert "第3行，发布日期：日期不存在：“2024-13-01”" in report
    assert "第4行，栏目：兴安盟行政公署没有栏目“不存在的栏目”" in report
    assert "第5行，发文字号：" in report and "例如：内政办发〔2026〕7号" in report
    assert "第6行，附件：附件“fake.pdf”的内容与扩展名 .pdf 不符" in report
    assert "第2行" not in report


def test_an_unknown_header_is_refused(world, tmp_path):
    table = tmp_path / "t.csv"
    table.write_text("标题,发布日期,备注\n文件,2024-01-01,x\n", encoding="utf-8")
    with pytest.raises(CommandError, match="无法识别的列：备注"):
        run(
            "documents",
            str(table),
            "--user",
            "league_reviewer",
            "--agency",
            "152200",
            "--column",
            "policies",
        )


def test_the_importing_user_needs_a_role_in_every_agency(world, samples):
    with pytest.raises(CommandError):
        run("documents", str(samples / "catalogue.csv"), "--user", world.sibling_officer.username)
    assert not Document.objects.exists()


def test_an_officer_may_not_import_historical_publications(world, samples):
    with pytest.raises(CommandError):
        run("documents", str(samples / "catalogue.csv"), "--user", "league_officer")


def test_an_unknown_user_is_refused(world, samples):
    with pytest.raises(CommandError, match="没有用户名为 nobody"):
        run("documents", str(samples / "catalogue.csv"), "--user", "nobody")


def test_index_numbers_already_in_the_catalogue_are_refused(world, samples):
    from tests.publications.factories import published

    existing = published(world)
    Document.objects.filter(pk=existing.pk).update(index_number="011234567/2020-00003")
    with pytest.raises(CommandError):
        run("documents", str(samples / "catalogue.csv"), "--user", "league_reviewer")
    assert Document.objects.count() == 1


# --- pages DIR -------------------------------------------------------------------------------------


def test_saved_pages_are_imported_with_their_metadata(world, samples):
    out, err = run(
        "pages", str(samples / "pages"), "--agency", "152200", "--column", "notices",
        "--user", "league_head",
    )  # fmt: skip
    assert "完成：创建 4 份文件" in out
    assert "解析网页" in err, "progress is shown on stderr"
    notice = Document.objects.get(title="关于做好2024年政府信息公开工作的通知")
    assert notice.index_number == "011234567/2024-00031"
    assert notice.doc_number == "兴署办发〔2024〕7号"
    assert str(notice.published_on) == "2024-03-05"
    assert notice.import_source.source_path == "notice-2024.html"
    assert "版权所有" not in notice.body_html
    traditional = Document.objects.get(index_number="011234567/2023-00012")
    assert traditional.title == "关于进一步做好政务公开工作的通知"
    assert traditional.import_source.original_title == "關於進一步做好政務公開工作的通知"
    reading_aid = Document.objects.get(index_number="011234567/2025-00008")
    assert "zhèng" not in reading_aid.body_text


def test_the_pages_dry_run_lists_what_would_be_created(world, samples):
    out, _err = run(
        "pages", str(samples / "pages"), "--agency", "152200", "--user", "league_head", "--dry-run"
    )
    planned = [line for line in out.splitlines() if line.startswith("将创建 ")]
    assert len(planned) == 4 and "繁体字已转换为简体字" in out
    assert not Document.objects.exists()


def test_re_importing_pages_creates_nothing_new_even_after_moving_a_file(world, samples):
    args = ("pages", str(samples / "pages"), "--agency", "152200", "--user", "league_head")
    run(*args)
    (samples / "pages" / "notice-2024.html").rename(samples / "pages" / "renamed.html")
    out, _err = run(*args)
    assert Document.objects.count() == 4 and ImportedSource.objects.count() == 4
    assert "创建 0 份" in out


def test_an_undecodable_page_stops_the_whole_batch(world, samples):
    with pytest.raises(CommandError) as caught:
        run("pages", str(samples / "bad_pages"), "--agency", "152200", "--user", "league_head")
    assert "未导入任何文件" in str(caught.value)
    assert not Document.objects.exists(), "good.html is not written when broken.html fails"


def test_an_undecodable_page_is_named_in_the_report(world, samples):
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import", "pages", str(samples / "bad_pages"), "--agency", "152200",
            "--user", "league_head", stdout=io.StringIO(), stderr=err,
        )  # fmt: skip
    assert "broken.html，文件：有 3 处字节无法按 UTF-8 解码" in err.getvalue()


def test_an_unknown_column_is_refused(world, samples):
    with pytest.raises(CommandError, match="没有编码为 nope 的栏目"):
        run(
            "pages",
            str(samples / "pages"),
            "--agency",
            "152200",
            "--column",
            "nope",
            "--user",
            "league_head",
        )


def test_a_failure_while_writing_leaves_nothing_behind(world, samples, monkeypatch):
    from gongkai.publications import services

    original = services.import_published
    calls = {"n": 0}

    def flaky(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("disk full")
        return original(*args, **kwargs)

    monkeypatch.setattr(services, "import_published", flaky)
    with pytest.raises(RuntimeError):
        run("pages", str(samples / "pages"), "--agency", "152200", "--user", "league_head")
    assert not Document.objects.exists() and not ImportedSource.objects.exists()
