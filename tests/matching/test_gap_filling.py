"""Suggestions fill what the call still needs first, never show what the call forbids,
and explain themselves without contradiction (issue 9, point 4)."""

import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matching import services
from matching.features import Member, need_for
from matching.ranking import FeatureMatrix, top_k
from matching.scoring import Candidate, fills_gap, is_eligible, rank, score
from organisations.models import Membership, Organisation, Role
from projects.eligibility import Rules
from projects.models import Call, IdeaStatus, ProjectIdea
from tests.factories import CallFactory, OrganisationFactory, ProjectIdeaFactory

TODAY = datetime.date(2026, 12, 1)
COUNTRIES = ["LV", "LT", "EE", "PL", "NO", "IS", "CZ", "UA"]
KINDS = ["association", "municipality", "school", "company"]
THEMES = ["inclusion-diversity", "volunteering-solidarity", "environment-climate"]


def _candidate(i, country, kind="association", themes=(), region=""):
    return Candidate(
        id=i,
        slug=f"org-{i}",
        name=f"Organisation {i}",
        kind=kind,
        sector="ngo"
        if kind == "association"
        else "public"
        if kind == "municipality"
        else "private",
        country=country,
        updated_on=TODAY,
        themes=frozenset(themes),
        region=region,
    )


# --- properties over random calls, consortia and candidates ------------------------------

rules_strategy = st.builds(
    lambda orgs, countries, group, each, eligible, kinds, partners: Rules(
        min_organisations=max(orgs, countries),
        min_countries=countries,
        required_countries=frozenset(group),
        required_each=frozenset(each),
        eligible_countries=frozenset(eligible) | frozenset(group) | frozenset(each)
        if eligible
        else frozenset(),
        allowed_kinds=frozenset(kinds),
        partners_allowed=partners or max(orgs, countries) == 1,
    ),
    st.integers(1, 4),
    st.integers(1, 4),
    st.sets(st.sampled_from(COUNTRIES), max_size=3),
    st.sets(st.sampled_from(COUNTRIES), max_size=2),
    st.sets(st.sampled_from(COUNTRIES), max_size=6),
    st.sets(st.sampled_from(KINDS), max_size=3),
    st.booleans(),
)
candidates_strategy = st.lists(
    st.tuples(st.sampled_from(COUNTRIES), st.sampled_from(KINDS), st.sets(st.sampled_from(THEMES))),
    min_size=1,
    max_size=12,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rules=rules_strategy,
    lead_country=st.sampled_from(COUNTRIES),
    partner_countries=st.lists(st.sampled_from(COUNTRIES), max_size=3),
    sought=st.sets(st.sampled_from(COUNTRIES), max_size=3),
    pool=candidates_strategy,
)
def test_ranking_and_reasons_over_random_calls(
    rules, lead_country, partner_countries, sought, pool
):
    need = need_for(
        lead=Member(1000, "Lead", lead_country, "association"),
        lead_experience="some",
        partners=[
            Member(1001 + i, f"P{i}", c, "association") for i, c in enumerate(partner_countries)
        ],
        rules=rules,
        themes=THEMES[:2],
        countries_sought=sought,
    )
    candidates = [_candidate(i, c, k, t) for i, (c, k, t) in enumerate(pool, start=1)]
    ranked = rank(candidates, need, today=TODAY, limit=len(candidates))
    by_id = {c.id: c for c in candidates}

    # Forbidden candidates are never shown.
    for result in ranked:
        candidate = by_id[result.candidate_id]
        assert is_eligible(candidate, need)
        assert not rules.eligible_countries or candidate.country in rules.eligible_countries
        assert not rules.allowed_kinds or candidate.kind in rules.allowed_kinds
    if not rules.partners_allowed:
        assert ranked == []

    # Gap-fillers first, whatever their totals; the NumPy ranker agrees.
    flags = [fills_gap(by_id[r.candidate_id], need) for r in ranked]
    assert flags == sorted(flags, reverse=True)
    matrix = FeatureMatrix.from_candidates(candidates)
    assert top_k(matrix, need, today=TODAY, limit=len(candidates)) == [
        (r.candidate_id, r.total) for r in ranked
    ]

    for result in ranked:
        candidate = by_id[result.candidate_id]
        reasons = {c.name: c.reason for c in result.components}
        country = reasons["country"]
        # One sentence per component: no "; " joins in the country reason.
        assert ";" not in country
        # The reason says the call still needs it exactly when the page's group does.
        says_fills = "the call still needs" in country or "which the call requires" in country
        assert says_fills == fills_gap(candidate, need), (country, need)
        # Sought and not sought never both; "sought" only when the idea names countries.
        says_sought = "a country you seek" in country and "not a country you seek" not in country
        says_not_sought = (
            "not a country you seek" in country or "not among the countries" in country
        )
        assert not (says_sought and says_not_sought)
        assert says_sought == (bool(sought) and candidate.country in sought)
        # Already in the consortium and new to it never both, and agree with the consortium.
        says_present = "already in the consortium" in country
        assert says_present == (candidate.country in need.member_countries and not says_fills) or (
            says_fills and not says_present
        )
        # A kind sought and not sought never both ("not a kind sought" contains the other).
        assert reasons["sector"].count("a kind sought") <= 1


