"""The directory's full-text index: FTS5 on SQLite, a weighted tsvector + GIN on PostgreSQL.

It indexes ``search_text``, which from now on holds the stemmed search
document (partnerhub.search); 0008 rebuilds every row's document.
"""

from django.db import migrations

from partnerhub import search

TABLE = "organisations_organisation"


def create_index(apps, schema_editor):
    # (The facet index's own change log was created here; since organisations.0010
    # every cache reads partnerhub.changes, whose triggers post_migrate installs.)
    for sql in search.create_index_sql(schema_editor.connection.vendor, TABLE):
        schema_editor.execute(sql)


def drop_index(apps, schema_editor):
    for sql in search.drop_index_sql(schema_editor.connection.vendor, TABLE):
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("organisations", "0006_text_limits"),
    ]

    operations = [
        migrations.RunPython(create_index, drop_index),
    ]
