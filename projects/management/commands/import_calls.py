from django.core.management.base import BaseCommand, CommandError

from partnerhub.csvio import CSVFormatError
from projects.importing import import_calls


class Command(BaseCommand):
    help = (
        "Import funding calls from a CSV file (one row per call, identified by its code). "
        "Every row is checked first; with bad rows nothing is imported unless --skip-invalid."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="UTF-8 CSV file with a header row")
        parser.add_argument(
            "--skip-invalid", action="store_true", help="import the good rows, report the bad ones"
        )

    def handle(self, *args, **options):
        run_import(self, import_calls, options)


def run_import(command: BaseCommand, importer, options) -> None:
    """Shared by import_calls and import_ideas: report each bad row, then the summary line."""
    try:
        with open(options["file"], encoding="utf-8-sig", newline="") as stream:
            result = importer(stream, skip_invalid=options["skip_invalid"])
    except OSError as error:
        raise CommandError(f"cannot read {options['file']}: {error.strerror}") from error
    except CSVFormatError as error:
        raise CommandError(f"{options['file']}: {error}") from error
    for error in result.errors:
        command.stderr.write(str(error))
    if result.aborted:
        command.stderr.write("nothing was imported: fix the rows above or use --skip-invalid")
    command.stdout.write(result.summary())
    if result.rejected and not (result.created or result.updated or result.unchanged):
        raise CommandError(f"{result.rejected} rows rejected, nothing imported")
