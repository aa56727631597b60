"""The two list pages as a visitor sees them (issue 14): one layout, filters that offer only what
means something to this visitor, the language switcher, and numbers in the reader's language."""

import re

import pytest
from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from partnerhub.facets import Facet, FacetOption
from partnerhub.formatting import money
from tests.factories import CallFactory, OrganisationFactory, ProjectIdeaFactory

pytestmark = pytest.mark.django_db

IDEAS = reverse("projects:idea-list")
ORGANISATIONS = reverse("organisations:list")


def options_of(html: str, select_id: str) -> list[str]:
    select = re.search(rf'<select[^>]*id="{select_id}".*?</select>', html, re.S).group(0)
    return [
        re.sub(r"\s+", " ", label).strip()
        for label in re.findall(r"<option[^>]*>(.*?)</option>", select, re.S)
    ]


@pytest.mark.parametrize("url", [IDEAS, ORGANISATIONS])
def test_both_lists_share_one_layout(client, url):
    ProjectIdeaFactory()
    html = client.get(url).content.decode()
    # Search and sort on top, in one form with the filters.
    assert html.index('id="id_q"') < html.index('id="id_sort"') < html.index('id="filters"')
    # The filters fold behind a button on phones: a <details> that needs no script.
    assert re.search(r'<details class="filters" id="filters" data-open-wide>\s*<summary', html)
    assert 'class="result-count"' in html
    assert "Clear all" not in html  # nothing chosen yet


@pytest.mark.parametrize(
    ("url", "params", "chips"),
    [
        (IDEAS, {"q": "youth", "status": "closed", "closing_within": "30"}, 3),
        (ORGANISATIONS, {"q": "youth", "country": "LV", "kind": "school"}, 3),
    ],
)
def test_chosen_filters_show_as_chips_with_one_clear_all_and_a_count(client, url, params, chips):
    OrganisationFactory(country="LV", kind="school", description="youth")
    html = client.get(url, params).content.decode()
    assert html.count("Clear all") == 1
    chip_list = re.search(r'<ul class="active-filters".*?</ul>', html, re.S).group(0)
    assert chip_list.count('title="Remove"') == chips
    # The words are not a filter: the button counts the other two.
    summary = re.search(r'<summary class="filters-toggle">(.*?)</summary>', html, re.S).group(1)
    assert '<span class="badge">2' in summary


def test_anonymous_visitors_are_offered_no_drafts_and_open_only_once(client):
    html = client.get(IDEAS).content.decode()
    assert options_of(html, "id_status") == ["Open for partners", "Closed"]
    assert "Drafts of my organisations" not in html


def test_members_are_offered_their_drafts(client, owner):
    client.force_login(owner)
    html = client.get(IDEAS).content.decode()
    assert options_of(html, "id_status") == [
        "Open, and my drafts",
        "Closed",
        "Drafts of my organisations",
    ]
    # The drafts filter still works.
    ProjectIdeaFactory(lead=owner.memberships.get().organisation, status="draft", title="Mine")
    response = client.get(IDEAS, {"status": "draft"})
    assert [idea.title for idea in response.context["object_list"]] == ["Mine"]


def test_the_call_filter_names_calls_by_title_in_alphabetical_order(client):
    for title in ("Youth exchanges", "Active citizens", "Local sport"):
        ProjectIdeaFactory(call=CallFactory(title=title))
    facet = next(f for f in client.get(IDEAS).context["facets"] if f.name == "call")
    assert [option.label for option in facet.options] == [
        "Active citizens",
        "Local sport",
        "Youth exchanges",
    ]


@pytest.mark.parametrize("language", ["en", "lv", "lt"])
def test_the_language_switcher_names_each_language_in_itself(client, language):
    client.cookies["django_language"] = language
    html = client.get("/").content.decode()
    assert options_of(html, "language-select") == ["English", "Latviešu", "Lietuvių"]
    # It changes on selection through the site's own script; no inline script anywhere.
    assert "data-submit-on-change" in html
    assert re.search(r'<script src="[^"]*partnerhub/site\.js[^"]*" defer></script>', html)
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)


