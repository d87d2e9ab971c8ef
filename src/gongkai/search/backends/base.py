"""SQL shared by the backends: filters, title-first ordering, count and page queries.

A backend answers one question — which document ids match, in which order, how many — without
visiting every match: the page is read in ``sort_key`` order (newest first), first among the
documents whose title contains every term, then among the others (two ``ORDER BY sort_key DESC
LIMIT`` statements that an index can answer by reading only as far as the page), and the total is
counted up to a cap. Everything else (loading the page's rows, highlighting) happens once per page
in :mod:`gongkai.search.engine`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from gongkai.search.text import Term
from gongkai.search.types import SearchFilters

LIKE_ESCAPE = "\\"


def like_pattern(value: str, *, prefix_only: bool = False) -> str:
    """A LIKE pattern for a substring (or a prefix), with ``\\``, ``%`` and ``_`` escaped."""
    escaped = value.replace(LIKE_ESCAPE, LIKE_ESCAPE * 2).replace("%", "\\%").replace("_", "\\_")
    return f"{escaped}%" if prefix_only else f"%{escaped}%"


class Part(Enum):
    """Which matches a statement selects."""

    ALL = "all"
    TITLE = "title"
    """Documents whose title contains every term."""
    REST = "rest"
    """Matching documents whose title does not contain every term."""


@dataclass
class Clause:
    """A piece of SQL with its parameters, in order."""

    sql: str = ""
    params: list[Any] = field(default_factory=list)


def count_clause(from_where: str, params: list[Any], cap: int | None) -> Clause:
    """``SELECT COUNT(*)`` over ``from_where`` (a ``FROM … WHERE …`` text), stopping at
    ``cap + 1`` rows when ``cap`` is given (so a count above the cap is recognisable)."""
    if cap is None:
        return Clause(f"SELECT COUNT(*) {from_where}", params)
    return Clause(
        f"SELECT COUNT(*) FROM (SELECT 1 {from_where} LIMIT %s) capped", [*params, cap + 1]
    )


class SqlBackend:
    """Builds the count and page statements; vendors override the marked hooks."""

    vendor = ""
    like = "LIKE"
    order_by = "e.sort_key DESC"

    # --- hooks -----------------------------------------------------------------------------

    def agency_prefix(self, prefix: str) -> Clause:  # pragma: no cover - abstract
        raise NotImplementedError

    def text_match(self, terms: Sequence[Term]) -> tuple[Clause, Clause]:
        """(extra FROM/JOIN clause, WHERE clause) selecting documents that match every term."""
        raise NotImplementedError  # pragma: no cover

    # --- shared ---------------------------------------------------------------------------

    def like_operator(self, value: str) -> str:
        """The operator matching ``value`` as a substring, ignoring ASCII case."""
        return self.like

    def like_any(self, columns: Sequence[str], values: Sequence[str]) -> Clause:
        """``(col1 LIKE p1 OR col2 LIKE p1 OR … OR colN LIKE pK)``."""
        parts: list[str] = []
        params: list[Any] = []
        for value in values:
            pattern = like_pattern(value)
            operator = self.like_operator(value)
            for column in columns:
                parts.append(f"{column} {operator} %s ESCAPE '\\'")
                params.append(pattern)
        return Clause("(" + " OR ".join(parts) + ")", params)

    def title_condition(self, terms: Sequence[Term]) -> Clause:
        """True when every term occurs in the title (original or normalised)."""
        clauses = [self.like_any(("e.title", "e.title_norm"), term.variants) for term in terms]
        return Clause(
            "(" + " AND ".join(c.sql for c in clauses) + ")", [p for c in clauses for p in c.params]
        )

    def filters(self, filters: SearchFilters | None) -> list[Clause]:
        if filters is None:
            return []
        clauses: list[Clause] = []
        if filters.agency_path:
            clauses.append(self.agency_prefix(filters.agency_path))
        for name in ("column", "category", "validity"):
            value = getattr(filters, name)
            if value not in (None, ""):
                clauses.append(Clause(f'e."{name}" = %s', [str(value)]))
        if filters.year not in (None, ""):
            clauses.append(Clause("e.year = %s", [int(filters.year)]))
        return clauses

    def _from_where(
        self, terms: Sequence[Term], filters: SearchFilters | None, part: Part = Part.ALL
    ) -> tuple[str, list[Any]]:
        from_clause = Clause("search_entry e")
        where: list[Clause] = []
        if terms:
            extra_from, text_where = self.text_match(terms)
            if extra_from.sql:
                from_clause = Clause(f"{extra_from.sql}", extra_from.params)
            if text_where.sql:
                where.append(text_where)
            if part is not Part.ALL:
                title = self.title_condition(terms)
                if part is Part.REST:
                    title = Clause(f"NOT {title.sql}", title.params)
                where.append(title)
        where += self.filters(filters)
        sql = f"FROM {from_clause.sql}"
        params = list(from_clause.params)
        if where:
            sql += " WHERE " + " AND ".join(c.sql for c in where)
            params += [p for c in where for p in c.params]
        return sql, params

    # --- statements ---------------------------------------------------------------------------

    def count_sql(
        self,
        terms: Sequence[Term],
        filters: SearchFilters | None,
        part: Part = Part.ALL,
        cap: int | None = None,
    ) -> Clause:
        """``SELECT COUNT(*)`` of the matches of ``part``, at most ``cap + 1`` (all without)."""
        from_where, params = self._from_where(terms, filters, part)
        return count_clause(from_where, params, cap)

    def select_sql(
        self,
        terms: Sequence[Term],
        filters: SearchFilters | None,
        part: Part,
        *,
        offset: int,
        limit: int,
    ) -> Clause:
        """``SELECT id, key`` of one slice of the matches of ``part``, newest (highest key)
        first."""
        from_where, params = self._from_where(terms, filters, part)
        return Clause(
            f"SELECT e.id AS id, e.sort_key AS key {from_where} ORDER BY {self.order_by}"
            " LIMIT %s OFFSET %s",
            [*params, limit, offset],
        )

    def count(
        self,
        cursor: Any,
        terms: Sequence[Term],
        filters: SearchFilters | None,
        part: Part = Part.ALL,
        *,
        cap: int | None = None,
    ) -> int:
        """How many documents match, counting at most ``cap + 1`` of them (all without a cap)."""
        statement = self.count_sql(terms, filters, part, cap)
        cursor.execute(statement.sql, statement.params)
        return int(cursor.fetchone()[0])

    def select(
        self,
        cursor: Any,
        terms: Sequence[Term],
        filters: SearchFilters | None,
        part: Part,
        *,
        offset: int,
        limit: int,
    ) -> list[int]:
        """Ids of one slice of the matches of ``part``, newest first."""
        statement = self.select_sql(terms, filters, part, offset=offset, limit=limit)
        cursor.execute(statement.sql, statement.params)
        return [int(row[0]) for row in cursor.fetchall()]

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
        """The total (at most ``cap + 1``) and ``(id, title_match)`` of one page.

        Order: title matches first, then newest (``sort_key``). The first page is one
        statement: the newest ``limit`` title matches and the newest ``limit`` other matches,
        merged, with the capped count as a scalar subquery. A later page reads the title
        matches from the offset; when they run out within the page, it continues with the
        other matches, skipping as many as the offset reaches past the title matches.
        """
        if offset == 0:
            return self._first_page(cursor, terms, filters, limit=limit, cap=cap)
        rows: list[tuple[int, bool]] = []
        if not terms:
            ids = self.select(cursor, terms, filters, Part.ALL, offset=offset, limit=limit)
            rows = [(document_id, False) for document_id in ids]
        else:
            ids = self.select(cursor, terms, filters, Part.TITLE, offset=offset, limit=limit)
            rows = [(document_id, True) for document_id in ids]
            if len(rows) < limit:
                if rows:
                    title_total = offset + len(rows)
                else:
                    title_total = self.count(cursor, terms, filters, Part.TITLE, cap=offset)
                ids = self.select(
                    cursor,
                    terms,
                    filters,
                    Part.REST,
                    offset=max(0, offset - title_total),
                    limit=limit - len(rows),
                )
                rows += [(document_id, False) for document_id in ids]
        if 0 < len(rows) < limit:
            total = offset + len(rows)
        else:
            total = self.count(cursor, terms, filters, Part.ALL, cap=cap)
        return total, rows

    def _first_page(
        self,
        cursor: Any,
        terms: Sequence[Term],
        filters: SearchFilters | None,
        *,
        limit: int,
        cap: int | None,
    ) -> tuple[int, list[tuple[int, bool]]]:
        counted = self.count_sql(terms, filters, Part.ALL, cap)
        if not terms:
            matches = self.select_sql(terms, filters, Part.ALL, offset=0, limit=limit)
            sql = f"SELECT m.id, 0 AS title_match, ({counted.sql}) FROM ({matches.sql}) m"
            params = [*counted.params, *matches.params]
        else:
            title = self.select_sql(terms, filters, Part.TITLE, offset=0, limit=limit)
            rest = self.select_sql(terms, filters, Part.REST, offset=0, limit=limit)
            sql = (
                f"SELECT u.id, u.title_match, ({counted.sql}) FROM ("
                f"SELECT t.id, t.key, 1 AS title_match FROM ({title.sql}) t"
                f" UNION ALL SELECT r.id, r.key, 0 AS title_match FROM ({rest.sql}) r"
                f") u ORDER BY u.title_match DESC, u.key DESC LIMIT %s"
            )
            params = [*counted.params, *title.params, *rest.params, limit]
        cursor.execute(sql, params)
        fetched = cursor.fetchall()
        rows = [(int(row[0]), bool(row[1])) for row in fetched]
        total = int(fetched[0][2]) if fetched else 0
        return total, rows

    def explain(self, cursor: Any, terms: Sequence[Term], filters: SearchFilters | None) -> str:
        """The database's plan for the count statement (for tests and tuning)."""
        from_where, params = self._from_where(terms, filters)
        prefix = "EXPLAIN QUERY PLAN" if self.vendor == "sqlite" else "EXPLAIN"
        cursor.execute(f"{prefix} SELECT COUNT(*) {from_where}", params)
        return "\n".join(" ".join(str(col) for col in row) for row in cursor.fetchall())
