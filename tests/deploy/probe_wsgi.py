"""gongkai.wsgi with one extra test-only URL that reports what Django sees of the client.

``/__probe__/client`` answers ``{"client": client_address(request), "scheme": request.scheme}``:
the address the rate limits use and whether Django trusts the request as HTTPS. Every other URL
is the real application. Used by tests/deploy/test_nginx.py (gunicorn tests.deploy.probe_wsgi).
"""

from __future__ import annotations

import json

from gongkai.wsgi import application as gongkai_application

PROBE = "/__probe__/client"


def application(environ, start_response):
    if environ.get("PATH_INFO") != PROBE:
        return gongkai_application(environ, start_response)
    from django.core.handlers.wsgi import WSGIRequest

    from gongkai.core.http import client_address

    request = WSGIRequest(environ)
    body = json.dumps({"client": client_address(request), "scheme": request.scheme}).encode()
    start_response("200 OK", [("Content-Type", "application/json")])
    return [body]
