"""Who may see and do what in the supervision console, as a table (404 out of scope, 403 in
scope without the role, 302 to the login page for anonymous users)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from gongkai.agencies.models import Role
from gongkai.core.dates import override_today
from gongkai.supervision.models import TaskUnit
from tests.factories import AgencyFactory, member
from tests.supervision.factories import make_task

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 4, 8)


@pytest.fixture
def scene(world):
    sibling_supervisor = member(world.sibling, Role.SUPERVISOR, "sibling_supervisor")
    sibling_dept = AgencyFactory(name="锡林郭勒盟教育局", parent=world.sibling)
    world.league_task = make_task(
        world.supervisor,
        world.league,
        [world.league_dept],
        cooperating=[world.county],
        number="盟1",
    )
    world.region_task = make_task(
        world.region_supervisor,
        world.region,
        [world.region_dept, world.league],
        cooperating=[world.sibling],
        number="区1",
    )
    world.sibling_task = make_task(sibling_supervisor, world.sibling, [sibling_dept], number="锡1")
    world.county_unit = TaskUnit.objects.get(task=world.league_task, agency=world.county)
    world.dept_unit = TaskUnit.objects.get(task=world.league_task, agency=world.league_dept)
    return world


def url(scene, name):
    routes = {
        "index": ("supervision_staff:index", [], ""),
        "mine": ("supervision_staff:mine", [], ""),
        "import": ("supervision_staff:import", [], ""),
        "league_task": ("supervision_staff:task", [scene.league_task.pk], ""),
        "region_task": ("supervision_staff:task", [scene.region_task.pk], ""),
        "sibling_task": ("supervision_staff:task", [scene.sibling_task.pk], ""),
        "dashboard_league": ("supervision_staff:dashboard", [], "?agency=152200"),
        "dashboard_region": ("supervision_staff:dashboard", [], "?agency=150000"),
        "dashboard_sibling": ("supervision_staff:dashboard", [], "?agency=152500"),
        "drill_sibling": ("supervision_staff:drill", ["152500", "open_requests"], ""),
        "drill_county": ("supervision_staff:drill", ["152201", "open_requests"], ""),
        "dispatch_sibling": ("supervision_staff:dispatch", [], "?agency=152500"),
        "assessment_region": ("supervision_staff:assessment", [], "?agency=150000"),
        "report_county": ("supervision_staff:report", [scene.county_unit.pk], ""),
        "report_dept": ("supervision_staff:report", [scene.dept_unit.pk], ""),
        "complaints": ("supervision_staff:complaints", [], ""),
    }
    name, args, query = routes[name]
    return reverse(name, args=args) + query


GET_TABLE = [
    # (user, page, expected status)
    ("supervisor", "index", 200),
    ("supervisor", "league_task", 200),
    ("supervisor", "region_task", 200),  # the league is a responsible unit of it
    ("supervisor", "sibling_task", 404),
    ("supervisor", "dashboard_league", 200),
    ("supervisor", "report_county", 403),  # the supervising office does not report
    ("supervisor", "dashboard_region", 404),
    ("supervisor", "dashboard_sibling", 404),
    ("supervisor", "drill_sibling", 404),
    ("supervisor", "drill_county", 200),
    ("supervisor", "dispatch_sibling", 404),
    ("supervisor", "assessment_region", 404),
    ("region_supervisor", "dashboard_region", 200),
    ("region_supervisor", "dashboard_sibling", 200),
    ("region_supervisor", "sibling_task", 200),
    ("region_supervisor", "report_county", 403),  # supervisors above supervise too
    ("county_officer", "index", 302),  # sent to the unit console
    ("county_officer", "mine", 200),
    ("county_officer", "league_task", 200),
    ("county_officer", "region_task", 404),
    ("county_officer", "report_county", 200),
    ("county_officer", "report_dept", 403),
    ("county_officer", "import", 403),
    ("county_officer", "dashboard_league", 403),
    ("county_officer", "complaints", 200),
    ("sibling_officer", "league_task", 404),
    ("sibling_officer", "report_county", 404),
    ("officer", "league_task", 404),  # the league's officer: the league is no unit of it
    ("officer", "region_task", 200),
    ("outsider", "index", 403),
    ("outsider", "mine", 403),
    (None, "index", 302),
    (None, "dashboard_league", 302),
]


@pytest.mark.parametrize(("who", "page", "expected"), GET_TABLE)
def test_get_permissions(client, scene, who, page, expected):
    if who is not None:
        client.force_login(getattr(scene, who))
    with override_today(TODAY):
        response = client.get(url(scene, page))
    assert response.status_code == expected, f"{who} GET {page}"


POST_TABLE = [
    ("supervisor", "league_task", 302),
    ("region_supervisor", "league_task", 302),  # a supervisor above may act too
    ("county_officer", "league_task", 403),
    ("sibling_officer", "league_task", 404),
    ("supervisor", "sibling_task", 404),
]


@pytest.mark.parametrize(("who", "task", "expected"), POST_TABLE)
def test_who_may_urge_a_task(client, scene, who, task, expected):
    client.force_login(getattr(scene, who))
    target = getattr(scene, task)
    response = client.post(
        reverse("supervision_staff:act", args=[target.pk]),
        {"kind": "urge", "text": "请尽快办理。", "unit": ""},
    )
    assert response.status_code == expected, f"{who} urges {task}"


def test_the_league_supervisor_lists_only_the_leagues_tasks(client, scene):
    client.force_login(scene.supervisor)
    with override_today(TODAY):
        html = client.get(reverse("supervision_staff:index") + "?year=2026").content.decode()
    assert scene.league_task.title in html
    assert scene.sibling_task.title not in html


def test_the_league_dashboard_has_a_row_per_unit_of_the_league_only(client, scene):
    client.force_login(scene.supervisor)
    with override_today(TODAY):
        response = client.get(url(scene, "dashboard_league"))
    rows = [row.agency.name for row in response.context["board"].rows]
    assert rows[0] == "兴安盟行政公署", "the league itself (本级) comes first"
    assert set(rows) == {"兴安盟行政公署", "兴安盟教育局", "乌兰浩特市人民政府"}


def test_the_unit_console_lists_the_tasks_of_the_users_units(client, scene):
    client.force_login(scene.county_officer)
    with override_today(TODAY):
        html = client.get(reverse("supervision_staff:mine")).content.decode()
    assert scene.league_task.title in html
    assert scene.region_task.title not in html
