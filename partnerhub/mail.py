"""E-mail leaves through the task queue, after the transaction commits, and is retried.

A view never talks to the mail server: a slow or broken server must not turn
an action into an error page, and a message must not be lost because the
server was down for a minute. ``queue_mail`` stores the message as a task; the
worker (``manage.py task_worker``) sends it, and on failure enqueues it again
later (``settings.EMAIL_RETRY_DELAYS``) before giving up with an error in the log.
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone
from django_tasks import default_task_backend, task

logger = logging.getLogger(__name__)

__all__ = ["build_message", "queue_mail", "retry_delay", "send_mail_task"]


def build_message(
    *, to: list[str], subject: str, text: str, html: str = ""
) -> EmailMultiAlternatives:
    """One message; the subject is plain text on one line whatever the template produced."""
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=to,
    )
    if html:
        message.attach_alternative(html, "text/html")
    return message


def retry_delay(attempt: int) -> datetime.timedelta | None:
    """How long to wait before attempt ``attempt + 1``; None when it is time to give up."""
    delays = settings.EMAIL_RETRY_DELAYS
    if attempt > len(delays):
        return None
    return datetime.timedelta(seconds=delays[attempt - 1])


def can_defer() -> bool:
    return getattr(default_task_backend, "supports_defer", False)


def queue_mail(*, to: list[str], subject: str, text: str, html: str = "") -> None:
    """Send a message once the current transaction commits, through the task queue."""
    payload = {"to": list(to), "subject": subject, "text": text, "html": html}
    transaction.on_commit(lambda: send_mail_task.enqueue(payload, 1))


@task(queue_name="email")
def send_mail_task(payload: dict, attempt: int) -> bool:
    """Send one queued message; on failure enqueue it again later, or log and give up."""
    try:
        build_message(**payload).send()
    except Exception as error:  # any failure of the mail server or network
        delay = retry_delay(attempt)
        if delay is None or not can_defer():
            logger.error(
                "mail: giving up on %r to %d recipient(s) after %d attempt(s): %s",
                payload["subject"],
                len(payload["to"]),
                attempt,
                error,
            )
            return False
        logger.warning("mail: attempt %d failed (%s); retrying in %s", attempt, error, delay)
        send_mail_task.using(run_after=timezone.now() + delay).enqueue(payload, attempt + 1)
        return False
    return True
