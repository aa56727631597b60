"""PostgreSQL: the full-text vectors move to narrow side tables (``partnerhub.search``).

The generated ``search_document`` column (and the name line's expression
index) on the wide organisation and idea rows made a common word read most of
the organisation table (34,000 pages at 100,000 organisations, ~370 ms for
"youth"); ``<table>_search(id, name, document)``, kept in step by a trigger,
holds the same vectors in about 5,000. SQLite keeps its FTS5 tables.
"""

from django.db import migrations

from partnerhub import search

TABLES = ("organisations_organisation", "projects_projectidea")


def to_side_tables(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {table}_search_name_gin")
        schema_editor.execute(f"ALTER TABLE {table} DROP COLUMN IF EXISTS search_document")
        for sql in search.create_index_sql(vendor, table):
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("organisations", "0010_one_change_log"),
        ("projects", "0006_search_index"),
    ]

    operations = [
        migrations.RunPython(to_side_tables, migrations.RunPython.noop),
    ]
