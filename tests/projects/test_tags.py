import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template
from django.test import RequestFactory

from projects.models import ApplicationStatus, IdeaStatus
from tests.factories import OrganisationFactory, PartnershipApplicationFactory, ProjectIdeaFactory

pytestmark = pytest.mark.django_db


def render(organisation, user):
    request = RequestFactory().get("/")
    request.user = user
    template = Template("{% load projects_tags %}{% organisation_ideas organisation %}")
    return template.render(Context({"request": request, "organisation": organisation}))


def test_profile_lists_open_ideas_and_partnerships(organisation, outsider):
    ProjectIdeaFactory(lead=organisation, title="Open lead idea")
    ProjectIdeaFactory(lead=organisation, title="Secret draft", status=IdeaStatus.DRAFT)
    ProjectIdeaFactory(lead=organisation, title="Closed idea", status=IdeaStatus.CLOSED)
    other = ProjectIdeaFactory(lead=OrganisationFactory(name="Kaunas Lead"), title="Joined idea")
    PartnershipApplicationFactory(
        idea=other, organisation=organisation, status=ApplicationStatus.ACCEPTED
    )
    pending = ProjectIdeaFactory(title="Pending idea")
    PartnershipApplicationFactory(idea=pending, organisation=organisation)

    for user in (AnonymousUser(), outsider):
        html = render(organisation, user)
        assert "Open lead idea" in html
        assert "Joined idea" in html and "Kaunas Lead" in html
        assert "Secret draft" not in html
        assert "Closed idea" not in html
        assert "Pending idea" not in html


def test_members_also_see_their_drafts(organisation, member):
    ProjectIdeaFactory(lead=organisation, title="Secret draft", status=IdeaStatus.DRAFT)
    html = render(organisation, member)
    assert "Secret draft" in html
    assert "Draft" in html


def test_nothing_to_show(organisation):
    assert "No open project ideas" in render(organisation, AnonymousUser())
