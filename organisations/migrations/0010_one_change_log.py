"""The directory's own change log goes: its facet index reads ``partnerhub.changes``.

Drops the triggers that wrote ``organisations_directorychange``, their
functions (PostgreSQL) and the table itself.
"""

from django.db import migrations

LOG_TABLE = "organisations_directorychange"


def drop_directory_log(apps, schema_editor):
    connection = schema_editor.connection
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname, relname FROM pg_trigger JOIN pg_class ON pg_class.oid = tgrelid "
                "WHERE tgname LIKE %s",
                [f"{LOG_TABLE}_%"],
            )
            for name, table in cursor.fetchall():
                cursor.execute(f"DROP TRIGGER IF EXISTS {quote(name)} ON {quote(table)}")
            cursor.execute(
                "SELECT proname FROM pg_proc WHERE proname LIKE %s", [f"{LOG_TABLE}_%_log"]
            )
            for (name,) in cursor.fetchall():
                cursor.execute(f"DROP FUNCTION IF EXISTS {quote(name)}()")
        elif connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s",
                [f"{LOG_TABLE}_%"],
            )
            for (name,) in cursor.fetchall():
                cursor.execute(f"DROP TRIGGER IF EXISTS {quote(name)}")
        cursor.execute(f"DROP TABLE IF EXISTS {LOG_TABLE}")


class Migration(migrations.Migration):
    dependencies = [
        ("organisations", "0009_display_names"),
        ("projects", "0006_search_index"),
        ("partnerhub", "0001_change_log"),
    ]

    operations = [
        migrations.RunPython(drop_directory_log, migrations.RunPython.noop),
    ]
