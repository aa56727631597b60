from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationsConfig(AppConfig):
    name = "organisations"
    verbose_name = _("Organisations")

    def ready(self) -> None:
        # Taxonomy changes are written after the row: rebuild its search document then.
        from django.db.models.signals import post_migrate

        from .directory import after_migrate
        from .search_index import connect

        connect()
        post_migrate.connect(after_migrate, sender=self, dispatch_uid="organisations-directory")
