"""The directory's full-text index: FTS5 on SQLite, a weighted tsvector + GIN on PostgreSQL.

It indexes ``search_text``, which from now on holds the stemmed search
document (partnerhub.search); 0008 rebuilds every row's document.
"""

from django.db import migrations

from partnerhub import search

TABLE = "organisations_organisation"


def create_index(apps, schema_editor):
    from organisations import directory

    for sql in search.create_index_sql(schema_editor.connection.vendor, TABLE):
        schema_editor.execute(sql)
    # The facet index's change log and its triggers (organisations/directory.py).
    directory.install_triggers(schema_editor)


def drop_index(apps, schema_editor):
    from organisations import directory

    directory.drop_triggers(schema_editor)
    for sql in search.drop_index_sql(schema_editor.connection.vendor, TABLE):
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("organisations", "0006_text_limits"),
    ]

    operations = [
        migrations.RunPython(create_index, drop_index),
    ]
