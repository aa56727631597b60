"""Telling people what happened: an in-app notification at once, an e-mail through the queue.

``notify`` is called by services inside their transaction. It writes one
``Notification`` per recipient (so nothing is lost if the mail server is
down) and, after commit, enqueues the e-mail for those who want it at once.
The text is rendered from the kind and its parameters in the reader's
language at the moment it is read or mailed.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django_tasks import task

from partnerhub.mail import build_message, can_defer, retry_delay

from .models import (
    WRITE_ROLES,
    EmailFrequency,
    Notification,
    Organisation,
    UserSettings,
)

logger = logging.getLogger(__name__)

__all__ = [
    "KINDS",
    "Rendered",
    "deciders_of",
    "language_of",
    "mark_read",
    "notify",
    "notify_organisation",
    "render",
    "send_digests",
    "send_notification_email",
]


@dataclass(frozen=True)
class Kind:
    """One kind of event: its one-line title, and what the settings page calls it."""

    title: Promise
    label: Promise


KINDS: dict[str, Kind] = {
    "invitation-received": Kind(
        _("%(lead)s invites %(organisation)s to join “%(idea)s”"),
        _("An organisation invites yours to its idea"),
    ),
    "invitation-accepted": Kind(
        _("%(organisation)s accepted your invitation to “%(idea)s”"),
        _("Your invitations are answered"),
    ),
    "invitation-declined": Kind(
        _("%(organisation)s declined your invitation to “%(idea)s”"),
        _("Your invitations are answered"),
    ),
    "invitation-withdrawn": Kind(
        _("%(lead)s withdrew its invitation to “%(idea)s”"),
        _("An organisation invites yours to its idea"),
    ),
    "application-received": Kind(
        _("%(organisation)s applies to join “%(idea)s”"),
        _("Organisations apply to your ideas"),
    ),
    "application-withdrawn": Kind(
        _("%(organisation)s withdrew its application to “%(idea)s”"),
        _("Organisations apply to your ideas"),
    ),
    "application-accepted": Kind(
        _("%(lead)s accepted %(organisation)s as a partner in “%(idea)s”"),
        _("Your applications are answered"),
    ),
    "application-declined": Kind(
        _("%(lead)s declined the application of %(organisation)s to “%(idea)s”"),
        _("Your applications are answered"),
    ),
    "partner-removed": Kind(
        _("%(lead)s removed %(organisation)s from the consortium of “%(idea)s”"),
        _("Your applications are answered"),
    ),
    "consortium-submitted": Kind(
        _("The consortium of “%(idea)s” was submitted for staff review"),
        _("Staff review of your consortia"),
    ),
    "review-approved": Kind(
        _("Staff approved the consortium of “%(idea)s”"),
        _("Staff review of your consortia"),
    ),
    "review-rejected": Kind(
        _("Staff rejected the consortium of “%(idea)s”"),
        _("Staff review of your consortia"),
    ),
    "review-changes": Kind(
        _("Staff ask for changes to the consortium of “%(idea)s”"),
        _("Staff review of your consortia"),
    ),
    "message-received": Kind(
        _("New message from %(sender)s: %(subject)s"),
        _("Messages to your organisation"),
    ),
    "idea-hidden": Kind(
        _("Staff hid your idea “%(idea)s” from the public"),
        _("Moderation of your profile and ideas"),
    ),
    "idea-shown": Kind(
        _("Your idea “%(idea)s” is public again"),
        _("Moderation of your profile and ideas"),
    ),
    "organisation-hidden": Kind(
        _("Staff hid the profile of %(organisation)s from the public"),
        _("Moderation of your profile and ideas"),
    ),
    "organisation-shown": Kind(
        _("The profile of %(organisation)s is public again"),
        _("Moderation of your profile and ideas"),
    ),
}


def preference_groups() -> dict[str, list[str]]:
    """Settings page groups: one choice per label covers every kind that shares it."""
    groups: dict[str, list[str]] = {}
    for code, kind in KINDS.items():
        groups.setdefault(str(kind.label), []).append(code)
    return groups


@dataclass(frozen=True)
class Rendered:
    title: str
    note: str
    note_label: str
    reasons: tuple[str, ...]
    url: str


def render(notification: Notification) -> Rendered:
    """The notification's text in the active language (call inside ``translation.override``)."""
    params = {key: value for key, value in notification.params.items() if isinstance(value, str)}
    kind = KINDS.get(notification.kind)
    try:
        title = str(kind.title) % params if kind else notification.kind
    except (KeyError, ValueError, TypeError):
        title = str(kind.title) if kind else notification.kind
    note_label = {
        "message-received": _("Message"),
        "invitation-received": _("Message from the lead"),
        "application-received": _("Motivation"),
    }.get(notification.kind, _("Note"))
    return Rendered(
        title=title,
        note=notification.params.get("note", ""),
        note_label=str(note_label),
        reasons=tuple(str(reason) for reason in notification.params.get("reasons", ()))[:6],
        url=notification.url,
    )


