"""SQLite backend: FTS5 over the bigram tokens (:mod:`gongkai.search.grams`).

The FTS5 table ``search_entry_grams`` (migration ``0003_bigrams``) has one column, the document's
``grams``, and ``sort_key`` as its rowid. A term of two or more characters is the phrase of its
bigrams (an exact substring match; one token for two characters); title matches are the phrase of
its ``t``-prefixed bigrams; filters are facet tokens. So when every term can be answered from the
index (the usual case), each statement is a single ``MATCH`` read in descending rowid order —
newest first — that stops at the end of the page, and the capped count stops at the cap: no
statement visits every match.

A term with a one-character variant (possible next to other terms: "政 府信") or whitespace in a
variant is matched with ``LIKE`` on ``search_entry`` joined to the index matches of the other
terms (a scan when no term uses the index).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from gongkai.search import grams
from gongkai.search.backends.base import Clause, Part, SqlBackend, count_clause
from gongkai.search.text import Term
from gongkai.search.types import SearchFilters

FTS_TABLE = "search_entry_grams"
# Short columns first: OR stops at the first match, and the body is the costly one to read.
SCAN_COLUMNS = (
    "e.title",
    "e.title_norm",
    "e.doc_number",
    "e.index_number",
    "e.body_norm",
    "e.body_text",
)


def fts_phrase(tokens: Sequence[str]) -> str:
    """An FTS5 phrase of ``tokens`` (escaped tokens hold no ASCII punctuation, so no quotes)."""
    return '"' + " ".join(tokens).replace('"', '""') + '"'


def term_expression(term: Term, *, title: bool = False) -> str:
    """``("v1 bigrams" OR "v2 bigrams")``: any variant of the term, anywhere or in the title."""
    prefix = grams.TITLE_PREFIX if title else ""
    phrases = []
    for variant in term.variants:
        tokens = grams.variant_grams(variant)
        assert tokens is not None, "only indexable terms reach the FTS expression"
        phrases.append(fts_phrase([prefix + token for token in tokens]))
    return "(" + " OR ".join(phrases) + ")"


def facet_expressions(filters: SearchFilters | None) -> list[str]:
    """One FTS5 expression per filter (facet tokens, see :func:`gongkai.search.grams.query_facets`;
    a prefix is an FTS5 prefix query)."""
    return [
        fts_phrase([token]) + (" *" if is_prefix else "")
        for token, is_prefix in grams.query_facets(filters)
    ]


def fts_expression(terms: Sequence[Term], filters: SearchFilters | None, part: Part) -> str:
    """The whole MATCH expression of ``part``: terms (all indexable) and filters."""
    facets = facet_expressions(filters)
    matched = " AND ".join([term_expression(t) for t in terms] + facets)
    if part is Part.ALL or not terms:
        return matched
    in_title = " AND ".join([term_expression(t, title=True) for t in terms] + facets)
    if part is Part.TITLE:
        return in_title
    return f"({matched}) NOT ({in_title})"


class SqliteBackend(SqlBackend):
    vendor = "sqlite"
    like = "LIKE"

    def agency_prefix(self, prefix: str) -> Clause:
        # A range on the BINARY-collated column uses the index (LIKE would not: it is
        # case-insensitive on SQLite). Paths are ASCII digits and "/".
        upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
        return Clause("e.agency_path >= %s AND e.agency_path < %s", [prefix, upper])

    @staticmethod
    def _index_only(terms: Sequence[Term], filters: SearchFilters | None) -> bool:
        """True when the FTS index answers the whole query (no LIKE, no table)."""
        if not all(grams.indexable(term.variants) for term in terms):
            return False
        return bool(terms) or bool(facet_expressions(filters))

    def text_match(self, terms: Sequence[Term]) -> tuple[Clause, Clause]:
        indexed = [t for t in terms if grams.indexable(t.variants)]
        scanned = [t for t in terms if not grams.indexable(t.variants)]
        from_clause = Clause()
        where: list[Clause] = []
        if indexed:
            # CROSS JOIN keeps the FTS table as the outer loop: otherwise SQLite may walk another
            # index and run the MATCH once per row (much slower).
            from_clause = Clause(
                f"{FTS_TABLE} CROSS JOIN search_entry e ON e.sort_key = {FTS_TABLE}.rowid"
            )
            where.append(Clause(f"{FTS_TABLE} MATCH %s", [fts_expression(indexed, None, Part.ALL)]))
        for term in scanned:
            where.append(self.like_any(SCAN_COLUMNS, term.variants))
        return from_clause, Clause(
            " AND ".join(c.sql for c in where), [p for c in where for p in c.params]
        )

    def count_sql(
        self,
        terms: Sequence[Term],
        filters: SearchFilters | None,
        part: Part = Part.ALL,
        cap: int | None = None,
    ) -> Clause:
        if not self._index_only(terms, filters):
            return super().count_sql(terms, filters, part, cap)
        return count_clause(
            f"FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s",
            [fts_expression(terms, filters, part)],
            cap,
        )

    def select_sql(
        self,
        terms: Sequence[Term],
        filters: SearchFilters | None,
        part: Part,
        *,
        offset: int,
        limit: int,
    ) -> Clause:
        if not self._index_only(terms, filters):
            return super().select_sql(terms, filters, part, offset=offset, limit=limit)
        # The rowid is the sort key; its low bits are the document id.
        return Clause(
            f"SELECT (rowid & {grams.MAX_DOCUMENT_ID}) AS id, rowid AS key FROM {FTS_TABLE}"
            f" WHERE {FTS_TABLE} MATCH %s ORDER BY rowid DESC LIMIT %s OFFSET %s",
            [fts_expression(terms, filters, part), limit, offset],
        )

    def explain(self, cursor: Any, terms: Sequence[Term], filters: SearchFilters | None) -> str:
        if not self._index_only(terms, filters):
            return super().explain(cursor, terms, filters)
        cursor.execute(
            f"EXPLAIN QUERY PLAN SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"
            " ORDER BY rowid DESC LIMIT 20",
            [fts_expression(terms, filters, Part.ALL)],
        )
        return "\n".join(" ".join(str(col) for col in row) for row in cursor.fetchall())
