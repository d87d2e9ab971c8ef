"""Text handling for search: normalisation, query parsing, highlighting.

Pure functions, no database. The same normalisation runs on documents (at index time) and on
queries, so a Traditional or full-width query finds Simplified, half-width text and back.
"""

from __future__ import annotations

import functools
import html
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

MIN_QUERY_CHARS = 2
"""Fewer characters than this (all terms together) gives a notice instead of results."""
MAX_QUERY_CHARS = 200
MAX_TERMS = 10
SNIPPET_CHARS = 120
SNIPPET_CONTEXT = 30
"""Characters of context kept before the first body match in a snippet."""

# Control, surrogate and private-use characters cannot be stored (PostgreSQL rejects NUL) and
# never mean anything in a query; tab and newline survive in documents.
_UNSTORABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
_SPACES = re.compile(r"\s+")


@functools.cache
def _t2s_converter():
    import opencc

    return opencc.OpenCC("t2s")


def clean(text: str | None) -> str:
    """The text without characters a database cannot store (NUL, lone surrogates, controls)."""
    if not text:
        return ""
    return _UNSTORABLE.sub("", str(text))


def normalise(text: str) -> str:
    """NFKC (full-width → half-width, compatibility forms) then Traditional → Simplified (t2s)."""
    if not text:
        return ""
    return _t2s_converter().convert(unicodedata.normalize("NFKC", text))


def normalised_variant(text: str) -> str:
    """The normalised text, or "" when normalising changes nothing (what the index stores)."""
    converted = normalise(text)
    return "" if converted == text else converted


@dataclass(frozen=True)
class Term:
    """One whitespace-separated query term.

    ``text`` is the normalised form (shown to the user); ``variants`` are every form searched
    for — the term as typed, its NFKC form and its normalised form, without duplicates. A
    document matches the term when any variant is a substring of any searchable field.
    """

    text: str
    variants: tuple[str, ...]

    @property
    def min_length(self) -> int:
        return min(len(variant) for variant in self.variants)


@dataclass(frozen=True)
class ParsedQuery:
    text: str
    """The normalised query, terms joined by one space."""
    terms: tuple[Term, ...]
    notice: str = ""
    """A Chinese message when the query is not run (too short, too long)."""

    @property
    def runnable(self) -> bool:
        return not self.notice


def _unique(values: Iterable[str]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for value in values:
        if value and value not in seen:
            seen[value] = None
    return tuple(seen)


def parse_query(text: str | None) -> ParsedQuery:
    """Split and normalise a user's query.

    Trims, collapses whitespace (including the ideographic space), applies NFKC and OpenCC t2s to
    each term. Every term must match (AND). An empty query has no terms (the engine then lists
    documents by the filters alone). A query with fewer than two characters in all, more than
    ten terms or more than 200 characters is not run; ``notice`` says why, in Chinese.
    """
    raw_terms = clean(text).split()
    terms: list[Term] = []
    seen: set[str] = set()
    for raw in raw_terms:
        nfkc = unicodedata.normalize("NFKC", raw)
        variants = _unique([raw, nfkc, normalise(raw)])
        if not variants:
            continue
        primary = variants[-1]
        if primary in seen:
            continue
        seen.add(primary)
        terms.append(Term(text=primary, variants=variants))
    display = " ".join(term.text for term in terms)
    if not terms:
        return ParsedQuery(text="", terms=())
    if sum(len(term.text) for term in terms) < MIN_QUERY_CHARS:
        return ParsedQuery(text=display, terms=tuple(terms), notice=_("请输入至少两个字的搜索词。"))
    if len(terms) > MAX_TERMS or len(display) > MAX_QUERY_CHARS:
        return ParsedQuery(
            text=display,
            terms=tuple(terms),
            notice=_("搜索词过长：最多%(terms)d个词、%(chars)d个字。")
            % {"terms": MAX_TERMS, "chars": MAX_QUERY_CHARS},
        )
    return ParsedQuery(text=display, terms=tuple(terms))


# --- Highlighting ------------------------------------------------------------------------------

Span = tuple[int, int]


class Highlighter:
    """Marks every occurrence of any term variant, on the few hits of one results page."""

    def __init__(self, terms: Sequence[Term]) -> None:
        variants = sorted(
            {variant for term in terms for variant in term.variants}, key=len, reverse=True
        )
        # A lookahead finds a match starting at every position, so overlapping occurrences of
        # different terms ("信息公" and "息公开") are all found and merged.
        self.pattern = (
            re.compile("(?=(" + "|".join(re.escape(v) for v in variants) + "))", re.IGNORECASE)
            if variants
            else None
        )

    def spans(self, text: str, aligned: str | None = None) -> list[Span]:
        """Match spans in ``text``; ``aligned`` is its normalised form when of equal length."""
        if self.pattern is None or not text:
            return []
        found = [match.span(1) for match in self.pattern.finditer(text)]
        if aligned and len(aligned) == len(text) and aligned != text:
            found += [match.span(1) for match in self.pattern.finditer(aligned)]
        return _merge(found)

    def first(self, text: str, aligned: str | None = None) -> Span | None:
        if self.pattern is None or not text:
            return None
        candidates = []
        match = self.pattern.search(text)
        if match:
            candidates.append(match.span(1))
        if aligned and len(aligned) == len(text) and aligned != text:
            match = self.pattern.search(aligned)
            if match:
                candidates.append(match.span(1))
        return min(candidates) if candidates else None

    def title(self, title: str, title_norm: str = "") -> str:
        """The escaped title with every match in ``<mark>``."""
        return mark(title, self.spans(title, title_norm or None))

    def snippet(self, body: str, body_aligned: str | None = None) -> str:
        """An escaped excerpt around the first match in ``body``, matches in ``<mark>``.

        Whitespace runs become one space. Without a body match, the start of the body.
        """
        if not body:
            return ""
        first = self.first(body, body_aligned)
        if first is None:
            start, end = 0, min(len(body), SNIPPET_CHARS)
        else:
            start = max(0, first[0] - SNIPPET_CONTEXT)
            end = min(len(body), max(start + SNIPPET_CHARS, first[1]))
        window = body[start:end]
        window_aligned = body_aligned[start:end] if body_aligned else None
        html_text = mark(window, self.spans(window, window_aligned), collapse_spaces=True)
        if start > 0:
            html_text = "…" + html_text.lstrip()
        if end < len(body):
            html_text = html_text.rstrip() + "…"
        return html_text


def _merge(spans: Iterable[Span]) -> list[Span]:
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if start == end:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(start, end) for start, end in merged]


def mark(text: str, spans: Sequence[Span], *, collapse_spaces: bool = False) -> str:
    """HTML-escape ``text`` and wrap each span in ``<mark>…</mark>``."""

    def piece(segment: str) -> str:
        if collapse_spaces:
            segment = _SPACES.sub(" ", segment)
        return html.escape(segment, quote=True)

    out: list[str] = []
    position = 0
    for start, end in spans:
        out.append(piece(text[position:start]))
        out.append(f"<mark>{piece(text[start:end])}</mark>")
        position = end
    out.append(piece(text[position:]))
    return "".join(out)


def body_alignment(doc_number: str, index_number: str, body: str, body_norm: str) -> str | None:
    """The normalised body, position-aligned with ``body``, when the stored form allows it.

    ``body_norm`` normalises ``doc_number + "\\n" + index_number + "\\n" + body``; when its
    length equals the original's, positions correspond one to one.
    """
    if not body_norm:
        return None
    offset = len(doc_number) + len(index_number) + 2
    if len(body_norm) != offset + len(body):
        return None
    return body_norm[offset:]
