"""Unread state of conversations, per side: which messages one organisation has not read yet."""

from __future__ import annotations

from django.db.models import Count, F, Q

from organisations.models import Organisation

from .models import Conversation


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
