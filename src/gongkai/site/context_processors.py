from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Console navigation, computed lazily so public pages pay nothing for it."""
    from django.utils.functional import SimpleLazyObject

    from gongkai.site.navigation import items_for

    return {"console_nav": SimpleLazyObject(lambda: items_for(request.user))}
