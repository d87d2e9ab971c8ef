"""The bigram index (see :mod:`gongkai.search.grams`): ``grams`` and ``sort_key`` columns, filled
for existing rows, and per vendor:

SQLite: an external-content FTS5 table ``search_entry_grams`` over ``grams`` whose rowid is
``sort_key`` (``tokenize='ascii'``: every non-ASCII character is a token character and ASCII
punctuation never reaches it, see ``grams.escape``), kept in sync by triggers, replacing the
trigram table ``search_entry_fts`` of ``0002_engine`` and the "newest first" index.

PostgreSQL: a stored generated column ``grams_tsv`` = ``array_to_tsvector(string_to_array(grams,
' '))`` (not in the Django model) with a GIN index (``gongkai.search.backends.postgresql.
GRAMS_VECTOR`` names it). The pg_trgm index of ``0002_engine`` stays: it answers terms of three or
more characters.

If a later migration alters ``search_entry`` on SQLite, Django rebuilds the table and the triggers
are lost: call ``create_sqlite_triggers`` from this module again there.
"""

from django.db import migrations, models

FILL_BATCH = 2000

SQLITE_TRIGGERS = [
    """CREATE TRIGGER search_entry_grams_ai AFTER INSERT ON search_entry BEGIN
        INSERT INTO search_entry_grams(rowid, grams) VALUES (new.sort_key, new.grams);
    END""",
    """CREATE TRIGGER search_entry_grams_ad AFTER DELETE ON search_entry BEGIN
        INSERT INTO search_entry_grams(search_entry_grams, rowid, grams)
        VALUES ('delete', old.sort_key, old.grams);
    END""",
    # Re-tokenise only when the tokens or the key changed: a bare re-save is cheap.
    """CREATE TRIGGER search_entry_grams_au AFTER UPDATE ON search_entry
    WHEN old.grams IS NOT new.grams OR old.sort_key IS NOT new.sort_key
    BEGIN
        INSERT INTO search_entry_grams(search_entry_grams, rowid, grams)
        VALUES ('delete', old.sort_key, old.grams);
        INSERT INTO search_entry_grams(rowid, grams) VALUES (new.sort_key, new.grams);
    END""",
]
OLD_TRIGGERS = ("search_entry_ai", "search_entry_ad", "search_entry_au")
NEW_TRIGGERS = ("search_entry_grams_ai", "search_entry_grams_ad", "search_entry_grams_au")


def create_sqlite_triggers(schema_editor) -> None:
    for name in NEW_TRIGGERS:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")
    for statement in SQLITE_TRIGGERS:
        schema_editor.execute(statement)