def deciders_of(organisation: Organisation) -> list:
    """The people who act for an organisation: its owners and editors."""
    User = get_user_model()
    return list(
        User.objects.filter(
            memberships__organisation=organisation,
            memberships__role__in=WRITE_ROLES,
            is_active=True,
        ).distinct()
    )


def language_of(user) -> str:
    language = (
        UserSettings.objects.filter(user=user).values_list("language", flat=True).first()
        or settings.LANGUAGE_CODE
    )
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def notify(
    *,
    recipients: Iterable,
    kind: str,
    params: Mapping,
    url: str = "",
    organisation: Organisation | None = None,
    exclude=None,
) -> list[Notification]:
    """Record ``kind`` for each recipient (not ``exclude``, who caused it) and queue its e-mail.

    ``params`` are plain strings (names, titles, a note) plus an optional list
    of ``reasons``; they are stored, not rendered, so each reader gets their
    own language. Call inside the service's transaction.
    """
    assert kind in KINDS, kind
    seen: set[int] = set()
    people = []
    for user in recipients:
        if user.pk in seen or (exclude is not None and user.pk == getattr(exclude, "pk", None)):
            continue
        seen.add(user.pk)
        people.append(user)
    if not people:
        return []
    preferences = {
        s.user_id: s for s in UserSettings.objects.filter(user__in=[p.pk for p in people])
    }
    notifications = []
    for user in people:
        frequency = (
            preferences[user.pk].frequency_for(kind)
            if user.pk in preferences
            else EmailFrequency.IMMEDIATELY
        )
        status = (
            Notification.EmailStatus.SKIPPED
            if frequency == EmailFrequency.NEVER or not user.email
            else Notification.EmailStatus.PENDING
        )
        notification = Notification(
            recipient=user,
            organisation=organisation,
            kind=kind,
            params=dict(params),
            url=url,
            email_status=status,
        )
        notification.immediate = frequency == EmailFrequency.IMMEDIATELY
        notifications.append(notification)
    Notification.objects.bulk_create(notifications)
    immediate = [
        n.pk for n in notifications if n.immediate and n.pk and n.email_status == "pending"
    ]
    if immediate:
        transaction.on_commit(lambda: _enqueue(immediate))
    return notifications


def notify_organisation(
    *, organisation: Organisation, exclude=None, **kwargs
) -> list[Notification]:
    """Notify the owners and editors of ``organisation``."""
    return notify(
        recipients=deciders_of(organisation), organisation=organisation, exclude=exclude, **kwargs
    )


def _enqueue(pks: list[int]) -> None:
    for pk in pks:
        try:
            send_notification_email.enqueue(pk)
        except Exception:
            # The row stays pending; `manage.py send_notifications` picks it up.
            logger.exception("notifications: could not enqueue the e-mail of notification %s", pk)


