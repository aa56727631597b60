from django.core.management.base import BaseCommand

from projects.importing import import_ideas

from .import_calls import run_import


class Command(BaseCommand):
    help = (
        "Import project ideas from a CSV file (the export_ideas format); an idea is identified "
        "by its title and lead, so importing again updates it. Every row is checked first; "
        "with bad rows nothing is imported unless --skip-invalid."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="UTF-8 CSV file with a header row")
        parser.add_argument(
            "--skip-invalid", action="store_true", help="import the good rows, report the bad ones"
        )

    def handle(self, *args, **options):
        run_import(self, import_ideas, options)
