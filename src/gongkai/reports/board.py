"""The publication deadline board (条例 art. 49): departments publish their annual report by
31 January, each government's supervising office publishes the government's report by 31 March."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet

from gongkai.agencies.models import Agency
from gongkai.core.dates import local_date
from gongkai.reports.models import AnnualReport, ReportStatus, Scope


def deadline_for(agency: Agency, year: int) -> dt.date:
    """Art. 49: 1月31日 for departments (and other bodies), 3月31日 for governments."""
    return dt.date(year + 1, 3, 31) if agency.is_government else dt.date(year + 1, 1, 31)


@dataclass
class BoardRow:
    agency: Agency
    deadline: dt.date
    status: str
    published_on: dt.date | None
    light: str
    """green: published on time; yellow: not yet published, deadline not passed; red: late."""


def board(agencies: QuerySet[Agency], year: int, today: dt.date) -> list[BoardRow]:
    reports = {
        r.agency_id: r
        for r in AnnualReport.objects.filter(agency__in=agencies, year=year, scope=Scope.SELF)
    }
    rows = []
    for agency in agencies.select_related("parent").in_pinyin_order():
        report = reports.get(agency.pk)
        deadline = deadline_for(agency, year)
        published = (
            local_date(report.published_at)
            if report and report.status == ReportStatus.PUBLISHED and report.published_at
            else None
        )
        if published is not None:
            light = "green" if published <= deadline else "red"
        else:
            light = "red" if today > deadline else "yellow"
        rows.append(
            BoardRow(
                agency,
                deadline,
                report.get_status_display() if report else "未编制",
                published,
                light,
            )
        )
    return rows
