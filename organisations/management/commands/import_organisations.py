from organisations.importing import import_organisations
from partnerhub.importcommand import ImportCommand


class Command(ImportCommand):
    help = (
        "Import organisations from a CSV file (columns: name, kind, country, city, website, "
        "email, description, fields, themes, target_groups, languages, experience, oid). "
        "An organisation is identified by name and country, so importing again updates it. "
        "Every row is checked first; with bad rows nothing is imported unless --skip-invalid."
    )

    importer = import_organisations
