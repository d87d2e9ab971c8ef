"""Body HTML sanitising (allow-list, nh3) and plain-text extraction.

Officers paste bodies from word processors and old websites; the portal shows them to everyone.
Only an allow-list of structural tags and attributes survives: scripts, event handlers
(``onerror`` …), ``style``, ``javascript:`` and ``data:`` URLs, forms and frames are removed.
"""

from __future__ import annotations

import html
import re

import nh3

ALLOWED_TAGS = frozenset(
    {
        "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "strong", "b", "em", "i", "u", "s",
        "sub", "sup", "blockquote", "ul", "ol", "li", "dl", "dt", "dd", "table", "thead",
        "tbody", "tfoot", "tr", "th", "td", "caption", "colgroup", "col", "a", "img", "span",
        "div", "pre", "code", "figure", "figcaption",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "align", "scope"},
    "col": {"span"},
    "colgroup": {"span"},
    "p": {"align"},
    "div": {"align"},
    "ol": {"start", "type"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
#: Removed together with their content (not only the tags).
DROP_WITH_CONTENT = frozenset(
    {"script", "style", "iframe", "object", "embed", "template", "noscript"}
)

_H1 = re.compile(r"<(/?)h1\b", re.IGNORECASE)
_BLOCK_END = re.compile(
    r"</(p|div|li|h[1-6]|tr|table|blockquote|pre|dt|dd|figure|figcaption|caption)\s*>|<br\s*/?>",
    re.IGNORECASE,
)
_CELL_END = re.compile(r"</t[dh]\s*>", re.IGNORECASE)
_SPACES = re.compile(r"[ \t\u00a0\u3000]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")


def sanitize_html(raw: str) -> str:
    """The allow-listed form of ``raw``: safe to render with ``|safe`` on a public page.

    ``<h1>`` becomes ``<h2>`` (the page's own title is the only ``<h1>``).
    """
    if not raw:
        return ""
    raw = _H1.sub(lambda m: f"<{m.group(1)}h2", raw)
    return nh3.clean(
        raw,
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(DROP_WITH_CONTENT),
        attributes={k: set(v) for k, v in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener noreferrer",
        strip_comments=True,
    ).strip()


def html_to_text(fragment: str) -> str:
    """Plain text of an HTML fragment: one line per block, entities decoded, spaces collapsed."""
    if not fragment:
        return ""
    marked = _CELL_END.sub(" ", _BLOCK_END.sub("\n", fragment))
    stripped = nh3.clean(marked, tags=set(), clean_content_tags=set(DROP_WITH_CONTENT))
    text = html.unescape(stripped)
    lines = [_SPACES.sub(" ", line).strip() for line in text.splitlines()]
    return _BLANK_LINES.sub("\n", "\n".join(line for line in lines if line)).strip()


def text_to_html(text: str) -> str:
    """Paragraphs of escaped plain text (for bodies imported from .txt files or spreadsheets)."""
    paragraphs = [p.strip() for p in re.split(r"\n+", text or "") if p.strip()]
    return "\n".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
