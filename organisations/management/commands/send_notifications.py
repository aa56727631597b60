"""Send the daily digests and re-queue the e-mails of notifications that are still owed."""

from django.core.management.base import BaseCommand

from organisations.notifications import send_digests


class Command(BaseCommand):
    help = (
        "Send one digest e-mail per person who chose a daily digest, and queue again the "
        "immediate e-mails still pending after ten minutes (a lost task). Run once a day "
        "and after the task queue was down."
    )

    def handle(self, *args, **options):
        digests, requeued = send_digests()
        self.stdout.write(
            f"{digests} daily digest(s) sent, {requeued} pending e-mail(s) queued again."
        )