def _fill(connection) -> None:
    """Compute ``grams`` and ``sort_key`` of every existing row (in batches)."""
    import datetime as dt

    from gongkai.search.grams import document_grams, sort_key

    last = -1
    with connection.cursor() as cursor:
        while True:
            cursor.execute(
                'SELECT id, published_at, title, title_norm, doc_number, index_number, body_text,'
                ' body_norm, agency_path, "column", category, validity, year FROM search_entry'
                " WHERE id > %s ORDER BY id LIMIT %s",
                [last, FILL_BATCH],
            )
            rows = cursor.fetchall()
            if not rows:
                return
            updates = []
            for row in rows:
                published_at = row[1]
                if isinstance(published_at, str):  # SQLite without converters
                    published_at = dt.datetime.fromisoformat(published_at)
                if published_at is not None and published_at.tzinfo is None:
                    published_at = published_at.replace(tzinfo=dt.UTC)
                grams = document_grams(
                    title=row[2],
                    title_norm=row[3],
                    doc_number=row[4],
                    index_number=row[5],
                    body_text=row[6],
                    body_norm=row[7],
                    agency_path=row[8],
                    column=row[9],
                    category=row[10],
                    validity=row[11],
                    year=row[12],
                )
                updates.append([sort_key(row[0], published_at), grams, row[0]])
            cursor.executemany(
                "UPDATE search_entry SET sort_key = %s, grams = %s WHERE id = %s", updates
            )
            last = rows[-1][0]


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for name in OLD_TRIGGERS:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")
        schema_editor.execute("DROP TABLE IF EXISTS search_entry_fts")
        schema_editor.execute("DROP INDEX IF EXISTS search_entry_newest")
        schema_editor.execute("ALTER TABLE search_entry ADD COLUMN sort_key integer NULL")
        schema_editor.execute("ALTER TABLE search_entry ADD COLUMN grams text NOT NULL DEFAULT ''")
        _fill(schema_editor.connection)
        schema_editor.execute(
            "CREATE UNIQUE INDEX search_entry_sort_key_uniq ON search_entry (sort_key)"
        )
        schema_editor.execute(
            "CREATE VIRTUAL TABLE search_entry_grams USING fts5(grams, content='search_entry',"
            " content_rowid='sort_key', tokenize='ascii', columnsize=0)"
        )
        create_sqlite_triggers(schema_editor)
        schema_editor.execute(
            "INSERT INTO search_entry_grams(search_entry_grams) VALUES('rebuild')"
        )
    elif vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS search_entry_newest")
        schema_editor.execute("ALTER TABLE search_entry ADD COLUMN sort_key bigint NULL")
        schema_editor.execute("ALTER TABLE search_entry ADD COLUMN grams text NOT NULL DEFAULT ''")
        _fill(schema_editor.connection)
        schema_editor.execute(
            "ALTER TABLE search_entry ADD CONSTRAINT search_entry_sort_key_key UNIQUE (sort_key)"
        )
        # A stored generated column (unknown to Django: inserts never name it): a per-row check
        # (a filter, the NOT of the title condition) reads the vector instead of rebuilding it
        # from the text, which costs about 0.2 ms per row.
        schema_editor.execute(
            "ALTER TABLE search_entry ADD COLUMN grams_tsv tsvector GENERATED ALWAYS AS"
            " (array_to_tsvector(string_to_array(grams, ' '))) STORED"
        )
        schema_editor.execute(
            "CREATE INDEX search_entry_grams ON search_entry USING gin (grams_tsv)"
        )


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for name in NEW_TRIGGERS:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")
        schema_editor.execute("DROP TABLE IF EXISTS search_entry_grams")
        schema_editor.execute("DROP INDEX IF EXISTS search_entry_sort_key_uniq")
    elif vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS search_entry_grams")
        schema_editor.execute("ALTER TABLE search_entry DROP COLUMN IF EXISTS grams_tsv")
    if vendor in ("sqlite", "postgresql"):
        schema_editor.execute("ALTER TABLE search_entry DROP COLUMN grams")
        schema_editor.execute("ALTER TABLE search_entry DROP COLUMN sort_key")
        import importlib

        engine = importlib.import_module("gongkai.search.migrations.0002_engine")
        if vendor == "sqlite":
            columns = engine._columns()
            schema_editor.execute(
                f"CREATE VIRTUAL TABLE search_entry_fts USING fts5({columns}, "
                "content='search_entry', content_rowid='id', tokenize='trigram', columnsize=0)"
            )
            engine.create_sqlite_triggers(schema_editor)
            schema_editor.execute(
                "INSERT INTO search_entry_fts(search_entry_fts) VALUES('rebuild')"
            )
            schema_editor.execute(
                'CREATE INDEX search_entry_newest ON search_entry ("published_at" DESC, "id" DESC)'
            )
        else:
            schema_editor.execute(
                "CREATE INDEX search_entry_newest ON search_entry "
                '("published_at" DESC NULLS LAST, "id" DESC)'
            )


class Migration(migrations.Migration):
    dependencies = [("search", "0002_engine")]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(forwards, backwards, elidable=False)],
            state_operations=[
                migrations.AddField(
                    model_name="searchentry",
                    name="sort_key",
                    field=models.BigIntegerField(editable=False, null=True, unique=True),
                ),
                migrations.AddField(
                    model_name="searchentry",
                    name="grams",
                    field=models.TextField(blank=True, default="", editable=False),
                ),
            ],
        )
    ]
