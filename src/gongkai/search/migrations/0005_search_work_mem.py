"""PostgreSQL: the search statement runs with ``work_mem = 32MB`` (``search_entry_run``).

The page statement reads its matches through bitmap heap scans. When a bitmap outgrows
``work_mem`` it becomes lossy (whole pages instead of rows), and every row of a lossy page is
rechecked by detoasting its token vector (about 20 µs a row). Measured with a scratch script
(not the benchmark suite) at 200,000 synthetic documents, 20 two-character queries through
``PostgresqlBackend.page``: p95 204 ms with 1 MB, 52–62 ms with the default 4 MB, 48 ms with
64 MB. The default is already near its cliff at that size (a
bitmap of exact rows needs memory in proportion to the heap pages of the matches), so the
statement gets 32 MB of its own. Other statements keep the server's setting.

Nothing on SQLite.
"""

from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("ALTER FUNCTION search_entry_run(text) SET work_mem = '32MB'")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("ALTER FUNCTION search_entry_run(text) RESET work_mem")


class Migration(migrations.Migration):
    dependencies = [("search", "0004_trigrams")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
