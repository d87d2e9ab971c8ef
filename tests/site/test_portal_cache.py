"""The page cache of anonymous portal pages (gongkai.site.pagecache): hits are cheap, and every
change the portal shows is visible on the next request."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.messages import constants as message_levels
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection
from django.http import HttpRequest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from gongkai.agencies.profile import update_profile
from gongkai.core.dates import override_today
from gongkai.publications import services
from gongkai.publications.models import Validity
from gongkai.publications.views.public import LARGE_TEXT_COOKIE
from gongkai.site import pagecache
from tests.publications.factories import published

TODAY = dt.date(2026, 3, 16)


@pytest.fixture(autouse=True)
def portal_cache(settings):
    """The suite runs without the portal alias (cache off); these tests turn it on."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "portal": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "portal-cache-tests",
        },
    }
    cache = caches["portal"]
    cache.clear()
    with override_today(TODAY):
        yield cache
    cache.clear()


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a change as if its transaction committed: the page cache's on-commit callbacks run
    (the search index's are left out: they are another module's business)."""

    def portal_flushes(callbacks):
        batch = pagecache._BUMP.flush
        return [c for c in callbacks if getattr(getattr(c, "__self__", None), "flush", 0) is batch]

    def run(change, *args, **kwargs):
        # What the test's setup invalidated commits first, so the change must register its own.
        for callback in portal_flushes(entry[1] for entry in connection.run_on_commit):
            if not callback.__self__.done:
                callback()
        with django_capture_on_commit_callbacks() as callbacks:
            result = change(*args, **kwargs)
        flushes = portal_flushes(callbacks)
        assert flushes, f"{change.__name__} registered no page-cache invalidation"
        for callback in flushes:
            callback()
        return result

    return run


@pytest.fixture
def document(world, committed):
    return committed(published, world, title="关于做好春季森林防火工作的通知")


def get(client, url, **extra):
    response = client.get(url, **extra)
    assert response.status_code in (200, 410), (url, response.status_code)
    return response


def test_a_second_anonymous_request_makes_no_database_query(
    client, document, django_assert_max_num_queries
):
    first = get(client, document.get_absolute_url())
    with django_assert_max_num_queries(0):
        second = get(client, document.get_absolute_url())
    assert second.content == first.content, "the cached page must be the rendered page"
    assert document.title in second.content.decode()


def test_a_database_cache_hit_is_one_select(client, settings, document, django_assert_num_queries):
    settings.CACHES = {
        **settings.CACHES,
        "portal": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "gongkai_portal_cache_test",
        },
    }
    call_command("createcachetable", "gongkai_portal_cache_test", verbosity=0)
    url = reverse("publications:agency", args=[document.agency.code])
    first = get(client, url)
    with django_assert_num_queries(1) as captured:
        second = get(client, url)
    assert captured.captured_queries[0]["sql"].lstrip().upper().startswith("SELECT"), captured
    assert second.content == first.content


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/agencies/",
        "/agencies/152200/",
        "/documents/",
        "/documents/152200/",
        "/documents/152200/policies/",
        "/documents/152200/policies/?page=1",
        "/documents/feeds/152200/rss/",
        "/documents/feeds/152200/policies/atom/",
        "/sitemap.xml",
        "/sitemap-documents.xml",
    ],
)
def test_every_public_portal_page_is_served_from_the_cache(
    client, document, url, django_assert_max_num_queries
):
    first = get(client, url)
    with django_assert_max_num_queries(0):
        second = get(client, url)
    assert second.content == first.content, url
    assert second["ETag"] == first["ETag"], url


def test_staff_pages_are_never_cached_nor_served_from_the_cache(client, world, document):
    anonymous = get(client, document.get_absolute_url()).content.decode()
    assert "工作台" not in anonymous
    client.force_login(world.reviewer)
    for _ in range(2):
        staff = get(client, document.get_absolute_url())
        assert "工作台" in staff.content.decode(), "staff must see their console link, not a copy"
        assert "ETag" not in staff and "public" not in staff.get("Cache-Control", "")
    client.logout()
    assert "工作台" not in get(client, document.get_absolute_url()).content.decode(), (
        "a staff page must never be stored for anonymous readers"
    )


def test_publishing_shows_on_the_catalogue_at_once(client, world, committed, document):
    url = reverse("publications:agency", args=[world.league.code])
    get(client, url)
    committed(published, world, title="关于开展政务公开标准化工作的通知")
    assert "关于开展政务公开标准化工作的通知" in get(client, url).content.decode()


def test_withdrawing_answers_410_at_once(client, world, committed, document):
    get(client, document.get_absolute_url())
    committed(services.withdraw, world.reviewer, document, reason="内容有误")
    assert client.get(document.get_absolute_url()).status_code == 410


def test_revising_a_published_document_shows_the_new_text_at_once(
    client, world, committed, document
):
    get(client, document.get_absolute_url())
    data = services.DocumentInput.from_document(document)
    data.title = "关于做好春季森林草原防灭火工作的通知"
    committed(services.revise, world.reviewer, document, data, reason="标题更正")
    assert (
        "关于做好春季森林草原防灭火工作的通知"
        in get(client, document.get_absolute_url()).content.decode()
    )


def test_abolishing_shows_the_banner_at_once(client, world, committed, document):
    get(client, document.get_absolute_url())
    committed(
        services.change_validity,
        world.reviewer,
        document,
        Validity.EXPIRED,
        TODAY,
    )
    assert "失效" in get(client, document.get_absolute_url()).content.decode()


def test_linking_an_interpretation_shows_it_at_once(client, world, committed, document):
    interpretation = committed(published, world, title="《春季森林防火通知》政策解读")
    get(client, document.get_absolute_url())
    committed(services.link_interpretation, world.officer, document, interpretation)
    assert interpretation.title in get(client, document.get_absolute_url()).content.decode()


def test_a_profile_change_shows_on_the_agency_page_at_once(client, world, committed):
    url = reverse("agencies:detail", args=[world.league.code])
    get(client, url)
    committed(update_profile, world.league, {"phone": "0482-8261234"}, actor=world.administrator)
    assert "0482-8261234" in get(client, url).content.decode()


def test_an_uncommitted_change_does_not_invalidate(client, world, document, portal_cache):
    get(client, document.get_absolute_url())
    generation = portal_cache.get(pagecache.GENERATION_KEY)
    services.withdraw(world.reviewer, document, reason="内容有误")  # not committed (test atomic)
    assert portal_cache.get(pagecache.GENERATION_KEY) == generation


def _patterns(resolver: URLResolver, prefix: str = ""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _patterns(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry.callback


def test_only_the_read_only_portal_views_are_cached():
    cached = sorted(
        route for route, view in _patterns(get_resolver()) if getattr(view, "portal_cached", False)
    )
    assert not [r for r in cached if r.startswith(("requests/", "console/", "search/", "api/"))]
    assert not [r for r in cached if "search" in r or "text-size" in r or "attachments" in r]
    assert len(cached) == 14, cached


@pytest.mark.parametrize(
    "url", ["/requests/152200/new/", "/requests/track/", "/requests/", "/documents/search/"]
)
def test_the_request_form_tracking_and_search_pages_are_not_cached(client, world, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert "ETag" not in response and "public" not in response.get("Cache-Control", ""), url


def test_language_variants_do_not_mix(client, document):
    url = document.get_absolute_url()
    for _ in range(2):
        english = get(client, url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        chinese = get(client, url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
        assert '<html lang="en">' in english
        assert '<html lang="zh-CN">' in chinese


def test_the_large_text_variant_does_not_mix(client, document):
    url = document.get_absolute_url()
    normal = get(client, url).content.decode()
    client.cookies[LARGE_TEXT_COOKIE] = "1"
    large = get(client, url).content.decode()
    assert "large-text" in large and "large-text" not in normal


def test_security_headers_are_on_a_cache_hit(client, document):
    get(client, document.get_absolute_url())
    hit = get(client, document.get_absolute_url())
    assert "script-src 'self'" in hit["Content-Security-Policy"]
    assert hit["X-Frame-Options"] == "DENY"
    assert hit["X-Content-Type-Options"] == "nosniff"
    assert "Accept-Language" in hit["Vary"] and "Cookie" in hit["Vary"]
    assert hit["Cache-Control"] == "public, max-age=0, must-revalidate"


def test_a_matching_etag_gets_304(client, document):
    etag = get(client, document.get_absolute_url())["ETag"]
    response = client.get(document.get_absolute_url(), HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert "Content-Security-Policy" in response


def test_an_unknown_query_string_is_rendered_not_cached(client, document, portal_cache):
    response = get(client, document.get_absolute_url() + "?utm_source=weixin")
    assert "ETag" not in response
    response = get(client, "/documents/152200/policies/?page=abc")
    assert "ETag" not in response, "only small positive page numbers are cached"


def test_a_pending_message_is_shown_and_the_page_not_stored(client, document):
    request = HttpRequest()
    storage = CookieStorage(request)
    storage.add(message_levels.SUCCESS, "申请已提交")
    response = get(client, "/")  # a carrier response for the cookie
    storage.update(response)
    client.cookies["messages"] = response.cookies["messages"].value
    with_message = get(client, "/")
    assert "申请已提交" in with_message.content.decode()
    assert "ETag" not in with_message
    assert "申请已提交" not in get(client, "/").content.decode(), "the message is shown once"
