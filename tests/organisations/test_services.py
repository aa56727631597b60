"""Services: registering, verifying, membership changes and invitations."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from organisations import services
from organisations.models import Membership, Role
from organisations.taxonomy import Theme
from tests.factories import InvitationFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_organisation_create_makes_the_creator_owner_and_a_unique_slug(outsider):
    themes = list(Theme.objects.filter(code__in=["inclusion-diversity", "sport-physical-activity"]))
    first = services.organisation_create(
        by=outsider,
        name="Sporta klubs Ķekava",
        kind="association",
        country="LV",
        city="Ķekava",
        themes=themes,
    )
    second = services.organisation_create(
        by=outsider, name="Sporta klubs Kekava", kind="association", country="LV", city="Ķekava"
    )
    assert first.slug == "sporta-klubs-kekava"
    assert second.slug == "sporta-klubs-kekava-2"
    assert set(first.themes.values_list("code", flat=True)) == {
        "inclusion-diversity",
        "sport-physical-activity",
    }
    assert Membership.objects.get(organisation=first, user=outsider).role == Role.OWNER


def test_organisation_create_validates(outsider):
    with pytest.raises(ValidationError) as error:
        services.organisation_create(
            by=outsider, name="X", kind="nonsense", country="LV", city="Rīga", oid="123"
        )
    assert {"kind", "oid"} <= set(error.value.message_dict)
    assert not Membership.objects.filter(user=outsider, organisation__name="X").exists()


def test_verify_and_unverify_record_who_and_when(organisation, staff):
    updated_at = organisation.updated_at
    services.organisation_verify(organisation=organisation, by=staff)
    organisation.refresh_from_db()
    assert (
        organisation.is_verified and organisation.verified_by == staff and organisation.verified_at
    )
    assert organisation.updated_at == updated_at
    services.organisation_unverify(organisation=organisation, by=staff)
    organisation.refresh_from_db()
    assert not organisation.is_verified and organisation.verified_by == staff


def test_the_last_owner_cannot_be_demoted(owner, organisation):
    membership = Membership.objects.get(user=owner, organisation=organisation)
    with pytest.raises(ValidationError, match="at least one owner"):
        services.membership_change_role(membership=membership, role=Role.EDITOR, by=owner)
    membership.refresh_from_db()
    assert membership.role == Role.OWNER


def test_an_owner_can_step_down_when_another_owner_remains(owner, editor, organisation):
    other = Membership.objects.get(user=editor, organisation=organisation)
    services.membership_change_role(membership=other, role=Role.OWNER, by=owner)
    mine = Membership.objects.get(user=owner, organisation=organisation)
    services.membership_change_role(membership=mine, role=Role.VIEWER, by=owner)
    assert mine.role == Role.VIEWER


def test_the_last_owner_cannot_leave_or_be_removed(owner, member, organisation):
    membership = Membership.objects.get(user=owner, organisation=organisation)
    with pytest.raises(ValidationError, match="last owner"):
        services.membership_remove(membership=membership, by=owner)
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_a_member_can_be_removed(owner, member, organisation):
    membership = Membership.objects.get(user=member, organisation=organisation)
    services.membership_remove(membership=membership, by=owner)
    assert not Membership.objects.filter(user=member, organisation=organisation).exists()


def test_invitation_create_sends_mail_after_commit(
    owner, organisation, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invitation_create(
            organisation=organisation,
            email=" New.Person@Example.org ",
            role=Role.EDITOR,
            by=owner,
            base_url="https://partnerhub.example/",
        )
    assert invitation.email == "new.person@example.org"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["new.person@example.org"]
    # The subject is fixed (no sender-chosen text to strangers); the body names the organisation.
    assert organisation.name not in mail.outbox[0].subject
    assert organisation.name in mail.outbox[0].body
    assert "https://partnerhub.example/organisations/invitations/" in mail.outbox[0].body


def test_members_and_pending_addresses_cannot_be_invited_twice(owner, member, organisation):
    with pytest.raises(ValidationError, match="already a member"):
        services.invitation_create(
            organisation=organisation, email="viewer@example.org", role=Role.EDITOR, by=owner
        )
    services.invitation_create(
        organisation=organisation, email="x@example.org", role=Role.EDITOR, by=owner
    )
    with pytest.raises(ValidationError, match="pending invitation"):
        services.invitation_create(
            organisation=organisation, email="X@example.org", role=Role.VIEWER, by=owner
        )


def test_accepting_an_invitation_makes_a_member_in_that_role(organisation):
    user = UserFactory(email="invitee@example.org")
    invitation = InvitationFactory(
        organisation=organisation, email="invitee@example.org", role=Role.EDITOR
    )
    membership = services.invitation_accept(invitation=invitation, user=user)
    assert membership.role == Role.EDITOR
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None
    with pytest.raises(ValidationError, match="already been answered"):
        services.invitation_accept(invitation=invitation, user=user)


def test_an_invitation_never_lowers_an_existing_role(organisation):
    user = UserFactory()
    MembershipFactory(user=user, organisation=organisation, role=Role.EDITOR)
    invitation = InvitationFactory(organisation=organisation, email=user.email, role=Role.VIEWER)
    assert services.invitation_accept(invitation=invitation, user=user).role == Role.EDITOR


def test_declined_and_revoked_invitations(owner, organisation):
    invitation = InvitationFactory(organisation=organisation)
    services.invitation_decline(invitation=invitation, user=owner)
    invitation.refresh_from_db()
    assert invitation.declined_at is not None
    with pytest.raises(ValidationError):
        services.invitation_revoke(invitation=invitation, by=owner)
    pending = InvitationFactory(organisation=organisation)
    services.invitation_revoke(invitation=pending, by=owner)
    assert not organisation.invitations.filter(pk=pending.pk).exists()
