"""Changing one's own password."""

from __future__ import annotations

import pytest
from django.urls import reverse

from gongkai.site.audit import entries_for

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-much-better-secret-42"


def change(client, old: str, new: str, again: str | None = None):
    return client.post(
        reverse("site:password_change"),
        {"old_password": old, "new_password1": new, "new_password2": again or new},
        follow=True,
    )


def test_password_change_page_requires_login(client, db):
    response = client.get(reverse("site:password_change"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("site:login"))


def test_password_change_page_renders_in_chinese(client, world):
    client.force_login(world.officer)
    html = client.get(reverse("site:password_change")).content.decode()
    assert "修改密码" in html and "旧密码" in html


def test_changing_the_password_lets_the_user_log_in_with_the_new_one(client, world):
    client.force_login(world.officer)
    response = change(client, world.password, NEW_PASSWORD)
    assert response.redirect_chain[-1][0] == reverse("site:console")
    assert "密码已修改" in response.content.decode()
    client.logout()
    assert client.login(username=world.officer.username, password=NEW_PASSWORD)
    assert not client.login(username=world.officer.username, password=world.password)


def test_the_user_stays_logged_in_after_changing_the_password(client, world):
    client.force_login(world.officer)
    change(client, world.password, NEW_PASSWORD)
    assert client.get(reverse("site:console")).status_code == 200


def test_a_wrong_old_password_is_refused_in_chinese(client, world):
    client.force_login(world.officer)
    response = change(client, "not-the-password", NEW_PASSWORD)
    assert "旧密码不正确" in response.content.decode()
    world.officer.refresh_from_db()
    assert world.officer.check_password(world.password)


def test_a_too_short_new_password_is_refused(client, world):
    client.force_login(world.officer)
    response = change(client, world.password, "short1")
    assert "密码太短，至少需要 10 个字符" in response.content.decode()


def test_mismatched_new_passwords_are_refused(client, world):
    client.force_login(world.officer)
    response = change(client, world.password, NEW_PASSWORD, NEW_PASSWORD + "x")
    assert "输入的两个密码不一致" in response.content.decode()


def test_a_password_change_is_audited_without_the_password(client, world):
    client.force_login(world.officer)
    change(client, world.password, NEW_PASSWORD)
    entry = entries_for(world.officer).get()
    assert (entry.action, entry.actor) == ("user.password_change", world.officer)
    assert entry.action_label == "修改密码"
    assert NEW_PASSWORD not in str(entry.changes)
