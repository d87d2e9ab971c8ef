"""Table 2 of the annual report, row 第二十条第（一）项: rules and normative documents.

Counted from the catalogue (国办公开办函〔2021〕30号 format: 本年制发件数 / 本年废止件数 / 现行有效件数;
the 2019 format: 本年新制作数量 / 本年新公开数量 / 对外公开总数量). Rules (规章) and 行政规范性文件 are
counted separately by ``Document.normative_kind``.

- made (制发/新制作): published documents whose 成文日期 (else 发布日期) falls in the year;
- abolished (废止): documents abolished *or* expired with the date in the year, so that
  in force this year = in force last year + made − abolished (the reports' roll-forward check);
- in force (现行有效): made (same date as above) on or before 31 December and not abolished or
  expired by then;
- published (新公开): published in the year; total (对外公开总数量): published by 31 December.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Coalesce

from gongkai.agencies.models import Agency
from gongkai.publications.models import Document, NormativeKind, Validity


def normative_counts(agencies: QuerySet[Agency], year: int) -> dict[str, int]:
    """Cells ``{rules,normative}_{made,abolished,in_force,published,total}`` for ``agencies``.

    One grouped query with conditional counts (the consolidated regional report calls this for
    thousands of agencies at once), served by the partial index on normative documents.
    """
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    made_on = Coalesce("written_on", "published_on")
    rows = (
        Document.objects.published()
        .filter(
            agency__in=agencies, normative_kind__in=[NormativeKind.RULE, NormativeKind.NORMATIVE]
        )
        .annotate(made_on=made_on)
        .values("normative_kind")
        .order_by()
        .annotate(
            made=Count("id", filter=Q(made_on__gte=start, made_on__lte=end)),
            abolished=Count(
                "id",
                filter=~Q(validity=Validity.IN_FORCE)
                & Q(invalid_on__gte=start, invalid_on__lte=end),
            ),
            in_force=Count(
                "id",
                filter=Q(made_on__lte=end)
                & (Q(validity=Validity.IN_FORCE) | Q(invalid_on__gt=end)),
            ),
            published=Count("id", filter=Q(published_on__gte=start, published_on__lte=end)),
            total=Count("id", filter=Q(published_on__lte=end)),
        )
    )
    prefixes = {NormativeKind.RULE: "rules", NormativeKind.NORMATIVE: "normative"}
    result = {
        f"{prefix}_{cell}": 0
        for prefix in prefixes.values()
        for cell in ("made", "abolished", "in_force", "published", "total")
    }
    for row in rows:
        prefix = prefixes[row["normative_kind"]]
        for cell in ("made", "abolished", "in_force", "published", "total"):
            result[f"{prefix}_{cell}"] = row[cell]
    return result
