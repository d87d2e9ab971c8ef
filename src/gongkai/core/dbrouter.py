"""Reading the public portal from a read replica (只读副本), everything else from the primary.

Inert unless ``GONGKAI_DATABASE_REPLICA_URL`` configures a ``replica`` database alias (see
docs/deployment.md, "Read replica"). Then a read goes to the replica only when all of these hold:

- the request is a *portal read*: an anonymous ``GET``/``HEAD`` of a public catalogue URL
  (:data:`PORTAL_PREFIXES`), marked by :class:`PortalReadMiddleware` in a context variable. Staff
  (signed in) always read the primary, so a staff member who has just published sees the change
  at once, whatever the replication delay; the request intake (``/requests/``), the console, the
  admin, the API and every ``POST`` read the primary too;
- the model is one of the portal's public models (:data:`PUBLIC_MODELS`: agencies, catalogue
  columns and categories, published documents, their attachments' metadata and interpretations,
  the search index);
- the primary connection is not inside an atomic block (a read inside a transaction must see
  that transaction's own writes).

Every write goes to the primary, and so does every read of any other model (sessions, users, the
cache table, requests, letters, audit log), explicitly: a row loaded from the replica does not drag
the reads of its relations (e.g. ``document.created_by``) to the replica.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import HttpRequest, HttpResponse

REPLICA_DB_ALIAS = "replica"

#: ``app_label.model_name`` of the models the anonymous portal may read from the replica.
PUBLIC_MODELS = frozenset(
    {
        "agencies.agency",
        "publications.column",
        "publications.category",
        "publications.publicationsettings",
        "publications.document",
        "publications.document_categories",  # the many-to-many table of documents and categories
        "publications.attachment",
        "publications.interpretation",
        "search.searchentry",
    }
)

#: Public URL prefixes whose anonymous GET/HEAD requests are portal reads ("/" is the home page).
PORTAL_PREFIXES = ("/documents/", "/search/", "/agencies/", "/sitemap")

_portal_read: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "gongkai_portal_read", default=False
)


def replica_configured() -> bool:
    """Whether a ``replica`` database alias is configured."""
    return REPLICA_DB_ALIAS in settings.DATABASES


def is_portal_path(path: str) -> bool:
    """Whether ``path`` is a public catalogue URL (home, documents, search, agencies, sitemaps)."""
    return path == "/" or path.startswith(PORTAL_PREFIXES)


@contextmanager
def portal_read() -> Iterator[None]:
    """Mark the code inside as a portal read (what the middleware does for a request)."""
    token = _portal_read.set(True)
    try:
        yield
    finally:
        _portal_read.reset(token)


def in_portal_read() -> bool:
    """Whether the current request (or :func:`portal_read` block) is a portal read."""
    return _portal_read.get()


def _in_transaction(alias: str = DEFAULT_DB_ALIAS) -> bool:
    # The test runner wraps every test in atomic blocks of its own (marked ``_from_testcase``,
    # the marker Django's own durable=True check uses); only the application's blocks count.
    blocks = getattr(connections[alias], "atomic_blocks", [])
    return any(not getattr(block, "_from_testcase", False) for block in blocks)


def _label(model: type) -> str:
    meta = model._meta
    return f"{meta.app_label}.{meta.model_name}"


class PortalReplicaRouter:
    """Send the portal's public reads to the replica; everything else to the primary."""

    def db_for_read(self, model: type, **hints: Any) -> str | None:
        if not replica_configured():
            return None
        if (
            in_portal_read()
            and _label(model) in PUBLIC_MODELS
            and not _in_transaction(DEFAULT_DB_ALIAS)
        ):
            return REPLICA_DB_ALIAS
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model: type, **hints: Any) -> str | None:
        return DEFAULT_DB_ALIAS if replica_configured() else None

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        # The replica is a copy of the primary: rows of either may be related.
        both = {obj1._state.db, obj2._state.db}
        if both <= {DEFAULT_DB_ALIAS, REPLICA_DB_ALIAS, None}:
            return True
        return None

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        # A streaming replica is read-only: it receives the schema from the primary.
        return False if db == REPLICA_DB_ALIAS else None


class PortalReadMiddleware:
    """Mark anonymous GET/HEAD requests of public catalogue URLs as portal reads.

    Placed after ``AuthenticationMiddleware`` (it asks whether the user is signed in). Without a
    replica it does nothing at all (not even loading the session).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            not replica_configured()
            or request.method not in ("GET", "HEAD")
            or not is_portal_path(request.path_info)
            or request.user.is_authenticated
        ):
            return self.get_response(request)
        with portal_read():
            return self.get_response(request)
