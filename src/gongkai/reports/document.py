"""The whole report as one structure: title, sections 一–六, and the three tables' layouts."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from gongkai.reports import layout

SECTION_TITLES_2021 = {
    "overview": "一、总体情况",
    "table2": "二、主动公开政府信息情况",
    "table3": "三、收到和处理政府信息公开申请情况",
    "table4": "四、政府信息公开行政复议、行政诉讼情况",
    "problems": "五、存在的主要问题及改进情况",
    "other": "六、其他需要报告的事项",
}
SECTION_TITLES_2019 = {
    **SECTION_TITLES_2021,
    "problems": "五、政府信息公开工作存在的主要问题及改进情况",
}


@dataclass
class Section:
    title: str
    text: str = ""
    table: layout.Table | None = None


@dataclass
class ReportDocument:
    title: str
    agency_name: str
    year: int
    scope_label: str
    sections: list[Section]
    period_note: str


def build(data: dict[str, Any], texts: dict[str, str] | None = None) -> ReportDocument:
    """From the report JSON (computed or locked snapshot) and the section texts."""
    texts = texts or {}
    year = int(data["year"])
    titles = SECTION_TITLES_2021 if year >= 2021 else SECTION_TITLES_2019
    table2 = {k: (Decimal(v) if isinstance(v, str) else v) for k, v in data["table2"].items()}
    scope = data["scope"]
    name = data["agency"]["name"]
    scope_suffix = "" if scope["kind"] == "self" else "（含下级机构）"
    return ReportDocument(
        title=f"{name}{year}年政府信息公开工作年度报告{scope_suffix}",
        agency_name=name,
        year=year,
        scope_label=scope["label"],
        period_note=f"本报告中所列数据的统计期限为{year}年1月1日至{year}年12月31日。",
        sections=[
            Section(titles["overview"], texts.get("overview", "")),
            Section(titles["table2"], table=layout.table2(table2, year)),
            Section(titles["table3"], table=layout.table3(data["table3"], year)),
            Section(titles["table4"], table=layout.table4(data["table4"])),
            Section(titles["problems"], texts.get("problems", "")),
            Section(titles["other"], texts.get("other", "")),
        ],
    )
