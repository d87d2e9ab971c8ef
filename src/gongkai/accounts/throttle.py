"""Login throttling (登录限制): failed passwords per username and per client address, wrong
two-factor codes per user, counted in the fixed windows of :mod:`gongkai.apitokens.ratelimit`.

Every attempt is checked *before* the password or code is looked at, so an attacker over the limit
learns nothing; only failures are counted (many staff behind one office address log in without
filling its allowance), and a success clears the username's or user's count. Limits: scopes
``login_user`` (5 per 15 minutes), ``login_ip`` (20 per 15 minutes) and ``totp_user`` (5 per 15
minutes), configurable through ``GONGKAI_API_RATE_LIMITS``.
"""

from __future__ import annotations

import math
from typing import Any

from django.utils.translation import gettext as _

from gongkai.apitokens import ratelimit
from gongkai.core.errors import DomainError


class TooManyAttempts(DomainError):
    code = "too_many_attempts"
    status = 429

    def __init__(self, retry_after: int) -> None:
        minutes = max(1, math.ceil(retry_after / 60))
        super().__init__(
            _("失败次数过多，已暂停验证。请在 %(minutes)d 分钟后再试。") % {"minutes": minutes},
            details={"retry_after": retry_after},
        )
        self.retry_after = retry_after


def _username_key(username: str) -> str:
    return (username or "").strip().casefold()


def _check(scope: str, key: str) -> None:
    try:
        ratelimit.check(scope, key)
    except ratelimit.RateLimited as exc:
        raise TooManyAttempts(exc.retry_after) from None


def check_login(username: str, address: str) -> None:
    """Raise :class:`TooManyAttempts` when the username or the address is over its limit."""
    _check("login_user", _username_key(username))
    _check("login_ip", address)


def login_failed(username: str, address: str) -> None:
    ratelimit.record("login_user", _username_key(username))
    ratelimit.record("login_ip", address)


def login_succeeded(username: str) -> None:
    ratelimit.reset("login_user", _username_key(username))


def check_code(user: Any) -> None:
    """Raise :class:`TooManyAttempts` when ``user`` entered too many wrong codes lately."""
    _check("totp_user", str(user.pk))


def code_failed(user: Any) -> None:
    ratelimit.record("totp_user", str(user.pk))


def code_succeeded(user: Any) -> None:
    ratelimit.reset("totp_user", str(user.pk))
