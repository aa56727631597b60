from django.core.management.base import BaseCommand, CommandError

from organisations.importing import import_organisations
from partnerhub.csvio import CSVFormatError


class Command(BaseCommand):
    help = (
        "Import organisations from a CSV file (columns: name, kind, country, city, website, "
        "email, description, fields, themes, target_groups, languages, experience, oid). "
        "An organisation is identified by name and country, so importing again updates it. "
        "Every row is checked first; with bad rows nothing is imported unless --skip-invalid."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="UTF-8 CSV file with a header row")
        parser.add_argument(
            "--skip-invalid", action="store_true", help="import the good rows, report the bad ones"
        )

    def handle(self, *args, **options):
        try:
            with open(options["file"], encoding="utf-8-sig", newline="") as stream:
                result = import_organisations(stream, skip_invalid=options["skip_invalid"])
        except OSError as error:
            raise CommandError(f"cannot read {options['file']}: {error.strerror}") from error
        except CSVFormatError as error:
            raise CommandError(f"{options['file']}: {error}") from error
        for error in result.errors:
            self.stderr.write(str(error))
        if result.aborted:
            self.stderr.write("nothing was imported: fix the rows above or use --skip-invalid")
        self.stdout.write(result.summary())
        imported = result.created or result.updated or result.unchanged
        if result.aborted or (result.rejected and not imported):
            raise CommandError(f"{result.rejected} rows rejected, nothing imported")
