from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = _("Projects")

    def ready(self) -> None:
        # Taxonomy changes are written after the row: rebuild its search document then.
        from .search_index import connect

        connect()
