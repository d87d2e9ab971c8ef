"""Submit a console form the way a browser does: its current values, some fields changed."""

from __future__ import annotations

from typing import Any

from tests.supervision.htmlform import _FormReader, as_post


class _PostFormReader(_FormReader):
    """Reads the first ``<form method="post">`` that has a CSRF token (the page's main form)."""

    def __init__(self) -> None:
        super().__init__(form_id="")
        self.done = False

    def handle_starttag(self, tag, attrs):
        if tag == "form" and not self.done and not self.inside:
            attributes = dict(attrs)
            if (attributes.get("method") or "").lower() == "post" and "action" not in attributes:
                self.inside = True
            return
        super().handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag == "form" and self.inside:
            self.done = True
        super().handle_endtag(tag)


def post_form(client: Any, url: str, changes: dict[str, str]):
    """GET ``url``, fill its main form with ``changes`` and POST it back."""
    page = client.get(url)
    assert page.status_code == 200, f"GET {url} → {page.status_code}"
    reader = _PostFormReader()
    reader.feed(page.content.decode())
    data = as_post(reader.data)
    data.update({name: [value] for name, value in changes.items()})
    return client.post(url, data)
