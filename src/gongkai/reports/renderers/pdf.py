"""PDF export with WeasyPrint (A4, GB/T 9704 margins; Debian's Noto CJK / AR PL fonts)."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string

from gongkai.reports import document


def render(data: dict[str, Any], texts: dict[str, str] | None = None) -> bytes:
    from weasyprint import HTML

    doc = document.build(data, texts)
    html = render_to_string("reports/pdf.html", {"doc": doc})
    # The <title> becomes the PDF's title metadata.
    return HTML(string=html).write_pdf()
