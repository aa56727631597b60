"""Ideas for an organisation: the cached, vectorised path gives what the pure scorer gave.

``reference_suggest_ideas`` is the implementation before the need cache (the
pure scorer over every open idea, Needs built per call), kept here verbatim
in substance as the oracle; the service must return the same suggestions
(ids, order, scores, components, reasons, states) for every organisation.
"""

import datetime
import random
from collections import defaultdict
from io import StringIO

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.utils import timezone

from matching import scoring, services, text
from matching.cache import features
from matching.features import Member, applications_of, build_need, idea_codes, idea_queryset
from matching.for_you import from_visitor_side
from matching.need_cache import load_entries, open_ideas
from organisations.models import Organisation
from organisations.taxonomy import Theme
from projects.models import ApplicationStatus, Call, IdeaStatus, PartnershipApplication, ProjectIdea
from tests.factories import (
    CallFactory,
    MembershipFactory,
    OrganisationFactory,
    PartnershipApplicationFactory,
    ProjectIdeaFactory,
    UserFactory,
)

CONSORTIUM = services._CONSORTIUM


def reference_suggest_ideas(*, organisation, limit, today=None):
    today = today or timezone.localdate()
    record = features.record(organisation.pk)
    if record is None:
        return []
    ideas_qs = idea_queryset().filter(lead__is_active=True).exclude(lead_id=organisation.pk)
    ideas = list(ideas_qs.open(today).order_by())
    ids = [idea.pk for idea in ideas]
    codes = idea_codes(ids)
    partners = defaultdict(list)
    states = {}
    for idea_id, org_id, name, country, kind, status, app_kind in applications_of(
        ids, organisation=organisation.pk
    ):
        if status in CONSORTIUM:
            partners[idea_id].append(Member(org_id, name, str(country), kind))
        if org_id == organisation.pk:
            states[idea_id] = services._state(status, app_kind)
    candidate = record.candidate()
    weights = services.current_weights()
    names = services.labels()
    scored = []
    for idea in ideas:
        need = build_need(idea, codes=codes[idea.pk], partners=partners[idea.pk])
        if not scoring.is_eligible(candidate, need):
            continue
        scored.append((scoring.score(candidate, need, today=today, weights=weights, labels=names),
                       idea))  # fmt: skip
    scored.sort(key=lambda pair: (-pair[0].total, pair[1].pk))
    # The service words the reasons for the organisation reading them (matching/for_you.py).
    return [
        from_visitor_side(
            services._make(
                result,
                pk=idea.pk,
                slug=idea.slug,
                name=idea.title,
                country=str(idea.lead.country),
                url=idea.get_absolute_url(),
                detail=idea.lead.name,
                state=states.get(idea.pk, ("", "")),
            ),
            need=build_need(idea, codes=codes[idea.pk], partners=partners[idea.pk]),
            country=candidate.country,
        )  # fmt: skip
        for result, idea in scored[:limit]
    ]


@pytest.fixture
def world(db):
    """Synthetic organisations and ideas, plus calls with rules and consortia."""
    call_command("generate_synthetic", organisations=120, ideas=90, seed=5, stdout=StringIO())
    rng = random.Random(8)
    calls = [
        CallFactory(min_countries=3),
        CallFactory(eligible_countries=["LV", "LT", "EE", "NO", "IS", "PL"], min_countries=2),
        CallFactory(required_countries=["NO", "IS", "LI"], required_group_label="a donor state",
                    allowed_kinds=["association", "foundation", "municipality", "school"]),
    ]  # fmt: skip
    organisations = list(Organisation.objects.filter(is_active=True).order_by("pk"))
    ideas = list(ProjectIdea.objects.order_by("pk"))
    for idea in ideas[::2]:
        idea.call = rng.choice(calls)
        idea.save()
    for idea in ideas[::3]:
        for organisation in rng.sample(organisations, rng.randint(1, 3)):
            if organisation.pk != idea.lead_id:
                PartnershipApplicationFactory(
                    idea=idea, organisation=organisation,
                    status=rng.choice(["submitted", "accepted", "under-review", "approved", "declined"]),
                )  # fmt: skip
    # Exact ties: ideas that state nothing, led by the same organisation.
    lead = organisations[0]
    for n in range(6):
        ProjectIdeaFactory(lead=lead, title=f"Blank {n}", summary="", goals="")
    return organisations


def _compare(organisations, *, limit=20, today=None):
    for organisation in organisations:
        got = services.suggest_ideas(organisation=organisation, limit=limit, today=today)
        expected = reference_suggest_ideas(organisation=organisation, limit=limit, today=today)
        assert got == expected, organisation.slug


def test_the_same_suggestions_as_the_pure_scorer(world):
    _compare(world[::5])
    _compare(world[:10], limit=100)


