"""Engine structures around ``search_entry``, per database vendor.

SQLite: an external-content FTS5 table with the trigram tokenizer over the text columns, kept in
sync by triggers (so ORM deletes and test flushes cannot leave stale index rows), and the
"newest first" index.

PostgreSQL: the pg_trgm extension (a trusted extension since PostgreSQL 13: the database owner
may create it), one GIN trigram index over the concatenated searchable text (the expression must
stay identical to ``gongkai.search.backends.postgresql.TEXT_EXPRESSION``; ``fastupdate = off``),
and the "newest first" index with NULLS LAST.

If a later migration alters ``search_entry`` on SQLite, Django rebuilds the table and the triggers
are lost: call ``create_sqlite_triggers`` from this module again there, then rebuild the FTS
index (``INSERT INTO search_entry_fts(search_entry_fts) VALUES('rebuild')``).
"""

from django.db import migrations

TEXT_COLUMNS = ("title", "body_text", "doc_number", "index_number", "title_norm", "body_norm")


def _columns(prefix: str = "") -> str:
    return ", ".join(f"{prefix}{name}" for name in TEXT_COLUMNS)


SQLITE_TRIGGERS = [
    f"""CREATE TRIGGER search_entry_ai AFTER INSERT ON search_entry BEGIN
        INSERT INTO search_entry_fts(rowid, {_columns()}) VALUES (new.id, {_columns("new.")});
    END""",
    f"""CREATE TRIGGER search_entry_ad AFTER DELETE ON search_entry BEGIN
        INSERT INTO search_entry_fts(search_entry_fts, rowid, {_columns()})
        VALUES ('delete', old.id, {_columns("old.")});
    END""",
    # Re-tokenise only when a text column changed: a metadata change (validity, column) is cheap.
    f"""CREATE TRIGGER search_entry_au AFTER UPDATE ON search_entry
    WHEN {" OR ".join(f"old.{c} IS NOT new.{c}" for c in TEXT_COLUMNS)} OR old.id IS NOT new.id
    BEGIN
        INSERT INTO search_entry_fts(search_entry_fts, rowid, {_columns()})
        VALUES ('delete', old.id, {_columns("old.")});
        INSERT INTO search_entry_fts(rowid, {_columns()}) VALUES (new.id, {_columns("new.")});
    END""",
]


def create_sqlite_triggers(schema_editor) -> None:
    for name in ("search_entry_ai", "search_entry_ad", "search_entry_au"):
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")
    for statement in SQLITE_TRIGGERS:
        schema_editor.execute(statement)


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(
            f"CREATE VIRTUAL TABLE search_entry_fts USING fts5({_columns()}, "
            "content='search_entry', content_rowid='id', tokenize='trigram', columnsize=0)"
        )
        create_sqlite_triggers(schema_editor)
        schema_editor.execute("INSERT INTO search_entry_fts(search_entry_fts) VALUES('rebuild')")
        schema_editor.execute(
            'CREATE INDEX search_entry_newest ON search_entry ("published_at" DESC, "id" DESC)'
        )
    elif vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        schema_editor.execute(
            "CREATE INDEX search_entry_text_trgm ON search_entry USING gin ("
            "(title || E'\\n' || doc_number || E'\\n' || index_number || E'\\n' || body_text"
            " || E'\\n' || title_norm || E'\\n' || body_norm) gin_trgm_ops)"
            # Without a pending list, every query reads only the GIN tree: steady latency at the
            # cost of slower single inserts (a published document is indexed once).
            " WITH (fastupdate = off)"
        )
        schema_editor.execute(
            "CREATE INDEX search_entry_newest ON search_entry "
            '("published_at" DESC NULLS LAST, "id" DESC)'
        )


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for name in ("search_entry_ai", "search_entry_ad", "search_entry_au"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")
        schema_editor.execute("DROP TABLE IF EXISTS search_entry_fts")
    if vendor in ("sqlite", "postgresql"):
        schema_editor.execute("DROP INDEX IF EXISTS search_entry_text_trgm")
        schema_editor.execute("DROP INDEX IF EXISTS search_entry_newest")


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
