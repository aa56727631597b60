"""`db_worker` that outlives a database restart.

django-tasks' worker exits on the first database error that is not a lock
("the database system is shutting down"). Nothing is lost, since tasks stay in
the queue, but nothing is sent either until someone starts the worker again. This
command runs the same worker and, when the database goes away, waits and starts it
again: 1 s, then doubling up to 30 s, back to 1 s once it has run for a minute.
"""

import logging
import time

from django.db import InterfaceError, OperationalError, connections
from django_tasks_db.management.commands import db_worker

logger = logging.getLogger(__name__)

FIRST_DELAY = 1.0
LONGEST_DELAY = 30.0
#: A run that lasted this long was healthy: the next failure waits FIRST_DELAY again.
HEALTHY_RUN = 60.0


class Command(db_worker.Command):
    help = "Run the task worker (db_worker's options); a database outage pauses it, never ends it."

    def handle(self, *args, **options):
        delay = FIRST_DELAY
        while True:
            started = time.monotonic()
            try:
                return super().handle(*args, **options)
            except (OperationalError, InterfaceError) as error:
                if time.monotonic() - started > HEALTHY_RUN:
                    delay = FIRST_DELAY
                logger.warning(
                    "Task worker lost the database (%s); starting again in %.0f s", error, delay
                )
                connections.close_all()
                time.sleep(delay)
                delay = min(delay * 2, LONGEST_DELAY)
