"""PostgreSQL backend: ``LIKE '%term%'`` (``ILIKE`` for terms with letters) on a pg_trgm index.

PostgreSQL has no Chinese text-search parser, but pg_trgm indexes any text by trigrams, and a
``LIKE``/``ILIKE`` pattern with three or more characters is answered from that index (with an
exact recheck, so results are always exact). Two-character patterns yield no trigram and are
answered by a sequential scan: correct, slower.
"""

from __future__ import annotations

from collections.abc import Sequence

from gongkai.search.backends.base import Clause, SqlBackend, like_pattern
from gongkai.search.text import Term

# Must stay identical to the expression of the search_entry_text_trgm index (migration 0002).
# The fields are joined by newlines; query terms never contain whitespace, so no match can span
# two fields.
TEXT_EXPRESSION = (
    "(e.title || E'\\n' || e.doc_number || E'\\n' || e.index_number || E'\\n' || e.body_text"
    " || E'\\n' || e.title_norm || E'\\n' || e.body_norm)"
)


class PostgresqlBackend(SqlBackend):
    vendor = "postgresql"
    like = "ILIKE"
    order_by = "e.published_at DESC NULLS LAST, e.id DESC"

    def like_operator(self, value: str) -> str:
        # ILIKE lower-cases every candidate row's whole text (slow on multibyte text); a term
        # without cased letters (Chinese, digits, punctuation) needs only LIKE. Both use the
        # trigram index.
        return "ILIKE" if value.lower() != value.upper() else "LIKE"

    def agency_prefix(self, prefix: str) -> Clause:
        # Django's varchar_pattern_ops index on agency_path serves a constant-prefix LIKE.
        return Clause("e.agency_path LIKE %s ESCAPE '\\'", [like_pattern(prefix, prefix_only=True)])

    def text_match(self, terms: Sequence[Term]) -> tuple[Clause, Clause]:
        clauses = [self.like_any((TEXT_EXPRESSION,), term.variants) for term in terms]
        return Clause(), Clause(
            " AND ".join(c.sql for c in clauses), [p for c in clauses for p in c.params]
        )
