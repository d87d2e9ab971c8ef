"""Facts about an HTTP request that several apps need (rate limits, login throttling)."""

from __future__ import annotations

import ipaddress

from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """The client's address for rate limits.

    Behind a reverse proxy on the same host or network (the peer is a loopback or private
    address) the last ``X-Forwarded-For`` entry — the one our proxy appended — is the client;
    entries before it are the client's own claims and are ignored. A public peer's
    ``X-Forwarded-For`` is ignored altogether.
    """
    peer = request.META.get("REMOTE_ADDR", "") or ""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    try:
        local_peer = not peer or ipaddress.ip_address(peer).is_private
    except ValueError:
        local_peer = True
    if forwarded and local_peer:
        return forwarded.split(",")[-1].strip() or peer
    return peer
