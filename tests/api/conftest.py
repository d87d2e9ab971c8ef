"""Shared fixtures of the API tests: a pinned legal date, a seeded world, tokens and a client.

Today is pinned to Monday 2026-03-16. The seed has, in the league (兴安盟): a request handed in
on Monday 2026-03-02 (received that day), a published document and a draft, a published annual
report for 2025; in the sibling league: a request and a published document (for "another
agency's ids → 404").
"""

from __future__ import annotations

import datetime as dt
import json
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client

from gongkai.apitokens import tokens
from gongkai.core.dates import override_today

TODAY = dt.date(2026, 3, 16)
API = "/api/v1"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "schemathesis: property-based run against the live OpenAPI schema (part of make test; "
        "deselect with -m 'not schemathesis')",
    )


@pytest.fixture(autouse=True)
def _pinned_today():
    with override_today(TODAY):
        yield TODAY


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


class Api:
    """A thin JSON client: ``api.get(path, token=…)``, ``api.post(path, body, token=…)``."""

    def __init__(self, client: Client) -> None:
        self.client = client

    def call(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        token: str | None = None,
        raw: bytes | str | None = None,
        headers: dict[str, str] | None = None,
        **query: Any,
    ):
        extra = dict(headers or {})
        if token:
            extra["Authorization"] = f"Bearer {token}"
        url = path if path.startswith("/") else f"{API}/{path}"
        if method == "GET":
            return self.client.get(url, query or None, headers=extra)
        data = raw if raw is not None else (json.dumps(body) if body is not None else "")
        return self.client.generic(
            method, url, data, content_type="application/json", headers=extra
        )

    def get(self, path: str, *, token: str | None = None, **query: Any):
        return self.call("GET", path, token=token, **query)

    def post(self, path: str, body: Any = None, *, token: str | None = None, **kw: Any):
        return self.call("POST", path, body, token=token, **kw)

    def put(self, path: str, body: Any = None, *, token: str | None = None, **kw: Any):
        return self.call("PUT", path, body, token=token, **kw)


@pytest.fixture
def api(client) -> Api:
    return Api(client)


def token_for(user: Any, name: str = "测试令牌") -> str:
    return tokens.create_token(user, name)[1]


@pytest.fixture
def seed(world) -> SimpleNamespace:
    from tests.api.helpers import build_seed

    return build_seed(world)
