"""A person's own account: what deleting it does to their organisations (GDPR art. 17).

Deleting an account removes the person's personal data: the user row with its
name and addresses, e-mail addresses, second factors, settings, notifications,
memberships and the invitations addressed to them. Records that belong to an
organisation (ideas, applications and their history, messages) stay with the
organisation and lose only the link to the person (``on_delete=SET_NULL``).

It is refused while the person is the last owner of an organisation that has
other members: someone must be made owner first, or the organisation would be
left with people nobody can manage. An organisation where the person is the
only member is deactivated, never left active with no one behind it.
"""

from __future__ import annotations

import logging

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from .models import Invitation, Membership, Organisation, Role

logger = logging.getLogger("partnerhub.audit")


def organisations_blocking_deletion(user) -> list[Organisation]:
    """Organisations where `user` is the only owner and other people are members."""
    # A subquery, not a join: the counts below must see every membership, not only the user's.
    owned = Organisation.objects.filter(
        pk__in=Membership.objects.filter(user=user, role=Role.OWNER).values("organisation_id")
    )
    return list(
        owned.annotate(
            owners=Count("memberships", filter=Q(memberships__role=Role.OWNER), distinct=True),
            members=Count("memberships", distinct=True),
        )
        .filter(owners=1, members__gt=1)
        .order_by("name")
    )


def organisations_left_empty(user) -> list[Organisation]:
    """Organisations where `user` is the only member: deleting the account deactivates them."""
    mine = Organisation.objects.filter(
        pk__in=Membership.objects.filter(user=user).values("organisation_id")
    )
    return list(
        mine.annotate(members=Count("memberships", distinct=True))
        .filter(members=1)
        .order_by("name")
    )


def deletion_refusal(blocking: list[Organisation]) -> str:
    return _(
        "You are the last owner of %(names)s, which other people belong to: make one of "
        "them an owner (or remove them) before you delete your account."
    ) % {"names": ", ".join(organisation.name for organisation in blocking)}


def account_delete(*, user, by) -> list[Organisation]:
    """Delete `user` and their personal data; returns the organisations deactivated.

    `by` is the user themself or a staff member (admin). Raises ValidationError
    when `user` is the last owner of an organisation with other members.
    """
    with transaction.atomic():
        # Lock the memberships of every organisation involved, so nobody leaves or is
        # promoted between the check and the deletion.
        organisation_ids = list(
            Membership.objects.filter(user=user).values_list("organisation_id", flat=True)
        )
        list(
            Membership.objects.select_for_update()
            .filter(organisation_id__in=organisation_ids)
            .values_list("pk", flat=True)
        )
        blocking = organisations_blocking_deletion(user)
        if blocking:
            raise ValidationError(deletion_refusal(blocking))
        emptied = organisations_left_empty(user)
        for organisation in emptied:
            organisation.is_active = False
            organisation.save(update_fields=["is_active"])
        _forget_invitations(user)
        Membership.objects.filter(user=user).delete()
        user_id = user.pk
        get_user_model().objects.filter(pk=user_id).delete()
    logger.info(
        "account deleted: user=%s by=%s deactivated organisations=%s",
        user_id,
        getattr(by, "pk", None),
        [organisation.pk for organisation in emptied],
    )
    return emptied


def _forget_invitations(user) -> None:
    """Pending invitations to the person's addresses go; answered ones keep no address."""
    from allauth.account.models import EmailAddress

    addresses = {user.email.lower()} if user.email else set()
    addresses |= {
        email.lower()
        for email in EmailAddress.objects.filter(user=user).values_list("email", flat=True)
    }
    invitations = Invitation.objects.filter(email__in=addresses)
    invitations.pending().delete()
    for invitation in invitations:
        invitation.email = f"deleted-{invitation.pk}@deleted.invalid"
        invitation.save(update_fields=["email"])
