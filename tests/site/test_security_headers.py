"""Security headers on every response, and pages that keep the Content-Security-Policy.

The crawl follows every same-site link from the home page (anonymous) and from the console (as
several roles) and checks each HTML page for what ``script-src 'self'`` would block: inline
``<script>`` (``json_script`` data blocks excepted), ``on…=`` event handlers, ``hx-on``
attributes and ``javascript:`` URLs; on pages with the strict style policy also ``style=``
attributes and ``<style>`` blocks.
"""

from __future__ import annotations

from collections import deque
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.core.cache import cache
from django.urls import Resolver404, resolve, reverse

from gongkai.site import security
from tests.api.helpers import in_person_request, published_document, published_report

pytestmark = pytest.mark.django_db


def directives(header: str) -> dict[str, list[str]]:
    parsed = {}
    for part in header.split(";"):
        name, *sources = part.split()
        parsed[name] = sources
    return parsed


# --- headers -----------------------------------------------------------------------------------


def test_every_page_has_a_csp_without_inline_scripts(client, world):
    csp = directives(client.get("/")["Content-Security-Policy"])
    assert csp["script-src"] == ["'self'"], f"scripts must come from our origin only: {csp}"
    assert csp["style-src"] == ["'self'"], f"public pages need no inline styles: {csp}"
    assert csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["base-uri"] == ["'self'"]
    assert csp["form-action"] == ["'self'"]
    assert csp["default-src"] == ["'self'"]


def test_the_other_security_headers_are_sent(client, world):
    response = client.get("/")
    expected = {
        "X-Frame-Options": "DENY",
        "Referrer-Policy": "same-origin",
        "X-Content-Type-Options": "nosniff",
        "Cross-Origin-Opener-Policy": "same-origin",
    }
    for name, value in expected.items():
        assert response.get(name) == value, f"{name}: {response.get(name)!r}, wanted {value!r}"
    assert "camera=()" in response["Permissions-Policy"]


def test_error_pages_and_json_responses_carry_the_policy_too(client, db):
    assert "Content-Security-Policy" in client.get("/no-such-page/")
    assert "Content-Security-Policy" in client.get("/api/v1/health")


@pytest.mark.parametrize("path", ["/admin/", "/api/v1/docs", "/console/letters/templates/"])
def test_only_styles_are_relaxed_on_the_admin_the_api_docs_and_the_letters_console(path):
    csp = directives(security.policy_for(path))
    assert csp["style-src"] == ["'self'", "'unsafe-inline'"], path
    assert csp["script-src"] == ["'self'"], f"scripts stay strict on {path}"


def test_api_docs_page_runs_swagger_from_our_static_files(client, db):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    problems = PageChecker.check(response.content.decode(), strict_styles=False)
    assert not problems, f"/api/v1/docs breaks its CSP: {problems}"
    assert "/static/ninja/swagger-ui-init.js" in response.content.decode()


def test_no_https_headers_without_gongkai_https(client, db):
    response = client.get("/")
    assert "Strict-Transport-Security" not in response, "HSTS only when GONGKAI_HTTPS=1"


