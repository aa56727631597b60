from django.core.management.base import BaseCommand

from projects.importing import export_ideas
from projects.models import ProjectIdea


class Command(BaseCommand):
    help = "Export all project ideas as CSV in the import_ideas format (to stdout or --output)."

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", help="file to write; standard output when omitted")

    def handle(self, *args, **options):
        ideas = ProjectIdea.objects.order_by("lead__name", "title")
        if options["output"]:
            with open(options["output"], "w", encoding="utf-8", newline="") as stream:
                count = export_ideas(ideas, stream)
            self.stderr.write(f"exported {count} ideas to {options['output']}")
        else:
            count = export_ideas(ideas, self.stdout)
            self.stderr.write(f"exported {count} ideas")
