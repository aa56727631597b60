"""Members page, roles, leaving, invitations and switching organisation."""

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from organisations.models import Invitation, Membership, Role
from tests.conftest import verified_user
from tests.factories import InvitationFactory, MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def members_url(organisation):
    return reverse("organisations:members", args=[organisation.slug])


def membership_of(user, organisation):
    return Membership.objects.get(user=user, organisation=organisation)


# -- the members page: anonymous, outsider, viewer, editor, owner --------------


def test_members_page_anonymous_is_sent_to_sign_in(client, organisation):
    response = client.get(members_url(organisation))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]


def test_members_page_outsider_gets_404(client, organisation, outsider):
    client.force_login(outsider)
    assert client.get(members_url(organisation)).status_code == 404


@pytest.mark.parametrize("who", ["member", "editor"])
def test_members_page_is_for_owners_only(client, organisation, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(members_url(organisation)).status_code == 403
    assert (
        client.post(
            members_url(organisation), {"email": "x@example.org", "role": "owner"}
        ).status_code
        == 403
    )
    assert not Invitation.objects.exists()


def test_owner_sees_members_and_pending_invitations(client, organisation, owner, member):
    InvitationFactory(organisation=organisation, email="pending@example.org")
    client.force_login(owner)
    html = client.get(members_url(organisation)).content.decode()
    assert "viewer@example.org" in html and "pending@example.org" in html


def test_owner_invites_by_email(client, organisation, owner, django_capture_on_commit_callbacks):
    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            members_url(organisation), {"email": "Colleague@Example.org", "role": "editor"}
        )
    assert response.status_code == 302
    invitation = Invitation.objects.get(organisation=organisation)
    assert (invitation.email, invitation.role, invitation.invited_by) == (
        "colleague@example.org",
        "editor",
        owner,
    )
    assert len(mail.outbox) == 1
    assert "http://testserver/organisations/invitations/" in mail.outbox[0].body


def test_inviting_a_member_again_shows_an_error_by_the_field(client, organisation, owner, member):
    client.force_login(owner)
    response = client.post(
        members_url(organisation), {"email": "viewer@example.org", "role": "editor"}
    )
    assert response.status_code == 200
    assert "already a member" in response.context["form"].errors["email"][0]


# -- role changes and removal ------------------------------------------------


def role_url(organisation, membership):
    return reverse("organisations:member-role", args=[organisation.slug, membership.pk])


def remove_url(organisation, membership):
    return reverse("organisations:member-remove", args=[organisation.slug, membership.pk])


def test_role_and_remove_need_post(client, organisation, owner, member):
    client.force_login(owner)
    assert (
        client.get(role_url(organisation, membership_of(member, organisation))).status_code == 405
    )
    assert (
        client.get(remove_url(organisation, membership_of(member, organisation))).status_code == 405
    )


def test_role_and_remove_anonymous_is_sent_to_sign_in(client, organisation, owner, member):
    response = client.post(
        role_url(organisation, membership_of(member, organisation)), {"role": "owner"}
    )
    assert response.status_code == 302 and reverse("account_login") in response["Location"]


def test_role_and_remove_outsider_gets_404(client, organisation, outsider, member):
    client.force_login(outsider)
    membership = membership_of(member, organisation)
    assert client.post(role_url(organisation, membership), {"role": "owner"}).status_code == 404
    assert client.post(remove_url(organisation, membership)).status_code == 404


@pytest.mark.parametrize("who", ["member", "editor"])
def test_role_and_remove_non_owner_gets_403(
    client, organisation, owner, member, editor, request, who
):
    client.force_login(request.getfixturevalue(who))
    target = membership_of(owner, organisation)
    assert client.post(role_url(organisation, target), {"role": "viewer"}).status_code == 403
    assert client.post(remove_url(organisation, target)).status_code == 403
    assert membership_of(owner, organisation).role == Role.OWNER


def test_owner_changes_a_role(client, organisation, owner, member):
    client.force_login(owner)
    response = client.post(
        role_url(organisation, membership_of(member, organisation)), {"role": "editor"}
    )
    assert response.status_code == 302
    assert membership_of(member, organisation).role == Role.EDITOR


def test_a_membership_of_another_organisation_is_404(client, organisation, owner):
    elsewhere = MembershipFactory()
    client.force_login(owner)
    assert client.post(role_url(organisation, elsewhere), {"role": "owner"}).status_code == 404


def test_last_owner_cannot_demote_themselves(client, organisation, owner):
    client.force_login(owner)
    response = client.post(
        role_url(organisation, membership_of(owner, organisation)), {"role": "viewer"}, follow=True
    )
    assert membership_of(owner, organisation).role == Role.OWNER
    assert "at least one owner" in response.content.decode()


def test_owner_removes_a_member(client, organisation, owner, member):
    client.force_login(owner)
    client.post(remove_url(organisation, membership_of(member, organisation)))
    assert not Membership.objects.filter(user=member, organisation=organisation).exists()


