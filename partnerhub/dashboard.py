"""What a signed-in user sees first: their organisations and what needs their attention.

Each app contributes its own section here, so the dashboard view stays one line.
"""

from organisations.models import Invitation, Membership
from projects.models import ProjectIdea


def dashboard_sections(request) -> dict:
    user = request.user
    memberships = (
        Membership.objects.filter(user=user)
        .select_related("organisation")
        .order_by("organisation__name")
    )
    ideas = (
        ProjectIdea.objects.filter(lead__memberships__user=user)
        .select_related("lead", "call")
        .order_by("closes_on")
    )
    invitations = (
        Invitation.objects.pending().for_user(user).select_related("organisation", "invited_by")
    )
    return {
        "memberships": memberships,
        "ideas": ideas,
        "invitations": invitations,
        "can_post_ideas": any(membership.can_edit for membership in memberships),
    }