def test_the_language_form_still_works_without_javascript(client):
    response = client.post(reverse("set_language"), {"language": "lv", "next": IDEAS}, follow=True)
    assert response.redirect_chain[-1][0] == IDEAS
    assert '<html lang="lv">' in response.content.decode()


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "250,000\u00a0EUR"), ("lv", "250\u00a0000\u00a0EUR"), ("lt", "250\u00a0000\u00a0EUR")],
)
def test_money_is_written_the_same_way_everywhere_in_the_readers_language(
    client, language, expected
):
    with translation.override(language):
        assert money(250000) == expected
    idea = ProjectIdeaFactory(budget=250000)
    client.cookies["django_language"] = language
    assert expected in client.get(idea.get_absolute_url()).content.decode()


def test_an_anonymous_idea_page_invites_to_sign_in_and_links_the_lead(client):
    idea = ProjectIdeaFactory()
    html = client.get(idea.get_absolute_url()).content.decode()
    cta = re.search(r'<div class="idea-actions idea-cta">.*?</div>', html, re.S).group(0)
    assert f"/accounts/login/?next={idea.get_absolute_url()}" in cta
    assert f"/accounts/signup/?next={idea.get_absolute_url()}" in cta
    assert f'led by <a href="{idea.lead.get_absolute_url()}">{idea.lead.name}</a>' in html


def test_a_signed_in_visitor_gets_no_sign_in_invitation(client, outsider):
    idea = ProjectIdeaFactory()
    client.force_login(outsider)
    assert "idea-cta" not in client.get(idea.get_absolute_url()).content.decode()


def test_the_call_list_offers_only_countries_with_organisations(client):
    OrganisationFactory(country="LV")
    OrganisationFactory(country="LT")
    CallFactory()
    html = client.get(reverse("projects:call-list")).content.decode()
    assert options_of(html, "id_country") == ["---------", "Latvia", "Lithuania"]
    assert "Antarctica" not in html


def test_the_call_list_folds_its_filters_like_the_other_lists(client):
    CallFactory()
    OrganisationFactory(country="LV")
    html = client.get(reverse("projects:call-list"), {"country": "LV"}).content.decode()
    assert '<details class="filters" id="filters" data-open-wide>' in html
    summary = re.search(r'<summary class="filters-toggle">(.*?)</summary>', html, re.S).group(1)
    assert '<span class="badge">1' in summary
    assert html.count("Clear all") == 1
    assert '<h2 id="results-title" class="result-count">1 open call</h2>' in html


@pytest.mark.parametrize(
    ("language", "expected"), [("en", "12,345"), ("lv", "12\u00a0345"), ("lt", "12\u00a0345")]
)
def test_facet_counts_are_grouped_in_the_readers_language(language, expected):
    facet = Facet("country", "Country", [FacetOption("LV", "Latvia", 12345, False)])
    with translation.override(language):
        html = render_to_string("partials/_facet.html", {"facet": facet})
    assert re.search(rf'<span class="facet-count" aria-label="[^"]+">{expected}</span>', html)


@pytest.mark.parametrize(
    ("url", "language", "expected"),
    [
        (IDEAS, "en", "12,345 ideas"),
        (ORGANISATIONS, "lv", "12\u00a0345 organizācijas"),
        (reverse("projects:call-list"), "lt", "12\u00a0345 atviri kvietimai"),
    ],
)
def test_result_counts_are_grouped_in_the_readers_language(
    client, monkeypatch, url, language, expected
):
    monkeypatch.setattr(Paginator, "count", property(lambda paginator: 12345))
    client.cookies["django_language"] = language
    html = client.get(url).content.decode()
    assert f'class="result-count">{expected}</h2>' in html