def test_https_settings_redirect_and_send_hsts(client, db, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    plain = client.get("/")
    assert plain.status_code == 301 and plain["Location"].startswith("https://")
    secure = client.get("/", headers={"x-forwarded-proto": "https"})
    assert secure.status_code == 200
    assert secure["Strict-Transport-Security"].startswith("max-age=31536000")


# --- crawl ------------------------------------------------------------------------------------


class PageChecker(HTMLParser):
    """Collects what a strict CSP would block, and the links of the page."""

    def __init__(self, strict_styles: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.strict_styles = strict_styles
        self.problems: list[str] = []
        self.links: list[str] = []

    @classmethod
    def check(cls, html: str, strict_styles: bool = True) -> list[str]:
        checker = cls(strict_styles)
        checker.feed(html)
        return checker.problems

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "script" and not values.get("src"):
            if values.get("type") != "application/json":
                self.problems.append(f"inline <script> {values}")
        if tag == "style" and self.strict_styles:
            self.problems.append("<style> block")
        for name, value in attrs:
            if name.startswith("on") or name.startswith("hx-on"):
                self.problems.append(f"<{tag} {name}=…> event handler")
            if name == "style" and self.strict_styles:
                self.problems.append(f"<{tag} style={value!r}>")
            if name in {"href", "src", "action", "formaction"} and (
                value or ""
            ).strip().lower().startswith("javascript:"):
                self.problems.append(f"<{tag} {name}={value!r}>")
        if tag == "a" and values.get("href"):
            self.links.append(values["href"] or "")


SKIP_PREFIXES = ("/static/", "/media/", "/i18n/", "/accounts/logout/", "/admin/")


def route_of(path: str) -> str:
    """The URL pattern of ``path`` (one page per pattern is enough), or the path itself."""
    try:
        return resolve(path).route
    except Resolver404:
        return path


def crawl(client, start: list[str], limit: int, follow: tuple[str, ...] = ("/",)) -> dict:
    """Visit up to ``limit`` HTML pages, one per URL pattern, reachable from ``start`` through
    links under ``follow``; return the problems per page and the visited paths."""
    seen: set[str] = set()
    queue = deque(start)
    problems: dict[str, list[str]] = {}
    visited: list[str] = []
    while queue and len(visited) < limit:
        url = queue.popleft()
        path = urlsplit(url).path
        route = route_of(path)
        if route in seen or path.startswith(SKIP_PREFIXES):
            continue
        seen.add(route)
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        visited.append(path)
        csp = response.get("Content-Security-Policy", "")
        checker = PageChecker(strict_styles="'unsafe-inline'" not in csp)
        if "script-src 'self';" not in csp:
            checker.problems.append(f"CSP header missing or loose: {csp!r}")
        checker.feed(response.content.decode())
        if checker.problems:
            problems[path] = checker.problems
        for link in checker.links:
            target = urlsplit(urljoin(url, link))
            if (not target.netloc or target.netloc == "testserver") and target.path.startswith(
                follow
            ):
                queue.append(target.path + (f"?{target.query}" if target.query else ""))
    problems["__visited__"] = visited
    return problems


@pytest.fixture
def seeded(world):
    cache.clear()
    in_person_request(world.league)
    world.document = published_document(world, world.league, "关于做好2026年政府信息公开工作的通知")
    published_report(world, world.league)
    return world


def test_public_pages_keep_the_policy(client, seeded):
    start = ["/", reverse("reports:agency", args=[seeded.league.code])]
    result = crawl(client, start, limit=40)
    visited = {route_of(path) for path in result.pop("__visited__")}
    expected = [
        "/",
        reverse("agencies:directory"),
        reverse("agencies:detail", args=[seeded.league.code]),
        reverse("applications:new", args=[seeded.league.code]),
        reverse("publications:index"),
        reverse("publications:document", args=[seeded.league.code, seeded.document.pk]),
        reverse("reports:detail", args=[seeded.league.code, 2025, "self"]),
    ]
    missing = [path for path in expected if route_of(path) not in visited]
    assert not missing, f"the crawl did not reach {missing}; visited {visited}"
    assert not result, f"pages that break the CSP: {result}"


@pytest.mark.parametrize("role", ["officer", "head", "supervisor", "administrator"])
def test_console_pages_keep_the_policy(client, seeded, role):
    client.force_login(getattr(seeded, role))
    result = crawl(client, ["/console/"], limit=40, follow=("/console/", "/accounts/"))
    visited = result.pop("__visited__")
    console_pages = [path for path in visited if path.startswith("/console/")]
    assert len(console_pages) >= 5, f"too few console pages reached as {role}: {visited}"
    assert "/console/two-factor/" in visited
    assert not result, f"pages that break the CSP as {role}: {result}"
