"""The change log moves to ``partnerhub`` (``partnerhub.changes``): one log for every cache.

The old triggers wrote to ``matching_change``; they are dropped before the
table, and ``partnerhub``'s post_migrate installs the new ones.
"""

from django.db import migrations


def drop_old_triggers(apps, schema_editor):
    connection = schema_editor.connection
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname, relname FROM pg_trigger JOIN pg_class ON pg_class.oid = tgrelid "
                "WHERE tgname LIKE 'matching_log_%%'"
            )
            for name, table in cursor.fetchall():
                cursor.execute(f"DROP TRIGGER IF EXISTS {quote(name)} ON {quote(table)}")
            cursor.execute("DROP FUNCTION IF EXISTS matching_log_change()")
        elif connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'matching_log_%'"
            )
            for (name,) in cursor.fetchall():
                cursor.execute(f"DROP TRIGGER IF EXISTS {quote(name)}")


class Migration(migrations.Migration):
    dependencies = [
        ("matching", "0002_change_log"),
        ("partnerhub", "0001_change_log"),
    ]

    operations = [
        migrations.RunPython(drop_old_triggers, migrations.RunPython.noop),
        migrations.DeleteModel(name="Change"),
    ]
