from partnerhub.importcommand import ImportCommand
from projects.track_records import import_past_projects


class Command(ImportCommand):
    help = (
        "Import past projects from a CSV file (one row per participant; rows with the same "
        "project_id form one project). Organisations are matched by name and country and "
        "created when missing. Every row is checked first; with bad rows nothing is imported "
        "unless --skip-invalid."
    )

    importer = import_past_projects
