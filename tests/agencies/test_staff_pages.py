"""The "本机构信息" pages: who may open the edit page of which agency, and what it does.

Edit page table (GET and POST): 200 may edit, 403 may see the agency but not edit it,
404 outside the user's scope (its existence is not revealed), 302 to the login page when
anonymous.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from gongkai.agencies.models import Agency
from gongkai.site.audit import entries_for
from tests.factories import AgencyFactory, member

pytestmark = pytest.mark.django_db

RELATIONS = ("own", "sibling", "parent", "child")
TARGET = {"own": "league", "sibling": "sibling", "parent": "region", "child": "county"}

#: who              own  sibling parent child
EDIT_PAGE = {
    "officer": (403, 404, 404, 404),
    "reviewer": (403, 404, 404, 404),
    "head": (200, 404, 404, 404),
    "supervisor": (403, 404, 404, 403),
    "administrator": (200, 404, 404, 200),
    "anonymous": (302, 302, 302, 302),
    "no membership": (404, 404, 404, 404),
    "superuser": (200, 200, 200, 200),
}

ROWS = [(who, rel, EDIT_PAGE[who][i]) for who in EDIT_PAGE for i, rel in enumerate(RELATIONS)]


def log_in_as(client, world, who: str) -> None:
    if who == "anonymous":
        return
    if who == "no membership":
        client.force_login(world.outsider)
    elif who == "superuser":
        world.outsider.is_superuser = True
        world.outsider.save()
        client.force_login(world.outsider)
    else:
        client.force_login(getattr(world, who))


def edit_url(agency: Agency) -> str:
    return reverse("agencies_staff:edit", args=[agency.code])


@pytest.mark.parametrize(("who", "relation", "status"), ROWS)
def test_edit_page_get(client, world, who, relation, status):
    log_in_as(client, world, who)
    url = edit_url(getattr(world, TARGET[relation]))
    response = client.get(url)
    assert response.status_code == status, f"{who} opening the {relation} agency's edit page"
    if status == 302:
        assert response["Location"].startswith(reverse("site:login") + "?next=")


@pytest.mark.parametrize(("who", "relation", "status"), ROWS)
def test_edit_page_post(client, world, who, relation, status):
    log_in_as(client, world, who)
    target = getattr(world, TARGET[relation])
    response = client.post(edit_url(target), {"phone": "0482-0777777"})
    expected = 302 if status == 200 else status  # a successful save redirects
    assert response.status_code == expected, f"{who} saving the {relation} agency"
    saved = Agency.objects.get(pk=target.pk).phone == "0482-0777777"
    assert saved is (status == 200), f"{who} {'could not' if status == 200 else 'could'} save"


def test_unknown_agency_code_answers_404(client, world):
    client.force_login(world.head)
    assert client.get(reverse("agencies_staff:edit", args=["no-such-code"])).status_code == 404


def test_saving_redirects_to_the_edit_page_with_a_message_and_history(client, world):
    client.force_login(world.head)
    response = client.post(
        edit_url(world.league),
        {"phone": "0482-0777777", "postcode": "137400", "guide_text": "指南正文"},
        follow=True,
    )
    html = response.content.decode()
    assert response.redirect_chain == [(edit_url(world.league), 302)]
    assert "机构信息已保存" in html
    assert "修改机构信息和公开指南" in html, "the history lists the change"
    assert "联系电话" in html and "0482-0777777" in html


def test_saving_records_the_change_in_the_audit_log(client, world):
    client.force_login(world.head)
    client.post(edit_url(world.league), {"email": "office@demo.example"})
    entry = entries_for(world.league).get()
    assert entry.actor == world.head
    assert entry.changes["fields"]["email"] == ["", "office@demo.example"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"credit_code": "91350100M000100Y44"}, "统一社会信用代码校验位不正确"),
        ({"email": "not-an-address"}, "有效的"),
        ({"postcode": "12345"}, "邮政编码应为6位数字"),
    ],
)
def test_invalid_input_is_shown_next_to_the_field_and_nothing_is_saved(
    client, world, data, message
):
    client.force_login(world.head)
    response = client.post(edit_url(world.league), {**data, "phone": "0482-0888888"})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Agency.objects.get(pk=world.league.pk).phone != "0482-0888888"
    assert not entries_for(world.league).exists()


def test_my_agencies_lists_where_the_user_is_head_or_administrator(client, world):
    client.force_login(world.administrator)
    html = client.get(reverse("agencies_staff:mine")).content.decode()
    for agency in (world.league, world.county, world.league_dept):
        assert edit_url(agency) in html, f"{agency.name} missing for the league administrator"
    assert edit_url(world.sibling) not in html


def test_my_agencies_for_a_head_lists_only_the_own_agency(client, world):
    client.force_login(world.head)
    html = client.get(reverse("agencies_staff:mine")).content.decode()
    assert edit_url(world.league) in html
    assert edit_url(world.county) not in html


def test_my_agencies_for_an_officer_is_empty_with_an_explanation(client, world):
    client.force_login(world.officer)
    html = client.get(reverse("agencies_staff:mine")).content.decode()
    assert "没有可以维护的机构信息" in html


def test_my_agencies_requires_login(client, db):
    response = client.get(reverse("agencies_staff:mine"))
    assert response.status_code == 302


def test_my_agencies_query_count_does_not_grow_with_agencies(
    client, world, django_assert_max_num_queries
):
    for i in range(30):
        AgencyFactory(parent=world.county, name=f"镇{i}")
    client.force_login(world.administrator)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("agencies_staff:mine"))
    assert response.status_code == 200


def test_edit_page_query_count_does_not_grow_with_history(
    client, world, django_assert_max_num_queries
):
    client.force_login(world.head)
    for i in range(10):
        client.post(edit_url(world.league), {"phone": f"0482-010000{i}"})
    with django_assert_max_num_queries(9):
        response = client.get(edit_url(world.league))
    assert response.content.decode().count("修改机构信息和公开指南") == 10


def test_a_second_head_membership_elsewhere_does_not_widen_the_scope(client, world):
    other_head = member(world.sibling, "head")
    client.force_login(other_head)
    assert client.get(edit_url(world.league)).status_code == 404
    assert client.get(edit_url(world.sibling)).status_code == 200
