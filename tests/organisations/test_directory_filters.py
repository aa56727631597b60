"""The directory's new filters and sorts, visibility through the facet index, and its upkeep."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from organisations.directory import directory_index
from organisations.models import Organisation
from organisations.taxonomy import Programme, Theme
from projects.models import IdeaStatus
from tests.factories import MembershipFactory, OrganisationFactory, ProjectIdeaFactory

pytestmark = pytest.mark.django_db

URL = reverse("organisations:list")


@pytest.fixture(autouse=True)
def fresh_index():
    directory_index.clear()
    yield
    directory_index.clear()


def names(response) -> list[str]:
    assert response.status_code == 200
    return [organisation.name for organisation in response.context["organisation_list"]]


def facet(response, name):
    return {f.name: f for f in response.context["facets"]}[name]


@pytest.fixture
def three(db):
    erasmus = Programme.objects.get(code="erasmus-plus")
    listed = OrganisationFactory(
        name="Lists Erasmus",
        is_verified=True,
        description="We run non-formal learning activities for young people in three towns, all year.",
    )
    listed.programmes.set([erasmus])
    with_idea = OrganisationFactory(
        name="Has an Interreg idea",
        website="https://x.example",
        description="We run non-formal learning activities for young people in three towns, all year.",
    )
    ProjectIdeaFactory(lead=with_idea, programme=Programme.objects.get(code="interreg"))
    plain = OrganisationFactory(name="Plain", description="")
    ProjectIdeaFactory(lead=plain, status=IdeaStatus.DRAFT)
    return listed, with_idea, plain


def test_programme_filter_finds_listed_programmes_and_open_ideas_in_it(client, three):
    listed, with_idea, _plain = three
    assert names(client.get(URL, {"programme": "erasmus-plus"})) == [listed.name]
    assert names(client.get(URL, {"programme": "interreg"})) == [with_idea.name]
    both = client.get(URL, {"programme": ["erasmus-plus", "interreg"]})
    assert set(names(both)) == {listed.name, with_idea.name}
    counts = {option.value: option.count for option in facet(both, "programme").options}
    assert counts["erasmus-plus"] == 1 and counts["interreg"] == 1


def test_has_open_ideas_ignores_drafts(client, three):
    _listed, with_idea, _plain = three
    response = client.get(URL, {"has_ideas": "yes"})
    assert names(response) == [with_idea.name]
    assert facet(response, "has_ideas").options[0].count == 1


def test_verified_filter(client, three):
    listed, with_idea, plain = three
    assert names(client.get(URL, {"verified": "yes"})) == [listed.name]
    assert set(names(client.get(URL, {"verified": "no"}))) == {with_idea.name, plain.name}
    assert len(names(client.get(URL, {"verified": ["yes", "no"]}))) == 3


def test_sort_by_name_updated_and_completeness(client, three):
    listed, with_idea, plain = three
    by_name = names(client.get(URL, {"sort": "name"}))
    assert by_name == sorted(by_name, key=str.lower)
    Organisation.objects.filter(pk=plain.pk).update(updated_at=timezone.now())
    Organisation.objects.filter(pk=listed.pk).update(
        updated_at=timezone.now() - datetime.timedelta(days=30)
    )
    assert names(client.get(URL, {"sort": "updated"}))[0] == plain.name
    by_completeness = names(client.get(URL, {"sort": "completeness"}))
    # A description and a website beat a description alone, which beats a short one.
    assert by_completeness == [with_idea.name, listed.name, plain.name]


def test_an_unknown_sort_is_ignored_with_a_notice(client, three):
    response = client.get(URL, {"sort": "bogus"})
    assert len(names(response)) == 3
    assert any("bogus" in str(notice) for notice in response.context["notices"])


def test_filters_combine_and_counts_stay_disjunctive(client, db):
    theme = Theme.objects.get(code="inclusion-diversity")
    for country in ("LV", "LV", "LT", "EE"):
        organisation = OrganisationFactory(country=country)
        organisation.themes.set([theme])
    response = client.get(URL, {"country": "LV", "theme": "inclusion-diversity"})
    assert len(names(response)) == 2
    countries = {option.value: option.count for option in facet(response, "country").options}
    assert countries == {"LV": 2, "LT": 1, "EE": 1}


def test_the_index_follows_every_kind_of_write(client, db):
    organisation = OrganisationFactory(name="Before", country="LV")
    assert names(client.get(URL, {"country": "LV"})) == ["Before"]
    # A queryset update (no save(), no signal) is seen through the change log.
    Organisation.objects.filter(pk=organisation.pk).update(country="LT", name="After")
    assert names(client.get(URL, {"country": "LT"})) == ["After"]
    # A taxonomy added after the row.
    organisation.themes.set([Theme.objects.get(code="sport-physical-activity")])
    assert names(client.get(URL, {"theme": "sport-physical-activity"})) == ["After"]
    # Deleted, and a new one.
    organisation.delete()
    OrganisationFactory(name="New", country="EE")
    assert names(client.get(URL)) == ["New"]


def test_hidden_and_inactive_profiles_only_for_members_and_staff(client, db):
    OrganisationFactory(name="Public")
    inactive = OrganisationFactory(name="Inactive", is_active=False)
    member = MembershipFactory(organisation=inactive).user
    assert names(client.get(URL)) == ["Public"]
    client.force_login(member)
    assert set(names(client.get(URL))) == {"Public", "Inactive"}


def test_a_changed_profile_is_found_by_its_new_words(client, db):
    organisation = OrganisationFactory(description="Sports for everyone.")
    assert names(client.get(URL, {"q": "choir"})) == []
    organisation.description = "A choir for everyone."
    organisation.save()
    assert names(client.get(URL, {"q": "choirs"})) == [organisation.name]
