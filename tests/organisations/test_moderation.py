"""Moderation: staff hide a profile or an idea from the public with a reason the owners are told."""

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.urls import reverse

from matching import services as matching
from matching.cache import features
from matching.features import idea_queryset
from matching.need_cache import open_ideas
from organisations import services
from organisations.models import Notification, Organisation
from projects.models import ProjectIdea
from tests.conftest import verified_user
from tests.factories import OrganisationFactory, ProjectIdeaFactory

pytestmark = pytest.mark.django_db

THEMES = ["volunteering-solidarity", "inclusion-diversity"]
REASON = "The description advertises paid services, not a partnership."


@pytest.fixture(autouse=True)
def fresh_matching_cache():
    features.clear()
    open_ideas.clear()
    yield
    features.clear()
    open_ideas.clear()


@pytest.fixture
def admin_client(client, staff):
    client.force_login(staff)
    return client


def _hide_organisation(client, organisation, **extra):
    return client.post(
        reverse("admin:organisations_organisation_changelist"),
        {"action": "hide", "_selected_action": [organisation.pk], **extra},
    )


def _hide_idea(client, idea, **extra):
    return client.post(
        reverse("admin:projects_projectidea_changelist"),
        {"action": "hide", "_selected_action": [idea.pk], **extra},
    )


# --- Organisations ---------------------------------------------------------------------------


def test_hiding_a_profile_needs_a_reason_and_tells_its_owners_and_editors(
    admin_client, organisation, owner, editor, member, staff
):
    response = _hide_organisation(admin_client, organisation)
    assert response.status_code == 200  # the page asking for the reason
    assert 'name="note"' in response.content.decode()

    response = _hide_organisation(admin_client, organisation, post="yes", note="")
    assert response.status_code == 200
    assert "Write a note" in response.content.decode()
    organisation.refresh_from_db()
    assert not organisation.is_hidden

    response = _hide_organisation(admin_client, organisation, post="yes", note=REASON)
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.is_hidden and organisation.hidden_reason == REASON
    told = Notification.objects.filter(kind="organisation-hidden")
    assert {n.recipient for n in told} == {owner, editor}  # not the viewer, not staff
    assert all(n.params["note"] == REASON for n in told)
    assert told.first().url == organisation.get_absolute_url()


def test_a_hidden_profile_is_gone_for_the_public_and_explained_to_members(
    client, organisation, owner, member, outsider, staff
):
    services.organisation_hide(organisation=organisation, by=staff, reason=REASON)
    url = organisation.get_absolute_url()
    assert client.get(url).status_code == 404  # anonymous
    assert organisation.name not in client.get(reverse("organisations:list")).content.decode()
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    assert organisation.name not in client.get(reverse("organisations:list")).content.decode()
    for user in (member, owner):
        client.force_login(user)
        page = client.get(url).content.decode()
        assert "have hidden this profile from the public" in page
        assert REASON in page
    assert not Organisation.objects.active().filter(pk=organisation.pk).exists()


def test_showing_again_makes_the_profile_public_and_tells_the_owners(
    admin_client, client, organisation, owner, staff
):
    services.organisation_hide(organisation=organisation, by=staff, reason=REASON)
    response = admin_client.post(
        reverse("admin:organisations_organisation_changelist"),
        {"action": "show", "_selected_action": [organisation.pk]},
    )
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert not organisation.is_hidden and organisation.hidden_reason == ""
    assert Notification.objects.filter(kind="organisation-shown", recipient=owner).exists()
    client.logout()
    page = client.get(organisation.get_absolute_url())
    assert page.status_code == 200
    assert "have hidden this profile" not in page.content.decode()


def test_a_hidden_profile_is_suggested_to_no_one(db, staff):
    lead = OrganisationFactory(country="LV", themes=THEMES)
    partner = OrganisationFactory(country="LT", themes=THEMES)
    idea = ProjectIdeaFactory(lead=lead, themes=THEMES)

    def suggested():
        found = matching.suggest_partners(idea=idea_queryset().get(pk=idea.pk), limit=20)
        return {s.id for s in found}

    assert partner.pk in suggested()
    services.organisation_hide(organisation=partner, by=staff, reason=REASON)
    assert partner.pk not in suggested()
    services.organisation_show(organisation=partner, by=staff)
    assert partner.pk in suggested()