def test_last_owner_cannot_be_removed(client, organisation, owner):
    client.force_login(owner)
    client.post(remove_url(organisation, membership_of(owner, organisation)))
    assert Membership.objects.filter(user=owner, organisation=organisation).exists()


# -- leaving -----------------------------------------------------------------


def test_a_viewer_can_leave(client, organisation, owner, member):
    client.force_login(member)
    response = client.post(reverse("organisations:leave", args=[organisation.slug]))
    assert response.status_code == 302
    assert not Membership.objects.filter(user=member, organisation=organisation).exists()


def test_the_last_owner_cannot_leave(client, organisation, owner):
    client.force_login(owner)
    response = client.post(reverse("organisations:leave", args=[organisation.slug]), follow=True)
    assert Membership.objects.filter(user=owner, organisation=organisation).exists()
    assert "last owner" in response.content.decode()


def test_leave_outsider_gets_404_and_anonymous_sign_in(client, organisation, outsider):
    url = reverse("organisations:leave", args=[organisation.slug])
    assert client.post(url).status_code == 302
    client.force_login(outsider)
    assert client.post(url).status_code == 404


# -- invitations for the invitee --------------------------------------------


def test_invitations_page_needs_sign_in(client):
    response = client.get(reverse("organisations:invitations"))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]


def test_invitee_sees_accepts_and_joins(client, organisation):
    invitation = InvitationFactory(
        organisation=organisation, email="newcomer@example.org", role=Role.EDITOR
    )
    user = verified_user("newcomer@example.org")
    client.force_login(user)
    assert organisation.name in client.get(reverse("organisations:invitations")).content.decode()
    assert organisation.name in client.get(reverse("dashboard")).content.decode()
    response = client.post(reverse("organisations:invitation-accept", args=[invitation.pk]))
    assert response.status_code == 302
    assert membership_of(user, organisation).role == Role.EDITOR
    assert client.session["current_organisation"] == organisation.pk


def test_an_invitation_for_an_unverified_address_cannot_be_accepted(client, organisation):
    invitation = InvitationFactory(organisation=organisation, email="someone@example.org")
    user = UserFactory(email="someone@example.org")
    EmailAddress.objects.create(
        user=user, email="someone@example.org", verified=False, primary=True
    )
    client.force_login(user)
    assert (
        client.post(reverse("organisations:invitation-accept", args=[invitation.pk])).status_code
        == 404
    )
    assert not Membership.objects.filter(user=user).exists()


def test_someone_elses_invitation_is_404(client, organisation, outsider):
    invitation = InvitationFactory(organisation=organisation, email="someone@example.org")
    client.force_login(outsider)
    assert (
        client.post(reverse("organisations:invitation-accept", args=[invitation.pk])).status_code
        == 404
    )
    assert (
        client.post(reverse("organisations:invitation-decline", args=[invitation.pk])).status_code
        == 404
    )


def test_invitee_declines(client, organisation):
    invitation = InvitationFactory(organisation=organisation, email="newcomer@example.org")
    client.force_login(verified_user("newcomer@example.org"))
    client.post(reverse("organisations:invitation-decline", args=[invitation.pk]))
    invitation.refresh_from_db()
    assert invitation.declined_at is not None
    # Answered: no longer offered, no longer answerable.
    assert (
        client.post(reverse("organisations:invitation-accept", args=[invitation.pk])).status_code
        == 404
    )


def test_revoke_matrix(client, organisation, owner, member, outsider):
    invitation = InvitationFactory(organisation=organisation)
    url = reverse("organisations:invitation-revoke", args=[organisation.slug, invitation.pk])
    assert client.post(url).status_code == 302  # anonymous → sign in
    client.force_login(outsider)
    assert client.post(url).status_code == 404
    client.force_login(member)
    assert client.post(url).status_code == 403
    client.force_login(owner)
    assert client.post(url).status_code == 302
    assert not Invitation.objects.filter(pk=invitation.pk).exists()


# -- switching organisation --------------------------------------------------


def test_switch_to_another_of_my_organisations(client, organisation, owner):
    second = OrganisationFactory(name="Second")
    MembershipFactory(user=owner, organisation=second, role=Role.VIEWER)
    client.force_login(owner)
    response = client.post(
        reverse("organisations:switch"),
        {"organisation": second.slug, "next": second.get_absolute_url()},
    )
    assert response.status_code == 302 and response["Location"] == second.get_absolute_url()
    assert client.session["current_organisation"] == second.pk
    assert 'class="acting-as"' in client.get("/").content.decode()


def test_switch_refuses_foreign_organisations_and_foreign_redirects(
    client, organisation, outsider, owner
):
    client.force_login(outsider)
    assert (
        client.post(
            reverse("organisations:switch"), {"organisation": organisation.slug}
        ).status_code
        == 404
    )
    client.force_login(owner)
    response = client.post(
        reverse("organisations:switch"),
        {"organisation": organisation.slug, "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("dashboard")


def test_switch_anonymous_is_sent_to_sign_in(client, organisation):
    response = client.post(reverse("organisations:switch"), {"organisation": organisation.slug})
    assert response.status_code == 302 and reverse("account_login") in response["Location"]
