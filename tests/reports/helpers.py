"""Requests created directly with their derived fields, to test the statistics in isolation."""

from __future__ import annotations

import datetime as dt
import itertools

from django.utils import timezone

from gongkai.applications.models import Application, StatusChoice

_serial = itertools.count(1)


def request(
    agency,
    *,
    received_on: dt.date | None,
    closed_on: dt.date | None = None,
    outcome: str = "",
    applicant_type: str = "natural_person",
) -> Application:
    n = next(_serial)
    status = StatusChoice.CLOSED if closed_on else StatusChoice.IN_PROGRESS
    if received_on is None:
        status = StatusChoice.PENDING_CONFIRMATION
    return Application.objects.create(
        agency=agency,
        tracking_code=f"GK-TEST-{n:06d}",
        applicant_type=applicant_type,
        applicant_name=f"申请人{n}",
        id_type="passport",
        id_number=f"P{n:08d}",
        phone="0482000000",
        description="测试申请",
        form_wanted="paper",
        delivery="post",
        channel="in_person",
        arrived_at=timezone.now(),
        received_on=received_on,
        closed_on=closed_on,
        outcome=outcome,
        status=status,
    )
