from django.apps import AppConfig
from django.db.models.signals import post_migrate


class PartnerhubConfig(AppConfig):
    name = "partnerhub"
    verbose_name = "PartnerHub"

    def ready(self) -> None:
        from . import audit, checks

        checks.require_shared_cache()
        audit.connect()
        post_migrate.connect(create_cache_tables, sender=self)
        post_migrate.connect(
            install_change_triggers, sender=self, dispatch_uid="partnerhub-change-triggers"
        )


def install_change_triggers(using="default", **kwargs) -> None:
    """After every migrate: the change log's triggers (``partnerhub.changes``).

    SQLite drops a table's triggers when a migration rebuilds the table, and a
    new table the caches read needs its own; installing is idempotent.
    """
    from django.db import connections

    from .changes import TABLE, install_triggers

    if TABLE in connections[using].introspection.table_names():
        install_triggers(using)


def create_cache_tables(using="default", **kwargs) -> None:
    """`migrate` creates the database cache's table, so no deployment forgets it.

    Always, whatever cache the settings it runs with name: production falls back to
    the database cache while Redis is down, and a database migrated under other
    settings must not answer 500 then.
    """
    from django.conf import settings
    from django.core.management.commands.createcachetable import Command

    tables = {settings.DATABASE_CACHE["LOCATION"]} | {
        cache["LOCATION"]
        for cache in settings.CACHES.values()
        if cache["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    }
    command = Command()
    command.verbosity = 0
    for table in sorted(tables):
        command.create_table(using, table, dry_run=False)
