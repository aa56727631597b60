from partnerhub.importcommand import ImportCommand
from projects.importing import import_ideas


class Command(ImportCommand):
    help = (
        "Import project ideas from a CSV file (the export_ideas format); an idea is identified "
        "by its title and lead, so importing again updates it. Every row is checked first; "
        "with bad rows nothing is imported unless --skip-invalid."
    )

    importer = import_ideas
