from django.core.management.base import BaseCommand, CommandError

from organisations.importing import export_organisations
from organisations.models import Organisation


class Command(BaseCommand):
    help = (
        "Export every organisation as CSV in the import_organisations format (taxonomy codes, "
        "not labels), to stdout or --output FILE; the file imports back unchanged."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", help="file to write (default: standard output)")

    def handle(self, *args, **options):
        queryset = Organisation.objects.all()
        if not options["output"]:
            count = export_organisations(queryset, self.stdout)
            # The count goes to stderr so stdout stays a clean CSV file.
            self.stderr.write(f"exported {count}")
            return
        try:
            with open(options["output"], "w", encoding="utf-8", newline="") as stream:
                count = export_organisations(queryset, stream)
        except OSError as error:
            raise CommandError(f"cannot write {options['output']}: {error.strerror}") from error
        self.stdout.write(f"exported {count} to {options['output']}")
