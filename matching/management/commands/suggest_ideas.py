from django.core.management.base import BaseCommand, CommandError

from matching import services
from organisations.models import Organisation

from ._output import checked_limit, limit_argument, write


class Command(BaseCommand):
    help = "Suggest open project ideas for an organisation, best first, with reasons."

    def add_arguments(self, parser):
        parser.add_argument("organisation", help="The organisation's slug or its exact name.")
        limit_argument(parser)

    def handle(self, *args, organisation, limit, json, **options):
        limit = checked_limit(limit)
        try:
            found = services.find_organisation(organisation)
        except Organisation.DoesNotExist:
            raise CommandError(f"No organisation has the slug or name {organisation!r}.") from None
        except Organisation.MultipleObjectsReturned:
            raise CommandError(
                f"Several organisations are named {organisation!r}; give its slug instead."
            ) from None
        write(self, services.suggest_ideas(organisation=found, limit=limit), as_list=json)
