from django.core.management.base import BaseCommand

from matching.warmup import warm_caches


class Command(BaseCommand):
    help = "Build the matching caches and report their size (a check that they load)."

    def handle(self, *args, **options):
        organisations, ideas = warm_caches()
        self.stdout.write(f"organisations {organisations}, open ideas {ideas}")
