from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _install_triggers(sender, using, **kwargs) -> None:
    # After every migrate: SQLite drops a table's triggers when a migration rebuilds it.
    from django.db import connections

    from .changes import TABLE, install_triggers

    if TABLE in connections[using].introspection.table_names():
        install_triggers(using)


class MatchingConfig(AppConfig):
    name = "matching"
    verbose_name = _("Matching")

    def ready(self) -> None:
        from projects.partnerships import register_match_scorer

        from . import checks, services  # noqa: F401  (checks registers the system check)

        post_migrate.connect(_install_triggers, dispatch_uid="matching-install-triggers")
        register_match_scorer(services.match_snapshot)
