"""Value types of the search interface (see ``gongkai.search``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class IndexedDocument:
    id: int
    agency_id: int
    agency_path: str
    """The publishing agency's materialised path (for "agency and its subtree" filters)."""
    title: str
    body_text: str
    """Plain text of the body (HTML stripped), plus the Mongolian version if any."""
    doc_number: str = ""
    """发文字号, e.g. 内政办发〔2026〕7号."""
    index_number: str = ""
    """索引号."""
    column: str = ""
    category: str = ""
    validity: str = ""
    published_at: dt.datetime | None = None
    year: int | None = None


@dataclass(frozen=True)
class SearchFilters:
    agency_path: str | None = None
    """Restrict to this agency and its subtree (path prefix)."""
    column: str | None = None
    category: str | None = None
    year: int | None = None
    validity: str | None = None


@dataclass(frozen=True)
class SearchHit:
    id: int
    title: str
    title_highlighted: str
    """HTML-escaped title with matches wrapped in <mark>…</mark>."""
    snippet: str
    """HTML-escaped excerpt around the first body match, matches wrapped in <mark>…</mark>."""
    published_at: dt.datetime | None
    title_match: bool
    """True when the title contains every query term (these hits come first)."""
    agency_id: int | None = None
    doc_number: str = ""
    index_number: str = ""


@dataclass
class SearchResults:
    query: str
    total: int
    page: int
    per_page: int
    hits: list[SearchHit] = field(default_factory=list)
    notice: str = ""
    """Why the query was not run, in Chinese (e.g. fewer than two characters); else empty."""
    total_is_lower_bound: bool = False
    """True when more documents match than were counted: ``total`` is then "at least"."""

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))
