"""The inbox: scope, traffic lights, ordering, filters, pagination and its query budget."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.applications import clock, ledger, services
from gongkai.applications.models import Application, Channel, StatusChoice
from gongkai.core.dates import override_today
from gongkai.workdays.calendar import get_calendar
from tests.applications.conftest import DUE, MONDAY, make_request

pytestmark = pytest.mark.django_db

INBOX = reverse("applications_staff:inbox")


def codes(response) -> list[str]:
    return [row["app"].tracking_code for row in response.context["rows"]]


def get_inbox(client, user, day=dt.date(2026, 3, 10), **params):
    client.force_login(user)
    with override_today(day):
        return client.get(INBOX, params)


# --- lights -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2026, 3, 20), "green"),  # 6 working days left
        (dt.date(2026, 3, 23), "yellow"),  # 5 left
        (DUE, "yellow"),  # due today
        (dt.date(2026, 3, 31), "red"),  # overdue
    ],
)
def test_the_light_of_a_request_on_a_given_day(request_in_league, day, expected):
    assert ledger.light_of(request_in_league, day) == expected


def test_a_request_awaiting_confirmation_has_no_light(world):
    app = make_request(world.league, channel=Channel.ONLINE)
    assert ledger.light_of(app, MONDAY) is None


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(offset=st.integers(-5, 45))
def test_the_cached_light_agrees_with_the_clocks_light_every_day(request_in_league, offset):
    day = MONDAY + dt.timedelta(days=offset)
    expected = clock.light_for(
        request_in_league.due_on, get_calendar(request_in_league.agency), day
    )
    assert ledger.light_of(request_in_league, day) == expected.value, day


def test_the_light_filter_selects_by_the_same_rule(world):
    early = make_request(world.league)  # due 03-30
    late = make_request(world.league, arrived_on=dt.date(2026, 3, 16))  # due 04-14
    day = dt.date(2026, 3, 24)
    qs = Application.objects.all()
    assert list(qs.with_light("yellow", day)) == [early]
    assert list(qs.with_light("green", day)) == [late]
    assert list(qs.with_light("red", dt.date(2026, 3, 31))) == [early]


def test_the_inbox_shows_the_light_of_each_row(client, world, request_in_league):
    response = get_inbox(client, world.officer, day=dt.date(2026, 3, 31))
    assert response.context["rows"][0]["light"] == "red"
    assert 'class="light red"' in response.content.decode()


# --- scope and ordering -------------------------------------------------------------------------


def test_the_inbox_shows_only_the_users_agencies(client, world):
    own = make_request(world.league)
    make_request(world.sibling)
    make_request(world.county)
    assert codes(get_inbox(client, world.officer)) == [own.tracking_code]


def test_a_supervisor_sees_the_subtree_in_the_inbox(client, world):
    own = make_request(world.league)
    county = make_request(world.county, arrived_on=dt.date(2026, 3, 3))
    make_request(world.sibling)
    assert set(codes(get_inbox(client, world.supervisor))) == {
        own.tracking_code,
        county.tracking_code,
    }


def test_unconfirmed_requests_come_first_then_by_due_date(client, world):
    later = make_request(world.league, arrived_on=dt.date(2026, 3, 4))
    sooner = make_request(world.league, arrived_on=dt.date(2026, 3, 3))
    unconfirmed = make_request(world.league, channel=Channel.ONLINE, arrived_on=dt.date(2026, 3, 5))
    assert codes(get_inbox(client, world.officer)) == [
        unconfirmed.tracking_code,
        sooner.tracking_code,
        later.tracking_code,
    ]


def test_finished_requests_leave_the_inbox_by_default(client, world):
    app = make_request(world.league)
    with override_today(dt.date(2026, 3, 5)):
        services.record_withdrawal(app, on=dt.date(2026, 3, 5), actor=world.officer)
    assert codes(get_inbox(client, world.officer)) == []
    assert codes(get_inbox(client, world.officer, status="all")) == [app.tracking_code]


# --- filters ------------------------------------------------------------------------------------


@pytest.fixture
def mixed(world):
    a = make_request(world.league, applicant_name="王五", description="关于征地补偿标准的文件")
    b = make_request(
        world.league,
        channel=Channel.REGISTERED_POST,
        signed_on=dt.date(2026, 3, 6),
        arrived_on=dt.date(2026, 3, 6),
        applicant_type="commercial",
        applicant_name="兴安盟某某商贸有限公司",
        id_type="credit_code",
        id_number="914403001922038216",
        contact_person="李四",
    )
    c = make_request(world.county, applicant_name="赵六")
    services.assign(a, world.officer, world.officer)
    return a, b, c


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "征地"}, ["a"]),
        ({"q": "商贸"}, ["b"]),
        ({"applicant_type": "commercial"}, ["b"]),
        ({"channel": "registered_post"}, ["b"]),
        ({"assignee": "none"}, ["b", "c"]),
        ({"received_from": "2026-03-05"}, ["b"]),
        ({"received_to": "2026-03-02"}, ["a", "c"]),
        ({"agency": "152201"}, ["c"]),
        ({"agency": "152200"}, ["a", "b"]),
        ({"agency": "152200", "subtree": "on"}, ["a", "b", "c"]),
        ({"light": "green"}, ["a", "b", "c"]),
        ({"light": "red"}, []),
        ({"status": "in_progress"}, ["a", "b", "c"]),
        ({"status": "closed"}, []),
    ],
)
def test_inbox_filters(client, world, mixed, params, expected):
    names = dict(zip("abc", [m.tracking_code for m in mixed], strict=True))
    response = get_inbox(client, world.supervisor, **params)
    assert sorted(codes(response)) == sorted(names[k] for k in expected), params


def test_the_assignee_filter_for_oneself(client, world, mixed):
    assert codes(get_inbox(client, world.officer, assignee="me")) == [mixed[0].tracking_code]
    assert codes(get_inbox(client, world.head, assignee="me")) == []


def test_the_assignee_filter_by_id(client, world, mixed):
    response = get_inbox(client, world.supervisor, assignee=str(world.officer.pk))
    assert codes(response) == [mixed[0].tracking_code]


def test_an_agency_outside_the_scope_is_not_a_valid_filter(client, world, mixed):
    response = get_inbox(client, world.officer, agency="152500", q="征地")
    assert "agency" in response.context["form"].errors
    assert response.status_code == 200
    assert codes(response) == [mixed[0].tracking_code], "the other filters still apply"


def test_the_inbox_paginates(client, world):
    for _i in range(3):
        make_request(world.league)
    from gongkai.applications.views import staff

    original = staff.PAGE_SIZE
    staff.PAGE_SIZE = 2
    try:
        first = get_inbox(client, world.officer)
        second = get_inbox(client, world.officer, page=2)
    finally:
        staff.PAGE_SIZE = original
    assert len(first.context["rows"]) == 2 and len(second.context["rows"]) == 1


# --- query budget -------------------------------------------------------------------------------


def count_queries(client, url, user, params=None) -> int:
    client.force_login(user)
    client.get(url, params or {})  # warm the session and caches
    with override_today(dt.date(2026, 3, 10)), CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_the_inbox_runs_a_constant_number_of_queries(client, world, django_assert_max_num_queries):
    make_request(world.league)
    few = count_queries(client, INBOX, world.supervisor)
    for _i in range(12):
        app = make_request(world.county)
        services.assign(app, world.county_officer, world.county_officer)
    many = count_queries(client, INBOX, world.supervisor)
    assert many == few, f"{few} queries for 1 request, {many} for 13"
    client.force_login(world.supervisor)
    with override_today(dt.date(2026, 3, 10)), django_assert_max_num_queries(16):
        client.get(INBOX)


def test_a_row_awaiting_confirmation_says_so(client, world):
    make_request(world.league, channel=Channel.ONLINE)
    body = get_inbox(client, world.officer).content.decode()
    assert "待确认" in body


def test_status_choices_include_every_status(client, world):
    form = get_inbox(client, world.officer).context["form"]
    values = {value for value, _label in form.fields["status"].choices}
    assert set(StatusChoice.values) <= values
