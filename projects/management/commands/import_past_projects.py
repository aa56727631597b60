from django.core.management.base import CommandError

from partnerhub.csvio import CSVFormatError
from partnerhub.importcommand import ImportCommand
from projects.track_record_formats import LAYOUTS, ZIP_MEMBERS, import_layout, open_files


class Command(ImportCommand):
    help = (
        "Import past projects. --format csv (the default): one CSV file, one row per "
        "participant; rows with the same project_id form one project. --format erasmus: "
        "Erasmus+ project results exports (one or more files). --format cordis: CORDIS "
        "project.csv and organization.csv, or the zip holding them. Organisations are matched "
        "by name and country and created when missing. Every row is checked first; with bad "
        "rows nothing is imported unless --skip-invalid. Formats: docs/data-formats.md."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        # One file for the plain CSV, several for the published layouts.
        parser.add_argument("more_files", nargs="*", metavar="FILE", help="further files")
        parser.add_argument(
            "--format",
            choices=["csv", *LAYOUTS],
            default="csv",
            help="layout of the files (default: csv, the columns in docs/data-formats.md)",
        )

    def handle(self, *args, **options):
        paths = [options["file"], *options["more_files"]]
        if options["format"] == "csv" and len(paths) > 1:
            raise CommandError("--format csv reads one file")
        try:
            with open_files(paths, ZIP_MEMBERS.get(options["format"], ())) as files:
                result = import_layout(
                    options["format"], files, skip_invalid=options["skip_invalid"]
                )
        except OSError as error:
            raise CommandError(f"cannot read {error.filename}: {error.strerror}") from error
        except CSVFormatError as error:
            # The layouts' readers name the file themselves.
            where = f"{paths[0]}: " if options["format"] == "csv" else ""
            raise CommandError(f"{where}{error}") from error
        self.report(result)
