"""Mail leaves through the database task queue, is sent by the worker, and is retried."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from partnerhub.mail import queue_mail, retry_delay

# The worker closes its database connection when done, as a real process would: these
# tests commit for real (transactional) instead of running inside one test transaction.
pytestmark = pytest.mark.django_db(transaction=True)

DATABASE_QUEUE = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "email"]}
}


def run_worker():
    call_command("task_worker", queue_name="*", batch=True, startup_delay=False, verbosity=0)


@override_settings(TASKS=DATABASE_QUEUE)
def test_nothing_is_sent_inside_the_request_the_worker_sends_it():
    queue_mail(to=["anna@example.org"], subject="Hello\n there", text="Body")
    assert mail.outbox == []
    assert DBTaskResult.objects.count() == 1

    run_worker()

    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Hello there"  # one line, whatever the template made
    assert mail.outbox[0].to == ["anna@example.org"]


@override_settings(TASKS=DATABASE_QUEUE, EMAIL_BACKEND="tests.partnerhub.broken_mail.EmailBackend")
def test_a_failed_send_is_queued_again_later(caplog):
    queue_mail(to=["anna@example.org"], subject="Hello", text="Body")

    run_worker()

    retry = DBTaskResult.objects.order_by("-enqueued_at").first()
    assert DBTaskResult.objects.count() == 2
    assert retry.args_kwargs["args"][1] == 2  # the second attempt
    assert retry.run_after > timezone.now() + datetime.timedelta(seconds=30)
    assert "mail: attempt 1 failed" in caplog.text


@pytest.mark.django_db(transaction=False)
def test_retries_back_off_and_end():
    delays = [retry_delay(attempt) for attempt in range(1, 8)]
    assert delays[0] == datetime.timedelta(minutes=1)
    assert all(a < b for a, b in zip(delays[:4], delays[1:5], strict=True))
    assert delays[5] is None
