from django.core.management.base import BaseCommand, CommandError

from partnerhub.demo import DEMO_PASSWORD, DemoDataError, load_demo_data


class Command(BaseCommand):
    help = (
        "Load the demo organisations, calls, project ideas and users (password "
        f"'{DEMO_PASSWORD}'). Running it again changes nothing."
    )

    def handle(self, *args, **options):
        try:
            result = load_demo_data()
        except DemoDataError as error:
            raise CommandError(str(error)) from error
        for line in result.lines():
            self.stdout.write(line)
