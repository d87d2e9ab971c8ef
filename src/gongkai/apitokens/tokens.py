"""Creating, revoking and checking personal API tokens.

Format: ``gk_<prefix>_<secret>`` — ``prefix`` is 8 lowercase hex characters (stored in clear,
unique, used to find the row), ``secret`` 43 URL-safe characters (256 random bits). Only the
SHA-256 of the whole token is stored; a fast hash is right here because the token is random and
long (no dictionary to guess), and it keeps every API request cheap.

A token that is unknown, malformed, revoked or expired, or whose user is inactive, is refused
with :class:`TokenRefused` (HTTP 401 with the API error format).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongkai.apitokens.models import ApiToken
from gongkai.core import dates
from gongkai.core.errors import DomainError
from gongkai.site import audit

TOKEN_RE = re.compile(r"^gk_([0-9a-f]{8})_([A-Za-z0-9_-]{43})$")
#: Lifetimes offered in the console (days). A token always expires.
LIFETIME_CHOICES = (30, 90, 180, 365)
DEFAULT_LIFETIME_DAYS = 90
MAX_LIFETIME_DAYS = 365
#: Active (unrevoked, unexpired) tokens one user may hold.
MAX_ACTIVE_TOKENS = 20
NAME_MAX_LENGTH = 100
#: ``last_used_at`` is written at most this often per token (no write on every request).
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)

audit.register_action("apitoken.create", gettext_lazy("创建接口令牌"))
audit.register_action("apitoken.revoke", gettext_lazy("吊销接口令牌"))


class TokenRefused(DomainError):
    """The bearer token cannot be used (HTTP 401)."""

    code = "invalid_token"
    status = 401


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _new_token() -> tuple[str, str]:
    prefix = secrets.token_hex(4)
    return prefix, f"gk_{prefix}_{secrets.token_urlsafe(32)}"


def create_token(
    user: Any, name: str, lifetime_days: int = DEFAULT_LIFETIME_DAYS
) -> tuple[ApiToken, str]:
    """Create a token for ``user``; return the row and the token text (shown once, never stored).

    Raises :class:`DomainError` for an empty or too long name, a lifetime outside 1–365 days, or
    when the user already holds :data:`MAX_ACTIVE_TOKENS` usable tokens.
    """
    name = " ".join((name or "").split())
    if not name:
        raise DomainError(
            _("请填写令牌名称（例如对接的系统名称）。"), code="required", field="name"
        )
    if len(name) > NAME_MAX_LENGTH:
        raise DomainError(
            _("令牌名称不能超过%(n)d个字符。") % {"n": NAME_MAX_LENGTH},
            code="too_long",
            field="name",
        )
    try:
        days = int(lifetime_days)
    except (TypeError, ValueError):
        days = 0
    if not 1 <= days <= MAX_LIFETIME_DAYS:
        raise DomainError(
            _("有效期应为1至%(n)d天。") % {"n": MAX_LIFETIME_DAYS},
            code="invalid_lifetime",
            field="lifetime_days",
        )
    now = dates.now()
    with transaction.atomic():
        active = ApiToken.objects.filter(user=user).usable(now).count()
        if active >= MAX_ACTIVE_TOKENS:
            raise DomainError(
                _("有效令牌已达%(n)d个，请先吊销不再使用的令牌。") % {"n": MAX_ACTIVE_TOKENS},
                code="too_many_tokens",
            )
        for _attempt in range(5):
            prefix, text = _new_token()
            if not ApiToken.objects.filter(prefix=prefix).exists():
                break
        token = ApiToken.objects.create(
            user=user,
            name=name,
            prefix=prefix,
            hashed_secret=hash_token(text),
            expires_at=now + dt.timedelta(days=days),
        )
        audit.record(
            user,
            "apitoken.create",
            token,
            extra={"name": name, "prefix": prefix, "expires_at": token.expires_at},
        )
    return token, text


def revoke_token(token: ApiToken, actor: Any) -> ApiToken:
    """Revoke ``token`` at once (idempotent: an already revoked token keeps its first date)."""
    with transaction.atomic():
        locked = ApiToken.objects.select_for_update().get(pk=token.pk)
        if locked.revoked_at is None:
            locked.revoked_at = dates.now()
            locked.save(update_fields=["revoked_at"])
            audit.record(
                actor,
                "apitoken.revoke",
                locked,
                extra={"name": locked.name, "prefix": locked.prefix},
            )
    token.revoked_at = locked.revoked_at
    return token


def authenticate(text: str) -> ApiToken:
    """The usable token whose text is ``text``; raise :class:`TokenRefused` otherwise."""
    match = TOKEN_RE.match((text or "").strip())
    token = None
    if match:
        token = ApiToken.objects.select_related("user").filter(prefix=match.group(1)).first()
    expected = token.hashed_secret if token is not None else hash_token("gk_none")
    if token is None or not hmac.compare_digest(expected, hash_token(text.strip())):
        raise TokenRefused(_("接口令牌无效。请在工作台“接口令牌”页面创建新令牌。"))
    now = dates.now()
    if token.revoked_at is not None:
        raise TokenRefused(_("接口令牌已被吊销。"), code="token_revoked")
    if token.is_expired(now):
        raise TokenRefused(_("接口令牌已过期，请创建新令牌。"), code="token_expired")
    if not token.user.is_active:
        raise TokenRefused(_("令牌所属账号已停用。"), code="user_inactive")
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
