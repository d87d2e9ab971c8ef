"""Starting texts for sections 一 and 六, with the relevant figures filled in.

The officer edits them freely; nothing here is legal wording. For a people's government's report,
section 一 must also cover 工作考核、社会评议和责任追究结果 (条例 art. 50(四), legal-rules §3.2).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.db.models import QuerySet

from gongkai.agencies.models import Agency
from gongkai.applications.models import Event, EventType
from gongkai.reports import formats
from gongkai.reports.compute import ReportData


def fees_collected(agencies: QuerySet[Agency], year: int) -> tuple[int, Decimal]:
    """Fees actually paid in ``year``: (number of payments, total in 元), from the fee events."""
    paid = Event.objects.filter(
        application__agency__in=agencies, type=EventType.FEE_PAID, on__year=year
    ).values_list("application_id", flat=True)
    paid_ids = list(paid)
    notices = Event.objects.filter(
        application_id__in=paid_ids, type=EventType.FEE_NOTICE_ISSUED
    ).values_list("data", flat=True)
    total = Decimal("0")
    for data in notices:
        try:
            total += Decimal(str((data or {}).get("amount", "0")))
        except InvalidOperation:
            continue
    return len(paid_ids), total


def overview(data: ReportData) -> str:
    t3, t2 = data.table3, data.table2
    total = formats.TOTAL_COLUMN
    withheld = sum(
        t3[r][total] for r in formats.table3_leaf_ids(data.year) if r.startswith("withheld_")
    )
    lines = [
        f"{data.year}年，{data.agency.name}认真贯彻落实《中华人民共和国政府信息公开条例》，"
        "现将本年度政府信息公开工作情况报告如下。",
        f"（一）主动公开。本年制发行政规范性文件{t2.get('normative_made', 0)}件，"
        f"废止{t2.get('normative_abolished', 0)}件，现行有效{t2.get('normative_in_force', 0)}件。",
        f"（二）依申请公开。本年新收政府信息公开申请{t3[formats.NEW][total]}件，"
        f"上年结转{t3[formats.CARRIED_OVER][total]}件；办结{t3[formats.RESULTS_TOTAL][total]}件，"
        f"其中予以公开{t3['disclosed'][total]}件、部分公开{t3['partially_disclosed'][total]}件、"
        f"不予公开{withheld}件；结转下年度继续办理{t3[formats.CARRIED_FORWARD][total]}件。",
        "（三）政府信息管理。",
        "（四）政府信息公开平台建设。",
        "（五）监督保障。",
    ]
    if data.agency.is_government:
        lines.append("（六）工作考核、社会评议和责任追究结果情况。（条例第五十条第四项）")
    return "\n".join(lines)


def other_matters(data: ReportData, agencies: QuerySet[Agency]) -> str:
    count, total = fees_collected(agencies, data.year)
    if count == 0:
        fee = "依据《政府信息公开信息处理费管理办法》，本年度未收取信息处理费。"
    else:
        fee = (
            f"依据《政府信息公开信息处理费管理办法》，本年度共{count}件申请缴纳信息处理费，"
            f"实际收取{total.normalize():f}元。"
        )
    return fee


def period_bounds(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)
