"""Unread state of conversations, per side: which messages one organisation has not read yet."""

from __future__ import annotations

import datetime

from django.db.models import Count, F, Q
from django.utils import timezone

from organisations.models import Organisation

from .models import Conversation, Message

#: The same text sent again by the same person within this time is a double click, not news.
DOUBLE_SEND = datetime.timedelta(seconds=30)


def with_unread_counts(conversations):
    """Annotate ``starter_unread`` / ``recipient_unread``: the other side's messages not read yet.

    Two aggregates in the one query that lists the threads, so an inbox costs
    the same whatever the number of threads and messages.
    """
    return conversations.annotate(
        starter_unread=Count(
            "messages",
            filter=~Q(messages__organisation=F("starter"))
            & (Q(starter_read_at__isnull=True) | Q(messages__created_at__gt=F("starter_read_at"))),
        ),
        recipient_unread=Count(
            "messages",
            filter=~Q(messages__organisation=F("recipient"))
            & (
                Q(recipient_read_at__isnull=True)
                | Q(messages__created_at__gt=F("recipient_read_at"))
            ),
        ),
    )


def side_of(conversation: Conversation, organisation_ids) -> Organisation:
    """The side of the conversation that belongs to the reader (the starter when both do)."""
    if conversation.starter_id in organisation_ids:
        return conversation.starter
    return conversation.recipient


def unread_count(conversation: Conversation, side: Organisation) -> int:
    """Messages of the other side that ``side`` has not read (needs :func:`with_unread_counts`)."""
    if side.pk == conversation.starter_id:
        return conversation.starter_unread
    return conversation.recipient_unread


def is_unread(conversation: Conversation, side: Organisation) -> bool:
    """True when the conversation has a message newer than ``side`` last read it."""
    read_at = conversation.read_at_for(side)
    return read_at is None or read_at < conversation.last_message_at


def just_sent(*, author, sender: Organisation, body: str, conversation=None, recipient=None):
    """The message ``author`` sent a moment ago with the same text (a double click), or None.

    Either in ``conversation`` (a reply) or as the first message to ``recipient``.
    """
    messages = Message.objects.filter(
        author=author,
        organisation=sender,
        body=body.strip(),
        created_at__gte=timezone.now() - DOUBLE_SEND,
    ).select_related("conversation")
    if conversation is not None:
        messages = messages.filter(conversation=conversation)
    else:
        messages = messages.filter(conversation__recipient=recipient, conversation__starter=sender)
    return messages.order_by("-created_at").first()
