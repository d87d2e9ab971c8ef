"""Shared browser fixtures: Debian's chromium driven by Playwright against ``live_server``.

- ``browser`` (session): one headless chromium per test process.
- ``page``: a fresh context and page per test, desktop size, ``base_url`` set to the live
  server, so ``page.goto("/agencies/")`` works.
- ``phone_page``: the same on a phone-sized touch screen.
- ``log_in(page, username, password)``: fills and submits the staff login form.

Tests using these must be marked ``@pytest.mark.e2e``. Never run ``playwright install``: the
browser is the system's ``/usr/bin/chromium`` (``make test`` installs it when missing).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("GONGKAI_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DEFAULT_TIMEOUT_MS = 15_000
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


@pytest.fixture(scope="session")
def browser() -> Iterator:
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"找不到浏览器 {CHROMIUM}：请安装 Debian 的 chromium 软件包（apt-get install chromium），"
            "或用 GONGKAI_CHROMIUM 指定路径。"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield instance
        instance.close()


def _page(browser, live_server, **options) -> Iterator:
    context = browser.new_context(base_url=live_server.url, locale="zh-CN", **options)
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


@pytest.fixture
def page(browser, live_server) -> Iterator:
    yield from _page(browser, live_server, viewport={"width": 1280, "height": 900})


@pytest.fixture
def phone_page(browser, live_server) -> Iterator:
    yield from _page(browser, live_server, **PHONE)


@pytest.fixture
def log_in() -> Callable[..., None]:
    def submit(page, username: str, password: str) -> None:
        page.goto("/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.get_by_role("button", name="登录").click()
        page.wait_for_load_state()

    return submit
