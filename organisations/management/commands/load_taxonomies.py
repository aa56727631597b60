from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from organisations.reference_data import TAXONOMY_FILE, load_taxonomies


class Command(BaseCommand):
    help = (
        "Create or update the reference data (fields of activity, themes, target groups, "
        "programmes, activities, languages) from fixtures/taxonomies.json. Safe in "
        "production: it creates no users and never renames or deletes a code."
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            terms = load_taxonomies(lambda name: apps.get_model("organisations", name))
        self.stdout.write(f"taxonomy terms: {terms} (from {TAXONOMY_FILE.name})")
