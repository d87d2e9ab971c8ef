"""PostgreSQL backend: bigram and trigram ``tsvector`` lexemes find the candidates, a substring
check makes longer terms exact, and a widening ``sort_key`` window reads only the newest rows.

PostgreSQL has no Chinese text-search parser. The search uses three indexes (migrations
``0003_bigrams`` and ``0004_trigrams``):

- ``search_entry_grams`` (GIN) over ``grams_tsv``, a stored generated column
  ``array_to_tsvector(string_to_array(grams, ' '))``: the document's tokens
  (:mod:`gongkai.search.grams`) as lexemes, no parser involved. A two-character term is present
  exactly when its lexeme is; title matches use the ``t``-prefixed lexemes; the filters are the
  facet lexemes (``fy2026``, the agency path and its prefixes…).
- ``search_entry_trigrams`` (GIN) over ``tri_tsv``, the three-character tokens (two overlapping
  bigrams of one run, joined): a three-character term is present exactly when its lexeme is; a
  longer term needs all of its trigrams and is then checked with ``strpos``/``LIKE`` on the
  columns. Filters of a query without two-character terms are checked on the columns.
- the unique btree on ``sort_key`` ("newest first", :func:`gongkai.search.grams.sort_key`).

A term with a one-character variant (or whitespace in a variant) cannot use the lexemes: it is
checked on the columns of the rows the other terms and filters select (a scan when nothing else
narrows them). The pg_trgm index of ``0002_engine`` is dropped by ``0004_trigrams``.

Why not simply ``… ORDER BY sort_key DESC LIMIT n``: for a common term PostgreSQL would read and
sort every match (tens of thousands of rows); walking the ``sort_key`` index backwards instead is
fast for common terms and a full scan for rare ones, and the planner cannot tell which it has.
So :meth:`PostgresqlBackend.page` runs one statement that

1. counts the matches up to the cap (a GIN bitmap scan; no row is detoasted);
2. from the count estimates how many of the newest documents hold the rows the page needs
   (``need × documents × FIRST_WINDOW / matches``), and takes the ``sort_key`` at that rank as
   the lower bound of a window;
3. reads the newest ``need`` title matches and ``need`` other matches inside the window (bitmap
   AND of the GIN and ``sort_key`` indexes, a top-N sort of what is left); a part that does not
   fill up within the window is read again from a window ``WINDOW_GROWTH`` times wider, then
   from all documents (each level runs only when the previous one came up short: a one-time
   filter). The result is exact whatever the windows: a full window holds the newest rows of the
   part, since everything outside it is older.

The statement runs inside the function ``search_entry_run`` (migration ``0004_trigrams``), which
plans it with ``enable_seqscan = off`` (a sequential scan that evaluates ``grams_tsv @@`` per row
detoasts every vector: the planner does not count that, and picks it for common terms) and
``jit = off``.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Sequence
from typing import Any

from django.utils import timezone

from gongkai.search import grams
from gongkai.search.backends.base import Clause, Part, SqlBackend, like_pattern
from gongkai.search.text import Term
from gongkai.search.types import SearchFilters

# The stored generated column of migration 0003 (indexed by search_entry_grams).
GRAMS_VECTOR = "e.grams_tsv"
# The stored generated column of migration 0004 (indexed by search_entry_trigrams): the
# three-character tokens (two overlapping bigrams of one run, joined).
TRIGRAM_VECTOR = "e.tri_tsv"
# The exact check of a term of three or more characters: short columns first (OR stops at the
# first match), each column on its own (concatenating them costs more than the match).
SCAN_COLUMNS = (
    "e.title",
    "e.title_norm",
    "e.doc_number",
    "e.index_number",
    "e.body_text",
    "e.body_norm",
)
TITLE_COLUMNS = ("e.title", "e.title_norm")
RUN_FUNCTION = "search_entry_run"
"""Runs one statement with the planner settings of the search (migration ``0004_trigrams``)."""

FIRST_WINDOW = 2
"""The first window is expected to hold this many times the rows a part needs."""
WINDOW_GROWTH = 8
MAX_WINDOW_RANK = 20_000
"""A window wider than this many documents is not tried (finding its bound walks the index)."""


def lexeme(token: str) -> str:
    """A quoted tsquery lexeme (escaped tokens hold no quote or backslash; doubled anyway)."""
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


def _indexable(term: Term) -> bool:
    return grams.indexable(term.variants)


def _bigram_term(term: Term) -> bool:
    """True when every variant is exactly one bigram (answered by the tsvector alone)."""
    return _indexable(term) and all(len(v) == 2 for v in term.variants)


def _trigram_term(term: Term) -> bool:
    """True when every variant has three or more characters (answered by the trigrams)."""
    return _indexable(term) and all(len(v) >= 3 for v in term.variants)


def _exact_term(term: Term) -> bool:
    """True when the index alone decides the term (every variant one bigram or one trigram)."""
    return _indexable(term) and all(len(v) in (2, 3) for v in term.variants)


def trigrams(variant: str) -> list[str]:
    """The three-character tokens of a variant of three or more characters."""
    tokens = grams.variant_grams(variant) or []
    return [a + b[1] for a, b in itertools.pairwise(tokens)]


def _term_query(term: Term, prefix: str) -> str:
    variants = []
    for variant in term.variants:
        tokens = grams.variant_grams(variant) or []
        variants.append("(" + " & ".join(lexeme(prefix + t) for t in tokens) + ")")
    return "(" + " | ".join(variants) + ")"


def trigram_query(terms: Sequence[Term]) -> str:
    """``(('abc' & 'bcd') | …) & …``: any variant of each term, a variant being all of its
    trigrams (exact for three characters, a necessary condition for longer ones)."""
    parts = []
    for term in terms:
        variants = ["(" + " & ".join(lexeme(t) for t in trigrams(v)) + ")" for v in term.variants]
        parts.append("(" + " | ".join(variants) + ")")
    return " & ".join(parts)


def facet_queries(filters: SearchFilters | None) -> list[str]:
    """One tsquery operand per filter (see :func:`gongkai.search.grams.query_facets`; a prefix is
    a ``:*`` prefix lexeme)."""
    return [
        lexeme(token) + (":*" if is_prefix else "")
        for token, is_prefix in grams.query_facets(filters)
    ]


def tsquery(terms: Sequence[Term], *, title: bool, filters: SearchFilters | None = None) -> str:
    """``(('ab') | ('cd')) & … & 'fy2026'``: any variant of each indexable term, a variant being
    all of its bigrams (``'ab' & 'bc'``: exact for two characters, a necessary condition for
    longer variants), and the facet lexemes of the filters; empty when there is nothing to ask
    the index."""
    prefix = grams.TITLE_PREFIX if title else ""
    parts = [_term_query(term, prefix) for term in terms if _indexable(term)]
    return " & ".join(parts + facet_queries(filters))


class PostgresqlBackend(SqlBackend):
    vendor = "postgresql"
    like = "ILIKE"
    order_by = "e.sort_key DESC"

    def like_operator(self, value: str) -> str:
        # ILIKE lower-cases every candidate row's whole text (slow on multibyte text); a term
        # without cased letters (Chinese, digits, punctuation) needs only LIKE.
        return "ILIKE" if value.lower() != value.upper() else "LIKE"

    def agency_prefix(self, prefix: str) -> Clause:
        # Only for explain-style callers of the base class; the statements use facet lexemes.
        return Clause("e.agency_path LIKE %s ESCAPE '\\'", [like_pattern(prefix, prefix_only=True)])

    # --- conditions ---------------------------------------------------------------------------

    def _vector(self, query: str) -> Clause:
        return Clause(f"{GRAMS_VECTOR} @@ %s::tsquery", [query])

    def text_match(self, terms: Sequence[Term]) -> tuple[Clause, Clause]:
        return Clause(), self._where(terms, None, Part.ALL)

    def contains_any(self, columns: Sequence[str], values: Sequence[str]) -> Clause:
        """Like :meth:`like_any`, with ``strpos`` for values without cased letters (the same
        test as ``LIKE '%v%'``, about twice as fast on long text)."""
        parts: list[str] = []
        params: list[Any] = []
        for value in values:
            if self.like_operator(value) == "LIKE":
                parts += [f"strpos({column}, %s) > 0" for column in columns]
                params += [value] * len(columns)
            else:
                clause = self.like_any(columns, [value])
                parts.append(clause.sql)
                params += clause.params
        return Clause("(" + " OR ".join(parts) + ")", params)

    def title_like(self, terms: Sequence[Term]) -> Clause:
        """Every term in the title (original or normalised), by substring tests alone."""
        clauses = [self.contains_any(TITLE_COLUMNS, term.variants) for term in terms]
        return _and(clauses)

    def title_condition(self, terms: Sequence[Term]) -> Clause:
        """Every term in the title: the ``t`` lexemes (the index) and ``LIKE`` (exact)."""
        clauses = [self.title_like(terms)]
        query = tsquery(terms, title=True)
        if query:
            clauses.append(self._vector(query))
        return _and(clauses)

    def _where(self, terms: Sequence[Term], filters: SearchFilters | None, part: Part) -> Clause:
        """The WHERE condition of ``part`` (empty: every document)."""
        clauses: list[Clause] = []
        if part is Part.TITLE:
            # Title matches are matches: the text condition would only repeat the title's.
            query = tsquery(terms, title=True, filters=filters)
            if query:
                clauses.append(self._vector(query))
            clauses.append(self.title_like(terms))
            return _and(clauses)
        long_terms = [t for t in terms if _trigram_term(t)]
        short_terms = [t for t in terms if _indexable(t) and not _trigram_term(t)]
        if short_terms:
            # The facets go with the bigrams (one index lookup).
            clauses.append(self._vector(tsquery(short_terms, title=False, filters=filters)))
        if long_terms:
            clauses.append(Clause(f"{TRIGRAM_VECTOR} @@ %s::tsquery", [trigram_query(long_terms)]))
        if not short_terms:
            if long_terms:
                # Filters as columns: a per-row check of the facet lexemes would detoast the
                # bigram vector.
                clauses += self.filters(filters)
            else:
                query = tsquery((), title=False, filters=filters)
                if query:
                    clauses.append(self._vector(query))
        for term in terms:
            if not _exact_term(term):
                clauses.append(self.contains_any(SCAN_COLUMNS, term.variants))
        if part is Part.REST:
            # NOT (LIKE AND lexemes) as one expression: PostgreSQL keeps the order inside it, so
            # the cheap LIKE on the title is evaluated first and the vector (detoasted) only
            # for rows whose title has the terms.
            title = self.title_condition(terms)
            clauses.append(Clause(f"NOT {title.sql}", title.params))
        return _and(clauses)

    def _from_where(
        self, terms: Sequence[Term], filters: SearchFilters | None, part: Part = Part.ALL
    ) -> tuple[str, list[Any]]:
        where = self._where(terms, filters, part)
        if not where.sql:
            return "FROM search_entry e", []
        return f"FROM search_entry e WHERE {where.sql}", list(where.params)

    # --- the page statement -------------------------------------------------------------------

    def page_sql(
        self,
        terms: Sequence[Term],
        filters: SearchFilters | None,
        *,
        offset: int,
        limit: int,
        cap: int | None,
    ) -> Clause:
        """The one statement of :meth:`page` (see the module docstring): rows ``(id,
        title_match, total)``, the total repeated on every row."""
        # Integers computed here are written into the SQL; only the conditions' values are
        # parameters.
        need = int(offset + limit)
        params: list[Any] = []
        ctes: list[str] = []

        def cte(name: str, sql: str, sql_params: Sequence[Any] = ()) -> None:
            ctes.append(f"{name} AS MATERIALIZED ({sql})")
            params.extend(sql_params)

        from_where, where_params = self._from_where(terms, filters, Part.ALL)
        if cap is None:
            cte("m", f"SELECT COUNT(*) AS n {from_where}", where_params)
        else:
            cte(
                "m",
                f"SELECT COUNT(*) AS n FROM (SELECT 1 {from_where} LIMIT %s) capped",
                [*where_params, cap + 1],
            )
        # The rank of the first window's bound among all documents, newest first: the part is
        # expected to have FIRST_WINDOW × need rows among that many documents.
        cte(
            "r",
            f"SELECT CASE WHEN c.reltuples > 0 THEN CEIL({FIRST_WINDOW * need}::float8"
            " * c.reltuples / GREATEST((SELECT n FROM m), 1))::bigint END AS rank"
            " FROM pg_class c WHERE c.oid = 'search_entry'::regclass",
        )
        below = window_top(filters)
        before = f" WHERE w.sort_key < {below}" if below is not None else ""
        for level in range(3):
            factor = WINDOW_GROWTH**level
            cte(
                f"b{level}",
                f"SELECT (SELECT w.sort_key FROM search_entry w{before} ORDER BY w.sort_key DESC"
                f" OFFSET (SELECT rank FROM r) * {factor} LIMIT 1) AS x"
                f" WHERE (SELECT rank FROM r) * {factor} <= {int(MAX_WINDOW_RANK)}",
            )
        # Title matches are rarer than matches: their windows start one level wider.
        parts = (
            [(Part.TITLE, 1, (1, 2)), (Part.REST, 0, (0, 1))] if terms else [(Part.ALL, 0, (0, 1))]
        )
        selects: list[str] = []
        # Once the title part fills up, every row of the page is a title match (they come first):
        # the other part is not read at all. (Proving that a word found mostly in titles has
        # no other match would read every match.)
        title_full: list[str] = []
        for index, (part, title_match, bounds) in enumerate(parts):
            where = self._where(terms, filters, part)
            condition = f" AND {where.sql}" if where.sql else ""
            names = [f"p{index}w{level}" for level in range(3)]
            shortfall: list[str] = []  # "an earlier level did not fill up"
            if part is Part.REST and title_full:
                shortfall.append("NOT (" + " OR ".join(title_full) + ")")
            for level, name in enumerate(names):
                gate = list(shortfall)
                window = ""
                if level < 2:
                    bound = f"(SELECT x FROM b{bounds[level]})"
                    gate.append(f"{bound} IS NOT NULL")
                    window = f" AND e.sort_key >= {bound}"
                gate_sql = " AND ".join(gate) if gate else "TRUE"
                # sort_key + 0: never walk the sort_key index for the order (a scan for rare
                # terms); the window bounds the rows instead.
                cte(
                    name,
                    f"SELECT e.id, e.sort_key AS key FROM search_entry e WHERE {gate_sql}"
                    f"{window}{condition} ORDER BY e.sort_key + 0 DESC LIMIT {need}",
                    where.params,
                )
                shortfall.append(f"(SELECT COUNT(*) FROM {name}) < {need}")
                if part is Part.TITLE:
                    title_full.append(f"(SELECT COUNT(*) FROM {name}) >= {need}")
            # The answer is the first level that filled up, else the last one.
            selects.append(
                f"SELECT id, key, {title_match} AS title_match FROM {names[0]}"
                f" WHERE (SELECT COUNT(*) FROM {names[0]}) >= {need}"
                f" UNION ALL SELECT id, key, {title_match} FROM {names[1]}"
                f" WHERE (SELECT COUNT(*) FROM {names[0]}) < {need}"
                f" AND (SELECT COUNT(*) FROM {names[1]}) >= {need}"
                f" UNION ALL SELECT id, key, {title_match} FROM {names[2]}"
            )
        # LEFT JOIN: one row (id NULL) when the page is empty, so the total always comes back.
        sql = (
            "WITH "
            + ", ".join(ctes)
            + " SELECT u.id, u.title_match, m.n FROM m LEFT JOIN (SELECT * FROM ("
            + " UNION ALL ".join(selects)
            + f") s ORDER BY s.title_match DESC, s.key DESC LIMIT {int(limit)}"
            f" OFFSET {int(offset)}) u ON TRUE"
        )
        return Clause(sql, params)

    def page(
        self,
        cursor: Any,
        terms: Sequence[Term],
        filters: SearchFilters | None,
        *,
        offset: int,
        limit: int,
        cap: int | None = None,
    ) -> tuple[int, list[tuple[int, bool]]]:
        """The total (at most ``cap + 1``) and ``(id, title_match)`` of one page, in one
        statement run by :data:`RUN_FUNCTION`."""
        from django.db import connection

        statement = self.page_sql(terms, filters, offset=offset, limit=limit, cap=cap)
        composed = connection.ops.compose_sql(statement.sql, statement.params)
        cursor.execute(
            f"SELECT id, title_match, total FROM {RUN_FUNCTION}(%s)"
            " AS r(id bigint, title_match integer, total bigint)",
            [composed],
        )
        fetched = cursor.fetchall()
        rows = [(int(row[0]), bool(row[1])) for row in fetched if row[0] is not None]
        return int(fetched[0][2]), rows


def window_top(filters: SearchFilters | None) -> int | None:
    """With a year filter, the sort key where the next year begins: the windows count their
    documents from there down (the newest documents are not that year's). Documents whose year
    is not their publication year may lie above it; a window keeps everything above its bound,
    so they are still found."""
    if filters is None or filters.year in (None, ""):
        return None
    year = int(filters.year)
    if not 1900 <= year < 9999:
        return None
    start = dt.datetime(year + 1, 1, 1, tzinfo=timezone.get_default_timezone())
    return grams.sort_key(0, start)


def _and(clauses: Sequence[Clause]) -> Clause:
    clauses = [c for c in clauses if c.sql]
    if not clauses:
        return Clause()
    return Clause(
        "(" + " AND ".join(c.sql for c in clauses) + ")", [p for c in clauses for p in c.params]
    )
