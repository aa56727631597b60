"""Membership invitations: no mail relay, one outcome when revoke and accept race, no 500."""

import threading

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.urls import reverse

from organisations import services
from organisations.models import Invitation, Membership, Role
from tests.conftest import verified_user
from tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def test_inviting_and_revoking_in_a_loop_sends_at_most_three_mails_to_an_address(
    client, owner, organisation, django_capture_on_commit_callbacks
):
    client.force_login(owner)
    members_url = reverse("organisations:members", args=[organisation.slug])
    for _ in range(10):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(members_url, {"email": "victim@example.org", "role": "viewer"})
        assert response.status_code < 500
        pending = Invitation.objects.pending().filter(email="victim@example.org").first()
        if pending:
            client.post(
                reverse("organisations:invitation-revoke", args=[organisation.slug, pending.pk])
            )
    sent = [message for message in mail.outbox if "victim@example.org" in message.to]
    assert len(sent) == services.INVITATIONS_PER_ADDRESS_PER_DAY == 3


def test_the_address_limit_counts_every_organisation(owner, organisation):
    other = OrganisationFactory()
    MembershipFactory(user=owner, organisation=other, role=Role.OWNER)
    for target in (organisation, other, organisation):
        invitation = services.invitation_create(
            organisation=target, email="x@example.org", role=Role.VIEWER, by=owner
        )
        services.invitation_revoke(invitation=invitation, by=owner)
    with pytest.raises(ValidationError, match="too often"):
        services.invitation_create(
            organisation=other, email="x@example.org", role=Role.VIEWER, by=owner
        )


def test_revoking_an_invitation_that_was_accepted_says_so_and_keeps_it(client, owner, organisation):
    invitee = verified_user("invitee@example.org")
    invitation = services.invitation_create(
        organisation=organisation, email=invitee.email, role=Role.VIEWER, by=owner
    )
    stale = Invitation.objects.get(pk=invitation.pk)  # what the owner's page showed
    services.invitation_accept(invitation=invitation, user=invitee)
    with pytest.raises(ValidationError, match="already been answered"):
        services.invitation_revoke(invitation=stale, by=owner)
    assert Invitation.objects.get(pk=invitation.pk).accepted_at is not None
    assert Membership.objects.filter(user=invitee, organisation=organisation).exists()


def test_accepting_a_withdrawn_invitation_is_a_message_not_a_500(owner, organisation):
    invitee = verified_user("late@example.org")
    invitation = services.invitation_create(
        organisation=organisation, email=invitee.email, role=Role.VIEWER, by=owner
    )
    stale = Invitation.objects.get(pk=invitation.pk)
    services.invitation_revoke(invitation=invitation, by=owner)
    with pytest.raises(ValidationError, match="withdrawn"):
        services.invitation_accept(invitation=stale, user=invitee)
    assert not Membership.objects.filter(user=invitee, organisation=organisation).exists()


def test_a_double_submitted_invitation_is_refused_not_a_500(client, owner, organisation):
    client.force_login(owner)
    url = reverse("organisations:members", args=[organisation.slug])
    first = client.post(url, {"email": "twice@example.org", "role": "viewer"})
    second = client.post(url, {"email": "twice@example.org", "role": "viewer"})
    assert first.status_code == 302
    assert second.status_code == 200
    assert Invitation.objects.filter(email="twice@example.org").count() == 1


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks need concurrent transactions"
)
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("trial", range(4))
def test_revoke_and_accept_at_once_have_one_outcome(trial):
    owner = verified_user(f"owner{trial}@example.org")
    organisation = OrganisationFactory()
    MembershipFactory(user=owner, organisation=organisation, role=Role.OWNER)
    invitee = verified_user(f"invitee{trial}@example.org")
    invitation = services.invitation_create(
        organisation=organisation, email=invitee.email, role=Role.VIEWER, by=owner
    )
    barrier = threading.Barrier(2)
    outcomes = {}

    def run(name, action):
        try:
            barrier.wait()
            action()
            outcomes[name] = "done"
        except ValidationError:
            outcomes[name] = "refused"
        finally:
            connections.close_all()

    threads = [
        threading.Thread(
            target=run,
            args=("revoke", lambda: services.invitation_revoke(invitation=invitation, by=owner)),
        ),
        threading.Thread(
            target=run,
            args=(
                "accept",
                lambda: services.invitation_accept(invitation=invitation, user=invitee),
            ),
        ),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes.values()) == ["done", "refused"], outcomes
    joined = Membership.objects.filter(user=invitee, organisation=organisation).exists()
    kept = Invitation.objects.filter(pk=invitation.pk).exists()
    if outcomes["revoke"] == "done":
        assert not joined and not kept
    else:
        assert joined and kept, "the accepted record stays"


def test_an_invitation_subject_never_carries_the_organisations_name(
    client, owner, django_capture_on_commit_callbacks
):
    # The name is the inviter's choice and the address anyone's: in a subject it would
    # make PartnerHub relay whatever the name says. The body names it, escaped in HTML.
    spam = OrganisationFactory(
        name='Claim your prize <a href="http://spam.example/">here</a> & win'
    )
    MembershipFactory(user=owner, organisation=spam, role=Role.OWNER)
    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("organisations:members", args=[spam.slug]),
            {"email": "stranger@example.org", "role": "viewer"},
        )
    assert response.status_code == 302
    [message] = mail.outbox
    assert message.subject == "[PartnerHub] You are invited to join an organisation on PartnerHub"
    assert "prize" not in message.subject and "spam.example" not in message.subject
    assert f"“{spam.name}”" in message.body  # plain text: the name as written, quoted
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    assert (
        "“Claim your prize &lt;a href=&quot;http://spam.example/&quot;&gt;here&lt;/a&gt; &amp; win”"
        in html
    )
    assert '<a href="http://spam.example/">' not in html
    assert 'href="http://testserver/organisations/invitations/"' in html
