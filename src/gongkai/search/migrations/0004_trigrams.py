"""PostgreSQL: trigram lexemes, and the function that runs the search's page statement.

- ``tri_tsv``, a stored generated column with the document's three-character tokens (two
  overlapping bigrams of one run of ``grams``, joined: ``政府 府信`` → ``政府信``; computed by the
  immutable SQL function ``search_entry_trigrams``), and its GIN index ``search_entry_trigrams``:
  a three-character term is present exactly when its lexeme is, so its matches are counted
  without reading any text; a longer term needs all of its trigrams (then a substring check).
- ``search_entry_run(statement)`` runs one statement (composed by
  ``gongkai.search.backends.postgresql`` with quoted literals) with the planner settings the
  search needs, for that statement only (``SET`` on the function; ``SET LOCAL`` would last to the
  end of the caller's transaction): ``enable_seqscan = off`` — a sequential scan that tests a
  vector row by row detoasts every vector (about 20 µs a row), which the planner does not count,
  and it would pick one to count a common term's matches — and ``jit = off`` (with sequential
  scans disabled, plan costs pass ``jit_above_cost`` and the statement would be compiled for
  nothing). It runs with the caller's rights.

The pg_trgm index ``search_entry_text_trgm`` of ``0002_engine`` is dropped: every term of two
or more characters is answered from the bigram and trigram lexemes, so it served only terms
with a one-character variant, which it cannot narrow; keeping it up to date cost about as much
per written document as the three other indexes together. (The ``pg_trgm`` extension stays.)

Nothing on SQLite (its FTS5 phrase queries are exact already).
"""

from django.db import migrations

TRIGRAMS_FUNCTION = """
CREATE OR REPLACE FUNCTION search_entry_trigrams(grams text) RETURNS tsvector
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
    tokens text[] := string_to_array(grams, ' ');
    found text[] := '{}';
    previous text := '';
    token text;
BEGIN
    -- Bigram tokens have two characters, the gap token one, title and facet tokens three or
    -- more: two consecutive two-character tokens come from one run and overlap.
    FOREACH token IN ARRAY tokens LOOP
        IF length(previous) = 2 AND length(token) = 2 THEN
            found := found || (previous || right(token, 1));
        END IF;
        previous := token;
    END LOOP;
    RETURN array_to_tsvector(found);
END
$$
"""

# As created by 0002_engine (for going back).
TRGM_INDEX = (
    "CREATE INDEX IF NOT EXISTS search_entry_text_trgm ON search_entry USING gin ("
    "(title || E'\\n' || doc_number || E'\\n' || index_number || E'\\n' || body_text"
    " || E'\\n' || title_norm || E'\\n' || body_norm) gin_trgm_ops) WITH (fastupdate = off)"
)

RUN_FUNCTION = """
CREATE OR REPLACE FUNCTION search_entry_run(statement text) RETURNS SETOF record
LANGUAGE plpgsql
SET enable_seqscan = off
SET jit = off
AS $$ BEGIN RETURN QUERY EXECUTE statement; END $$
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(TRIGRAMS_FUNCTION)
    schema_editor.execute(
        "ALTER TABLE search_entry ADD COLUMN tri_tsv tsvector GENERATED ALWAYS AS"
        " (search_entry_trigrams(grams)) STORED"
    )
    schema_editor.execute(
        "CREATE INDEX search_entry_trigrams ON search_entry USING gin (tri_tsv)"
        " WITH (fastupdate = off)"
    )
    schema_editor.execute("DROP INDEX IF EXISTS search_entry_text_trgm")
    schema_editor.execute(RUN_FUNCTION)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP FUNCTION IF EXISTS search_entry_run(text)")
    schema_editor.execute("DROP INDEX IF EXISTS search_entry_trigrams")
    schema_editor.execute("ALTER TABLE search_entry DROP COLUMN IF EXISTS tri_tsv")
    schema_editor.execute("DROP FUNCTION IF EXISTS search_entry_trigrams(text)")
    schema_editor.execute(TRGM_INDEX)


class Migration(migrations.Migration):
    dependencies = [("search", "0003_bigrams")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
