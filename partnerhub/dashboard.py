"""What a signed-in user sees first: their organisations and what needs their attention.

Each app contributes its own section here, so the dashboard view stays one line.
"""

from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from organisations.current import current_organisation
from organisations.models import Invitation, Membership, Notification, Organisation
from organisations.notification_views import unread_first, with_text
from projects.inbox import side_of, unread_count, with_unread_counts
from projects.models import (
    ApplicationKind,
    ApplicationStatus,
    ConsortiumReview,
    Conversation,
    PartnershipApplication,
    ProjectIdea,
)
from projects.partnerships import unread_conversations

#: How many rows each dashboard list shows; the full lists are one click away.
LIST_LIMIT = 8


def staff_sections() -> dict:
    """What waits for staff: the queues' sizes and the newest organisations to verify.

    Each queue links to the admin list that shows exactly its rows.
    """
    to_verify = Organisation.objects.filter(
        is_verified=False, is_active=True, hidden_at__isnull=True
    )
    admin = "admin:{}_changelist".format
    queues = [
        {
            "label": _("Consortia awaiting review"),
            "count": ConsortiumReview.objects.waiting().count(),
            "url": reverse(admin("projects_consortiumreview")) + "?status__exact=under-review",
        },
        {
            "label": _("Organisations to verify"),
            "count": to_verify.count(),
            "url": reverse(admin("organisations_organisation"))
            + "?is_verified__exact=0&is_active__exact=1&hidden_at__isempty=1",
        },
        {
            "label": _("Hidden project ideas"),
            "count": ProjectIdea.objects.filter(hidden_at__isnull=False).count(),
            "url": reverse(admin("projects_projectidea")) + "?hidden_at__isempty=0",
        },
        {
            "label": _("Hidden organisation profiles"),
            "count": Organisation.objects.filter(hidden_at__isnull=False).count(),
            "url": reverse(admin("organisations_organisation")) + "?hidden_at__isempty=0",
        },
    ]
    newest = list(to_verify.order_by("-created_at", "-pk")[:LIST_LIMIT])
    for organisation in newest:
        organisation.admin_url = reverse(
            "admin:organisations_organisation_change", args=[organisation.pk]
        )
    return {"queues": queues, "to_verify": newest}


def dashboard_sections(request) -> dict:
    user = request.user
    memberships = (
        Membership.objects.filter(user=user)
        .select_related("organisation")
        .order_by("organisation__name")
    )
    organisation = current_organisation(request)
    organisation = organisation if organisation else None
    ideas = (
        ProjectIdea.objects.filter(lead=organisation)
        .select_related("lead", "call")
        .annotate(
            new_applications=Count(
                "applications",
                filter=Q(
                    applications__status=ApplicationStatus.SUBMITTED,
                    applications__kind=ApplicationKind.APPLICATION,
                ),
            )
        )
        .order_by("closes_on")
        if organisation
        else ProjectIdea.objects.none()
    )
    invitations = (
        Invitation.objects.pending().for_user(user).select_related("organisation", "invited_by")
    )
    return {
        "memberships": memberships,
        "ideas": ideas,
        "invitations": invitations,
        "can_post_ideas": any(membership.can_edit for membership in memberships),
        **partnership_sections(user, organisation),
        "notifications": with_text(
            unread_first(Notification.objects.for_user(user).select_related("organisation"))[
                :LIST_LIMIT
            ]
        ),
    }


def _waiting_first(applications):
    """Unanswered ones first, then the most recently changed."""
    return applications.annotate(
        waiting=Case(
            When(status=ApplicationStatus.SUBMITTED, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
    ).order_by("waiting", "-updated_at", "-pk")


def partnership_sections(user, organisation) -> dict:
    """Applications and invitations sent and received, and the conversations, of ``organisation``.

    A fixed number of queries whatever the number of rows (tests/partnerhub/test_dashboard.py).
    """
    if organisation is None:
        return {"received": [], "sent": [], "conversations": [], "unread_conversations": 0}
    visible = PartnershipApplication.objects.visible_to(user).select_related(
        "idea__lead", "organisation"
    )
    received = _waiting_first(
        visible.filter(
            Q(idea__lead=organisation, kind=ApplicationKind.APPLICATION)
            | Q(organisation=organisation, kind=ApplicationKind.INVITATION)
        )
    )[:LIST_LIMIT]
    sent = _waiting_first(
        visible.filter(
            Q(organisation=organisation, kind=ApplicationKind.APPLICATION)
            | Q(idea__lead=organisation, kind=ApplicationKind.INVITATION)
        )
    )[:LIST_LIMIT]
    conversations = list(
        with_unread_counts(
            Conversation.objects.visible_to(user)
            .of_organisations([organisation.pk])
            .select_related("starter", "recipient", "idea")
        ).order_by("-last_message_at", "-pk")[:LIST_LIMIT]
    )
    for conversation in conversations:
        side = side_of(conversation, {organisation.pk})
        conversation.other = conversation.other_side(side)
        conversation.unread = unread_count(conversation, side)
    return {
        "received": received,
        "sent": sent,
        "conversations": conversations,
        "unread_conversations": unread_conversations([organisation]),
    }
