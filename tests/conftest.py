"""Shared test configuration: fast hashers, plain static storage, the small shared world."""

from __future__ import annotations

import os

import pytest
from django.conf import settings

# Playwright's sync API runs an event loop in the test thread; the ORM calls made by fixtures
# are still synchronous and safe there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_configure(config: pytest.Config) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


@pytest.fixture(autouse=True)
def _fresh_calendar_cache():
    from gongkai.workdays.calendar import invalidate_cache

    invalidate_cache()
    yield
    invalidate_cache()


@pytest.fixture
def world(db):
    """A region with two leagues, a county under the first, and a department of each level.

    Returns a namespace of agencies and one user per role, in the first league's government
    (``league``) unless the name says otherwise.
    """
    from tests.factories import build_world

    return build_world()
