import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from partnerhub import search
from projects.models import Call, IdeaStatus, ProjectIdea
from tests.factories import CallFactory, OrganisationFactory, ProjectIdeaFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def test_visible_to_hides_drafts_from_everyone_but_their_organisation(
    organisation, owner, member, outsider, staff
):
    draft = ProjectIdeaFactory(lead=organisation, status=IdeaStatus.DRAFT)
    published = ProjectIdeaFactory(status=IdeaStatus.OPEN)

    for user in (owner, member, staff):
        assert set(ProjectIdea.objects.visible_to(user)) == {draft, published}
    for user in (outsider, AnonymousUser()):
        assert set(ProjectIdea.objects.visible_to(user)) == {published}


def test_visible_to_hides_ideas_of_inactive_organisations(outsider):
    ProjectIdeaFactory(lead=OrganisationFactory(is_active=False))
    assert not ProjectIdea.objects.visible_to(outsider).exists()
    assert not ProjectIdea.objects.visible_to(AnonymousUser()).exists()


def test_an_idea_past_its_closing_date_closes_itself():
    idea = ProjectIdeaFactory(status=IdeaStatus.OPEN, closes_on=TODAY - datetime.timedelta(days=1))

    assert not ProjectIdea.objects.open().exists()
    assert list(ProjectIdea.objects.closed()) == [idea]
    assert idea.effective_status == IdeaStatus.CLOSED
    assert not idea.is_open


def test_open_or_own_drafts_is_the_default_listing(organisation, owner, outsider):
    draft = ProjectIdeaFactory(lead=organisation, status=IdeaStatus.DRAFT)
    open_idea = ProjectIdeaFactory()
    ProjectIdeaFactory(status=IdeaStatus.CLOSED)
    ProjectIdeaFactory(status=IdeaStatus.ARCHIVED)

    assert set(ProjectIdea.objects.open_or_own_drafts(owner)) == {draft, open_idea}
    assert set(ProjectIdea.objects.open_or_own_drafts(outsider)) == {open_idea}


def test_saving_an_idea_keeps_its_search_text_without_diacritics():
    idea = ProjectIdeaFactory(title="Jauniešu brīvprātīgais darbs Liepājā")
    # The search document holds stems without diacritics (partnerhub.search).
    assert search.stem("Liepaja") in idea.search_text.split()
    assert search.stem("jauniesu") in idea.search_text.split()


def test_call_open_and_eligible_for_country():
    any_country = CallFactory(eligible_countries=[])
    baltic = CallFactory(eligible_countries=["LV", "LT", "EE"])
    CallFactory(eligible_countries=["NO", "IS"])
    CallFactory(deadline=TODAY - datetime.timedelta(days=1))

    assert Call.objects.open().count() == 3
    assert set(Call.objects.open().eligible_for_country("lt")) == {any_country, baltic}


def test_call_rules_come_from_its_fields():
    call = CallFactory.build(
        min_organisations=3,
        min_countries=2,
        eligible_countries=["LV", "NO"],
        required_countries=["NO"],
        required_group_label="a donor state",
        allowed_kinds=["association"],
    )
    rules = call.rules
    assert rules.eligible_countries == frozenset({"LV", "NO"})
    assert rules.required_countries == frozenset({"NO"})
    assert rules.allowed_kinds == frozenset({"association"})
    assert (rules.min_organisations, rules.min_countries) == (3, 2)
