from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationsConfig(AppConfig):
    name = "organisations"
    verbose_name = _("Organisations")

    def ready(self) -> None:
        # SQLite drops a table's triggers when a migration rebuilds it: reinstall them.
        from django.db.models.signals import post_migrate

        from .directory import after_migrate

        post_migrate.connect(after_migrate, sender=self, dispatch_uid="organisations-directory")
