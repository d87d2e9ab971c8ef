"""The permission matrix of the staff console of requests, as one table.

Rows: every staff URL × every kind of user. The request belongs to the league (兴安盟). Own
agency officers and heads act; reviewers, supervisors and administrators read (403 on POST); a
sibling league's or a county's officer does not see the request at all (404); the region's
supervisor reads the whole subtree; a signed-in user without a membership gets 403; anonymous
users go to the login page (302). An allowed POST with an empty form comes back as 400 (the form's
errors), which proves the role check let it through.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gongkai.applications import intake
from gongkai.applications.access import ACTION_ROLES, HANDLER_ROLES, HEAD_ROLES, Action
from gongkai.applications.models import Channel
from gongkai.core.dates import SHANGHAI, override_today
from tests.applications.conftest import applicant

pytestmark = pytest.mark.django_db

USERS = [
    "officer",
    "reviewer",
    "head",
    "supervisor",
    "administrator",
    "sibling_officer",
    "county_officer",
    "region_supervisor",
    "outsider",
    "anonymous",
]

READ = {
    "officer": 200,
    "reviewer": 200,
    "head": 200,
    "supervisor": 200,
    "administrator": 200,
    "sibling_officer": 404,
    "county_officer": 404,
    "region_supervisor": 200,
    "outsider": 403,
    "anonymous": 302,
}
LIST = {**READ, "sibling_officer": 200, "county_officer": 200}
REGISTER = {
    **LIST,
    "reviewer": 403,
    "supervisor": 403,
    "administrator": 403,
    "region_supervisor": 403,
}
ACT = {
    **READ,
    "officer": 400,
    "head": 400,
    "reviewer": 403,
    "supervisor": 403,
    "administrator": 403,
    "region_supervisor": 403,
}
HEAD_ACT = {**ACT, "officer": 403}

# (method, url name, needs the request's id, expected status per user)
TABLE: list[tuple[str, str, tuple, dict[str, int]]] = [
    ("get", "applications_staff:inbox", (), LIST),
    ("get", "applications_staff:ledger", (), LIST),
    ("get", "applications_staff:ledger_export", ("xlsx",), LIST),
    ("get", "applications_staff:ledger_export", ("csv",), LIST),
    ("get", "applications_staff:register", (), REGISTER),
    ("get", "applications_staff:detail", ("pk",), READ),
    ("get", "applications_staff:reply_fields", ("pk",), READ),
    ("get", "applications_staff:attachment", ("pk", "attachment"), READ),
    *[
        ("post", "applications_staff:act", ("pk", action.value), HEAD_ACT)
        for action in Action
        if action is not Action.REGISTER and ACTION_ROLES[action] == HEAD_ROLES
    ],
    *[
        ("post", "applications_staff:act", ("pk", action.value), ACT)
        for action in Action
        if action is not Action.REGISTER and ACTION_ROLES[action] == HANDLER_ROLES
    ],
]

ROWS = [
    pytest.param(
        method,
        name,
        args,
        user,
        expected[user],
        id=f"{method}-{name}-{'-'.join(map(str, args))}-{user}",
    )
    for method, name, args, expected in TABLE
    for user in USERS
]


@pytest.fixture
def target(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    with override_today(dt.date(2026, 3, 2)):
        app = intake.create_application(
            world.league,
            applicant=applicant(),
            channel=Channel.IN_PERSON,
            arrived_at=dt.datetime(2026, 3, 2, 10, tzinfo=SHANGHAI),
            attachments=[SimpleUploadedFile("证明.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")],
        )
    return app


@pytest.mark.parametrize(("method", "name", "args", "user", "expected"), ROWS)
def test_permission_matrix(client, world, target, method, name, args, user, expected):
    if user != "anonymous":
        client.force_login(getattr(world, user))
    values = {"pk": target.pk, "attachment": target.attachments.get().pk}
    url = reverse(name, args=[values.get(a, a) for a in args])
    with override_today(dt.date(2026, 3, 10)):
        response = getattr(client, method)(url, {})
    assert response.status_code == expected, (
        f"{method.upper()} {url} as {user}: expected {expected}, got {response.status_code}"
    )


def test_the_table_covers_every_action():
    acted = {args[1] for method, _name, args, _e in TABLE if method == "post"}
    assert acted == {a.value for a in Action if a is not Action.REGISTER}


def test_only_extension_approval_and_refusal_are_for_heads_alone():
    assert {a for a, roles in ACTION_ROLES.items() if roles == HEAD_ROLES} == {
        Action.APPROVE_EXTENSION,
        Action.REFUSE_EXTENSION,
    }


def test_an_unknown_action_is_not_found(client, world, target):
    client.force_login(world.officer)
    response = client.post(reverse("applications_staff:act", args=[target.pk, "explode"]))
    assert response.status_code == 404


def test_a_get_on_an_action_url_is_not_allowed(client, world, target):
    client.force_login(world.officer)
    response = client.get(reverse("applications_staff:act", args=[target.pk, "add_note"]))
    assert response.status_code == 405


def test_an_action_post_needs_the_csrf_token(world, target):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(world.officer)
    response = strict.post(
        reverse("applications_staff:act", args=[target.pk, "add_note"]), {"text": "备注"}
    )
    assert response.status_code == 403
    assert not target.events.filter(type="note").exists()
