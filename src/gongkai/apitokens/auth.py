"""Bearer authentication of the staff API with personal tokens (``Authorization: Bearer gk_…``)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer

from gongkai.apitokens import tokens
from gongkai.apitokens.models import ApiToken


class TokenAuth(HttpBearer):
    """A missing header gives 401 ``authentication_required``; a bad, revoked or expired token
    401 ``invalid_token`` / ``token_revoked`` / ``token_expired`` (see :mod:`gongkai.api`)."""

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken:
        found = tokens.authenticate(token)
        request.user = found.user  # services and the audit log see the token's owner
        return found


token_auth = TokenAuth()


def actor(request: HttpRequest) -> Any:
    """The user acting through the token of this request."""
    return request.auth.user  # type: ignore[attr-defined]
