"""The dashboard of the organisation one acts for: ideas, applications, conversations, notifications."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from organisations.models import Role
from projects import partnerships
from projects.models import ApplicationKind, ApplicationStatus
from tests.conftest import verified_user
from tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    PartnershipApplicationFactory,
    ProjectIdeaFactory,
)

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("dashboard")


def fill(organisation, owner, count: int, tag: str = ""):
    """``count`` of each thing the dashboard shows for ``organisation``."""
    partner_owner = verified_user(f"partner{tag}@example.org")
    for number in range(count):
        idea = ProjectIdeaFactory(lead=organisation, title=f"Own idea {tag}{number}")
        applicant = OrganisationFactory(name=f"Applicant {tag}{number}")
        PartnershipApplicationFactory(idea=idea, organisation=applicant)
        invited = OrganisationFactory(name=f"Invited {tag}{number}")
        PartnershipApplicationFactory(
            idea=idea, organisation=invited, kind=ApplicationKind.INVITATION
        )
        other_idea = ProjectIdeaFactory(title=f"Their idea {tag}{number}")
        PartnershipApplicationFactory(
            idea=other_idea, organisation=organisation, status=ApplicationStatus.DECLINED
        )
        PartnershipApplicationFactory(
            idea=ProjectIdeaFactory(title=f"Inviting idea {tag}{number}"),
            organisation=organisation,
            kind=ApplicationKind.INVITATION,
        )
        writer = OrganisationFactory(name=f"Writer {tag}{number}")
        MembershipFactory(user=partner_owner, organisation=writer, role=Role.OWNER)
        partnerships.conversation_start(
            sender=writer,
            recipient=organisation,
            by=partner_owner,
            subject=f"Hello {tag}{number}",
            body="Shall we work together?",
        )


def test_the_dashboard_needs_sign_in(client):
    response = client.get(DASHBOARD)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_the_owner_sees_what_needs_an_answer(client, owner, organisation):
    fill(organisation, owner, 1)
    client.force_login(owner)
    html = client.get(DASHBOARD).content.decode()
    assert "Own idea 0" in html
    assert "1 new application" in html
    assert "Applicant 0 applies to “Own idea 0”" in html
    assert f"{organisation.name} invites you" not in html
    assert "invites you to “Inviting idea 0”" in html
    assert "Waiting for your answer" in html
    assert "Invitation to Invited 0 for “Own idea 0”" in html
    assert "Application to “Their idea 0”" in html
    assert "Declined" in html
    assert "Hello 0" in html
    assert "1 unread" in html
    # the message arrived as a notification for the owner of the recipient
    assert "New message from Writer 0: Hello 0" in html
    application = organisation.applications.first()
    assert f'href="/applications/{application.pk}/"' in html


def test_a_viewer_sees_the_organisations_dashboard_without_others_notifications(
    client, owner, member, organisation
):
    fill(organisation, owner, 1)
    client.force_login(member)
    html = client.get(DASHBOARD).content.decode()
    assert "Applicant 0 applies to “Own idea 0”" in html
    assert "Hello 0" in html
    # notifications are personal: the viewer is not told as a decider
    assert "New message from Writer 0" not in html


def test_an_outsider_sees_nothing_of_another_organisation(client, owner, organisation, outsider):
    fill(organisation, owner, 1)
    client.force_login(outsider)
    html = client.get(DASHBOARD).content.decode()
    # (the open ideas themselves are public, and may be suggested under "Ideas for …")
    for text in ("new application", "Applicant 0", "Hello 0", "Writer 0", "Application to “"):
        assert text not in html


def test_the_dashboard_follows_the_organisation_one_acts_for(client, owner, organisation):
    fill(organisation, owner, 1)
    second = OrganisationFactory(name="Aaa Second")
    MembershipFactory(user=owner, organisation=second, role=Role.OWNER)
    client.force_login(owner)
    client.post(reverse("organisations:switch"), {"organisation": second.slug})
    html = client.get(DASHBOARD).content.decode()
    assert "1 new application" not in html
    assert "Applicant 0" not in html
    assert "No applications or invitations received yet." in html


def test_the_dashboard_costs_the_same_whatever_it_shows(client, owner, organisation):
    fill(organisation, owner, 1, tag="a")
    client.force_login(owner)
    # The first view after a change also refreshes the matching caches ("ideas for you"),
    # once, whatever the number of rows; measure the view itself after that.
    client.get(DASHBOARD)
    with CaptureQueriesContext(connection) as one:
        assert client.get(DASHBOARD).status_code == 200
    fill(organisation, owner, 6, tag="b")
    client.get(DASHBOARD)
    with CaptureQueriesContext(connection) as many:
        html = client.get(DASHBOARD).content.decode()
    assert "Own idea b5" in html
    assert len(many) == len(one), [q["sql"][:120] for q in many.captured_queries]


def test_a_user_without_an_organisation_gets_a_plain_dashboard(client):
    client.force_login(verified_user("new@example.org"))
    html = client.get(DASHBOARD).content.decode()
    assert "You do not belong to an organisation yet." in html
    assert "Applications and invitations" not in html
