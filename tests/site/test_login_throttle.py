"""Login throttling: failed passwords per username (5 per 15 minutes) and per client address (20
per 15 minutes) are refused before the password is checked; a success clears the username."""

from __future__ import annotations

import time

import pytest
from django.contrib.auth.signals import user_login_failed
from django.core.cache import cache
from django.urls import reverse

from gongkai.apitokens import ratelimit

pytestmark = pytest.mark.django_db

ADDRESS = "203.0.113.9"


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def attempt(client, username: str, password: str, address: str = ADDRESS):
    return client.post(
        reverse("site:login"),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def fail(client, username: str, times: int, address: str = ADDRESS) -> None:
    for _ in range(times):
        response = attempt(client, username, "wrong-password-123", address)
        assert response.status_code == 200 and not logged_in(client)


def test_five_failures_then_even_the_right_password_is_refused(client, world):
    fail(client, world.officer.username, 5)
    response = attempt(client, world.officer.username, world.password)
    html = response.content.decode()
    assert not logged_in(client), "a throttled username must not log in"
    assert "失败次数过多" in html and "分钟后再试" in html, html[:2000]


def test_a_refused_attempt_does_not_check_the_password(client, world):
    fail(client, world.officer.username, 5)
    checked: list[str] = []

    def note(sender, credentials, **kwargs):
        checked.append(credentials.get("username"))

    user_login_failed.connect(note)
    try:
        attempt(client, world.officer.username, "another-guess-456")
    finally:
        user_login_failed.disconnect(note)
    assert checked == [], "the backend was asked to check a password while throttled"


def test_the_wait_is_given_in_minutes(client, world):
    fail(client, world.officer.username, 5)
    html = attempt(client, world.officer.username, world.password).content.decode()
    minutes = [str(n) for n in range(1, 16) if f"请在 {n} 分钟后再试" in html]
    assert minutes, "the message names the minutes to wait (1–15)"


def test_the_username_limit_ignores_case_and_spaces(client, world):
    fail(client, world.officer.username.upper(), 5)
    attempt(client, f" {world.officer.username} ", world.password)
    assert not logged_in(client)


def test_other_users_at_the_same_address_still_log_in(client, world):
    fail(client, world.officer.username, 5)
    attempt(client, world.head.username, world.password)
    assert logged_in(client), "one locked username must not lock the office"


def test_a_success_clears_the_username_count(client, world):
    fail(client, world.officer.username, 4)
    attempt(client, world.officer.username, world.password)
    assert logged_in(client)
    client.logout()
    fail(client, world.officer.username, 4)
    attempt(client, world.officer.username, world.password)
    assert logged_in(client), "the four earlier failures were forgotten after the success"


def test_twenty_failures_from_one_address_lock_the_address(client, world):
    for n in range(20):
        attempt(client, f"nobody{n}", "wrong-password-123")
    attempt(client, world.officer.username, world.password)
    assert not logged_in(client), "the 21st attempt from one address is refused"
    attempt(client, world.officer.username, world.password, address="198.51.100.7")
    assert logged_in(client), "another address is not affected"


def test_the_limit_ends_with_its_window(client, world, monkeypatch):
    fail(client, world.officer.username, 5)
    later = time.time() + 15 * 60 + 1
    monkeypatch.setattr(ratelimit.time, "time", lambda: later)
    attempt(client, world.officer.username, world.password)
    assert logged_in(client)


def test_the_admin_login_is_the_site_login(client, db):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"] == reverse("site:login") + "?next=%2Fadmin%2F"


def test_the_admin_sends_anonymous_users_to_the_site_login(client, db):
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("site:login"))
