"""Suggestions: who is ranked, who is left out, what the reasons say, and how many queries."""

import datetime
from unittest import mock

import pytest
from django.utils import timezone

from matching import ranking, services
from matching.cache import features
from matching.features import idea_queryset
from matching.models import Dismissal
from organisations.models import Kind, Organisation
from organisations.taxonomy import Theme
from projects.models import ApplicationKind, ApplicationStatus
from tests.factories import (
    CallFactory,
    DismissalFactory,
    OrganisationFactory,
    PartnershipApplicationFactory,
    ProjectIdeaFactory,
)

THEMES = ["volunteering-solidarity", "inclusion-diversity"]


@pytest.fixture
def idea(db):
    lead = OrganisationFactory(name="Lead", slug="lead", country="LV", themes=THEMES)
    idea = ProjectIdeaFactory(lead=lead, slug="volunteers", title="Volunteers", themes=THEMES)
    return idea_queryset().get(pk=idea.pk)


def _partners(idea, limit=20):
    return services.suggest_partners(idea=idea_queryset().get(pk=idea.pk), limit=limit)


def _slugs(suggestions):
    return [s.slug for s in suggestions]


def test_the_best_match_comes_first_and_the_lead_is_never_suggested(idea):
    OrganisationFactory(slug="unrelated", country="LT", themes=["sport-physical-activity"])
    OrganisationFactory(slug="match", country="LT", themes=THEMES, languages=["en"])
    slugs = _slugs(_partners(idea))
    assert slugs[0] == "match"
    assert "lead" not in slugs
    assert set(slugs) == {"match", "unrelated"}


def test_inactive_consortium_members_and_dismissed_are_left_out(idea):
    OrganisationFactory(slug="inactive", is_active=False)
    member = OrganisationFactory(slug="member")
    PartnershipApplicationFactory(idea=idea, organisation=member, status=ApplicationStatus.ACCEPTED)
    DismissalFactory(idea=idea, organisation=OrganisationFactory(slug="dismissed"))
    OrganisationFactory(slug="kept")
    assert _slugs(_partners(idea)) == ["kept"]


def test_the_call_excludes_countries_and_kinds_it_does_not_accept(db):
    call = CallFactory(eligible_countries=["LV", "LT"], allowed_kinds=[Kind.ASSOCIATION])
    idea = ProjectIdeaFactory(call=call, lead=OrganisationFactory(country="LV"))
    OrganisationFactory(slug="norwegian", country="NO")
    OrganisationFactory(slug="school", country="LT", kind=Kind.SCHOOL)
    OrganisationFactory(slug="ok", country="LT")
    assert _slugs(_partners(idea)) == ["ok"]


def test_applied_and_invited_organisations_show_their_state(idea):
    applied = OrganisationFactory(slug="applied")
    invited = OrganisationFactory(slug="invited")
    PartnershipApplicationFactory(idea=idea, organisation=applied)
    PartnershipApplicationFactory(idea=idea, organisation=invited, kind=ApplicationKind.INVITATION)
    states = {s.slug: s.state for s in _partners(idea)}
    assert states == {"applied": "applied", "invited": "invited"}


def test_a_warm_suggestion_call_takes_at_most_five_queries(idea, django_assert_max_num_queries):
    for n in range(30):
        OrganisationFactory(country=["LT", "EE", "PL"][n % 3], themes=THEMES[: n % 3])
    _partners(idea)  # warms the cache
    # the idea, its codes, applications and dismissals, the consortium's past partners,
    # the log poll
    with django_assert_max_num_queries(5):
        loaded = idea_queryset().get(pk=idea.pk)
        suggestions = services.suggest_partners(idea=loaded, limit=20)
    assert len(suggestions) == 20


def test_a_profile_change_in_the_database_is_seen_by_the_next_call(idea):
    other = OrganisationFactory(slug="other", country="LT", themes=["sport-physical-activity"])
    OrganisationFactory(slug="rival", country="LT", themes=THEMES[:1])
    assert _slugs(_partners(idea))[0] == "rival"
    other.themes.set(Theme.objects.filter(code__in=THEMES))  # relations only, no save()
    assert _slugs(_partners(idea))[0] == "other"
    assert features.last_load.kind == "incremental"


def test_an_update_that_sets_updated_at_is_seen(idea):
    OrganisationFactory(slug="a", country="LT")
    OrganisationFactory(slug="b", country="LT")
    _partners(idea)
    Organisation.objects.filter(slug="b").update(
        country="EE", updated_at=timezone.now() + datetime.timedelta(seconds=1)
    )
    assert {s.slug: s.country for s in _partners(idea)}["b"] == "EE"


def test_deactivation_deletion_and_new_profiles_are_seen(idea):
    a = OrganisationFactory(slug="a")
    b = OrganisationFactory(slug="b")
    assert set(_slugs(_partners(idea))) == {"a", "b"}
    a.is_active = False
    a.save()
    assert _slugs(_partners(idea)) == ["b"]
    b.delete()
    OrganisationFactory(slug="c")  # the count alone would not have moved
    assert _slugs(_partners(idea)) == ["c"]


