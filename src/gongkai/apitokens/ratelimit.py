"""Fixed-window rate limits for the API, kept in Django's cache.

The cache is the database cache in production (shared by every gunicorn worker, see settings
``CACHES``) and locmem in tests. Each (scope, key, window) has one counter created with
``cache.add`` and bumped with ``cache.incr``; the key is hashed so that identity numbers never
appear in the cache table. When a limit is exceeded :class:`RateLimited` is raised; the API turns
it into HTTP 429 with a ``Retry-After`` header (seconds until the window ends).

Limits are read from ``settings.GONGKAI_API_RATE_LIMITS`` (a dict of scope → (count, seconds))
when present, else from :data:`DEFAULT_LIMITS`.
"""

from __future__ import annotations

import hashlib
import math
import time

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _

from gongkai.core.errors import DomainError

#: scope → (requests allowed, window in seconds).
DEFAULT_LIMITS: dict[str, tuple[int, int]] = {
    # Request submission (依申请公开 via the API): per client address and per applicant identity.
    "submit_ip": (10, 3600),
    "submit_identity": (5, 86400),
    # Status checks with tracking code and secret (wrong attempts are limited again by
    # applications.tracking: 10 failures per 10 minutes per address and per code).
    "status_ip": (60, 600),
}


class RateLimited(DomainError):
    code = "rate_limited"
    status = 429

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message, details={"retry_after": retry_after})
        self.retry_after = retry_after


def limit_for(scope: str) -> tuple[int, int]:
    configured = getattr(settings, "GONGKAI_API_RATE_LIMITS", None) or {}
    return tuple(configured.get(scope, DEFAULT_LIMITS[scope]))  # type: ignore[return-value]


def hit(scope: str, key: str) -> None:
    """Count one request of ``key`` in ``scope``; raise :class:`RateLimited` over the limit."""
    allowed, window = limit_for(scope)
    now = time.time()
    slot = int(now // window)
    digest = hashlib.sha256(f"{scope}\0{key}".encode()).hexdigest()[:32]
    cache_key = f"gongkai:api-rate:{scope}:{digest}:{slot}"
    cache.add(cache_key, 0, timeout=window + 5)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, timeout=window + 5)
        count = 1
    if count > allowed:
        retry_after = max(1, math.ceil((slot + 1) * window - now))
        raise RateLimited(
            _("请求过于频繁，请在 %(seconds)d 秒后重试。") % {"seconds": retry_after},
            retry_after=retry_after,
        )
