"""Year-on-year figures for the report page's charts (received, outcomes, on-time rate)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from gongkai.agencies.models import Agency
from gongkai.applications.models import Application
from gongkai.applications.outcomes import OUTCOMES, OutcomeGroup


def yearly(agencies: QuerySet[Agency], last_year: int, years: int = 5) -> dict[str, Any]:
    """Per year: received, closed by outcome group, and on-time rate (% of replies on time)."""
    first = last_year - years + 1
    base = Application.objects.filter(agency__in=agencies, received_on__isnull=False)
    received = {
        row["received_on__year"]: row["n"]
        for row in base.filter(received_on__year__gte=first, received_on__year__lte=last_year)
        .values("received_on__year")
        .annotate(n=Count("id"))
        .order_by()
    }
    closed = (
        base.filter(closed_on__year__gte=first, closed_on__year__lte=last_year)
        .values("closed_on__year", "outcome")
        .order_by()
        .annotate(
            n=Count("id"),
            timely=Count("id", filter=Q(on_time=True)),
            judged=Count("id", filter=Q(on_time__isnull=False)),
        )
    )
    groups = {g.value: [0] * years for g in OutcomeGroup}
    on_time = [0] * years
    judged = [0] * years
    for row in closed:
        i = row["closed_on__year"] - first
        if row["outcome"]:
            groups[OUTCOMES[row["outcome"]].group.value][i] += row["n"]
        on_time[i] += row["timely"]
        judged[i] += row["judged"]
    return {
        "years": [str(y) for y in range(first, last_year + 1)],
        "received": [received.get(y, 0) for y in range(first, last_year + 1)],
        "outcomes": groups,
        "on_time_rate": [
            round(100 * a / b, 1) if b else None for a, b in zip(on_time, judged, strict=True)
        ],
    }
