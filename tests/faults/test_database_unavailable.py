"""A busy or unreachable database: a 503 「系统繁忙，请稍后再试」 page or JSON body with
Retry-After, never a 500, and never a half-written request (gongkai.site.dbfaults).

- SQLite: another connection holds the write lock beyond the busy timeout while the public
  request form is posted;
- both backends: the database is unreachable (PostgreSQL: a closed port; SQLite: a file that
  cannot be opened) for a public page, the public form and the JSON API.
"""

from __future__ import annotations

import json
import socket
import sqlite3
import sys
from contextlib import contextmanager

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, OperationalError, connection
from django.test import RequestFactory

from gongkai.applications.models import Application, Event
from gongkai.site import dbfaults
from gongkai.site.views import error_500
from tests.api.helpers import submission
from tests.applications.test_public_views import form_data, new_url, open_form
from tests.factories import AgencyFactory

BUSY = "系统繁忙，请稍后再试"


@pytest.fixture
def agency(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return AgencyFactory(code="152200", name="兴安盟行政公署", short_name="兴安盟")


def _assert_busy_page(response) -> None:
    html = response.content.decode()
    assert response.status_code == 503, f"expected 503, got {response.status_code}"
    assert response["Retry-After"] == str(dbfaults.RETRY_AFTER_SECONDS)
    assert BUSY in html and '<html lang="zh-CN">' in html, "the Chinese page in the site's frame"
    assert "没有保存" in html


def _assert_busy_json(response) -> None:
    assert response.status_code == 503, f"expected 503, got {response.status_code}"
    assert response["Retry-After"] == str(dbfaults.RETRY_AFTER_SECONDS)
    body = json.loads(response.content)
    assert body["code"] == "service_unavailable" and BUSY in body["message"]


@contextmanager
def _reconnected(**changes):
    """Reconnect the test's database connection with changed settings, then restore them."""
    saved = {key: connection.settings_dict.get(key) for key in changes}
    saved_options = dict(connection.settings_dict.get("OPTIONS") or {})
    connection.close()
    for key, value in changes.items():
        if key == "OPTIONS":
            connection.settings_dict["OPTIONS"] = {**saved_options, **value}
        else:
            connection.settings_dict[key] = value
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict.update(saved)
        connection.settings_dict["OPTIONS"] = saved_options


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # closed again when the block ends: nobody listens


@contextmanager
def _unreachable(tmp_path):
    if connection.vendor == "postgresql":
        with _reconnected(HOST="127.0.0.1", PORT=str(_closed_port())):
            yield
    else:
        with _reconnected(NAME=str(tmp_path / "no-such-dir" / "gongkai.sqlite3")):
            yield


def test_a_locked_sqlite_database_gives_the_busy_page_and_writes_nothing(client, agency):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite write lock; PostgreSQL is covered by the unreachable-database tests")
    data = form_data(open_form(client, agency))
    path = connection.settings_dict["NAME"]
    with _reconnected(OPTIONS={"timeout": 0.2}):  # a short busy timeout for the test
        locker = sqlite3.connect(path, timeout=0, isolation_level=None)
        locker.execute("BEGIN EXCLUSIVE")  # held well beyond the busy timeout
        try:
            response = client.post(new_url(agency), data)
        finally:
            locker.rollback()
            locker.close()
    _assert_busy_page(response)
    assert not Application.objects.exists(), "no request may be written while the lock is held"
    assert not Event.objects.exists()


def test_the_form_posted_again_after_the_lock_creates_the_request_once(client, agency):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite write lock")
    data = form_data(open_form(client, agency))
    path = connection.settings_dict["NAME"]
    with _reconnected(OPTIONS={"timeout": 0.2}):
        locker = sqlite3.connect(path, timeout=0, isolation_level=None)
        locker.execute("BEGIN EXCLUSIVE")
        try:
            assert client.post(new_url(agency), data).status_code == 503
        finally:
            locker.rollback()
            locker.close()
    # The applicant follows the advice: a fresh form (new captcha), submitted again.
    response = client.post(new_url(agency), form_data(open_form(client, agency)))
    assert response.status_code == 302, "after the lock is gone the request goes through"
    assert Application.objects.count() == 1
    assert Event.objects.filter(type="submitted").count() == 1


def test_an_unreachable_database_gives_the_busy_page_on_a_public_page(client, agency, tmp_path):
    with _unreachable(tmp_path):
        response = client.get("/requests/")
    _assert_busy_page(response)


def test_an_unreachable_database_refuses_the_form_and_nothing_is_written(client, agency, tmp_path):
    data = form_data(open_form(client, agency))
    with _unreachable(tmp_path):
        response = client.post(new_url(agency), data)
    _assert_busy_page(response)
    assert not Application.objects.exists()


def test_an_unreachable_database_gives_a_json_503_on_the_api(client, agency, tmp_path):
    with _unreachable(tmp_path):
        listing = client.get("/api/v1/agencies")
        submitted = client.post(
            "/api/v1/requests", json.dumps(submission("152200")), content_type="application/json"
        )
    _assert_busy_json(listing)
    _assert_busy_json(submitted)
    assert not Application.objects.exists()


def test_other_database_errors_are_not_disguised_as_busy():
    middleware = dbfaults.DatabaseUnavailableMiddleware(lambda request: None)
    request = RequestFactory().get("/")
    assert middleware.process_exception(request, IntegrityError("duplicate")) is None
    assert middleware.process_exception(request, OperationalError("locked")).status_code == 503


def test_the_500_handler_answers_503_for_a_busy_database_outside_a_view():
    """E.g. the session middleware failing to save: Django calls handler500 with the error."""
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    try:
        raise OperationalError("database is locked")
    except OperationalError:
        assert sys.exc_info()[0] is OperationalError
        response = error_500(request)
    assert response.status_code == 503 and BUSY in response.content.decode()