def test_the_json_shape(idea):
    OrganisationFactory(slug="match", country="LT", themes=THEMES)
    (item,) = services.as_json(_partners(idea))
    assert set(item) == {"slug", "name", "country", "score", "fills", "components", "reasons"}
    assert item["country"] == "LT"
    assert 0 <= item["score"] <= 100
    assert list(item["components"]) == [
        "goals",
        "sector",
        "country",
        "target_groups",
        "language",
        "experience",
        "trust",
        "track_record",
        "relevance",
    ]
    assert all(0 <= v <= 100 for v in item["components"].values())
    assert any("shares 2 of 2 themes" in reason for reason in item["reasons"])


def test_an_empty_idea_gets_suggestions_and_says_what_would_improve_them(db):
    idea = ProjectIdeaFactory(summary="", goals="", title="Something")
    OrganisationFactory(slug="someone", country="LT")
    (suggestion,) = _partners(idea)
    reasons = " ".join(suggestion.reasons)
    assert "add themes to the idea" in reasons
    assert "add the countries you seek" in reasons
    assert "add target groups" in reasons


@pytest.mark.parametrize("limit", [0, 101])
def test_a_limit_outside_1_to_100_is_refused(idea, limit):
    with pytest.raises(ValueError):
        services.suggest_partners(idea=idea, limit=limit)


def test_the_limit_is_respected(idea):
    for _ in range(5):
        OrganisationFactory()
    assert len(_partners(idea, limit=3)) == 3


def test_weights_can_be_overridden_in_settings(settings):
    # goals takes the country's 0.099 (the others keep their defaults, summing to 1)
    settings.MATCHING_WEIGHTS = {"goals": 0.2475, "country": 0.0}
    weights = services.current_weights()
    assert weights.goals == 0.2475 and weights.country == 0.0
    settings.MATCHING_WEIGHTS = {"charm": 1.0}
    with pytest.raises(ValueError):
        services.current_weights()


def test_ideas_for_an_organisation(db):
    partner = OrganisationFactory(slug="partner", country="LT", themes=THEMES)
    good = ProjectIdeaFactory(slug="good", themes=THEMES)
    ProjectIdeaFactory(slug="other", themes=["sport-physical-activity"])
    ProjectIdeaFactory(slug="own", lead=partner, themes=THEMES)
    ProjectIdeaFactory(slug="draft", status="draft", themes=THEMES)
    applied = ProjectIdeaFactory(slug="applied")
    PartnershipApplicationFactory(idea=applied, organisation=partner)
    joined = ProjectIdeaFactory(slug="joined")
    PartnershipApplicationFactory(idea=joined, organisation=partner, status="accepted")
    suggestions = services.suggest_ideas(organisation=partner, limit=10)
    assert _slugs(suggestions)[0] == good.slug
    assert set(_slugs(suggestions)) == {"good", "other", "applied"}
    assert {s.slug: s.state for s in suggestions}["applied"] == "applied"


def test_ideas_for_an_organisation_take_few_queries(db, django_assert_max_num_queries):
    partner = OrganisationFactory()
    for _ in range(10):
        ProjectIdeaFactory(themes=THEMES)
    services.suggest_ideas(organisation=partner, limit=5)
    with django_assert_max_num_queries(4):
        assert len(services.suggest_ideas(organisation=partner, limit=5)) == 5


def test_complementary_organisations_come_from_other_countries_and_sectors(db):
    school = OrganisationFactory(slug="school", kind=Kind.SCHOOL, country="LV", themes=THEMES)
    OrganisationFactory(slug="ngo-abroad", kind=Kind.ASSOCIATION, country="LT", themes=THEMES)
    OrganisationFactory(slug="school-at-home", kind=Kind.SCHOOL, country="LV", themes=THEMES)
    suggestions = services.complementary_organisations(organisation=school, limit=5)
    assert _slugs(suggestions)[0] == "ngo-abroad"
    assert "school" not in _slugs(suggestions)
    assert not any(reason.startswith("add ") for s in suggestions for reason in s.reasons)
    assert not any("; add " in reason for s in suggestions for reason in s.reasons)


def test_a_profile_viewed_again_is_not_ranked_again_until_something_changes(db):
    school = OrganisationFactory(slug="school", kind=Kind.SCHOOL, country="LV", themes=THEMES)
    OrganisationFactory(slug="ngo-abroad", kind=Kind.ASSOCIATION, country="LT", themes=THEMES)
    first = _slugs(services.complementary_organisations(organisation=school, limit=5))
    with mock.patch.object(ranking, "top_k", wraps=ranking.top_k) as ranked:
        assert _slugs(services.complementary_organisations(organisation=school, limit=5)) == first
        assert ranked.call_count == 0  # the memo answered
        # Any change to any organisation moves the cache on: ranked afresh, and seen.
        OrganisationFactory(
            slug="municipality-abroad", kind=Kind.MUNICIPALITY, country="EE", themes=THEMES
        )
        again = _slugs(services.complementary_organisations(organisation=school, limit=5))
        assert ranked.call_count == 1
    assert "municipality-abroad" in again
    assert set(first) < set(again)


def test_dismissal_and_undo(idea, owner):
    partner = OrganisationFactory(slug="partner")
    services.dismissal_create(idea=idea, organisation=partner, by=owner)
    services.dismissal_create(idea=idea, organisation=partner, by=owner)  # idempotent
    assert Dismissal.objects.count() == 1
    assert "partner" not in _slugs(_partners(idea))
    assert services.dismissal_undo(idea=idea, organisation=partner)
    assert "partner" in _slugs(_partners(idea))
