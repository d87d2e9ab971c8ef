"""``gongkai clock explain FILE``: JSON in, JSON out, Chinese errors with a non-zero exit."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

# The example of the requests issue, with dates worked out by hand:
# received Fri 2026-02-13; 补正 notice Mon 2/16 (limit 3/2), deadline 3/6; corrected application
# Wed 3/4 → 20 working days restart from 3/4. Third party consulted Tue 3/10 (3/5, 3/6, 3/9,
# 3/10 consumed: 4, 16 left), received it 3/12, opinion Fri 3/20 → resume Mon 3/23:
# 3/23–27 (5), 3/30–4/3 (10), 4/4–6 off, 4/7–10 (14), 4/13–14 (16) → Tue 4/14.
# Extension of 20 notified Wed 4/1 (before 4/14): 4/15–17 (3), 4/20–24 (8), 4/27–30 (12),
# 5/1–5/5 off, 5/6–8 (15), 5/9 Sat works (16), 5/11–14 (20) → Thu 2026-05-14.
# Reply Mon 5/11.
EXAMPLE = {
    "received_on": "2026-02-13",
    "events": [
        {"type": "correction_requested", "on": "2026-02-16", "deadline": "2026-03-06"},
        {"type": "correction_received", "on": "2026-03-04"},
        {
            "type": "consultation_opened",
            "on": "2026-03-10",
            "party": "third_party",
            "party_received_on": "2026-03-12",
        },
        {"type": "consultation_closed", "on": "2026-03-20"},
        {"type": "extension_granted", "on": "2026-04-01", "workdays": 20},
        {"type": "reply_issued", "on": "2026-05-11", "outcome": "disclosed"},
    ],
}


def explain(tmp_path: Path, document, *extra: str) -> dict:
    path = tmp_path / "request.json"
    path.write_text(
        document if isinstance(document, str) else json.dumps(document), encoding="utf-8"
    )
    out = io.StringIO()
    call_command("clock", "explain", str(path), *extra, stdout=out)
    return json.loads(out.getvalue())


def test_explain_prints_the_due_date_status_pauses_and_explanation(tmp_path):
    result = explain(tmp_path, EXAMPLE, "--national", "--today", "2026-05-12")
    assert result["due_on"] == "2026-05-14"
    assert result["status"] == "replied"
    assert result["paused"] == [["2026-03-10", "2026-03-20"]]
    assert result["clock_start"] == "2026-03-04"
    assert result["extension_workdays"] == 20
    assert result["outcome"] == "disclosed"
    assert result["explanation"][0] == "2026年2月13日收到申请（第三十一条）。"
    assert any("5月9日（周六，调休上班）为第36个工作日" in s for s in result["explanation"])


def test_explain_reads_the_national_calendar_and_overrides_from_the_database(tmp_path, db):
    result = explain(tmp_path, {"received_on": "2026-02-13", "events": []}, "--today", "2026-02-14")
    assert result["due_on"] == "2026-03-19"
    assert result["status"] == "in_progress"


def test_explain_takes_today_from_the_document(tmp_path):
    document = {
        "received_on": "2026-02-13",
        "events": [{"type": "consultation_opened", "on": "2026-03-02", "party": "agency"}],
        "today": "2026-03-31",
    }
    result = explain(tmp_path, document, "--national")
    assert result["today"] == "2026-03-31"
    assert result["status"] == "consulting"
    assert result["paused"] == [["2026-03-02", None]]
    assert result["provisional"] is True
    assert result["due_on"] == "2026-04-20"


def test_explain_reads_standard_input(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO(json.dumps(EXAMPLE)))
    out = io.StringIO()
    call_command("clock", "explain", "-", "--national", "--today", "2026-05-12", stdout=out)
    assert json.loads(out.getvalue())["due_on"] == "2026-05-14"


def test_explain_output_keeps_chinese_readable(tmp_path):
    path = tmp_path / "request.json"
    path.write_text(json.dumps(EXAMPLE), encoding="utf-8")
    out = io.StringIO()
    call_command("clock", "explain", str(path), "--national", "--today", "2026-05-12", stdout=out)
    assert "收到申请" in out.getvalue(), "ensure_ascii=False: no \\u escapes"


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ("{not json", "不是有效的 JSON"),
        ("[]", "应为 JSON 对象"),
        ({"events": []}, "缺少 received_on"),
        ({"received_on": "2026-02-30", "events": []}, "日期不存在"),
        ({"received_on": "13/02/2026", "events": []}, "日期格式不正确"),
        ({"received_on": "2026-02-13", "events": {}}, "events 应为事项列表"),
        ({"received_on": "2026-02-13", "events": [{"on": "2026-02-14"}]}, "缺少 type 或 on"),
        (
            {"received_on": "2026-02-13", "events": [{"type": "received", "on": "2026-02-14"}]},
            "未知的事项类型",
        ),
        (
            {"received_on": "2026-02-13", "events": [{"type": "withdrawn", "on": "2026-2-14"}]},
            "日期格式不正确",
        ),
        (
            {
                "received_on": "2026-02-13",
                "events": [
                    {"type": "correction_requested", "on": "2026-02-16", "deadline": "2026-03-06"},
                    {"type": "correction_requested", "on": "2026-02-17", "deadline": "2026-03-06"},
                ],
            },
            "一次性",
        ),
        (
            {
                "received_on": "2026-02-13",
                "events": [{"type": "reply_issued", "on": "2026-02-16"}],
            },
            "必须选择办理结果",
        ),
        ({"received_on": "2026-12-20", "events": []}, "2027年的节假日安排尚未载入"),
    ],
    ids=[
        "bad-json",
        "not-an-object",
        "no-received-on",
        "impossible-date",
        "bad-date-format",
        "events-not-a-list",
        "event-without-type",
        "unknown-type",
        "bad-event-date",
        "illegal-sequence",
        "reply-without-outcome",
        "missing-calendar-year",
    ],
)
def test_bad_input_is_refused_with_a_chinese_message(tmp_path, document, message):
    with pytest.raises(CommandError, match=message):
        explain(tmp_path, document, "--national", "--today", "2026-12-21")


def test_a_missing_file_is_refused():
    with pytest.raises(CommandError, match="找不到文件"):
        call_command("clock", "explain", "/nonexistent/request.json", "--national")


def test_a_bad_today_option_is_refused(tmp_path):
    with pytest.raises(CommandError, match="--today"):
        explain(tmp_path, EXAMPLE, "--national", "--today", "yesterday")


def _run_cli(tmp_path: Path, stdin: str) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "GONGKAI_VAR_DIR": str(tmp_path / "var"),
        "PYTHONIOENCODING": "utf-8",
    }
    env.pop("GONGKAI_DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "gongkai.cli", "clock", "explain", "-", "--national"],
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=120,
        check=False,
    )


def test_the_command_line_exits_zero_with_json_on_stdout(tmp_path):
    completed = _run_cli(tmp_path, json.dumps({**EXAMPLE, "today": "2026-05-12"}))
    assert completed.returncode == 0, completed.stderr
    assert json.loads(completed.stdout)["due_on"] == "2026-05-14"


def test_the_command_line_exits_non_zero_with_the_message_on_stderr(tmp_path):
    completed = _run_cli(
        tmp_path,
        json.dumps({"received_on": "2026-02-13", "events": [{"type": "x", "on": "2026-02-14"}]}),
    )
    assert completed.returncode != 0
    assert "未知的事项类型" in completed.stderr
    assert completed.stdout == ""
