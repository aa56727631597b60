"""The database layer: rows into Candidates and Needs, in a constant number of queries."""

import pytest
from django.utils import timezone

from matching import text
from matching.features import (
    build_need,
    idea_codes,
    idea_queryset,
    load_candidates,
    load_records,
)
from organisations.completeness import organisation_completeness
from organisations.models import Kind, Organisation
from organisations.taxonomy import FieldOfActivity, Language
from tests.factories import CallFactory, OrganisationFactory, ProjectIdeaFactory, term


@pytest.mark.django_db
def test_candidates_load_in_a_constant_number_of_queries(django_assert_num_queries):
    for n in range(3):
        OrganisationFactory(
            themes=["inclusion-diversity"],
            languages=["en", "lv"],
            fields=["youth-work"],
            target_groups=["young-people"],
            website=f"https://o{n}.example.org",
        )
    # rows, four relations, past projects per programme (track records)
    with django_assert_num_queries(6):
        three = load_candidates()
    for _ in range(10):
        OrganisationFactory(themes=["environment-climate", "sport-physical-activity"])
    with django_assert_num_queries(6):
        thirteen = load_candidates()
    assert len(three) == 3 and len(thirteen) == 13


@pytest.mark.django_db
def test_a_candidate_carries_its_profile_and_the_profile_pages_completeness():
    organisation = OrganisationFactory(
        kind=Kind.MUNICIPALITY,
        country="LT",
        themes=["inclusion-diversity", "youth-policy"],
        fields=["local-government"],
        target_groups=["young-people"],
        languages=["lt", "en"],
        email="info@example.org",
    )
    (candidate,) = load_candidates()
    assert candidate.id == organisation.pk
    assert candidate.sector == "public"
    assert candidate.country == "LT"
    assert candidate.themes == {"inclusion-diversity", "youth-policy"}
    assert candidate.languages == {"lt", "en"}
    # Its text: the stems search stored for it, weighted over every organisation's text.
    assert candidate.terms == text.vector(text.text_stems(organisation.description), text.corpus())
    assert candidate.terms
    assert candidate.updated_on == timezone.localdate(organisation.updated_at)
    full = Organisation.objects.with_taxonomies().get()
    assert candidate.completeness == pytest.approx(organisation_completeness(full).ratio)


@pytest.mark.django_db
def test_inactive_organisations_come_back_only_as_ids():
    active = OrganisationFactory()
    inactive = OrganisationFactory(is_active=False)
    records, inactive_ids = load_records()
    assert [r.id for r in records] == [active.pk]
    assert inactive_ids == [inactive.pk]


@pytest.mark.django_db
def test_the_need_states_what_the_call_still_requires():
    call = CallFactory(
        min_countries=3,
        required_countries=["NO", "IS", "LI"],
        required_group_label="a donor state",
        eligible_countries=["LV", "LT", "NO", "IS", "LI", "PL"],
        allowed_kinds=[Kind.ASSOCIATION, Kind.MUNICIPALITY],
    )
    lead = OrganisationFactory(country="LV", experience="none")
    idea = ProjectIdeaFactory(lead=lead, call=call, themes=["inclusion-diversity"])
    idea.countries_sought = ["PL"]
    idea.kinds_sought = [Kind.MUNICIPALITY]
    idea.language = term(Language, "en")
    idea.save()
    idea.fields_sought.set([term(FieldOfActivity, "youth-work")])
    idea = idea_queryset().get(pk=idea.pk)
    codes = idea_codes([idea.pk])[idea.pk]
    need = build_need(idea, codes=codes, partners=[], exclude=[99999])
    assert need.lead_id == lead.pk and need.lead_experience == "none"
    assert need.member_ids == {lead.pk, 99999}
    assert need.member_countries == {"LV"} and need.member_sectors == {"ngo"}
    assert need.themes == {"inclusion-diversity"} and need.fields_sought == {"youth-work"}
    assert need.countries_sought == {"PL"} and need.kinds_sought == {"municipality"}
    assert need.language == "en"
    assert need.countries_needed == 2
    assert need.required_countries == {"NO", "IS", "LI"}
    assert need.required_group_label == "a donor state (Norway, Iceland or Liechtenstein)"
    assert need.eligible_countries == {"LV", "LT", "NO", "IS", "LI", "PL"}
    assert need.allowed_kinds == {"association", "municipality"}


@pytest.mark.django_db
def test_a_present_required_group_is_no_longer_required():
    call = CallFactory(min_countries=2, required_countries=["NO"])
    idea = ProjectIdeaFactory(lead=OrganisationFactory(country="NO"), call=call)
    idea = idea_queryset().get(pk=idea.pk)
    need = build_need(idea, codes={}, partners=[])
    assert need.required_countries == frozenset()
    assert need.countries_needed == 1


@pytest.mark.django_db
def test_idea_codes_reads_all_three_relations_in_one_query(django_assert_num_queries):
    a = ProjectIdeaFactory(themes=["inclusion-diversity", "youth-policy"])
    b = ProjectIdeaFactory()
    with django_assert_num_queries(1):
        codes = idea_codes([a.pk, b.pk])
    assert codes[a.pk]["themes"] == {"inclusion-diversity", "youth-policy"}
    assert not codes[b.pk].get("themes")