def test_a_reason_is_required_and_bounded(organisation, staff):
    with pytest.raises(ValidationError):
        services.organisation_hide(organisation=organisation, by=staff, reason="  ")
    with pytest.raises(ValidationError):
        services.organisation_hide(organisation=organisation, by=staff, reason="x" * 501)
    organisation.refresh_from_db()
    assert not organisation.is_hidden
    assert not Notification.objects.exists()


def test_staff_without_the_change_permission_cannot_hide(client, organisation):
    from tests.projects.test_review_admin import with_mfa

    clerk = with_mfa(verified_user("clerk@example.org", is_staff=True))
    clerk.user_permissions.add(Permission.objects.get(codename="view_organisation"))
    client.force_login(clerk)
    _hide_organisation(client, organisation, post="yes", note=REASON)
    organisation.refresh_from_db()
    assert not organisation.is_hidden


# --- Ideas ------------------------------------------------------------------------------------


@pytest.fixture
def idea(organisation):
    return ProjectIdeaFactory(lead=organisation, themes=THEMES)


def test_hiding_an_idea_needs_a_reason_and_tells_the_lead(admin_client, idea, owner, member, staff):
    response = _hide_idea(admin_client, idea, post="yes", note="")
    assert "Write a note" in response.content.decode()
    idea.refresh_from_db()
    assert not idea.is_hidden

    response = _hide_idea(admin_client, idea, post="yes", note=REASON)
    assert response.status_code == 302
    idea.refresh_from_db()
    assert idea.is_hidden and idea.hidden_reason == REASON
    told = Notification.objects.get(kind="idea-hidden")
    assert told.recipient == owner and told.params["note"] == REASON


def test_a_hidden_idea_is_gone_for_the_public_and_explained_to_members(
    admin_client, client, idea, owner, member, outsider
):
    _hide_idea(admin_client, idea, post="yes", note=REASON)
    client.logout()
    url = idea.get_absolute_url()
    assert client.get(url).status_code == 404
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    assert idea.title not in client.get(reverse("projects:idea-list")).content.decode()
    for user in (member, owner):
        client.force_login(user)
        page = client.get(url).content.decode()
        assert "have hidden this idea from the public" in page and REASON in page


def test_a_hidden_idea_is_offered_to_no_one_until_shown_again(admin_client, idea, owner):
    partner = OrganisationFactory(country="LT", themes=THEMES)

    def offered():
        return {s.id for s in matching.suggest_ideas(organisation=partner, limit=10)}

    assert idea.pk in offered()
    _hide_idea(admin_client, idea, post="yes", note=REASON)
    assert idea.pk not in offered()
    assert not ProjectIdea.objects.open().filter(pk=idea.pk).exists()
    admin_client.post(
        reverse("admin:projects_projectidea_changelist"),
        {"action": "show", "_selected_action": [idea.pk]},
    )
    idea.refresh_from_db()
    assert not idea.is_hidden
    assert Notification.objects.filter(kind="idea-shown", recipient=owner).exists()
    assert idea.pk in offered()


def test_ideas_of_a_hidden_lead_are_offered_to_no_one(idea, staff, organisation):
    partner = OrganisationFactory(country="LT", themes=THEMES)
    assert idea.pk in {s.id for s in matching.suggest_ideas(organisation=partner, limit=10)}
    services.organisation_hide(organisation=organisation, by=staff, reason=REASON)
    assert idea.pk not in {s.id for s in matching.suggest_ideas(organisation=partner, limit=10)}


def test_members_of_a_visible_profile_see_no_moderation_notice(client, organisation, owner):
    client.force_login(owner)
    page = client.get(organisation.get_absolute_url()).content.decode()
    assert organisation.name in page
    assert "have hidden this profile" not in page
