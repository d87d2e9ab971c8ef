"""PostgreSQL backend: bigram ``tsvector`` for two-character terms, pg_trgm for longer ones.

PostgreSQL has no Chinese text-search parser. Two GIN indexes serve the search (migrations
``0002_engine`` and ``0003_bigrams``):

- ``search_entry_grams`` over ``grams_tsv``, a stored generated column
  ``array_to_tsvector(string_to_array(grams, ' '))``: the document's bigram tokens as lexemes (no
  parser involved). A two-character term is present exactly when its
  lexeme is, so ``@@`` answers it with no recheck; title matches use the ``t``-prefixed lexemes.
- ``search_entry_text_trgm`` (pg_trgm) over the concatenated text: a ``LIKE``/``ILIKE`` pattern of
  three or more characters is answered from it, with an exact recheck.

A term with a one-character variant has neither and is matched by a scan.
"""

from __future__ import annotations

from collections.abc import Sequence

from gongkai.search import grams
from gongkai.search.backends.base import Clause, SqlBackend, like_pattern
from gongkai.search.text import Term

# Must stay identical to the expression of the search_entry_text_trgm index (migration 0002).
# The fields are joined by newlines; query terms never contain whitespace, so no match can span
# two fields.
TEXT_EXPRESSION = (
    "(e.title || E'\\n' || e.doc_number || E'\\n' || e.index_number || E'\\n' || e.body_text"
    " || E'\\n' || e.title_norm || E'\\n' || e.body_norm)"
)
# The stored generated column of migration 0003 (indexed by search_entry_grams).
GRAMS_VECTOR = "e.grams_tsv"


def lexeme(token: str) -> str:
    """A quoted tsquery lexeme (escaped tokens hold no quote or backslash; doubled anyway)."""
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


def _bigram_term(term: Term) -> bool:
    """True when every variant is exactly one bigram (answered by the tsvector alone)."""
    return grams.indexable(term.variants) and all(len(v) == 2 for v in term.variants)


def tsquery(terms: Sequence[Term], *, title: bool) -> str:
    """``(('ab') | ('cd')) & …``: any variant of each term, a variant being all of its bigrams
    (``'ab' & 'bc'``: exact for two characters, a necessary condition for longer variants)."""
    prefix = grams.TITLE_PREFIX if title else ""
    parts = []
    for term in terms:
        variants = []
        for variant in term.variants:
            tokens = grams.variant_grams(variant) or []
            variants.append("(" + " & ".join(lexeme(prefix + t) for t in tokens) + ")")
        parts.append("(" + " | ".join(variants) + ")")
    return " & ".join(parts)


class PostgresqlBackend(SqlBackend):
    vendor = "postgresql"
    like = "ILIKE"
    order_by = "e.sort_key DESC"

    def like_operator(self, value: str) -> str:
        # ILIKE lower-cases every candidate row's whole text (slow on multibyte text); a term
        # without cased letters (Chinese, digits, punctuation) needs only LIKE. Both use the
        # trigram index.
        return "ILIKE" if value.lower() != value.upper() else "LIKE"

    def agency_prefix(self, prefix: str) -> Clause:
        # Django's varchar_pattern_ops index on agency_path serves a constant-prefix LIKE.
        return Clause("e.agency_path LIKE %s ESCAPE '\\'", [like_pattern(prefix, prefix_only=True)])

    def text_match(self, terms: Sequence[Term]) -> tuple[Clause, Clause]:
        bigram_terms = [t for t in terms if _bigram_term(t)]
        clauses = []
        if bigram_terms:
            clauses.append(
                Clause(f"{GRAMS_VECTOR} @@ %s::tsquery", [tsquery(bigram_terms, title=False)])
            )
        clauses += [
            self.like_any((TEXT_EXPRESSION,), term.variants)
            for term in terms
            if not _bigram_term(term)
        ]
        return Clause(), Clause(
            " AND ".join(c.sql for c in clauses), [p for c in clauses for p in c.params]
        )

    def title_condition(self, terms: Sequence[Term]) -> Clause:
        indexed = [t for t in terms if grams.indexable(t.variants)]
        clauses = []
        if indexed:
            # Every bigram of every term in the title: exact for two-character terms, a
            # necessary condition (from the same index) for longer ones, rechecked below.
            clauses.append(
                Clause(
                    f"{GRAMS_VECTOR} @@ %s::tsquery",
                    [tsquery(indexed, title=True)],
                )
            )
        clauses += [
            self.like_any(("e.title", "e.title_norm"), term.variants)
            for term in terms
            if not _bigram_term(term)
        ]
        return Clause(
            "(" + " AND ".join(c.sql for c in clauses) + ")", [p for c in clauses for p in c.params]
        )