def _email_content(notifications: list[Notification], user) -> tuple[str, str, str]:
    """(subject, text, html) for one or more notifications, in ``user``'s language."""
    with translation.override(language_of(user)):
        items = [render(n) for n in notifications]
        context = {
            "items": items,
            "site_name": settings.SITE_NAME,
            "site_url": settings.SITE_URL,
            "settings_url": settings.SITE_URL + "/accounts/notifications/",
            "notifications_url": settings.SITE_URL + "/notifications/",
            "digest": len(items) > 1,
        }
        if len(items) == 1:
            subject = f"[{settings.SITE_NAME}] {items[0].title}"
        else:
            subject = f"[{settings.SITE_NAME}] " + str(
                _("%(count)d updates on your partnerships") % {"count": len(items)}
            )
        text = render_to_string("email/notification.txt", context)
        html = render_to_string("email/notification.html", context)
    return subject, text, html


@task(queue_name="email")
def send_notification_email(notification_id: int) -> str:
    """E-mail one notification; on failure try again later, and never touch the in-app copy."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update()
            .select_related("recipient")
            .filter(pk=notification_id, email_status=Notification.EmailStatus.PENDING)
            .first()
        )
        if notification is None:
            return "nothing to send"
        user = notification.recipient
        notification.email_attempts += 1
        try:
            subject, text, html = _email_content([notification], user)
            build_message(to=[user.email], subject=subject, text=text, html=html).send()
        except Exception as error:
            notification.email_error = str(error)[:500]
            delay = retry_delay(notification.email_attempts)
            if delay is None:
                notification.email_status = Notification.EmailStatus.FAILED
                logger.error(
                    "notifications: gave up e-mailing notification %s after %d attempts: %s",
                    notification.pk,
                    notification.email_attempts,
                    error,
                )
            elif can_defer():
                transaction.on_commit(
                    lambda: send_notification_email.using(run_after=timezone.now() + delay).enqueue(
                        notification_id
                    )
                )
            notification.save(update_fields=["email_attempts", "email_error", "email_status"])
            return "failed"
        notification.email_status = Notification.EmailStatus.SENT
        notification.emailed_at = timezone.now()
        notification.email_error = ""
        notification.save(
            update_fields=["email_attempts", "email_error", "email_status", "emailed_at"]
        )
    return "sent"


def send_digests(*, now=None) -> tuple[int, int]:
    """Send what is still owed: one digest per person for daily choices, and stragglers.

    Returns (digests sent, single e-mails re-queued). A straggler is an
    immediate notification still pending ten minutes after it was made (its
    task was lost or is waiting for a retry that the queue cannot defer).
    Run once a day and whenever the queue was down (docs/operations.md).
    """
    now = now or timezone.now()
    pending = (
        Notification.objects.unsent()
        .select_related("recipient")
        .order_by("recipient_id", "created_at")
    )
    settings_of = {s.user_id: s for s in UserSettings.objects.all()}
    daily: dict[int, list[Notification]] = {}
    stragglers: list[int] = []
    for notification in pending:
        preference = settings_of.get(notification.recipient_id)
        frequency = preference.frequency_for(notification.kind) if preference else "immediately"
        if frequency == EmailFrequency.DAILY:
            daily.setdefault(notification.recipient_id, []).append(notification)
        elif notification.created_at < now - timezone.timedelta(minutes=10):
            stragglers.append(notification.pk)
    sent = 0
    for notifications in daily.values():
        user = notifications[0].recipient
        subject, text, html = _email_content(notifications, user)
        try:
            build_message(to=[user.email], subject=subject, text=text, html=html).send()
        except Exception as error:
            logger.warning("notifications: digest to user %s failed: %s", user.pk, error)
            continue
        Notification.objects.filter(pk__in=[n.pk for n in notifications]).update(
            email_status=Notification.EmailStatus.SENT, emailed_at=now
        )
        sent += 1
    for pk in stragglers:
        send_notification_email.enqueue(pk)
    return sent, len(stragglers)


def mark_read(*, user, pks: Iterable[int] | None = None) -> int:
    """Mark the user's notifications (all, or those in ``pks``) as read; returns how many."""
    unread = Notification.objects.for_user(user).unread()
    if pks is not None:
        unread = unread.filter(pk__in=list(pks))
    return unread.update(read_at=timezone.now())