def test_a_later_day_drops_ideas_past_their_closing_date_without_a_change(world):
    _compare(world[:5])
    later = timezone.localdate() + datetime.timedelta(days=80)
    loads = open_ideas.last_load
    _compare(world[:10], today=later)
    assert open_ideas.last_load is loads  # no reload: the date is applied per call
    assert ProjectIdea.objects.filter(status="open", closes_on__lt=later).exists()


def test_changes_to_ideas_consortia_calls_and_leads_are_seen(world):
    sample = world[::15]
    _compare(sample)
    idea = ProjectIdea.objects.filter(status="open").order_by("pk").first()
    idea.themes.set(Theme.objects.all()[:5])  # relations only: the signal touches the idea
    _compare(sample)
    assert open_ideas.last_load.kind == "incremental"
    PartnershipApplicationFactory(idea=idea, organisation=world[-1], status="accepted")
    _compare(sample)
    call = Call.objects.first()
    call.min_countries = 4
    call.eligible_countries = ["LV", "LT"]
    call.save()
    _compare(sample)
    lead = idea.lead
    lead.country = "IS"
    lead.save()
    _compare(sample)
    lead.is_active = False
    lead.save()
    _compare(sample)
    other = ProjectIdea.objects.filter(status="open").exclude(lead=lead).order_by("pk").last()
    other.status = IdeaStatus.CLOSED
    other.save()
    _compare(sample)
    assert open_ideas.last_load.kind == "incremental"


def test_deletions_are_seen(world):
    sample = world[::20]
    _compare(sample)
    # The site never hard-deletes an idea with applications (PROTECT); a bare one can go.
    ProjectIdea.objects.filter(status="open", applications__isnull=True).order_by(
        "pk"
    ).first().delete()
    _compare(sample)
    accepted = PartnershipApplication.objects.filter(status="accepted").first()
    accepted.events.all().delete()
    accepted.delete()
    _compare(sample)
    Call.objects.first().delete()  # SET_NULL on the ideas, a bulk update: the log names them
    _compare(sample)
    assert open_ideas.last_load.kind == "incremental"  # deletions no longer rebuild


def test_a_warm_call_takes_three_queries(world, django_assert_max_num_queries):
    organisation = world[4]
    best = services.suggest_ideas(organisation=organisation, limit=20)[3]
    PartnershipApplicationFactory(
        idea=ProjectIdea.objects.get(pk=best.id),
        organisation=organisation,
        status=ApplicationStatus.SUBMITTED,
    )
    services.suggest_ideas(organisation=organisation, limit=20)
    with django_assert_max_num_queries(3):
        found = services.suggest_ideas(organisation=organisation, limit=20)
    assert len(found) == 20
    assert {s.slug: s.state for s in found}[best.slug] == "applied"


def test_inactive_organisations_get_none_and_an_empty_site_none(db):
    inactive = OrganisationFactory(is_active=False)
    assert services.suggest_ideas(organisation=inactive, limit=5) == []
    assert services.suggest_ideas(organisation=OrganisationFactory(), limit=5) == []


def test_cached_needs_carry_the_terms_of_the_ideas_text(world):
    ideas = {idea.pk: idea for idea in ProjectIdea.objects.all()}
    entries = load_entries(timezone.localdate())
    assert entries
    for pk, entry in entries.items():
        idea = ideas[pk]
        texts = (idea.title, idea.summary, idea.goals)
        assert entry.need.terms == text.vector(text.text_stems(*texts))
        assert entry.need.terms


def test_a_site_without_calls_or_applications_refreshes_incrementally(db):
    partner = OrganisationFactory(country="LT")
    ideas = [ProjectIdeaFactory() for _ in range(4)]
    _compare([partner])
    ideas[2].title = "Volunteering for the climate"
    ideas[2].save()
    _compare([partner])
    assert open_ideas.last_load.kind == "incremental"
    PartnershipApplicationFactory(idea=ideas[1], organisation=partner, status="accepted")
    _compare([partner])
    assert open_ideas.last_load.kind == "incremental"
    assert ideas[1].slug not in {
        s.slug for s in services.suggest_ideas(organisation=partner, limit=10)
    }


def test_the_user_filters_nothing_every_open_idea_is_visible(world):
    organisation = world[2]
    member = UserFactory()
    MembershipFactory(user=member, organisation=organisation)
    users = [AnonymousUser(), UserFactory(), member, UserFactory(is_staff=True)]
    expected = services.suggest_ideas(organisation=organisation, limit=100)
    for user in users:
        visible = set(ProjectIdea.objects.visible_to(user).values_list("pk", flat=True))
        assert {s.id for s in expected} <= visible
        assert services.suggest_ideas(organisation=organisation, limit=100, user=user) == expected
