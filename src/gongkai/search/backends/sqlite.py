"""SQLite backend: FTS5 with the trigram tokenizer, and a plain scan for short terms.

Terms whose every variant has three or more characters are answered by the FTS5 table
``search_entry_fts`` (a phrase query, which on trigrams is an exact substring match, case-folded).
Shorter terms cannot be served by trigrams, and on SQLite 3.40 a two-CJK-character ``LIKE`` on the
FTS table itself wrongly returns nothing, so they are matched with ``LIKE`` on the plain
``search_entry`` table (a scan, narrowed first by any long term of the same query).
"""

from __future__ import annotations

from collections.abc import Sequence

from gongkai.search.backends.base import Clause, SqlBackend
from gongkai.search.text import Term

FTS_MIN_CHARS = 3
# Short columns first: OR stops at the first match, and the body is the costly one to read.
SCAN_COLUMNS = (
    "e.title",
    "e.title_norm",
    "e.doc_number",
    "e.index_number",
    "e.body_norm",
    "e.body_text",
)


def fts_phrase(value: str) -> str:
    """An FTS5 string literal: the whole value is one phrase, whatever syntax it contains."""
    return '"' + value.replace('"', '""') + '"'


def fts_expression(terms: Sequence[Term]) -> str:
    """``("v1" OR "v2") AND ("w1")``: every term, any of its variants, any column."""
    return " AND ".join(
        "(" + " OR ".join(fts_phrase(v) for v in term.variants) + ")" for term in terms
    )


class SqliteBackend(SqlBackend):
    vendor = "sqlite"
    like = "LIKE"
    # DESC puts NULL last on SQLite; this matches the search_entry_newest index.
    order_by = "e.published_at DESC, e.id DESC"

    def agency_prefix(self, prefix: str) -> Clause:
        # A range on the BINARY-collated column uses the index (LIKE would not: it is
        # case-insensitive on SQLite). Paths are ASCII digits and "/".
        upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
        return Clause("e.agency_path >= %s AND e.agency_path < %s", [prefix, upper])

    def text_match(self, terms: Sequence[Term]) -> tuple[Clause, Clause]:
        long_terms = [t for t in terms if t.min_length >= FTS_MIN_CHARS]
        short_terms = [t for t in terms if t.min_length < FTS_MIN_CHARS]
        from_clause = Clause()
        where: list[Clause] = []
        if long_terms:
            # CROSS JOIN keeps the FTS table as the outer loop: otherwise, with a filter, SQLite
            # may walk a filter index and run the MATCH once per row (much slower).
            from_clause = Clause(
                "search_entry_fts CROSS JOIN search_entry e ON e.id = search_entry_fts.rowid"
            )
            where.append(Clause("search_entry_fts MATCH %s", [fts_expression(long_terms)]))
        for term in short_terms:
            where.append(self.like_any(SCAN_COLUMNS, term.variants))
        return from_clause, Clause(
            " AND ".join(c.sql for c in where), [p for c in where for p in c.params]
        )
