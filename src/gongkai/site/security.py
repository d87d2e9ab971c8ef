"""Response headers that Django 5.2 does not set itself: Content-Security-Policy and
Permissions-Policy.

Django's ``SecurityMiddleware`` already sends X-Content-Type-Options, Referrer-Policy,
Cross-Origin-Opener-Policy and (with ``GONGKAI_HTTPS``) HSTS; ``XFrameOptionsMiddleware`` sends
X-Frame-Options. This middleware adds one static policy with no nonces: every page of Gongkai
loads its scripts from ``/static/`` and keeps page data in ``json_script`` blocks, so
``script-src 'self'`` holds everywhere (tests/site/test_security_headers.py crawls the pages).

Styles are ``'self'`` too, except under :data:`RELAXED_STYLE_PREFIXES`, pages that cannot avoid
inline styles: the Django admin (a ``<style>`` block in its change list), ninja's Swagger UI, and
the letters console whose sandboxed ``srcdoc`` preview iframe inherits the page's policy and
renders the letter with the same inline styles as its PDF. Scripts stay ``'self'`` there as well.
See docs/decisions.md ("Content-Security-Policy: our own middleware").
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

#: The policy of every page, directive → sources.
POLICY: dict[str, tuple[str, ...]] = {
    "default-src": ("'self'",),
    "script-src": ("'self'",),
    "style-src": ("'self'",),
    "img-src": ("'self'", "data:"),  # data: for ECharts' and Swagger UI's icons, QR codes
    "font-src": ("'self'",),
    "connect-src": ("'self'",),
    "frame-src": ("'self'",),
    "object-src": ("'none'",),
    "base-uri": ("'self'",),
    "form-action": ("'self'",),
    "frame-ancestors": ("'none'",),
}

#: Path prefixes whose pages may use inline styles (never inline scripts).
RELAXED_STYLE_PREFIXES: tuple[str, ...] = ("/admin/", "/api/v1/docs", "/console/letters/")

PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"


def _render(policy: dict[str, tuple[str, ...]]) -> str:
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in policy.items())


STRICT_HEADER = _render(POLICY)
RELAXED_STYLE_HEADER = _render({**POLICY, "style-src": ("'self'", "'unsafe-inline'")})


def policy_for(path: str) -> str:
    """The Content-Security-Policy header value for a request path."""
    if path.startswith(RELAXED_STYLE_PREFIXES):
        return RELAXED_STYLE_HEADER
    return STRICT_HEADER


class SecurityHeadersMiddleware:
    """Adds CSP and Permissions-Policy to every response that does not set its own."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", policy_for(request.path))
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response
