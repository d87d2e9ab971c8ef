"""Who may open which console page, as a table (style-models (b) 4).

Documents belong to 兴安盟 (``world.league``). Out-of-scope users get 404 (the document's existence
is not revealed); in-scope users without the role for the action get 403; users with no role at
all get 403 from the console; anonymous users are sent to the login page.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from gongkai.publications import services
from tests.publications.factories import draft, published

ALL = ("officer", "reviewer", "head", "supervisor", "administrator")

# (url name, method, document state, {user: expected status})
TABLE = [
    ("list", "get", None, {**dict.fromkeys(ALL, 200), "sibling_officer": 200, "outsider": 403}),
    ("create", "get", None, {"officer": 200, "reviewer": 200, "head": 200, "supervisor": 403,
                             "administrator": 403, "outsider": 403}),
    ("flags", "get", None, {**dict.fromkeys(ALL, 200), "outsider": 403}),
    ("settings", "get", None, {"head": 200, "administrator": 200, "officer": 403,
                               "reviewer": 403}),
    ("detail", "get", "draft", {**dict.fromkeys(ALL, 200), "region_supervisor": 200,
                                "sibling_officer": 404, "county_officer": 404, "outsider": 403}),
    ("edit", "get", "draft", {"officer": 200, "reviewer": 200, "head": 200, "supervisor": 403,
                              "administrator": 403, "region_supervisor": 403,
                              "sibling_officer": 404}),
    ("submit", "post", "draft", {"officer": 302, "head": 302, "supervisor": 403,
                                 "sibling_officer": 404}),
    ("review", "get", "submitted", {"reviewer": 200, "head": 200, "officer": 403,
                                    "supervisor": 403, "sibling_officer": 404}),
    ("revise", "get", "published", {"reviewer": 200, "head": 200, "officer": 403,
                                    "region_supervisor": 403, "sibling_officer": 404}),
    ("validity", "get", "published", {"reviewer": 200, "head": 200, "officer": 403,
                                      "supervisor": 403}),
    ("withdraw", "get", "published", {"reviewer": 200, "head": 200, "officer": 403,
                                      "administrator": 403, "county_officer": 404}),
    ("withdraw", "post", "published", {"officer": 403, "sibling_officer": 404}),
]  # fmt: skip

CASES = [
    pytest.param(name, method, state, user, status, id=f"{method}-{name}-{user}")
    for name, method, state, expected in TABLE
    for user, status in expected.items()
]


def _document(world, state):
    if state is None:
        return None
    if state == "published":
        return published(world)
    document = draft(world.officer, world.league)
    if state == "submitted":
        services.submit(world.officer, document)
    return document


@pytest.mark.parametrize(("name", "method", "state", "user", "status"), CASES)
def test_console_permissions(client, world, name, method, state, user, status):
    document = _document(world, state)
    url = reverse(f"publications_staff:{name}", args=[document.pk] if document else [])
    client.force_login(getattr(world, user))
    response = getattr(client, method)(url)
    assert response.status_code == status, f"{user} {method.upper()} {url}"


@pytest.mark.parametrize("name", ["list", "create", "flags"])
def test_anonymous_users_are_sent_to_the_login_page(client, world, name):
    response = client.get(reverse(f"publications_staff:{name}"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_list_shows_only_documents_in_scope(client, world):
    mine = draft(world.officer, world.league, title="兴安盟的草稿")
    draft(world.sibling_officer, world.sibling, title="锡林郭勒盟的草稿")
    client.force_login(world.officer)
    content = client.get(reverse("publications_staff:list")).content.decode()
    assert mine.title in content and "锡林郭勒盟的草稿" not in content


def test_a_supervisor_sees_the_subtree(client, world):
    draft(world.county_officer, world.county, title="乌兰浩特市的草稿")
    client.force_login(world.supervisor)
    assert "乌兰浩特市的草稿" in client.get(reverse("publications_staff:list")).content.decode()


def test_interpretation_candidates_are_limited_to_the_users_agencies(client, world):
    policy = draft(world.officer, world.league)
    foreign = draft(world.sibling_officer, world.sibling, column_code="interpretations")
    client.force_login(world.officer)
    response = client.post(
        reverse("publications_staff:link", args=[policy.pk]), {"interpretation": foreign.pk}
    )
    assert response.status_code == 302
    assert not policy.interpretation_links.exists()
