"""Fixed-window rate limits for the API and the staff login, kept in Django's cache.

The cache is the database cache in production (shared by every gunicorn worker, see settings
``CACHES``) and locmem in tests. Each (scope, key, window) has one counter created with
``cache.add`` and bumped with ``cache.incr``; the key is hashed so that identity numbers never
appear in the cache table. When a limit is exceeded :class:`RateLimited` is raised; the API turns
it into HTTP 429 with a ``Retry-After`` header (seconds until the window ends).

Limits are read from ``settings.GONGKAI_API_RATE_LIMITS`` (a dict of scope → (count, seconds))
when present, else from :data:`DEFAULT_LIMITS`. :func:`hit` counts and refuses; limits on
*failures* use :func:`check` before the attempt, :func:`record` after a failure and :func:`reset`
after a success.
"""

from __future__ import annotations

import hashlib
import hmac
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
    # Staff login (gongkai.accounts.throttle): failed passwords per username and per client
    # address, wrong two-factor codes per user. Checked before the password, counted on failure.
    "login_user": (5, 900),
    "login_ip": (20, 900),
    "totp_user": (5, 900),
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


def _slot(scope: str, key: str, window: int) -> tuple[str, int, float]:
    """The cache key of the current window of (scope, key), the window number and now."""
    now = time.time()
    slot = int(now // window)
    # Keyed, so that an identity number cannot be recovered from the cache table by hashing
    # candidate numbers.
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"{scope}\0{key}".encode(), hashlib.sha256
    ).hexdigest()[:32]
    return f"gongkai:api-rate:{scope}:{digest}:{slot}", slot, now


def _refuse(slot: int, window: int, now: float) -> RateLimited:
    retry_after = max(1, math.ceil((slot + 1) * window - now))
    return RateLimited(
        _("请求过于频繁，请在 %(seconds)d 秒后重试。") % {"seconds": retry_after},
        retry_after=retry_after,
    )


def _incr(cache_key: str, window: int) -> int:
    cache.add(cache_key, 0, timeout=window + 5)
    try:
        return cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, timeout=window + 5)
        return 1


def record(scope: str, key: str) -> int:
    """Count one event of ``key`` in ``scope`` and return the count of the current window."""
    _allowed, window = limit_for(scope)
    return _incr(_slot(scope, key, window)[0], window)


def hit(scope: str, key: str) -> None:
    """Count one request of ``key`` in ``scope``; raise :class:`RateLimited` over the limit."""
    allowed, window = limit_for(scope)
    cache_key, slot, now = _slot(scope, key, window)
    if _incr(cache_key, window) > allowed:
        raise _refuse(slot, window, now)


def check(scope: str, key: str) -> None:
    """Raise :class:`RateLimited` when ``key`` has used up its allowance in the current window,
    without counting this call (for limits on failures: check first, :func:`record` a failure)."""
    allowed, window = limit_for(scope)
    cache_key, slot, now = _slot(scope, key, window)
    if (cache.get(cache_key) or 0) >= allowed:
        raise _refuse(slot, window, now)


def reset(scope: str, key: str) -> None:
    """Forget the count of ``key`` in the current window of ``scope``."""
    _allowed, window = limit_for(scope)
    cache.delete(_slot(scope, key, window)[0])
