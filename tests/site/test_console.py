"""The staff console: who gets in, and which menu items each role sees."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import NoReverseMatch, reverse

from gongkai.agencies.models import Role
from gongkai.site.navigation import ITEMS, items_for

pytestmark = pytest.mark.django_db

MY_AGENCY = "agencies_staff:mine"
SYSTEM_ADMIN = "admin:index"

#: role → (sees "本机构信息", sees "系统管理")
MENU = {
    "officer": (False, False),
    "reviewer": (False, False),
    "head": (True, False),
    "supervisor": (False, False),
    "administrator": (True, False),
}


def nav_names(user) -> set[str]:
    return {item["name"] for item in items_for(user)}


def reversible_items_for_roles(roles) -> set[str]:
    """What the menu should hold for a user with ``roles``: items of those roles whose URL exists."""
    names = set()
    for item in ITEMS:
        if item.superuser_only or not (item.roles & roles):
            continue
        try:
            reverse(item.url_name)
        except NoReverseMatch:
            continue
        names.add(item.url_name)
    return names


@pytest.mark.parametrize(("role", "expected"), MENU.items())
def test_console_menu_depends_on_role(world, role, expected):
    names = nav_names(getattr(world, role))
    assert "site:console" in names
    assert (MY_AGENCY in names, SYSTEM_ADMIN in names) == expected, f"{role}: {sorted(names)}"


@pytest.mark.parametrize("role", MENU)
def test_console_menu_holds_exactly_the_items_of_the_role(world, role):
    user = getattr(world, role)
    assert nav_names(user) == reversible_items_for_roles({Role(role)})


def test_superuser_sees_every_reversible_item_including_system_administration(world):
    world.outsider.is_superuser = True
    world.outsider.save()
    names = nav_names(world.outsider)
    assert {SYSTEM_ADMIN, MY_AGENCY, "site:console"} <= names


def test_anonymous_users_get_no_menu(client, db):
    assert items_for(AnonymousUser()) == []


def test_console_page_shows_the_menu_and_the_users_positions(client, world):
    client.force_login(world.head)
    html = client.get(reverse("site:console")).content.decode()
    assert "工作台" in html and "我的岗位" in html
    assert "兴安盟行政公署" in html and "负责人" in html
    assert reverse(MY_AGENCY) in html, "a head is offered the agency profile page"


def test_console_page_of_an_officer_has_no_agency_profile_link(client, world):
    client.force_login(world.officer)
    html = client.get(reverse("site:console")).content.decode()
    assert "公开专员" in html
    assert reverse(MY_AGENCY) not in html


def test_console_explains_the_reach_of_subtree_roles(client, world):
    client.force_login(world.supervisor)
    assert "本机构及所有下级机构" in client.get(reverse("site:console")).content.decode()


def test_console_redirects_anonymous_users_to_the_login_page(client, db):
    response = client.get(reverse("site:console"))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('site:login')}?next={reverse('site:console')}"


def test_console_refuses_a_user_without_any_membership_in_chinese(client, world):
    client.force_login(world.outsider)
    response = client.get(reverse("site:console"))
    assert response.status_code == 403
    assert "您的账号尚未分配任何机构岗位" in response.content.decode()


def test_login_lands_in_the_console(client, world):
    response = client.post(
        reverse("site:login"), {"username": world.officer.username, "password": world.password}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("site:console")


def test_login_with_a_wrong_password_shows_a_chinese_error(client, world):
    response = client.post(
        reverse("site:login"), {"username": world.officer.username, "password": "wrong"}
    )
    assert response.status_code == 200
    assert "请输入一个正确的" in response.content.decode()
