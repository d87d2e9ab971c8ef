"""``gongkai workdays add|check|between|years|load-notice``: output, exit codes, and that bad
input writes nothing."""

from __future__ import annotations

import io
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from gongkai.workdays.models import CalendarOverride, LoadedYear
from tests.workdays.conftest import notice

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("workdays", *args, stdout=out)
    return out.getvalue()


class Terminal(io.StringIO):
    """Standard input that claims to be an interactive terminal."""

    def isatty(self) -> bool:
        return True


class Pipe(io.StringIO):
    def isatty(self) -> bool:
        return False


@pytest.fixture
def notice_file(tmp_path):
    def write(name: str, text: str | None = None, encoding: str = "utf-8") -> str:
        path = tmp_path / f"{name}.txt"
        path.write_bytes((text if text is not None else notice(name)).encode(encoding))
        return str(path)

    return write


def nothing_written() -> bool:
    return LoadedYear.objects.count() == 0 and CalendarOverride.objects.count() == 0


# --- add / check / between / years --------------------------------------------------------------


def test_add_prints_exactly_the_due_date():
    assert run("add", "2026-02-13", "20") == "2026-03-19\n"


def test_check_explains_a_make_up_working_day():
    assert run("check", "2026-02-14") == "2026-02-14（周六）：工作日（春节调休上班）\n"


def test_check_explains_a_holiday():
    assert run("check", "2026-10-05") == "2026-10-05（周一）：休息日（国庆节）\n"


def test_between_prints_the_number_of_working_days():
    assert run("between", "2026-02-13", "2026-03-19") == "20\n"


def test_a_region_option_uses_that_agencys_calendar(world):
    from tests.workdays.test_overrides import NAADAM

    CalendarOverride.objects.create(
        date=NAADAM, is_workday=False, name="那达慕", region=world.league
    )
    assert run("add", "2026-07-10", "1", "--region", world.county.code) == "2026-07-14\n"
    assert run("add", "2026-07-10", "1") == "2026-07-13\n"


def test_an_unknown_region_is_refused():
    with pytest.raises(CommandError, match="找不到机构编码为“nowhere”的机构"):
        run("add", "2026-07-10", "1", "--region", "nowhere")


def test_years_lists_the_built_in_years_with_their_source():
    lines = run("years").splitlines()
    assert lines[0].startswith("2004  内置数据（chinesecalendar ")
    assert lines[-1].startswith("2026  内置数据")
    assert len(lines) == 23


def test_years_shows_a_loaded_year_with_its_notice(notice_file):
    run("load-notice", notice_file("2027-sample"), "--yes")
    last = run("years").splitlines()[-1]
    assert last.startswith("2027  国务院办公厅关于2027年部分节假日安排的通知（载入于")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["add", "2026-02-30", "20"], "日期不存在"),
        (["add", "13/02/2026", "20"], "日期格式不正确"),
        (["add", "2026-02-13", "-3"], "工作日数应为非负整数"),
        (["add", "2026-02-13", "twenty"], "工作日数应为非负整数"),
        (["add", "2026-12-20", "20"], "2027年的节假日安排尚未载入"),
        (["check", "2027-01-04"], "2027年的节假日安排尚未载入"),
        (["between", "2026-02-13", "2027-01-04"], "2027年的节假日安排尚未载入"),
        (["check", "tomorrow"], "日期格式不正确"),
    ],
    ids=[
        "impossible",
        "format",
        "negative",
        "not-a-number",
        "2027",
        "check-2027",
        "between",
        "word",
    ],
)
def test_bad_input_is_refused_with_a_chinese_message(args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)


# --- load-notice --------------------------------------------------------------------------------


def test_load_notice_with_yes_prints_the_preview_and_loads(notice_file):
    output = run("load-notice", notice_file("2027-sample"), "--yes")
    assert "休息日（25天）：" in output
    assert "  2026-12-31（周四） 元旦" in output
    assert "调休上班日（4天）：" in output
    assert "  2027-01-09（周六） 元旦调休上班" in output
    assert "2027年目前没有节假日数据" in output
    assert output.endswith("已载入2027年节假日安排：休息日25天，调休上班日4天。\n")
    assert LoadedYear.objects.get().year == 2027
    assert run("add", "2026-12-20", "20") == "2027-01-18\n"


def test_load_notice_refuses_without_yes_when_stdin_is_not_a_terminal(notice_file, monkeypatch):
    monkeypatch.setattr(sys, "stdin", Pipe(""))
    out = io.StringIO()
    with pytest.raises(CommandError, match="--yes"):
        call_command("workdays", "load-notice", notice_file("2027-sample"), stdout=out)
    assert "休息日（25天）" in out.getvalue(), "the preview is shown before refusing"
    assert nothing_written()


def test_load_notice_asks_on_a_terminal_and_loads_on_y(notice_file, monkeypatch):
    monkeypatch.setattr(sys, "stdin", Terminal("y\n"))
    output = run("load-notice", notice_file("2027-sample"))
    assert "确认载入2027年的节假日安排？[y/N] " in output
    assert LoadedYear.objects.filter(year=2027).exists()


