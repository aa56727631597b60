from partnerhub.importcommand import ImportCommand
from projects.importing import import_calls


class Command(ImportCommand):
    help = (
        "Import funding calls from a CSV file (one row per call, identified by its code). "
        "Every row is checked first; with bad rows nothing is imported unless --skip-invalid."
    )

    importer = import_calls
