from django.core.management.base import BaseCommand

from matching.warmup import warm_caches
from partnerhub.changes import prune as prune_log


class Command(BaseCommand):
    help = (
        "Build the matching caches and report their size (a check that they load); "
        "with --prune, also delete change-log rows older than two days (run it daily)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--prune", action="store_true", help="prune the change log first")

    def handle(self, *args, prune: bool = False, **options):
        if prune:
            self.stdout.write(f"change log: {prune_log()} old rows deleted")
        organisations, ideas = warm_caches()
        self.stdout.write(f"organisations {organisations}, open ideas {ideas}")
