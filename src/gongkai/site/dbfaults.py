"""A busy or unreachable database answers 503 「系统繁忙，请稍后再试」, never a 500 or half a record.

Every write of Gongkai runs in one transaction (``transaction.atomic``), so when the database is
locked beyond the busy timeout (SQLite), refuses connections or drops one mid-request
(PostgreSQL restart, failover), the transaction is rolled back and nothing is half-written. What
remains is to tell the user plainly, which this module does at the edge:

- :class:`DatabaseUnavailableMiddleware` turns ``django.db.OperationalError`` and
  ``InterfaceError`` raised by a view into a 503 page (``site/503.html``) with ``Retry-After``,
  or, under ``/api/``, a 503 JSON body in the API's error format
  (``{"code": "service_unavailable", "message": …}``);
- :func:`api_unavailable` is the same answer registered as the API's exception handler (the API
  catches exceptions before any middleware sees them);
- :func:`is_transient` lets the 500 handler answer 503 too when the failure happened outside a
  view (e.g. saving the session).

The page is rendered without a request (no context processors), so it shows the site's frame
without touching the database again. Other database errors (``IntegrityError``,
``ProgrammingError`` …) are bugs, not load: they stay 500.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable

from django.contrib.auth.models import AnonymousUser
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

#: Exceptions that mean "the database is busy or unreachable right now".
TRANSIENT: tuple[type[Exception], ...] = (OperationalError, InterfaceError)
#: Seconds the client is asked to wait before trying again.
RETRY_AFTER_SECONDS = 30
API_PREFIX = "/api/"
CODE = "service_unavailable"


def is_transient(exc: BaseException | None) -> bool:
    """Whether ``exc`` is a database error that a later retry may not meet."""
    return isinstance(exc, TRANSIENT)


def message() -> str:
    return _("系统繁忙，请稍后再试。")


def unavailable_json() -> HttpResponse:
    """The API's error body for a busy database (503, ``Retry-After``)."""
    body = {
        "code": CODE,
        "message": message(),
        "field": None,
        "details": {"retry_after": RETRY_AFTER_SECONDS},
    }
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False),
        status=503,
        content_type="application/json; charset=utf-8",
    )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def unavailable_page() -> HttpResponse:
    """The 503 page: the site's frame, rendered without the request (no database access)."""
    html = render_to_string(
        "site/503.html",
        {
            "user": AnonymousUser(),
            "messages": (),
            "console_nav": None,
            "message": message(),
            "retry_after": RETRY_AFTER_SECONDS,
        },
    )
    response = HttpResponse(html, status=503, content_type="text/html; charset=utf-8")
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def unavailable(request: HttpRequest) -> HttpResponse:
    """JSON under ``/api/``, the page elsewhere."""
    if request.path.startswith(API_PREFIX):
        return unavailable_json()
    return unavailable_page()


def _log(request: HttpRequest, exc: BaseException) -> None:
    logger.warning(
        "database unavailable during %s %s: %s: %s",
        request.method,
        request.path,
        type(exc).__name__,
        exc,
    )


def api_unavailable(request: HttpRequest, exc: Exception) -> HttpResponse:
    """django-ninja exception handler for :data:`TRANSIENT` errors."""
    _log(request, exc)
    return unavailable_json()


class DatabaseUnavailableMiddleware:
    """Answer 503 instead of 500 when a view fails because the database is busy or gone."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not is_transient(exception):
            return None
        _log(request, exception)
        return unavailable(request)
