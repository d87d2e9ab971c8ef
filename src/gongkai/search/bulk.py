"""Writing very many new search entries at once (``gongkai synth``): what the index needs.

The search app keeps its index in step row by row: on SQLite, triggers copy each ``search_entry``
row into the FTS5 table (migration ``0003_bigrams``); on PostgreSQL, GIN indexes with
``fastupdate = off``. Both are right for publishing one document at a time and slow for a million.

SQLite. A trigger runs inside its own statement savepoint, and SQLite 3.40's FTS5 writes its
pending tokens out as a new segment at every savepoint: one tiny segment per row, which FTS5
then merges again and again (three times the work of a batch written by one statement, measured
with 5,000 synthetic documents). :func:`indexing_after` therefore suspends the insert trigger
for one batch and indexes the batch's rows with one ``INSERT … SELECT`` in rowid order, with
room for the whole batch in memory (``hashsize``): one segment per batch. The trigger is dropped
and re-created inside the caller's transaction, so a failure anywhere rolls both back and the
trigger can never stay missing. :func:`bulk_load` lets the segments of a load accumulate (256
per level before FTS5 merges them, 200 for a million synthetic documents) and merges them into
one at the end (``optimize``): each token is then written twice in all, where FTS5's default
merging rewrites it once per level, and one segment is also the fastest index to query.

PostgreSQL. :func:`bulk_load` switches the GIN pending lists on for the load and flushes them
into the index at the end, then switches them off again.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from django.db import connection

FTS_TABLE = "search_entry_grams"
INSERT_TRIGGER = "search_entry_grams_ai"
PG_INDEXES = ("search_entry_grams", "search_entry_trigrams")
"""The GIN indexes of migrations ``search.0003_bigrams`` and ``0004_trigrams``."""

FTS5_DEFAULTS = {"automerge": 4, "crisismerge": 16, "hashsize": 1024 * 1024}
"""FTS5's own defaults of the options :func:`bulk_load` and :func:`indexing_after` change."""
FTS5_LOAD = {"automerge": 0, "crisismerge": 256}
FTS5_BATCH_HASHSIZE = 256 * 1024 * 1024
"""Bytes of pending tokens before FTS5 writes a segment, while :func:`indexing_after` indexes
one batch (5,000 synthetic documents take about 30 MB)."""


def _fts5_options(cursor, names) -> dict[str, int]:
    cursor.execute(
        f"SELECT k, v FROM {FTS_TABLE}_config WHERE k IN ({', '.join('%s' for _ in names)})",
        list(names),
    )
    stored = dict(cursor.fetchall())
    return {name: int(stored.get(name, FTS5_DEFAULTS[name])) for name in names}


def _set_fts5_options(cursor, options: dict[str, int]) -> None:
    for name, value in options.items():
        cursor.execute(
            f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rank) VALUES (%s, %s)", [name, int(value)]
        )


@contextlib.contextmanager
def bulk_load() -> Iterator[None]:
    """Index settings for a load of many new entries, restored (and the index tidied) afterwards.

    SQLite: FTS5 merges only at 256 segments per level during the block; when the block ends
    without an error, every segment is merged into one (``optimize``); the merge options are
    restored either way. PostgreSQL: the GIN pending lists (``fastupdate``) are on during the
    block and flushed into the index afterwards, and ``search_entry`` is analysed for the
    planner. Each step commits on its own: call it outside
    any transaction.
    """
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            previous = _fts5_options(cursor, FTS5_LOAD)
            _set_fts5_options(cursor, FTS5_LOAD)
        try:
            yield
            with connection.cursor() as cursor:
                cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('optimize')")
        finally:
            with connection.cursor() as cursor:
                _set_fts5_options(cursor, previous)
        return
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE indexname = ANY(%s) ORDER BY indexname",
            [list(PG_INDEXES)],
        )
        gin_indexes = [row[0] for row in cursor.fetchall()]
        for index in gin_indexes:
            cursor.execute(
                f"ALTER INDEX {index} SET (fastupdate = on, gin_pending_list_limit = 65536)"
            )
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            for index in gin_indexes:
                cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [index])
                cursor.execute(f"ALTER INDEX {index} SET (fastupdate = off)")
                cursor.execute(f"ALTER INDEX {index} RESET (gin_pending_list_limit)")
            cursor.execute("ANALYZE search_entry")


@contextlib.contextmanager
def indexing_after(first_id: int, last_id: int) -> Iterator[None]:
    """Index the ``search_entry`` rows with ids ``first_id``–``last_id`` that the block inserts.

    Every row in that range must be new (not in the index before) and inserted inside the
    block. Must run inside ``transaction.atomic()``. SQLite: the insert trigger is suspended in
    the block and the rows are indexed afterwards by one statement; elsewhere nothing changes.
    """
    if connection.vendor != "sqlite":
        yield
        return
    if not connection.in_atomic_block:
        raise RuntimeError("indexing_after() must run inside transaction.atomic()")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = %s", [INSERT_TRIGGER]
        )
        row = cursor.fetchone()
        if row is None:
            raise RuntimeError(f"the search index trigger {INSERT_TRIGGER} is missing: migrate")
        trigger_sql = row[0]
        cursor.execute(f"DROP TRIGGER {INSERT_TRIGGER}")
    completed = False
    try:
        yield
        completed = True
    finally:
        with connection.cursor() as cursor:
            if completed:
                hashsize = _fts5_options(cursor, ["hashsize"])
                _set_fts5_options(cursor, {"hashsize": FTS5_BATCH_HASHSIZE})
                cursor.execute(
                    f"INSERT INTO {FTS_TABLE}(rowid, grams) SELECT sort_key, grams"
                    " FROM search_entry WHERE id BETWEEN %s AND %s ORDER BY sort_key",
                    [first_id, last_id],
                )
                _set_fts5_options(cursor, hashsize)
            cursor.execute(trigger_sql)