def test_a_region_outside_the_programme_area_is_never_suggested():
    rules = Rules(
        min_organisations=2,
        min_countries=2,
        eligible_countries=frozenset({"LV", "LT"}),
        required_each=frozenset({"LV", "LT"}),
        eligible_regions=frozenset({"LV003", "LT023"}),
    )
    need = need_for(
        lead=Member(100, "Lead", "LV", "association"), lead_experience="some", rules=rules
    )
    inside = _candidate(1, "LT", region="LT023")
    outside = _candidate(2, "LT", region="LT011")
    unknown = _candidate(3, "LT")
    ranked = [s.candidate_id for s in rank([inside, outside, unknown], need, today=TODAY, limit=5)]
    assert ranked == [1, 3] or ranked == [3, 1]
    assert [
        i
        for i, _ in top_k(
            FeatureMatrix.from_candidates([inside, outside, unknown]), need, today=TODAY, limit=5
        )
    ] == ranked


def test_a_call_without_partners_suggests_no_one():
    need = need_for(
        lead=Member(100, "Lead", "LV", "association"),
        lead_experience="some",
        rules=Rules(partners_allowed=False),
    )
    assert rank([_candidate(1, "LV")], need, today=TODAY, limit=5) == []


def test_partner_only_countries_are_suggested():
    rules = Rules(eligible_countries=frozenset({"LV", "UA"}), applicant_countries=frozenset({"LV"}))
    need = need_for(
        lead=Member(100, "Lead", "LV", "association"), lead_experience="some", rules=rules
    )
    assert [s.candidate_id for s in rank([_candidate(1, "UA")], need, today=TODAY, limit=5)] == [1]


def test_a_strong_same_country_candidate_ranks_below_a_weak_gap_filler():
    rules = Rules(min_organisations=3, min_countries=3)
    need = need_for(
        lead=Member(100, "Lead", "LV", "association"),
        lead_experience="some",
        rules=rules,
        themes=THEMES,
        countries_sought={"LV"},
    )
    strong_latvian = _candidate(1, "LV", themes=THEMES)
    weak_czech = _candidate(2, "CZ")
    assert (
        score(strong_latvian, need, today=TODAY).total > score(weak_czech, need, today=TODAY).total
    )
    assert [
        s.candidate_id for s in rank([strong_latvian, weak_czech], need, today=TODAY, limit=2)
    ] == [2, 1]


# --- on the demo data ------------------------------------------------------------------------


@pytest.fixture
def demo(db):
    call_command("load_demo_data", "--i-know-this-is-not-production", stdout=io.StringIO())


def _ka220_latvian_idea():
    return ProjectIdea.objects.get(
        call__code="KA220-YOU-2027-R1", lead__country="LV", status=IdeaStatus.OPEN
    )


def test_demo_ka220_latvian_lead_gets_no_latvian_partner_above_the_divider(demo, client):
    idea = _ka220_latvian_idea()
    suggestions = services.suggest_partners(idea=idea, limit=20)
    filling = [s for s in suggestions if s.fills]
    assert filling and all(s.country != "LV" for s in filling)
    # The fillers come first; Latvians (if any) only after them.
    assert [s.fills for s in suggestions] == sorted((s.fills for s in suggestions), reverse=True)

    owner = Membership.objects.filter(organisation=idea.lead, role=Role.OWNER).first().user
    client.force_login(owner)
    html = client.get(
        reverse("matching:idea-partners", kwargs={"slug": idea.slug})
    ).content.decode()
    assert "Fill what the call needs" in html
    above = html.split('id="suggestion-divider"')[0] if 'id="suggestion-divider"' in html else html
    for suggestion in filling:
        assert f'id="suggestion-{suggestion.slug}"' in above
    latvian = [s for s in suggestions if s.country == "LV"]
    for suggestion in latvian:
        assert f'id="suggestion-{suggestion.slug}"' not in above


