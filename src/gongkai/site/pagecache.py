"""A page cache for anonymous readers of the public portal, invalidated by one generation counter.

The public pages of proactive disclosure (主动公开, 条例第二十三、二十四条) are read far more often
than they change: the home page, the agency directory and agency pages, the catalogues and columns,
document pages, feeds and the sitemap. :func:`cache_page` wraps such a view. For an anonymous
``GET``/``HEAD`` with no query string (or only the view's whitelisted paging parameter) it looks
up the rendered page together with the current **portal generation** in one cache read
(``get_many``, one ``SELECT`` with the database cache) and serves the page if it was rendered
under that generation. Anything else is rendered as usual and never stored: logged-in users (their
pages carry the console navigation and a logout form with a CSRF token), readers with pending
messages, unknown query parameters, responses that set a cookie or used a CSRF token.

Every change that a cached page may show calls :func:`invalidate` inside its transaction; after
the commit the generation is replaced by a fresh random value, so every page stored before is
dead at once (no key is deleted; dead pages are overwritten or expire). A page is stored with the
generation read *before* it was rendered, so a page rendered from data older than a commit can
never be served after that commit's bump.

The key varies on the host and scheme (feeds and the sitemap contain absolute URLs), the path,
the active language (``LocaleMiddleware``: language cookie or ``Accept-Language``) and the
portal's large-text cookie. The decorator sits inside the middleware stack, so the security
headers (CSP, X-Frame-Options, …) and ``Content-Language``/``Vary`` are added to hits and misses
alike. Responses carry an ``ETag`` (a conditional request gets 304) and ``Cache-Control: public,
max-age=GONGKAI_PORTAL_MAX_AGE`` (0 by default: browsers and nginx revalidate, so a withdrawn
document disappears at once; see docs/deployment.md).

The pages live in their own cache alias ``portal`` (settings ``CACHES``; a database table of
their own in production) so that thousands of document pages never evict the rate-limit and
captcha records of the default cache. Without that alias the cache is off (the test suite's
default; tests/site/test_portal_cache.py turns it on).
"""

from __future__ import annotations

import functools
import hashlib
import secrets
import zlib
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import caches
from django.db import DEFAULT_DB_ALIAS
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.translation import get_language

from gongkai.core.commitbatch import CommitBatch

#: The cache alias of the page cache (settings ``CACHES``); no alias, no page cache.
ALIAS = "portal"
#: The generation's key. "~" sorts after every page key, and the database cache culls the keys
#: that sort first, so the generation is the last entry to be culled (and if it ever is, a fresh
#: one is drawn and every page misses once: never a stale page).
GENERATION_KEY = "~portal-generation"
#: How long a page stays in the cache without being read again (seconds).
PAGE_TIMEOUT = 3600
#: The portal's large-text cookie (publications.views.public.LARGE_TEXT_COOKIE).
LARGE_TEXT_COOKIE = "gk_large_text"
#: Paging parameters are cached only for these small positive numbers.
MAX_PAGE = 10_000

ViewFunc = Callable[..., HttpResponse]


def enabled() -> bool:
    return ALIAS in settings.CACHES


def _cache():
    return caches[ALIAS]


def _new_generation() -> str:
    return secrets.token_hex(8)


def bump() -> None:
    """Replace the portal generation now: every stored page becomes dead."""
    if enabled():
        _cache().set(GENERATION_KEY, _new_generation(), timeout=None)


def invalidate(using: str = DEFAULT_DB_ALIAS) -> None:
    """Make every cached portal page dead once the current transaction commits.

    Called by the services that change what the portal shows (publish, revise, change validity,
    withdraw, link or unlink an interpretation) and by the model signals of agencies, columns and
    categories (:func:`connect_signals`). However many calls a transaction makes (an import of
    thousands of documents), its commit bumps once (one on-commit callback,
    :class:`gongkai.core.commitbatch.CommitBatch`); a rolled-back transaction bumps nothing.
    """
    _BUMP.add(using=using)


_BUMP = CommitBatch("portal-cache", lambda _items: bump(), robust=True)


