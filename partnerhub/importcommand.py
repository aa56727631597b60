"""The one shape of every CSV import command: report each bad row, then the summary line."""

from collections.abc import Callable
from typing import IO

from django.core.management.base import BaseCommand, CommandError

from .csvio import CSVFormatError, ImportResult


class ImportCommand(BaseCommand):
    """Subclasses set `help` and `importer(stream, *, skip_invalid) -> ImportResult`."""

    importer: Callable[..., ImportResult]

    def add_arguments(self, parser):
        parser.add_argument("file", help="UTF-8 CSV file with a header row")
        parser.add_argument(
            "--skip-invalid", action="store_true", help="import the good rows, report the bad ones"
        )

    def run_importer(self, stream: IO[str], skip_invalid: bool) -> ImportResult:
        # Looked up on the class so a plain function needs no staticmethod wrapper.
        return type(self).importer(stream, skip_invalid=skip_invalid)

    def handle(self, *args, **options):
        path = options["file"]
        try:
            with open(path, encoding="utf-8-sig", newline="") as stream:
                result = self.run_importer(stream, options["skip_invalid"])
        except OSError as error:
            raise CommandError(f"cannot read {path}: {error.strerror}") from error
        except CSVFormatError as error:
            raise CommandError(f"{path}: {error}") from error
        self.report(result)

    def report(self, result: ImportResult) -> None:
        """Each bad row, then the summary line; fails (exit 1) when nothing was imported."""
        for error in result.errors:
            self.stderr.write(str(error))
        if result.aborted:
            self.stderr.write("nothing was imported: fix the rows above or use --skip-invalid")
        self.stdout.write(result.summary())
        imported = result.created or result.updated or result.unchanged
        if result.aborted or (result.rejected and not imported):
            raise CommandError(f"{result.rejected} rows rejected, nothing imported")
