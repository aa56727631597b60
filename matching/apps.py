from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "matching"
    verbose_name = _("Matching")

    def ready(self) -> None:
        from projects.partnerships import register_match_scorer

        from . import checks, services  # noqa: F401  (checks registers the system check)

        register_match_scorer(services.match_snapshot)
