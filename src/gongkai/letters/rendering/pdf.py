"""HTML (browser preview) and PDF (WeasyPrint) of a letter, from one template
(``letters/render/letter.html``) and the GB/T 9704 geometry of :mod:`gongkai.letters.document`.

The PDF names only the installed fonts chosen by :func:`gongkai.letters.fonts.plan`, so what
the metadata records is what WeasyPrint used; the browser preview lists the official font names
first, then the substitutes.
"""

from __future__ import annotations

import base64
from typing import Any

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from gongkai.letters import document as geo
from gongkai.letters import fonts
from gongkai.letters.document import LetterDocument


def _bottom_rule_svg() -> str:
    """The 信函格式 lower red double rule (thin over thick), 20 mm above the bottom edge, as a
    full-page SVG background of page 1 (a margin box cannot be wider than the type area)."""
    left = (geo.PAGE_WIDTH_MM - geo.LETTERHEAD_RULE_WIDTH_MM) / 2
    right = left + geo.LETTERHEAD_RULE_WIDTH_MM
    y = geo.PAGE_HEIGHT_MM - geo.LETTERHEAD_BOTTOM_RULE_MM
    pt = 25.4 / 72
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{geo.PAGE_WIDTH_MM}mm" '
        f'height="{geo.PAGE_HEIGHT_MM}mm" viewBox="0 0 {geo.PAGE_WIDTH_MM} {geo.PAGE_HEIGHT_MM}">'
        f'<g stroke="#{geo.RED}">'
        f'<line x1="{left}" y1="{y - 1.5 * pt:.3f}" x2="{right}" y2="{y - 1.5 * pt:.3f}" '
        f'stroke-width="{0.75 * pt:.3f}"/>'
        f'<line x1="{left}" y1="{y + 1.125 * pt:.3f}" x2="{right}" y2="{y + 1.125 * pt:.3f}" '
        f'stroke-width="{2.25 * pt:.3f}"/></g></svg>'
    )
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def _geometry() -> dict[str, Any]:
    return {
        "top": geo.MARGIN_TOP_MM,
        "bottom": geo.MARGIN_BOTTOM_MM,
        "left": geo.MARGIN_LEFT_MM,
        "right": geo.MARGIN_RIGHT_MM,
        "body_pt": geo.BODY_PT,
        "title_pt": geo.TITLE_PT,
        "page_number_pt": geo.PAGE_NUMBER_PT,
        "line_pt": geo.LINE_PITCH_PT,
        "letter_spacing": geo.PDF_LETTER_SPACING_PT,
        "indent_pt": round(2 * geo.PDF_CHAR_PT, 2),
        "letterhead_top": geo.LETTERHEAD_TOP_MM,
        "letterhead_pt": geo.LETTERHEAD_PT,
        "letterhead_line_pt": geo.LETTERHEAD_PT * 1.25,
        "rule_overhang": (geo.LETTERHEAD_RULE_WIDTH_MM - geo.TYPE_WIDTH_MM) / 2,
        "red": geo.RED,
    }


def render_html(doc: LetterDocument, plan: fonts.FontPlan | None = None) -> str:
    """The letter as an HTML document: with ``plan`` for WeasyPrint (installed fonts only),
    without it for the browser (official font names first)."""
    if plan is not None:
        css = {role: plan.css(role) for role in ("body", "title", "page_number")}
        title_bold = plan.title_bold
        record = plan.record
    else:
        css = {
            "body": fonts.SCREEN_STACKS[fonts.BODY],
            "title": fonts.SCREEN_STACKS[fonts.TITLE],
            "page_number": fonts.SCREEN_STACKS[fonts.PAGE_NUMBER],
        }
        title_bold = False
        record = ""
    signature_right, date_right = geo.signature_indents(doc.signature, doc.date)
    context = {
        "doc": doc,
        # Font names come from our own tables (never from user input): safe inside <style>.
        "css": {role: mark_safe(value) for role, value in css.items()},
        "title_bold": title_bold,
        "screen": plan is None,
        "fonts_record": record,
        "g": _geometry(),
        "signature_right": round(signature_right * geo.PDF_CHAR_PT, 2),
        "date_right": round(date_right * geo.PDF_CHAR_PT, 2),
        "bottom_rule": mark_safe(_bottom_rule_svg()),
    }
    return render_to_string("letters/render/letter.html", context)


def _fetcher():
    """Only ``data:`` URLs (our own SVG rule) may be loaded while rendering."""
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols={"data"})


def render_pdf(doc: LetterDocument, plan: fonts.FontPlan | None = None) -> bytes:
    """The PDF bytes (A4, GB/T 9704 layout), with the font substitution in its metadata."""
    from weasyprint import HTML

    plan = plan or fonts.plan()
    html = render_html(doc, plan)
    return HTML(string=html, url_fetcher=_fetcher()).write_pdf(custom_metadata=True)
