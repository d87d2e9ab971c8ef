"""Rate limits of the public request endpoints: 429 with ``Retry-After`` and the error format."""

from __future__ import annotations

import pytest

from gongkai.applications import tracking
from gongkai.applications.models import Application
from tests.api.helpers import submission

OTHER_ID = "152201198001011237"


@pytest.fixture
def small_limits(settings):
    settings.GONGKAI_API_RATE_LIMITS = {
        "submit_ip": (3, 3600),
        "submit_identity": (2, 86400),
        "status_ip": (3, 600),
    }


def test_submissions_from_one_address_are_limited(api, world, small_limits):
    ids = ["11010519491231002X", OTHER_ID, "152501199002022342"]
    for number in ids:
        response = api.post("requests", submission(world.league.code, id_number=number))
        assert response.status_code == 201, response.json()
    response = api.post("requests", submission(world.league.code, id_number="152201198505053457"))
    assert response.status_code == 429
    body = response.json()
    assert body["code"] == "rate_limited"
    retry_after = int(response["Retry-After"])
    assert 0 < retry_after <= 3600
    assert body["details"]["retry_after"] == retry_after
    assert Application.objects.count() == 3, "the refused request was not stored"


def test_submissions_for_one_identity_are_limited_across_addresses(api, world, small_limits):
    for address in ("203.0.113.1", "203.0.113.2"):
        api.client.defaults["REMOTE_ADDR"] = address
        assert api.post("requests", submission(world.league.code)).status_code == 201
    api.client.defaults["REMOTE_ADDR"] = "203.0.113.3"
    response = api.post("requests", submission(world.league.code, id_number="11010519491231002x"))
    assert response.status_code == 429, "the same identity number, written in lower case"
    assert response.json()["code"] == "rate_limited"
    assert 0 < int(response["Retry-After"]) <= 86400


def test_status_checks_are_limited_per_address(api, world, seed, small_limits):
    body = {"tracking_code": seed.request.tracking_code, "secret": "mima-123456"}
    for _i in range(3):
        assert api.post("requests/status", body).status_code == 200
    response = api.post("requests/status", body)
    assert response.status_code == 429
    assert response["Retry-After"]


def test_wrong_passwords_hit_the_tracking_pages_limit_with_retry_after(api, world, seed):
    body = {"tracking_code": seed.request.tracking_code, "secret": "wrong-password"}
    for _i in range(tracking.MAX_FAILURES):
        response = api.post("requests/status", body)
        assert response.status_code == 404
        assert response.json()["code"] == "tracking_denied"
    right = {"tracking_code": seed.request.tracking_code, "secret": "mima-123456"}
    response = api.post("requests/status", right)
    assert response.status_code == 429, "even the right password waits after 10 failures"
    assert response.json()["code"] == "too_many_attempts"
    assert response["Retry-After"] == str(tracking.WINDOW_SECONDS)