def _on_model_change(sender: Any, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return  # loaddata
    invalidate()


def connect_signals() -> None:
    """Agencies (profile, guide, directory), columns and categories change pages too: through
    the profile service, the admin or commands. Their saves and deletes invalidate."""
    from django.db.models.signals import post_delete, post_save

    from gongkai.agencies.models import Agency
    from gongkai.publications.models import Category, Column

    for model in (Agency, Column, Category):
        for name, signal in (("save", post_save), ("delete", post_delete)):
            signal.connect(
                _on_model_change, sender=model, dispatch_uid=f"pagecache.{model.__name__}.{name}"
            )


# --- the decorator ------------------------------------------------------------------------------


def _query_suffix(request: HttpRequest, allowed: frozenset[str]) -> str | None:
    """The part of the key taken from the query string, or None when the page is not cacheable."""
    if not request.META.get("QUERY_STRING"):
        return ""
    parts = []
    for name in request.GET:
        values = request.GET.getlist(name)
        if name not in allowed or len(values) != 1:
            return None
        value = values[0]
        if not value.isascii() or not value.isdigit() or not 1 <= int(value) <= MAX_PAGE:
            return None
        parts.append(f"{name}={int(value)}")
    return "&".join(sorted(parts))


def _cacheable_request(request: HttpRequest) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    # A message waiting for this reader would be shown by (and stored in) a rendered page, or
    # silently kept by a cached one. len() reads the storage without marking it used.
    return not len(get_messages(request))


def _key(request: HttpRequest, query: str) -> str:
    large = request.COOKIES.get(LARGE_TEXT_COOKIE) == "1"
    raw = "\n".join(
        [
            request.scheme or "",
            request.get_host(),
            request.path,
            query,
            get_language() or "",
            "large" if large else "normal",
        ]
    )
    return "page:" + hashlib.sha256(raw.encode()).hexdigest()


def _storable(request: HttpRequest, response: HttpResponse) -> bool:
    if response.status_code not in (200, 410) or response.streaming:
        return False
    if response.cookies or request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False  # per-reader state: a cookie, or a page carrying a CSRF token
    session = getattr(request, "session", None)
    if session is not None and session.modified:
        return False
    cache_control = response.get("Cache-Control", "")
    return "private" not in cache_control and "no-store" not in cache_control


def _etag(content: bytes) -> str:
    return '"' + hashlib.blake2b(content, digest_size=12).hexdigest() + '"'


def _from_entry(entry: tuple[Any, ...]) -> tuple[HttpResponse, str]:
    _generation, status, headers, packed, etag = entry
    response = HttpResponse(zlib.decompress(packed), status=status)
    for name, value in headers:
        response.headers[name] = value
    return response, etag


def _finish(request: HttpRequest, response: HttpResponse, etag: str) -> HttpResponse:
    response.headers["ETag"] = etag
    max_age = getattr(settings, "GONGKAI_PORTAL_MAX_AGE", 0)
    response.headers["Cache-Control"] = (
        f"public, max-age={max_age}" if max_age else "public, max-age=0, must-revalidate"
    )
    patch_vary_headers(response, ("Accept-Language", "Cookie"))
    if response.status_code == 200:
        return get_conditional_response(request, etag=etag, response=response)
    return response


def cache_page(view: ViewFunc | None = None, *, query: Iterable[str] = ()) -> Any:
    """Serve an anonymous reader's copy of the page from the portal cache (see the module).

    ``query`` names paging parameters that may be cached (positive integers only, e.g.
    ``("page",)``); any other query string renders the page uncached.
    """
    allowed = frozenset(query)

    def decorate(func: ViewFunc) -> ViewFunc:
        @functools.wraps(func)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            suffix = _query_suffix(request, allowed)
            if suffix is None or not enabled() or not _cacheable_request(request):
                return func(request, *args, **kwargs)
            cache = _cache()
            key = _key(request, suffix)
            found = cache.get_many([GENERATION_KEY, key])
            generation = found.get(GENERATION_KEY)
            if generation is None:
                generation = _new_generation()
                if not cache.add(GENERATION_KEY, generation, timeout=None):
                    generation = cache.get(GENERATION_KEY) or generation
            entry = found.get(key)
            if entry is not None and entry[0] == generation:
                response, etag = _from_entry(entry)
                return _finish(request, response, etag)
            response = func(request, *args, **kwargs)
            if hasattr(response, "render") and callable(response.render):
                response = response.render()  # TemplateResponse (the sitemap index)
            if not _storable(request, response):
                return response
            content = response.content
            etag = _etag(content)
            headers = [
                (name, value)
                for name, value in response.headers.items()
                if name.lower() not in ("set-cookie", "etag", "cache-control")
            ]
            cache.set(
                key,
                (generation, response.status_code, headers, zlib.compress(content, 6), etag),
                timeout=PAGE_TIMEOUT,
            )
            return _finish(request, response, etag)

        wrapper.portal_cached = True  # type: ignore[attr-defined]
        return wrapper

    if view is not None:
        return decorate(view)
    return decorate
