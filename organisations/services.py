"""Multi-step writes on organisations, memberships and invitations.

Each service is keyword-only, runs in one transaction, validates with
`full_clean()` and raises `ValidationError` with a message a user can act on.
Permission to call a service is checked by the caller (organisations.access);
the services keep the invariants that hold whoever calls them, above all that
an organisation always keeps at least one owner.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from matching.text import normalise
from partnerhub.limits import check_daily, count_daily
from partnerhub.mail import queue_mail

from .models import Invitation, Membership, Organisation, Role
from .notifications import notify_organisation

logger = logging.getLogger(__name__)

# Paths under /organisations/ that a profile slug must never shadow.
RESERVED_SLUGS = frozenset({"new", "invitations", "switch"})

ROLE_RANK = {Role.VIEWER: 0, Role.EDITOR: 1, Role.OWNER: 2}

M2M_FIELDS = ("fields", "themes", "target_groups", "languages", "programmes")


def slug_base(name: str) -> str:
    """ASCII slug of a name: "Liepājas Jauniešu centrs" → "liepajas-jauniesu-centrs"."""
    return slugify(normalise(name), allow_unicode=False)[:200] or "organisation"


def unique_slug(name: str, *, taken: Iterable[str] = ()) -> str:
    """A slug from `name` that no organisation uses yet: `name`, `name-2`, `name-3`, …"""
    base = slug_base(name)
    used = set(taken) | RESERVED_SLUGS
    used |= set(Organisation.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, number = base, 1
    while slug in used:
        number += 1
        slug = f"{base}-{number}"
    return slug


def organisation_create(*, by, **data) -> Organisation:
    """Register an organisation and make `by` its owner.

    `data` holds model fields; many-to-many fields (themes, …) take iterables of terms.
    """
    relations = {name: data.pop(name) for name in M2M_FIELDS if name in data}
    with transaction.atomic():
        organisation = Organisation(**data)
        organisation.slug = unique_slug(organisation.name)
        organisation.full_clean()
        organisation.save()
        for name, terms in relations.items():
            getattr(organisation, name).set(terms)
        Membership.objects.create(user=by, organisation=organisation, role=Role.OWNER)
    return organisation


def organisation_verify(*, organisation: Organisation, by) -> Organisation:
    """Mark a profile as checked by staff, recording who did it and when."""
    organisation.is_verified = True
    organisation.verified_at = timezone.now()
    organisation.verified_by = by
    # update_fields: verification is not a profile edit, so updated_at stays.
    organisation.save(update_fields=["is_verified", "verified_at", "verified_by"])
    return organisation


def organisation_unverify(*, organisation: Organisation, by) -> Organisation:
    """Withdraw verification; `by` and the time are kept as the last decision on it."""
    organisation.is_verified = False
    organisation.verified_at = timezone.now()
    organisation.verified_by = by
    organisation.save(update_fields=["is_verified", "verified_at", "verified_by"])
    return organisation


def _other_owners(membership: Membership) -> int:
    """Owners besides `membership`, with their rows locked so two owners cannot both leave."""
    return len(
        Membership.objects.select_for_update()
        .filter(organisation_id=membership.organisation_id, role=Role.OWNER)
        .exclude(pk=membership.pk)
        .values_list("pk", flat=True)
    )


def membership_change_role(*, membership: Membership, role: str, by) -> Membership:
    """Give a member another role; the last owner cannot be demoted."""
    if role not in Role.values:
        raise ValidationError(_("Choose a valid role."))
    with transaction.atomic():
        if membership.role == Role.OWNER and role != Role.OWNER and not _other_owners(membership):
            raise ValidationError(
                _("An organisation needs at least one owner: make someone else an owner first.")
            )
        membership.role = role
        membership.full_clean()
        membership.save(update_fields=["role"])
    return membership


def membership_remove(*, membership: Membership, by) -> None:
    """Remove a member (or let a member leave, when `by` is that member)."""
    with transaction.atomic():
        if membership.role == Role.OWNER and not _other_owners(membership):
            if by == membership.user:
                message = _("You are the last owner: make someone else an owner before you leave.")
            else:
                message = _("The last owner cannot be removed.")
            raise ValidationError(message)
        membership.delete()


def invitation_create(
    *, organisation: Organisation, email: str, role: str, by, base_url: str = ""
) -> Invitation:
    """Invite an address to join; the e-mail goes out once the invitation is saved.

    `base_url` ("https://partnerhub.example") makes the links in the e-mail absolute.
    """
    email = email.strip().lower()
    if Membership.objects.filter(organisation=organisation, user__email__iexact=email).exists():
        raise ValidationError({"email": _("This person is already a member.")})
    # Inviting and revoking in a loop must not make the site a mail relay: limits per
    # inviter and organisation, and a few invitation mails per address a day.
    check_daily("membership_invitation", user=by, organisation=organisation)
    if _address_invitations_today(email) >= INVITATIONS_PER_ADDRESS_PER_DAY:
        raise ValidationError(
            {"email": _("This address has been invited too often today. Try again tomorrow.")}
        )
    with transaction.atomic():
        invitation = Invitation(organisation=organisation, email=email, role=role, invited_by=by)
        invitation.full_clean()
        try:
            with transaction.atomic():
                invitation.save()
        except IntegrityError:
            # A double submit: the other request created the same pending invitation.
            raise ValidationError(
                {"email": _("This address already has a pending invitation.")}
            ) from None
        _send_invitation(invitation, base_url)
    count_daily("membership_invitation", user=by, organisation=organisation)
    _count_address_invitation(email)
    return invitation


#: Invitation mails one address may receive a day, from all organisations together.
INVITATIONS_PER_ADDRESS_PER_DAY = 3


def _address_key(email: str) -> str:
    digest = hashlib.sha256(email.encode()).hexdigest()[:32]
    return f"limit:invitation-address:{digest}:{timezone.localdate().isoformat()}"


def _address_invitations_today(email: str) -> int:
    try:
        return int(cache.get(_address_key(email), 0))
    except Exception:  # noqa: BLE001 - a cache outage must not stop invitations
        return 0


def _count_address_invitation(email: str) -> None:
    key = _address_key(email)
    try:
        if not cache.add(key, 1, timeout=2 * 24 * 3600):
            cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=2 * 24 * 3600)
    except Exception:  # noqa: BLE001 - a cache outage must not stop invitations
        logger.exception("could not count an invitation to an address")


def _send_invitation(invitation: Invitation, base_url: str) -> None:
    """Queue the invitation e-mail (sent by the task worker after commit, retried on failure).

    The address is anyone's, so the subject is fixed and never carries the organisation's
    name (a name chosen by the inviter would make the site a spam relay); the name is
    in the body only, HTML-escaped in the HTML part. The site is named from settings.
    """
    base_url = (base_url or settings.SITE_URL).rstrip("/")
    context = {
        "invitation": invitation,
        "organisation": invitation.organisation,
        "invitations_url": base_url + reverse("organisations:invitations"),
        "signup_url": base_url + reverse("account_signup"),
        "site_name": settings.SITE_NAME,
    }
    subject = render_to_string("organisations/email/invitation_subject.txt", context)
    body = render_to_string("organisations/email/invitation_message.txt", context)
    html = render_to_string("organisations/email/invitation_message.html", context)
    queue_mail(to=[invitation.email], subject=subject, text=body, html=html)


def invitation_accept(*, invitation: Invitation, user) -> Membership:
    """Join the organisation in the invited role.

    The caller has checked that the invitation is addressed to one of `user`'s
    verified addresses (Invitation.objects.for_user).
    """
    with transaction.atomic():
        invitation = _locked_invitation(invitation)
        if not invitation.is_pending:
            raise ValidationError(_("This invitation has already been answered."))
        membership, created = Membership.objects.get_or_create(
            user=user, organisation=invitation.organisation, defaults={"role": invitation.role}
        )
        if not created and ROLE_RANK[invitation.role] > ROLE_RANK[membership.role]:
            # Already a member: an invitation may raise the role, never lower it.
            membership.role = invitation.role
            membership.save(update_fields=["role"])
        invitation.accepted_at = timezone.now()
        invitation.save(update_fields=["accepted_at"])
    return membership


def invitation_decline(*, invitation: Invitation, user) -> Invitation:
    with transaction.atomic():
        invitation = _locked_invitation(invitation)
        if not invitation.is_pending:
            raise ValidationError(_("This invitation has already been answered."))
        invitation.declined_at = timezone.now()
        invitation.save(update_fields=["declined_at"])
    return invitation


def _locked_invitation(invitation: Invitation) -> Invitation:
    """The invitation's row, locked until the transaction ends: accept, decline and revoke
    of one invitation take turns, so exactly one of them wins."""
    try:
        return Invitation.objects.select_for_update().get(pk=invitation.pk)
    except Invitation.DoesNotExist:
        raise ValidationError(_("This invitation has been withdrawn.")) from None


def invitation_revoke(*, invitation: Invitation, by) -> None:
    """Withdraw a pending invitation; answered ones are history and stay."""
    with transaction.atomic():
        invitation = _locked_invitation(invitation)
        if not invitation.is_pending:
            raise ValidationError(_("This invitation has already been answered."))
        invitation.delete()


# --- Moderation ----------------------------------------------------------------------------

#: As long as ``Organisation.hidden_reason`` may be.
HIDDEN_REASON_MAX = 500


def organisation_hide(*, organisation: Organisation, by, reason: str) -> Organisation:
    """Staff hide a profile from the public instead of editing it; its owners and editors are told why.

    A hidden profile leaves the directory, the suggestions and other people's
    searches; its members still see it, with the reason. Saving moves
    ``updated_at``, which is how the matching caches notice the change.
    """
    reason = reason.strip()
    if not reason:
        raise ValidationError({"hidden_reason": _("Give the reason: the organisation is told.")})
    if len(reason) > HIDDEN_REASON_MAX:
        raise ValidationError(
            {
                "hidden_reason": _("Keep the reason under %(count)d characters.")
                % {"count": HIDDEN_REASON_MAX}
            }
        )
    with transaction.atomic():
        organisation.hidden_at = timezone.now()
        organisation.hidden_reason = reason
        organisation.save(update_fields=["hidden_at", "hidden_reason", "updated_at"])
        notify_organisation(
            organisation=organisation,
            kind="organisation-hidden",
            params={"organisation": organisation.name, "note": reason},
            url=organisation.get_absolute_url(),
            exclude=by,
        )
    return organisation


def organisation_show(*, organisation: Organisation, by) -> Organisation:
    """Make a hidden profile public again; its owners and editors are told."""
    with transaction.atomic():
        organisation.hidden_at = None
        organisation.hidden_reason = ""
        organisation.save(update_fields=["hidden_at", "hidden_reason", "updated_at"])
        notify_organisation(
            organisation=organisation,
            kind="organisation-shown",
            params={"organisation": organisation.name},
            url=organisation.get_absolute_url(),
            exclude=by,
        )
    return organisation
