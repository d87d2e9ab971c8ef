"""Refuse NUL characters in the URL and query string before any view sees them.

PostgreSQL text cannot hold U+0000, so a query parameter carrying one (``?q=a%00b``) would turn
into a database error (500) wherever a view filters on it. Form fields are already checked by
Django's ``ProhibitNullCharactersValidator`` and API bodies by ``apitokens.schemas.Input``; this
covers what views read from ``request.GET`` directly. Bodies are not read here, so views that
install their own upload handlers still can.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

NUL = "\x00"


def has_nul(request: HttpRequest) -> bool:
    """Whether the path or any query parameter name or value contains a NUL character."""
    if NUL in request.path:
        return True
    return any(
        NUL in key or any(NUL in value for value in values) for key, values in request.GET.lists()
    )


class RejectNulBytesMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not has_nul(request):
            return self.get_response(request)
        message = _("请求中含有无效的空字符（NUL），请删除后重试。")
        if request.path.startswith("/api/"):
            body = {"code": "invalid_characters", "message": message, "field": None, "details": {}}
            return HttpResponse(
                json.dumps(body, ensure_ascii=False),
                status=400,
                content_type="application/json; charset=utf-8",
            )
        return render(request, "site/400.html", {"message": message}, status=400)
