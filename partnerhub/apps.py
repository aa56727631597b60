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


def create_cache_tables(**kwargs) -> None:
    """`migrate` creates the database cache's table, so no deployment forgets it."""
    from django.conf import settings
    from django.core.management import call_command

    if any(
        cache["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
        for cache in settings.CACHES.values()
    ):
        call_command("createcachetable", database=kwargs.get("using", "default"), verbosity=0)
