"""SQL shared by the backends: filters, title-first ordering, count and page queries.

A backend answers one question — which document ids match, in which order, how many — with one
SQL statement (one page of ``(id, title_match)`` carrying an exact window count). Everything else
(loading the page's rows, highlighting) happens once per page in :mod:`gongkai.search.engine`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from gongkai.search.text import Term
from gongkai.search.types import SearchFilters

LIKE_ESCAPE = "\\"


def like_pattern(value: str, *, prefix_only: bool = False) -> str:
    """A LIKE pattern for a substring (or a prefix), with ``\\``, ``%`` and ``_`` escaped."""
    escaped = value.replace(LIKE_ESCAPE, LIKE_ESCAPE * 2).replace("%", "\\%").replace("_", "\\_")
    return f"{escaped}%" if prefix_only else f"%{escaped}%"


@dataclass
class Clause:
    """A piece of SQL with its parameters, in order."""

    sql: str = ""
    params: list[Any] = field(default_factory=list)


class SqlBackend:
    """Builds the count and page statements; vendors override the marked hooks."""

    vendor = ""
    like = "LIKE"
    order_by = "e.published_at DESC, e.id DESC"

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

    def title_match(self, terms: Sequence[Term]) -> Clause:
        """1 when every term occurs in the title (original or normalised), else 0."""
        if not terms:
            return Clause("0")
        clauses = [self.like_any(("e.title", "e.title_norm"), term.variants) for term in terms]
        return Clause(
            "CASE WHEN " + " AND ".join(c.sql for c in clauses) + " THEN 1 ELSE 0 END",
            [p for c in clauses for p in c.params],
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
        self, terms: Sequence[Term], filters: SearchFilters | None
    ) -> tuple[str, list[Any]]:
        from_clause = Clause("search_entry e")
        where: list[Clause] = []
        if terms:
            extra_from, text_where = self.text_match(terms)
            if extra_from.sql:
                from_clause = Clause(f"{extra_from.sql}", extra_from.params)
            if text_where.sql:
                where.append(text_where)
        where += self.filters(filters)
        sql = f"FROM {from_clause.sql}"
        params = list(from_clause.params)
        if where:
            sql += " WHERE " + " AND ".join(c.sql for c in where)
            params += [p for c in where for p in c.params]
        return sql, params

    def count(self, cursor: Any, terms: Sequence[Term], filters: SearchFilters | None) -> int:
        from_where, params = self._from_where(terms, filters)
        cursor.execute(f"SELECT COUNT(*) {from_where}", params)
        return int(cursor.fetchone()[0])

    def page(
        self,
        cursor: Any,
        terms: Sequence[Term],
        filters: SearchFilters | None,
        *,
        offset: int,
        limit: int,
    ) -> tuple[int, list[tuple[int, bool]]]:
        """The exact total and ``(id, title_match)`` of one page.

        Order: title matches first, then newest, then highest id. The total comes from a window
        ``COUNT(*) OVER ()`` in the same statement, so the text is matched once; only a page past
        the end (no rows to carry the total) costs a second, counting statement.
        """
        from_where, params = self._from_where(terms, filters)
        title = self.title_match(terms)
        order = f"title_match DESC, {self.order_by}" if terms else self.order_by
        cursor.execute(
            f"SELECT e.id, {title.sql} AS title_match, COUNT(*) OVER () AS total {from_where} "
            f"ORDER BY {order} LIMIT %s OFFSET %s",
            [*title.params, *params, limit, offset],
        )
        rows = cursor.fetchall()
        if rows:
            total = int(rows[0][2])
        elif offset == 0:
            total = 0
        else:
            total = self.count(cursor, terms, filters)
        return total, [(int(row[0]), bool(row[1])) for row in rows]

    def explain(self, cursor: Any, terms: Sequence[Term], filters: SearchFilters | None) -> str:
        """The database's plan for the count statement (for tests and tuning)."""
        from_where, params = self._from_where(terms, filters)
        prefix = "EXPLAIN QUERY PLAN" if self.vendor == "sqlite" else "EXPLAIN"
        cursor.execute(f"{prefix} SELECT COUNT(*) {from_where}", params)
        return "\n".join(" ".join(str(col) for col in row) for row in cursor.fetchall())