def test_suggest_partners_json_keeps_the_same_order(demo):
    idea = _ka220_latvian_idea()
    out = io.StringIO()
    call_command("suggest_partners", idea.slug, "--limit", "20", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert [item["slug"] for item in data] == [
        s.slug for s in services.suggest_partners(idea=idea, limit=20)
    ]
    assert [item["fills"] for item in data] == sorted(
        (item["fills"] for item in data), reverse=True
    )


def test_demo_interreg_idea_is_offered_latvian_partners_first(demo):
    idea = ProjectIdea.objects.filter(
        call__code="INTERREG-LATLIT-2027", lead__country="LT", status=IdeaStatus.OPEN
    ).first()
    suggestions = services.suggest_partners(idea=idea, limit=10)
    filling = [s for s in suggestions if s.fills]
    assert filling and {s.country for s in filling} == {"LV"}
    assert all(s.country in ("LV", "LT") for s in suggestions)
    assert (
        "a partner from Latvia, which the call requires" in filling[0].component_reasons["country"]
    )


def test_a_known_region_outside_the_area_is_left_out_on_the_site(db):
    call = CallFactory(
        code="INTERREG-T",
        eligible_countries=["LV", "LT"],
        required_each=["LV", "LT"],
        eligible_regions=["LV003", "LT023"],
    )
    lead = OrganisationFactory(country="LT", region="LT023")
    idea = ProjectIdeaFactory(lead=lead, call=call, status=IdeaStatus.OPEN)
    riga = OrganisationFactory(country="LV", region="LV006", name="Rīgas biedrība")
    kurzeme = OrganisationFactory(country="LV", region="LV003", name="Kurzemes biedrība")
    slugs = {s.slug for s in services.suggest_partners(idea=idea, limit=20)}
    assert kurzeme.slug in slugs
    assert riga.slug not in slugs
    assert Call.objects.filter(code="INTERREG-T").exists()
    assert Organisation.objects.filter(region="LV006").exists()


def test_the_page_groups_are_ranked_apart(demo):
    idea = _ka220_latvian_idea()
    filling, others = services.suggest_partner_groups(idea=idea, limit=20, others=6)
    assert len(filling) == 20 and all(s.fills and s.country != "LV" for s in filling)
    assert others and all(not s.fills and s.country == "LV" for s in others)
    assert [s.score for s in others] == sorted((s.score for s in others), reverse=True)
    assert [s.slug for s in filling] == [
        s.slug for s in services.suggest_partners(idea=idea, limit=20)
    ]


def test_ideas_for_an_organisation_keep_the_same_hard_filters():
    from matching.need_matrix import NeedMatrix, eligible

    interreg = need_for(
        lead=Member(100, "Lead", "LT", "association"),
        lead_experience="some",
        rules=Rules(
            eligible_countries=frozenset({"LV", "LT"}),
            eligible_regions=frozenset({"LV003", "LT023"}),
        ),
    )
    alone = need_for(
        lead=Member(101, "Lead", "LV", "association"),
        lead_experience="some",
        rules=Rules(partners_allowed=False),
    )
    open_call = need_for(lead=Member(102, "Lead", "LV", "association"), lead_experience="some")
    matrix = NeedMatrix([1, 2, 3], [interreg, alone, open_call])
    riga = _candidate(1, "LV", region="LV006")
    kurzeme = _candidate(2, "LV", region="LV003")
    unknown = _candidate(3, "LV")
    assert eligible(matrix, riga).tolist() == [False, False, True]
    assert eligible(matrix, kurzeme).tolist() == [True, False, True]
    assert eligible(matrix, unknown).tolist() == [True, False, True]
    for candidate in (riga, kurzeme, unknown):
        assert eligible(matrix, candidate).tolist() == [
            is_eligible(candidate, need) for need in (interreg, alone, open_call)
        ]
