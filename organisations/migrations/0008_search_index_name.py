"""Organisation documents without taxonomy labels, and a GIN index on the name line (PostgreSQL).

The directory matches taxonomy labels from the codes in its facet index
(organisations/directory.py), so the stored document keeps only the name and
the city and description; rebuilt here for every row. The name line gets its
own full-text index on PostgreSQL for the directory's name-over-text ranking
(SQLite has the FTS5 ``name`` column).
"""

from django.db import migrations

TABLE = "organisations_organisation"


def rebuild_documents(apps, schema_editor):
    from organisations import search_index

    Organisation = apps.get_model("organisations", "Organisation")
    ids = list(Organisation.objects.order_by("pk").values_list("pk", flat=True))
    search_index.refresh(ids, model=Organisation)


def create_name_index(apps, schema_editor):
    # (A GIN index on the name line was created here; since organisations.0011 the
    # name's vector lives in the side table ``organisations_organisation_search``.)
    pass


def drop_name_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {TABLE}_search_name_gin")


class Migration(migrations.Migration):
    dependencies = [
        ("organisations", "0007_search_index"),
    ]

    operations = [
        migrations.RunPython(rebuild_documents, migrations.RunPython.noop, elidable=True),
        migrations.RunPython(create_name_index, drop_name_index),
    ]