@pytest.mark.parametrize("answer", ["\n", "n\n", "no\n", ""])
def test_load_notice_on_a_terminal_cancels_on_anything_but_y(notice_file, monkeypatch, answer):
    monkeypatch.setattr(sys, "stdin", Terminal(answer))
    with pytest.raises(CommandError, match="已取消"):
        run("load-notice", notice_file("2027-sample"))
    assert nothing_written()


def test_load_notice_reads_a_gb18030_file(notice_file):
    run("load-notice", notice_file("2027-sample", encoding="gb18030"), "--yes")
    assert LoadedYear.objects.filter(year=2027).exists()


def test_load_notice_takes_a_source_and_a_year(notice_file):
    run(
        "load-notice",
        notice_file("2027-sample"),
        "--yes",
        "--year",
        "2027",
        "--source",
        "国办发明电",
    )
    assert LoadedYear.objects.get().source == "国办发明电"


@pytest.mark.parametrize(
    ("text", "extra", "message"),
    [
        (
            "国务院办公厅关于2027年部分节假日安排的通知\n一、元旦：1月1日放假，大家休息。",
            [],
            "无法识别",
        ),
        (None, ["--year", "2028"], "与指定的2028年不符"),
        (None, ["--year", "27"], "年份应为四位数字"),
        ("", [], "通知内容为空"),
    ],
    ids=["unknown-wording", "year-mismatch", "bad-year", "empty"],
)
def test_an_unparseable_notice_is_refused_and_nothing_is_written(notice_file, text, extra, message):
    with pytest.raises(CommandError, match=message):
        run("load-notice", notice_file("2027-sample", text), "--yes", *extra)
    assert nothing_written()


def test_a_missing_notice_file_is_refused():
    with pytest.raises(CommandError, match="找不到文件"):
        run("load-notice", "/nonexistent/notice.txt", "--yes")


# --- the real command line: exit codes and standard error ---------------------------------------


@pytest.fixture(scope="module")
def cli_home(tmp_path_factory):
    """A migrated SQLite database in a fresh GONGKAI_VAR_DIR for subprocess runs."""
    var = tmp_path_factory.mktemp("cli-var")
    env = {**os.environ, "GONGKAI_VAR_DIR": str(var), "PYTHONIOENCODING": "utf-8"}
    env.pop("GONGKAI_DATABASE_URL", None)
    env.pop("GONGKAI_TODAY", None)
    done = subprocess.run(
        [sys.executable, "-m", "gongkai.cli", "migrate", "-v0"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return var, env


def cli(cli_home, *args: str, stdin: str = "") -> subprocess.CompletedProcess:
    _var, env = cli_home
    return subprocess.run(
        [sys.executable, "-m", "gongkai.cli", "workdays", *args],
        input=stdin,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )


def loaded_rows(cli_home) -> tuple[int, int]:
    var, _env = cli_home
    with sqlite3.connect(Path(var) / "gongkai.sqlite3") as connection:
        years = connection.execute("select count(*) from workdays_loadedyear").fetchone()[0]
        rows = connection.execute("select count(*) from workdays_calendaroverride").fetchone()[0]
    return years, rows


def test_the_command_line_prints_the_due_date_and_exits_zero(cli_home):
    done = cli(cli_home, "add", "2026-02-13", "20")
    assert (done.returncode, done.stdout, done.stderr) == (0, "2026-03-19\n", "")


def test_the_command_line_reports_a_bad_date_on_stderr_with_a_non_zero_exit(cli_home):
    done = cli(cli_home, "add", "2026-02-30", "20")
    assert done.returncode != 0
    assert "日期不存在" in done.stderr
    assert done.stdout == ""


def test_the_command_line_reports_an_unknown_year_on_stderr(cli_home):
    done = cli(cli_home, "add", "2026-12-20", "20")
    assert done.returncode != 0
    assert "2027年的节假日安排尚未载入" in done.stderr


def test_the_command_line_refuses_a_bad_notice_and_writes_nothing(cli_home, tmp_path):
    path = tmp_path / "bad.txt"
    path.write_text(
        notice("2027-sample").replace("共8天。2月20日", "共9天。2月20日"), encoding="utf-8"
    )
    done = cli(cli_home, "load-notice", str(path), "--yes")
    assert done.returncode != 0
    assert "写明“共9天”" in done.stderr
    assert loaded_rows(cli_home) == (0, 0)


def test_the_command_line_refuses_to_load_from_a_pipe_without_yes(cli_home, tmp_path):
    path = tmp_path / "2027.txt"
    path.write_text(notice("2027-sample"), encoding="utf-8")
    done = cli(cli_home, "load-notice", str(path), stdin="y\n")
    assert done.returncode != 0
    assert "--yes" in done.stderr
    assert loaded_rows(cli_home) == (0, 0)
