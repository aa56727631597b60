"""The partners page and its actions: who may see, invite and dismiss."""

import pytest
from django.template import Context, Template
from django.urls import reverse

from matching.models import Dismissal
from projects.models import ApplicationKind, PartnershipApplication
from tests.factories import OrganisationFactory, ProjectIdeaFactory

THEMES = ["volunteering-solidarity", "inclusion-diversity"]


@pytest.fixture
def idea(organisation):
    organisation.country = "LV"
    organisation.save()
    return ProjectIdeaFactory(lead=organisation, slug="volunteers", themes=THEMES)


@pytest.fixture
def partner(db):
    return OrganisationFactory(slug="partner", name="Partner NGO", country="LT", themes=THEMES)


def page(idea):
    return reverse("matching:idea-partners", kwargs={"slug": idea.slug})


def action(name, idea, partner):
    return reverse(f"matching:{name}", kwargs={"slug": idea.slug, "organisation": partner.slug})


def test_anonymous_is_sent_to_login(client, idea):
    response = client.get(page(idea))
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_an_outsider_gets_404(client, outsider, idea):
    client.force_login(outsider)
    assert client.get(page(idea)).status_code == 404


def test_an_unknown_idea_gets_404(client, owner):
    client.force_login(owner)
    assert client.get("/ideas/no-such-idea/partners/").status_code == 404


def test_a_viewer_sees_suggestions_without_buttons(client, member, idea, partner):
    client.force_login(member)
    response = client.get(page(idea))
    assert response.status_code == 200
    assert "Partner NGO" in response.text
    assert action("invite", idea, partner) not in response.text


def test_the_owner_sees_score_bars_reasons_and_buttons(client, owner, idea, partner):
    client.force_login(owner)
    response = client.get(page(idea))
    assert response.status_code == 200
    text = response.text
    assert 'class="bar"' in text and "shares 2 of 2 themes" in text
    assert action("invite", idea, partner) in text
    assert action("dismiss", idea, partner) in text


@pytest.mark.parametrize("name", ["invite", "dismiss", "undo-dismiss"])
def test_actions_refuse_anonymous_outsider_and_viewer(
    client, member, outsider, idea, partner, name
):
    url = action(name, idea, partner)
    response = client.post(url)
    assert response.status_code == 302 and "/accounts/login/" in response.url
    client.force_login(outsider)
    assert client.post(url).status_code == 404
    client.force_login(member)
    assert client.post(url).status_code == 403
    assert not PartnershipApplication.objects.exists() and not Dismissal.objects.exists()


def test_actions_need_post(client, owner, idea, partner):
    client.force_login(owner)
    assert client.get(action("invite", idea, partner)).status_code == 405


def test_the_owner_invites_a_suggested_partner_with_the_score_recorded(
    client, owner, idea, partner
):
    client.force_login(owner)
    response = client.post(action("invite", idea, partner), follow=True)
    assert response.status_code == 200
    application = PartnershipApplication.objects.get()
    assert application.organisation == partner and application.kind == ApplicationKind.INVITATION
    assert application.score and application.score_components["goals"] == 100
    assert application.score_reasons
    assert "invited" in response.text  # the state replaces the button
    assert action("invite", idea, partner) not in response.text


def test_an_editor_dismisses_and_brings_back_a_suggestion(client, editor, idea, partner):
    client.force_login(editor)
    response = client.post(action("dismiss", idea, partner), follow=True)
    assert Dismissal.objects.filter(idea=idea, organisation=partner).exists()
    assert action("invite", idea, partner) not in response.text
    assert action("undo-dismiss", idea, partner) in response.text
    client.post(action("undo-dismiss", idea, partner))
    assert not Dismissal.objects.exists()
    assert action("invite", idea, partner) in client.get(page(idea)).text


def test_the_weights_page_is_for_staff_only(client, owner, staff):
    url = reverse("matching:weights")
    client.force_login(owner)
    assert client.get(url).status_code == 302
    client.force_login(staff)
    response = client.get(url)
    assert response.status_code == 200 and "<td>0.50</td>" in response.text  # track record (0.5)


def test_the_complementary_organisations_tag(rf, partner):
    school = OrganisationFactory(slug="school", kind="school", country="LV", themes=THEMES)
    html = Template(
        "{% load matching_tags %}{% complementary_organisations organisation %}"
    ).render(Context({"organisation": school, "request": rf.get("/")}))
    assert "Complementary organisations" in html and "Partner NGO" in html


def test_the_dashboard_shows_ideas_for_you(client, owner, organisation):
    ProjectIdeaFactory(title="Volunteering exchange in Kaunas", themes=THEMES)
    client.force_login(owner)
    response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    assert "Volunteering exchange in Kaunas" in response.text
