"""Rate limits of the public web form and the tracking page: the API's limits (scopes
``submit_ip``, ``submit_identity``, ``status_ip`` of gongkai.apitokens.ratelimit), shared with it."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.cache import cache
from django.urls import reverse

from gongkai.apitokens.ratelimit import limit_for
from gongkai.applications.models import Application, Attachment, Event
from gongkai.core.dates import override_today
from tests.applications.test_public_views import PDF, form_data, open_form

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 16)
# Client addresses are public ones: documentation ranges (203.0.113.0/24 …) count as private for
# ``ipaddress`` and would make client_address trust X-Forwarded-For.


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.GONGKAI_API_RATE_LIMITS = None  # the defaults
    cache.clear()
    with override_today(TODAY):
        yield
    cache.clear()


def submit(client, agency, n: int, *, ip: str, id_number: str | None = None, with_file=False):
    page = open_form(client, agency)
    data = form_data(page, id_type="passport", id_number=id_number or f"E{n:08d}")
    if with_file:
        from django.core.files.uploadedfile import SimpleUploadedFile

        data["attachments"] = SimpleUploadedFile("证明.pdf", PDF, "application/pdf")
    return client.post(reverse("applications:new", args=[agency.code]), data, REMOTE_ADDR=ip)


def test_a_flood_from_one_address_is_cut_at_the_limit_and_nothing_is_half_written(client, world):
    allowed, _window = limit_for("submit_ip")
    statuses = [
        submit(client, world.league, n, ip="111.13.100.7", with_file=True).status_code
        for n in range(50)
    ]
    assert statuses.count(302) == allowed, f"accepted {statuses.count(302)}, limit {allowed}"
    assert statuses.count(429) == 50 - allowed, f"refused: {statuses}"
    assert statuses[:allowed] == [302] * allowed, "the first submissions must pass"
    assert Application.objects.count() == allowed
    assert Attachment.objects.count() == allowed, "a refused submission left a file row"
    assert Event.objects.exclude(application__in=Application.objects.all()).count() == 0


def test_the_refusal_says_in_chinese_how_long_to_wait(client, world):
    allowed, _window = limit_for("submit_ip")
    for n in range(allowed):
        submit(client, world.league, n, ip="111.13.100.8")
    response = submit(client, world.league, 99, ip="111.13.100.8")
    html = response.content.decode()
    assert response.status_code == 429
    assert "提交过于频繁" in html and "后重试" in html, "no Chinese explanation"
    assert "分钟" in html, "the wait time is missing"
    assert int(response["Retry-After"]) > 0


def test_one_identity_is_limited_across_addresses(client, world):
    allowed, _window = limit_for("submit_identity")
    statuses = [
        submit(client, world.league, n, ip=f"111.13.101.{n}", id_number="E12345678").status_code
        for n in range(allowed + 2)
    ]
    assert statuses == [302] * allowed + [429, 429], statuses
    assert Application.objects.count() == allowed


def test_the_api_and_the_form_share_the_address_limit(client, world):
    from tests.api.helpers import submission

    allowed, _window = limit_for("submit_ip")
    for n in range(allowed):
        body = submission(world.league.code, id_type="passport", id_number=f"A{n:08d}")
        response = client.post(
            "/api/v1/requests",
            json.dumps(body),
            content_type="application/json",
            REMOTE_ADDR="111.13.100.9",
        )
        assert response.status_code == 201
    assert submit(client, world.league, 1, ip="111.13.100.9").status_code == 429


def test_forwarded_for_is_ignored_from_a_public_peer(client, world):
    """A client cannot dodge the limit by inventing X-Forwarded-For (trusted only from a local
    proxy: gongkai.core.http.client_address, the function the API uses)."""
    allowed, _window = limit_for("submit_ip")
    statuses = []
    for n in range(allowed + 1):
        page = open_form(client, world.league)
        data = form_data(page, id_type="passport", id_number=f"F{n:08d}")
        response = client.post(
            reverse("applications:new", args=[world.league.code]),
            data,
            REMOTE_ADDR="111.13.100.10",
            HTTP_X_FORWARDED_FOR=f"10.0.0.{n}",
        )
        statuses.append(response.status_code)
    assert statuses[-1] == 429, statuses


def test_tracking_lookups_are_limited_per_address(client, world, settings):
    settings.GONGKAI_API_RATE_LIMITS = {"status_ip": (3, 600)}
    url = reverse("applications:track")
    statuses = [
        client.post(
            url, {"code": f"GK-2026-{n:07d}", "secret": "x" * 8}, REMOTE_ADDR="111.13.100.11"
        ).status_code
        for n in range(5)
    ]
    assert statuses == [200, 200, 200, 429, 429], statuses
    assert (
        "查询过于频繁"
        in client.post(
            url, {"code": "x", "secret": "y"}, REMOTE_ADDR="111.13.100.11"
        ).content.decode()
    )


def test_tracking_failures_are_limited_per_code(client, world):
    """(applications.tracking: 10 wrong passwords per code lock the code for 10 minutes, from
    any address.)"""
    url = reverse("applications:track")
    code = "GK-2026-0000001"
    statuses = [
        client.post(
            url, {"code": code, "secret": "wrong-pass"}, REMOTE_ADDR=f"111.13.102.{n}"
        ).status_code
        for n in range(11)
    ]
    assert statuses[-1] == 429 and statuses[:10] == [200] * 10, statuses
