"""The password policy (settings ``AUTH_PASSWORD_VALIDATORS``): at least 10 characters, not a
common password, not all digits, not like the user's name; enforced on the password change page,
on users created in the admin and on passwords set there."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

REJECTED = [
    ("short", "太短"),
    ("Ab3$xyz9", "太短"),  # 8 characters
    ("1234567890", "常见"),
    ("9081726354", "只包含数字"),
    ("password123", "常见"),
    ("qwertyuiop", "常见"),
    ("zhangwei2026", "相似"),  # the username is zhangwei
]

ACCEPTED = [
    "草原上的风吹过兴安盟",  # ten Chinese characters
    "correct-horse-battery",
    "Xingan-Meng-2026!",
    "gk 7 公开 alpha",
]


@pytest.fixture
def zhang(db):
    return UserFactory(username="zhangwei", first_name="张伟", email="zhangwei@example.cn")


@pytest.mark.parametrize(("password", "reason"), REJECTED)
def test_weak_passwords_are_rejected_with_a_chinese_reason(zhang, password, reason):
    with pytest.raises(ValidationError) as caught:
        validate_password(password, zhang)
    messages = " ".join(caught.value.messages)
    assert reason in messages, f"{password!r}: {messages}"


@pytest.mark.parametrize("password", ACCEPTED)
def test_good_passwords_are_accepted(zhang, password):
    validate_password(password, zhang)


@pytest.fixture
def admin_client(client, db):
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    return client


def add_user(admin_client, password: str):
    return admin_client.post(
        "/admin/auth/user/add/",
        {
            "username": "newclerk",
            "usable_password": "true",
            "password1": password,
            "password2": password,
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )


def test_the_admin_refuses_to_create_a_user_with_a_weak_password(admin_client):
    response = add_user(admin_client, "1234567890")
    assert response.status_code == 200, "the form is shown again with the error"
    assert not get_user_model().objects.filter(username="newclerk").exists()
    assert "常见" in response.content.decode()


def test_the_admin_creates_a_user_with_a_good_password(admin_client):
    response = add_user(admin_client, "correct-horse-battery")
    assert response.status_code == 302, response.content.decode()[:3000]
    assert get_user_model().objects.get(username="newclerk").check_password("correct-horse-battery")


def test_the_admin_refuses_to_set_a_weak_password(admin_client, zhang):
    response = admin_client.post(
        f"/admin/auth/user/{zhang.pk}/password/",
        {"usable_password": "true", "password1": "zhangwei2026", "password2": "zhangwei2026"},
    )
    assert response.status_code == 200
    zhang.refresh_from_db()
    assert not zhang.check_password("zhangwei2026")
