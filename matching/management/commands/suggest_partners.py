from django.core.management.base import BaseCommand, CommandError

from matching import services
from projects.models import ProjectIdea

from ._output import checked_limit, limit_argument, write


class Command(BaseCommand):
    help = "Suggest partner organisations for a project idea, best first, with reasons."

    def add_arguments(self, parser):
        parser.add_argument("idea", help="The idea's slug or its exact title.")
        limit_argument(parser)

    def handle(self, *args, idea, limit, json, **options):
        limit = checked_limit(limit)
        try:
            found = services.find_idea(idea)
        except ProjectIdea.DoesNotExist:
            raise CommandError(f"No project idea has the slug or title {idea!r}.") from None
        except ProjectIdea.MultipleObjectsReturned:
            raise CommandError(
                f"Several project ideas are titled {idea!r}; give the idea's slug instead."
            ) from None
        write(self, services.suggest_partners(idea=found, limit=limit), as_list=json)
