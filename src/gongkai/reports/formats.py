"""The national annual-report tables (年度报告格式), as data.

- 2021 format (国办公开办函〔2021〕30号): reports on 2021 and later.
- 2019 format (国办公开办函〔2019〕60号, 试行): reports on 2019 and 2020. Table 3 differs only in
  that （六）其他处理 is one row; table 2 has other columns.
Labels follow legal-rules §3.3–3.5 exactly (full-width curly quotes in 危及“三安全一稳定”).
Row and column ids are stable keys of the JSON export.
"""

from __future__ import annotations

from dataclasses import dataclass

from gongkai.applications.models import ApplicantType
from gongkai.applications.outcomes import GROUP_LABELS, OUTCOMES, Outcome, OutcomeGroup

#: Table 3 columns: the six applicant columns and the total.
APPLICANT_COLUMNS: tuple[str, ...] = tuple(t.value for t in ApplicantType)
TOTAL_COLUMN = "total"
TABLE3_COLUMNS: tuple[str, ...] = (*APPLICANT_COLUMNS, TOTAL_COLUMN)
COLUMN_LABELS: dict[str, str] = {
    **{t.value: str(t.label) for t in ApplicantType},
    TOTAL_COLUMN: "总计",
}

TABLE3_CAPTION = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"


@dataclass(frozen=True)
class Row:
    id: str
    label: str
    group: str = ""
    """The group label (e.g. （三）不予公开) for leaf rows inside a group; empty otherwise."""
    is_leaf: bool = False
    """An outcome leaf row: part of 三、本年度办理结果 and summed into （七）总计."""


NEW = "new"
CARRIED_OVER = "carried_over"
RESULTS_TOTAL = "results_total"
CARRIED_FORWARD = "carried_forward"
OTHER_PROCESSING_2019 = "other_processing"


def _leaf_rows(year: int) -> list[Row]:
    rows: list[Row] = []
    other_done = False
    for code, info in OUTCOMES.items():
        if info.group in (OutcomeGroup.DISCLOSED, OutcomeGroup.PARTIALLY_DISCLOSED):
            rows.append(Row(code.value, info.label, "", True))
        elif info.group is OutcomeGroup.OTHER and year < 2021:
            if not other_done:
                rows.append(Row(OTHER_PROCESSING_2019, GROUP_LABELS[OutcomeGroup.OTHER], "", True))
                other_done = True
        else:
            rows.append(Row(code.value, info.label, GROUP_LABELS[info.group], True))
    return rows


def table3_rows(year: int) -> list[Row]:
    """Rows of table 3 in order: 25 rows (2021 format) or 23 rows (2019 format)."""
    return [
        Row(NEW, "一、本年新收政府信息公开申请数量"),
        Row(CARRIED_OVER, "二、上年结转政府信息公开申请数量"),
        *_leaf_rows(year),
        Row(RESULTS_TOTAL, "（七）总计"),
        Row(CARRIED_FORWARD, "四、结转下年度继续办理"),
    ]


def table3_leaf_ids(year: int) -> list[str]:
    return [r.id for r in _leaf_rows(year)]


def outcome_row(outcome: Outcome | str, year: int) -> str:
    """The table-3 row an outcome is counted in for a report year."""
    info = OUTCOMES[Outcome(outcome)]
    if year < 2021 and info.group is OutcomeGroup.OTHER:
        return OTHER_PROCESSING_2019
    return info.code.value


def format_name(year: int) -> str:
    return "2021" if year >= 2021 else "2019"


# Table 4 — identical in both formats (legal-rules §3.5).
TABLE4_BLOCKS: tuple[tuple[str, str], ...] = (
    ("review", "行政复议"),
    ("lawsuit_direct", "行政诉讼：未经复议直接起诉"),
    ("lawsuit_after_review", "行政诉讼：复议后起诉"),
)
TABLE4_RESULTS: tuple[tuple[str, str], ...] = (
    ("upheld", "结果维持"),
    ("corrected", "结果纠正"),
    ("other", "其他结果"),
    ("pending", "尚未审结"),
    ("total", "总计"),
)


@dataclass(frozen=True)
class Table2Cell:
    id: str
    item: str
    """第二十条第（X）项"""
    row: str
    column: str
    decimal: bool = False
    typed: bool = False
    """True when the figure comes from other systems and is typed in."""


def table2_cells(year: int) -> list[Table2Cell]:
    """Table 2 cells: 10 in the 2021 format; the 2019 format has its own columns."""
    if year >= 2021:
        return [
            Table2Cell("rules_made", "第二十条第（一）项", "规章", "本年制发件数"),
            Table2Cell("rules_abolished", "第二十条第（一）项", "规章", "本年废止件数"),
            Table2Cell("rules_in_force", "第二十条第（一）项", "规章", "现行有效件数"),
            Table2Cell("normative_made", "第二十条第（一）项", "行政规范性文件", "本年制发件数"),
            Table2Cell(
                "normative_abolished", "第二十条第（一）项", "行政规范性文件", "本年废止件数"
            ),
            Table2Cell(
                "normative_in_force", "第二十条第（一）项", "行政规范性文件", "现行有效件数"
            ),
            Table2Cell(
                "licensing_decisions",
                "第二十条第（五）项",
                "行政许可",
                "本年处理决定数量",
                typed=True,
            ),
            Table2Cell(
                "penalty_decisions",
                "第二十条第（六）项",
                "行政处罚",
                "本年处理决定数量",
                typed=True,
            ),
            Table2Cell(
                "coercion_decisions",
                "第二十条第（六）项",
                "行政强制",
                "本年处理决定数量",
                typed=True,
            ),
            Table2Cell(
                "fees_collected",
                "第二十条第（八）项",
                "行政事业性收费",
                "本年收费金额（单位：万元）",
                decimal=True,
                typed=True,
            ),
        ]
    cells = [
        Table2Cell("rules_made", "第二十条第（一）项", "规章", "本年新制作数量"),
        Table2Cell("rules_published", "第二十条第（一）项", "规章", "本年新公开数量"),
        Table2Cell("rules_total", "第二十条第（一）项", "规章", "对外公开总数量"),
        Table2Cell("normative_made", "第二十条第（一）项", "规范性文件", "本年新制作数量"),
        Table2Cell("normative_published", "第二十条第（一）项", "规范性文件", "本年新公开数量"),
        Table2Cell("normative_total", "第二十条第（一）项", "规范性文件", "对外公开总数量"),
    ]
    for prefix, item, row in (
        ("licensing", "第二十条第（五）项", "行政许可"),
        ("other_services", "第二十条第（五）项", "其他对外管理服务事项"),
        ("penalty", "第二十条第（六）项", "行政处罚"),
        ("coercion", "第二十条第（六）项", "行政强制"),
    ):
        cells += [
            Table2Cell(f"{prefix}_previous", item, row, "上一年项目数量", typed=True),
            Table2Cell(f"{prefix}_change", item, row, "本年增/减", typed=True),
            Table2Cell(f"{prefix}_decisions", item, row, "处理决定数量", typed=True),
        ]
    cells += [
        Table2Cell(
            "fees_previous", "第二十条第（八）项", "行政事业性收费", "上一年项目数量", typed=True
        ),
        Table2Cell("fees_change", "第二十条第（八）项", "行政事业性收费", "本年增/减", typed=True),
        Table2Cell(
            "procurement_count", "第二十条第（九）项", "政府集中采购", "采购项目数量", typed=True
        ),
        Table2Cell(
            "procurement_amount",
            "第二十条第（九）项",
            "政府集中采购",
            "采购总金额",
            decimal=True,
            typed=True,
        ),
    ]
    return cells
