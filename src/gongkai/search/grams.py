"""The bigram index: what is stored per document and how query terms become index tokens.

Pure functions, no database. Every searchable text (title, document number, index number, body
and their normalised copies) is split at whitespace into runs; each run of two or more characters
becomes its overlapping two-character tokens ("政府信息" → ``政府 府信 信息``), and a one-character
gap token separates runs, so consecutive bigram tokens always come from one unbroken run.

Hence, for a query term of two or more characters without whitespace:

- a two-character term is present exactly when its one token is (no recheck needed);
- a longer term is a substring exactly when its bigrams occur as consecutive tokens (a phrase
  query on SQLite FTS5); PostgreSQL checks that every bigram is present and rechecks with LIKE.

Characters: ASCII letters are lower-cased (the engine is ASCII case-insensitive, like SQLite's
``LIKE``); other ASCII characters (punctuation, symbols) are mapped one to one into the Plane 15
private-use area so that a tokenizer never splits a token at them, and ``(2`` or ``〕7`` stay
searchable; full-width forms of ASCII characters (``，（Ａ１``) become the token character of
their ASCII counterpart, as NFKC maps them; every other non-ASCII character is kept as it is. A
document or query that itself contains those Plane 15 characters (U+F0000–U+F007F, never used in
practice) would be conflated with the ASCII character.

The normalised copies (``title_norm``, ``body_norm``) add only the runs whose tokens differ from
every run of the original text (Traditional characters, compatibility forms): a Chinese sentence
whose only change under NFKC is its full-width punctuation is stored once.

Title bigrams are stored a second time with the prefix ``t`` (three characters, so they never
equal a two-character text token): "title contains every term" is then an index lookup too. The
filters (agency subtree, column, category, year, validity) are stored as facet tokens (``f`` +
kind letter + value, at least three characters) so that SQLite answers a filtered query from the
FTS index alone.

``sort_key`` packs the "newest first" order into one integer: the publication second (since
1900, in 33 bits) above the document id (30 bits). Descending ``sort_key`` is newest
``published_at`` (to the second; undated documents last) then highest id: the order of search
results, and on SQLite the rowid of the FTS table, so a page of the newest matches is read
straight off the index without looking at every match.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Sequence
from itertools import chain, repeat
from operator import add
from typing import Any

GAP = "g"
"""Separates runs (one character: never equal to a bigram, a title token or a facet token)."""
TITLE_PREFIX = "t"
FACET_PREFIX = "f"
ID_BITS = 30
MAX_DOCUMENT_ID = (1 << ID_BITS) - 1
SECOND_BITS = 33
EPOCH = dt.datetime(1900, 1, 1, tzinfo=dt.UTC)
_ASCII_ESCAPE_BASE = 0xF0000

# ASCII: letters lower-cased, digits kept, everything else escaped into Plane 15.
_TEXT_TABLE = {
    code: (chr(code).lower() if chr(code).isalnum() else chr(_ASCII_ESCAPE_BASE + code))
    for code in range(128)
}
# Full-width forms of ASCII (U+FF01–U+FF5E: "，" "（" "Ａ" "１"): the same token character as the
# ASCII character NFKC maps them to. Every query term is searched as typed and in NFKC form, so
# "，" and "," already find each other; folding them here makes a normalised run that differs from
# the original only in full-width punctuation (most Chinese sentences) produce the same tokens,
# and :func:`document_grams` then stores it once instead of twice.
_FULL_WIDTH_OFFSET = 0xFEE0
_TEXT_TABLE.update({code + _FULL_WIDTH_OFFSET: _TEXT_TABLE[code] for code in range(0x21, 0x7F)})
# For escaping a whole text before splitting it into runs: the ASCII whitespace that str.split()
# splits at stays as it is (no character becomes whitespace and none stops being it otherwise), so
# the escaped runs of ``text.split()`` are ``text.translate(_RUN_TABLE).split()``.
_RUN_TABLE = {**_TEXT_TABLE, **{code: chr(code) for code in range(128) if chr(code).isspace()}}


def _replacer(table: dict[int, str]) -> Callable[[str], str]:
    """``text.translate(table)``, faster for Chinese text.

    ``str.translate`` looks every character of a non-ASCII string up in the table (about 50 ns
    each); a regular expression finds the few characters the table changes (ASCII punctuation,
    upper-case letters, full-width forms) and only those are looked up: several times faster on
    a Chinese body (tests/search/test_bigrams.py checks that both agree).
    """
    changed = {chr(code): value for code, value in table.items() if chr(code) != value}
    pattern = re.compile("[" + "".join(re.escape(char) for char in sorted(changed)) + "]")
    lookup = changed.__getitem__

    def replace(text: str) -> str:
        return pattern.sub(lambda match: lookup(match.group()), text)

    return replace


_escape_text = _replacer(_TEXT_TABLE)
_escape_runs = _replacer(_RUN_TABLE)
# Facet values are compared exactly: upper-case letters are escaped too (the FTS5 tokenizer
# would fold them).
_FACET_TABLE = {
    code: (
        chr(code)
        if chr(code).isdigit() or "a" <= chr(code) <= "z"
        else chr(_ASCII_ESCAPE_BASE + code)
    )
    for code in range(128)
}


def escape(text: str) -> str:
    """``text`` with ASCII letters lower-cased, other ASCII characters made token characters and
    full-width ASCII forms folded into the ASCII ones."""
    return _escape_text(text)


def bigrams(run: str) -> list[str]:
    """The overlapping two-character tokens of one run (no whitespace inside), escaped."""
    run = escape(run)
    return list(map(add, run, run[1:]))


def escaped_runs(text: str) -> list[str]:
    """The runs of ``text`` (split at whitespace), each escaped: ``[escape(r) for r in
    text.split()]``, but the whole text is escaped at once."""
    return _escape_runs(text).split()


def text_grams(
    texts: Iterable[str], prefix: str = "", *, variants: Iterable[str] = ()
) -> list[str]:
    """The bigram tokens of ``texts``, runs separated by :data:`GAP`; then those of the runs of
    ``variants`` (normalised copies) whose tokens are not already there.

    A query term is one run of tokens, found as a phrase within one run, so a variant run whose
    escaped text equals a run of ``texts`` would only repeat tokens that are already matchable.
    """
    out: list[str] = []
    seen: set[str] = set()
    for text, is_variant in chain(zip(texts, repeat(False)), zip(variants, repeat(True))):
        for escaped in escaped_runs(text):
            if len(escaped) < 2:
                continue
            if is_variant and escaped in seen:
                continue
            seen.add(escaped)
            if out:
                out.append(GAP)
            # map(add, s, s[1:]) pairs each character with the next one, in C.
            pairs = map(add, escaped, escaped[1:])
            out.extend(map(add, repeat(prefix), pairs) if prefix else pairs)
    return out


def facet_token(kind: str, value: str | int) -> str:
    return FACET_PREFIX + kind + str(value).translate(_FACET_TABLE)


def agency_tokens(path: str) -> list[str]:
    """A token for the path and for each of its ``/``-terminated prefixes (subtree filter)."""
    tokens = [facet_token("a", path[: i + 1]) for i, char in enumerate(path) if char == "/"]
    if path and not path.endswith("/"):
        tokens.append(facet_token("a", path))
    return tokens


def query_facets(filters: Any) -> list[tuple[str, bool]]:
    """The facet tokens a query's filters (:class:`gongkai.search.types.SearchFilters`) require,
    as ``(token, is_prefix)``. An agency path ending in "/" is one of the stored tokens; any other
    path is a prefix of the stored tokens of the documents under it (``is_prefix``)."""
    if filters is None:
        return []
    out: list[tuple[str, bool]] = []
    if filters.agency_path:
        path = filters.agency_path
        out.append((facet_token("a", path), not path.endswith("/")))
    for kind, name in (("c", "column"), ("k", "category"), ("v", "validity")):
        value = getattr(filters, name)
        if value not in (None, ""):
            out.append((facet_token(kind, str(value)), False))
    if filters.year not in (None, ""):
        out.append((facet_token("y", int(filters.year)), False))
    return out


def facet_tokens(
    *, agency_path: str, column: str, category: str, validity: str, year: int | None
) -> list[str]:
    tokens = agency_tokens(agency_path)
    for kind, value in (("c", column), ("k", category), ("v", validity)):
        if value:
            tokens.append(facet_token(kind, value))
    if year is not None:
        tokens.append(facet_token("y", int(year)))
    return tokens


def document_grams(
    *,
    title: str,
    title_norm: str,
    doc_number: str,
    index_number: str,
    body_text: str,
    body_norm: str,
    agency_path: str,
    column: str,
    category: str,
    validity: str,
    year: int | None,
) -> str:
    """The space-separated token text stored in ``search_entry.grams``."""
    tokens = text_grams(
        (title, doc_number, index_number, body_text), variants=(title_norm, body_norm)
    )
    title_tokens = text_grams((title,), prefix=TITLE_PREFIX, variants=(title_norm,))
    if title_tokens:
        tokens += [GAP, *title_tokens] if tokens else title_tokens
    tokens += facet_tokens(
        agency_path=agency_path, column=column, category=category, validity=validity, year=year
    )
    return " ".join(tokens)


def variant_grams(variant: str) -> list[str] | None:
    """The bigram tokens of a query variant, or None when the index cannot answer it exactly
    (fewer than two characters, or whitespace inside)."""
    if len(variant) < 2 or len(variant.split()) != 1 or variant.split()[0] != variant:
        return None
    return bigrams(variant)


def indexable(variants: Sequence[str]) -> bool:
    """True when every variant of a term can be answered from the bigram index."""
    return all(variant_grams(v) is not None for v in variants)


def sort_key(document_id: int, published_at: dt.datetime | None) -> int:
    """The "newest first" key (see the module docstring); ``published_at`` must be aware."""
    document_id = int(document_id)
    if not 0 <= document_id <= MAX_DOCUMENT_ID:
        raise ValueError(f"document id {document_id} does not fit the search sort key")
    seconds = 0
    if published_at is not None:
        elapsed = int((published_at - EPOCH).total_seconds()) + 1
        seconds = min(max(elapsed, 1), (1 << SECOND_BITS) - 1)
    return (seconds << ID_BITS) | document_id


def document_id(key: int) -> int:
    """The document id packed in a :func:`sort_key`."""
    return int(key) & MAX_DOCUMENT_ID
