"""The task worker pauses through a database outage instead of exiting."""

import logging

import pytest
from django.core.management import call_command
from django.db import OperationalError
from django.test import override_settings
from django_tasks_db.management.commands import db_worker

from partnerhub.management.commands import task_worker

pytestmark = pytest.mark.django_db

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@override_settings(TASKS=DATABASE_QUEUE)
def test_a_database_outage_pauses_the_worker_and_it_runs_again(monkeypatch, caplog):
    runs = []

    def run(worker):
        runs.append(worker)
        if len(runs) < 3:
            raise OperationalError("the database system is shutting down")

    sleeps = []
    monkeypatch.setattr(db_worker.Worker, "run", run)
    monkeypatch.setattr(db_worker.Worker, "configure_signals", lambda worker: None)
    monkeypatch.setattr(task_worker.time, "sleep", sleeps.append)

    with caplog.at_level(logging.WARNING, logger=task_worker.__name__):
        call_command("task_worker", queue_name="*", startup_delay=False, verbosity=0)

    assert len(runs) == 3
    assert sleeps == [1.0, 2.0]
    assert caplog.text.count("Task worker lost the database") == 2
