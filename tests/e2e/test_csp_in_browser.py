"""The Content-Security-Policy in a real browser: the pages with scripts (ECharts charts, htmx
forms and previews, the directory filter, Swagger UI, the admin) run without a single violation
report in chromium's console, and an injected inline script is really refused."""

from __future__ import annotations

import pytest

from gongkai.agencies.models import Role
from tests.api.helpers import in_person_request, published_report
from tests.factories import UserFactory, member

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def violations(page) -> list[str]:
    found: list[str] = []
    page.on(
        "console",
        lambda message: (
            found.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return found


def test_script_pages_run_without_csp_violations(page, world, log_in):
    published_report(world, world.league)
    request = in_person_request(world.league)
    admin = UserFactory(username="root", is_superuser=True, is_staff=True)
    member(world.league, Role.SUPERVISOR, "harden_supervisor")
    found = violations(page)
    code = world.league.code
    log_in(page, admin.username, world.password)
    pages = [
        "/",
        "/agencies/",
        f"/requests/{code}/new/",
        f"/console/reports/{code}/2025/self/",
        "/console/supervision/oversight/",
        f"/console/letters/templates/{code}/receipt/",
        f"/console/letters/requests/{request.pk}/",
        "/console/two-factor/",
        "/api/v1/docs",
        "/admin/",
    ]
    for path in pages:
        response = page.goto(path)
        assert response is not None and response.ok, f"{path}: {response and response.status}"
        page.wait_for_load_state("networkidle")
        if path.startswith("/console/reports/"):
            page.locator("#report-chart canvas").first.wait_for()  # ECharts ran
            page.locator("#report-chart").hover()  # the tooltip renders without inline styles
        if path == "/api/v1/docs":
            page.locator(".swagger-ui .info").first.wait_for()  # Swagger UI ran
    assert not found, f"{len(found)} CSP violations, e.g. {sorted(set(found))[:2]}"


def test_an_injected_inline_script_is_refused(page, world):
    found = violations(page)
    page.goto("/")
    page.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'window.__pwned = 1'; document.body.appendChild(s); }"
    )
    assert page.evaluate("() => window.__pwned") is None, "the inline script ran"
    assert found, "chromium reported no CSP violation for the inline script"
