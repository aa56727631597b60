from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from partnerhub.demo import DEMO_PASSWORD, DemoDataError, load_demo_data


class Command(BaseCommand):
    help = (
        "Load the demo organisations, calls, project ideas and users (password "
        f"'{DEMO_PASSWORD}'). Running it again changes nothing. Development only: it "
        "refuses to run unless DEBUG is on or --i-know-this-is-not-production is given, "
        "because it creates accounts whose password is published. To refresh the "
        "reference data in production use load_taxonomies."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--i-know-this-is-not-production",
            action="store_true",
            help="Load the demo even though DEBUG is off (a staging or test database).",
        )

    def handle(self, *args, **options):
        if not (settings.DEBUG or options["i_know_this_is_not_production"]):
            raise CommandError(
                "Refusing to load demo data: DEBUG is off, so this looks like production, and "
                f"the demo accounts' password ('{DEMO_PASSWORD}') is public. Use "
                "`manage.py load_taxonomies` to refresh reference data; pass "
                "--i-know-this-is-not-production for a staging or test database."
            )
        try:
            result = load_demo_data()
        except DemoDataError as error:
            raise CommandError(str(error)) from error
        for line in result.lines():
            self.stdout.write(line)
