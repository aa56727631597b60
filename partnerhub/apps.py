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


def create_cache_tables(**kwargs) -> None:
    """`migrate` creates the database cache's table, so no deployment forgets it."""
    from django.conf import settings
    from django.core.management import call_command

    if any(
        cache["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
        for cache in settings.CACHES.values()
    ):
        call_command("createcachetable", database=kwargs.get("using", "default"), verbosity=0)
