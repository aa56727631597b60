"""The one way views reach an organisation they act on, scoped to the signed-in user.

Modelled on healthchecks' `_get_check_for_user` / `_get_rw_check_for_user`:
someone who is not a member gets 404 (we do not confirm what they cannot
see), a member without the needed role gets 403.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from .models import WRITE_ROLES, Membership, Organisation, Role


def get_membership(request, slug: str) -> Membership:
    """The signed-in user's membership of the organisation `slug`, or 404."""
    return get_object_or_404(
        Membership.objects.select_related("organisation"),
        organisation__slug=slug,
        user=request.user,
    )


def get_organisation_for_member(request, slug: str) -> Organisation:
    return get_membership(request, slug).organisation


def get_organisation_for_editor(request, slug: str) -> Organisation:
    """Owners and editors change the profile; viewers get 403."""
    membership = get_membership(request, slug)
    if membership.role not in WRITE_ROLES:
        raise PermissionDenied
    return membership.organisation


def get_organisation_for_owner(request, slug: str) -> Organisation:
    """Only owners manage members and invitations."""
    membership = get_membership(request, slug)
    if membership.role != Role.OWNER:
        raise PermissionDenied
    return membership.organisation
