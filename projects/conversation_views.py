"""Conversations between organisations: contact a profile, the inbox, a thread, an application's thread.

People write as an organisation they own or edit; the other side reads the
organisation's name and the author's display name, never an e-mail address.
Access follows the usual rule: a thread of organisations you do not belong to
is a 404, writing as an organisation where you are only a viewer is a 403.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from organisations.current import current_organisation
from organisations.models import Notification, Organisation
from organisations.people import display_name

from . import partnerships as services
from .forms import ContactForm, MessageForm
from .inbox import is_unread, just_sent, side_of, unread_count, with_unread_counts
from .models import Conversation, IdeaStatus, PartnershipApplication, ProjectIdea

INBOX_PAGE_SIZE = 25


def _preferred(organisations, request) -> Organisation | None:
    """The organisation the person acts for when it is among ``organisations``, else the first."""
    current = getattr(current_organisation(request), "pk", None)
    for organisation in organisations:
        if organisation.pk == current:
            return organisation
    return organisations[0] if organisations else None


def _read_notifications_of(conversation: Conversation, user) -> None:
    """The notifications that pointed to this thread are read once the thread is shown."""
    Notification.objects.for_user(user).unread().filter(url=conversation.get_absolute_url()).update(
        read_at=timezone.now()
    )


def _thread_messages(conversation: Conversation) -> list:
    thread = list(
        conversation.messages.select_related("organisation", "author__settings").order_by(
            "created_at", "pk"
        )
    )
    for message in thread:
        message.author_name = display_name(message.author)
    return thread


# --- Contact an organisation from its profile ----------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def organisation_contact(request, slug: str):
    """Start a conversation with the organisation ``slug`` as one of your own organisations."""
    recipient = get_object_or_404(Organisation.objects.active(), slug=slug)
    senders = (
        Organisation.objects.editable_by(request.user)
        .exclude(pk=recipient.pk)
        .distinct()
        .order_by("name")
    )
    sender_list = list(senders)
    if not sender_list:
        member_of = Organisation.objects.member_of(request.user).exclude(pk=recipient.pk)
        return render(
            request,
            "projects/conversation_refused.html",
            {"recipient": recipient, "viewer_only": member_of.exists()},
            status=403,
        )
    ideas = (
        ProjectIdea.objects.visible_to(request.user)
        .filter(lead__in=[*sender_list, recipient], hidden_at__isnull=True)
        .exclude(status=IdeaStatus.DRAFT)
        .select_related("lead")
        .order_by("lead__name", "title")
    )
    initial = {"sender": _preferred(sender_list, request)}
    idea_slug = request.GET.get("idea", "")
    if idea_slug:
        initial["idea"] = ideas.filter(slug=idea_slug).first()
        if initial["idea"] is not None:
            initial["subject"] = initial["idea"].title
    form = ContactForm(request.POST or None, senders=senders, ideas=ideas, initial=initial)
    if request.method == "POST" and form.is_valid():
        repeated = just_sent(
            author=request.user,
            sender=form.cleaned_data["sender"],
            body=form.cleaned_data["body"],
            recipient=recipient,
        )
        if repeated is not None:  # a double click: the first one went through
            return redirect(repeated.conversation)
        try:
            conversation = services.conversation_start(
                sender=form.cleaned_data["sender"],
                recipient=recipient,
                by=request.user,
                subject=form.cleaned_data["subject"],
                body=form.cleaned_data["body"],
                idea=form.cleaned_data.get("idea"),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Your message was sent to %(organisation)s.") % {"organisation": recipient.name},
            )
            return redirect(conversation)
    return render(
        request,
        "projects/conversation_form.html",
        {"recipient": recipient, "form": form, "several_senders": len(sender_list) > 1},
    )


# --- The inbox -------------------------------------------------------------------------------


@login_required
def conversation_list(request):
    """The threads of every organisation the person belongs to, newest first, unread marked."""
    mine = list(Organisation.objects.member_of(request.user).values_list("pk", flat=True))
    conversations = with_unread_counts(
        Conversation.objects.visible_to(request.user).select_related(
            "starter", "recipient", "idea", "application"
        )
    ).order_by("-last_message_at", "-pk")
    page = Paginator(conversations, INBOX_PAGE_SIZE).get_page(request.GET.get("page"))
    for conversation in page:
        side = side_of(conversation, mine)
        conversation.my_side = side
        conversation.other = conversation.other_side(side)
        conversation.unread = unread_count(conversation, side)
    return render(
        request,
        "projects/conversation_list.html",
        {
            "page_obj": page,
            "conversations": page.object_list,
            "unread_total": services.unread_conversations(mine),
        },
    )


# --- One thread --------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def conversation_detail(request, pk: int):
    """Read a thread (which marks it read for your side) and reply as your organisation."""
    conversation = get_object_or_404(
        Conversation.objects.visible_to(request.user).select_related(
            "starter", "recipient", "idea", "application__idea"
        ),
        pk=pk,
    )
    sides = [conversation.starter, conversation.recipient]
    member_ids = set(
        Organisation.objects.member_of(request.user)
        .filter(pk__in=[side.pk for side in sides])
        .values_list("pk", flat=True)
    )
    writable_ids = set(
        Organisation.objects.editable_by(request.user)
        .filter(pk__in=[side.pk for side in sides])
        .values_list("pk", flat=True)
    )
    writable = [side for side in sides if side.pk in writable_ids]
    senders = Organisation.objects.filter(pk__in=writable_ids).order_by("name")
    form = MessageForm(
        request.POST or None, senders=senders, initial={"sender": _preferred(writable, request)}
    )
    if request.method == "POST":
        if not writable:
            raise PermissionDenied
        repeated = form.is_valid() and just_sent(
            author=request.user,
            sender=form.cleaned_data["sender"],
            body=form.cleaned_data["body"],
            conversation=conversation,
        )
        if repeated:  # a double click: the first one went through
            return redirect(f"{conversation.get_absolute_url()}#message-{repeated.pk}")
        if form.is_valid():
            try:
                message = services.message_post(
                    conversation=conversation,
                    sender=form.cleaned_data["sender"],
                    by=request.user,
                    body=form.cleaned_data["body"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Your reply was sent."))
                return redirect(f"{conversation.get_absolute_url()}#message-{message.pk}")
    reader = _preferred([side for side in sides if side.pk in member_ids], request)
    if reader is not None and request.method == "GET":
        if is_unread(conversation, reader):
            services.conversation_mark_read(conversation=conversation, organisation=reader)
        _read_notifications_of(conversation, request.user)
    return render(
        request,
        "projects/conversation_detail.html",
        {
            "conversation": conversation,
            "reader": reader,
            "other": conversation.other_side(reader) if reader else conversation.recipient,
            "thread_messages": _thread_messages(conversation),
            "form": form if writable else None,
        },
    )


# --- The thread of an application or invitation ------------------------------------------------


@login_required
@require_POST
def application_message(request, pk: int):
    """Post in the thread of an application or invitation (lead ↔ partner), made on first use."""
    application = get_object_or_404(
        PartnershipApplication.objects.visible_to(request.user).select_related(
            "idea__lead", "organisation"
        ),
        pk=pk,
    )
    sides = [application.idea.lead_id, application.organisation_id]
    senders = (
        Organisation.objects.editable_by(request.user)
        .filter(pk__in=sides)
        .distinct()
        .order_by("name")
    )
    if not senders:
        raise PermissionDenied
    back = f"/applications/{application.pk}/#thread"
    form = MessageForm(request.POST, senders=senders)
    if not form.is_valid():
        for field in form.visible_fields():
            for error in field.errors:
                messages.error(request, error)
        for error in form.non_field_errors():
            messages.error(request, error)
        return redirect(back)
    existing = Conversation.objects.filter(application=application).first()
    if existing is not None and just_sent(
        author=request.user,
        sender=form.cleaned_data["sender"],
        body=form.cleaned_data["body"],
        conversation=existing,
    ):
        return redirect(back)  # a double click: the first one went through
    try:
        # One transaction: a refused message (the daily limit) leaves no empty thread behind.
        with transaction.atomic():
            conversation = services.conversation_for_application(application, by=request.user)
            services.message_post(
                conversation=conversation,
                sender=form.cleaned_data["sender"],
                by=request.user,
                body=form.cleaned_data["body"],
            )
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(request, _("Your message was sent."))
    return redirect(back)


def application_thread(application: PartnershipApplication, user) -> dict:
    """What ``projects/_application_thread.html`` shows: the messages and who may write as whom.

    Showing the thread on the application's page reads it, as the thread page does: the
    reader's side is marked read, so the dashboard stops counting it as unread.
    """
    conversation = (
        Conversation.objects.filter(application=application)
        .select_related("starter", "recipient")
        .first()
    )
    sides = Q(pk=application.idea.lead_id) | Q(pk=application.organisation_id)
    if conversation is not None:
        mine = list(Organisation.objects.member_of(user).filter(sides).order_by("name"))
        for side in mine:
            if is_unread(conversation, side):
                services.conversation_mark_read(conversation=conversation, organisation=side)
        if mine:
            _read_notifications_of(conversation, user)
    senders = Organisation.objects.editable_by(user).filter(sides).distinct().order_by("name")
    return {
        "conversation": conversation,
        "thread_messages": _thread_messages(conversation) if conversation else [],
        "form": MessageForm(senders=senders) if senders else None,
    }
