"""The idea list's full-text index: FTS5 on SQLite, a weighted tsvector + GIN on PostgreSQL.

It indexes ``search_text``, which from now on holds the stemmed search
document (partnerhub.search); every existing idea's document is rebuilt first.
"""

from django.db import migrations

from partnerhub import search

TABLE = "projects_projectidea"


def rebuild_documents(apps, schema_editor):
    from projects import search_index

    ProjectIdea = apps.get_model("projects", "ProjectIdea")
    ids = list(ProjectIdea.objects.order_by("pk").values_list("pk", flat=True))
    search_index.refresh(ids, model=ProjectIdea)


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
        ("projects", "0005_text_limits"),
        ("organisations", "0007_search_index"),
    ]

    operations = [
        migrations.RunPython(rebuild_documents, migrations.RunPython.noop, elidable=True),
        migrations.RunPython(create_index, drop_index),
    ]
