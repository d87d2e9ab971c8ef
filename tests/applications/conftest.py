"""Helpers for the staff-side tests of disclosure requests.

Requests are created through the real intake path (``intake.create_application``), so their
``submitted`` event, tracking code and cached clock are what production makes. Dates are fixed in
March 2026 (no holidays: 2026-03-02 is a Monday; 20 working days later is Monday 2026-03-30) and
"today" is pinned with ``override_today``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from gongkai.applications import intake
from gongkai.applications.models import Application, Channel
from gongkai.core.dates import SHANGHAI, override_today

MONDAY = dt.date(2026, 3, 2)
DUE = dt.date(2026, 3, 30)  # 20 working days after MONDAY


def applicant(**overrides) -> dict:
    data = {
        "applicant_type": "natural_person",
        "applicant_name": "张三",
        "id_type": "resident_id",
        "id_number": "11010519491231002X",
        "contact_person": "",
        "phone": "13912345678",
        "email": "zhang@example.cn",
        "address": "内蒙古兴安盟乌兰浩特市兴安北大路1号",
        "postcode": "137400",
        "description": "请公开2025年本机关部门预算。",
        "document_hint": "",
        "form_wanted": "paper",
        "delivery": "post",
    }
    data.update(overrides)
    return data


def make_request(
    agency,
    *,
    channel: str = Channel.IN_PERSON,
    arrived_on: dt.date = MONDAY,
    signed_on: dt.date | None = None,
    confirmed_on: dt.date | None = None,
    **applicant_overrides,
) -> Application:
    """A request created by intake; in person by default, so received on ``arrived_on``."""
    arrived_at = dt.datetime.combine(arrived_on, dt.time(10, 0), tzinfo=SHANGHAI)
    with override_today(max(arrived_on, signed_on or arrived_on, confirmed_on or arrived_on)):
        return intake.create_application(
            agency,
            applicant=applicant(**applicant_overrides),
            channel=channel,
            arrived_at=arrived_at,
            signed_on=signed_on,
            confirmed_on=confirmed_on,
        )


@pytest.fixture
def on_day() -> Iterator:
    """``on_day(date)``: pin today for the rest of the test (re-pinnable)."""
    stack: list = []

    def pin(day: dt.date) -> None:
        while stack:
            stack.pop().__exit__(None, None, None)
        context = override_today(day)
        context.__enter__()
        stack.append(context)

    yield pin
    while stack:
        stack.pop().__exit__(None, None, None)


@pytest.fixture
def request_in_league(world) -> Application:
    """A request handed in at the league's office on Monday 2026-03-02."""
    return make_request(world.league)
