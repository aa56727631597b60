""" "Complementary organisations" and "Ideas for …" say what they show, from the reader's side."""

import pytest
from django.urls import reverse

from matching.for_you import country_reason
from matching.scoring import Need
from tests.factories import OrganisationFactory, ProjectIdeaFactory, term

pytestmark = pytest.mark.django_db


def need(**kwargs):
    return Need(lead_id=1, lead_experience="none", **kwargs)


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"countries_sought": frozenset({"LT"})}, "the idea seeks partners from Lithuania"),
        (
            {"countries_sought": frozenset({"LT"}), "fill_countries": frozenset({"LT"})},
            "the idea seeks partners from Lithuania, and its call still needs one",
        ),
        (
            {"countries_sought": frozenset({"PL"})},
            "Lithuania is not among the countries the idea seeks",
        ),
        (
            {"countries_sought": frozenset({"PL"}), "fill_others": True},
            "Lithuania is not among the countries the idea seeks, but its call still needs "
            "a partner from there",
        ),
        ({"member_countries": frozenset({"LT"})}, "Lithuania is already in its consortium"),
        (
            {"member_countries": frozenset({"LV"})},
            "Lithuania would be a new country in its consortium",
        ),
    ],
)
def test_the_country_reason_speaks_to_the_reader(kwargs, expected):
    assert country_reason(need(**kwargs), "LT") == expected


@pytest.fixture
def reader(client, owner, organisation):
    """The owner of a Lithuanian youth association, acting for it, with an idea seeking LT."""
    from organisations.taxonomy import Theme

    organisation.country = "LT"
    organisation.save()
    organisation.themes.set([term(Theme, "youth-policy")])
    lead = OrganisationFactory(country="LV", name="Rīgas jauniešu biedrība")
    idea = ProjectIdeaFactory(lead=lead, countries_sought=["LT"], title="Youth councils")
    idea.themes.set([term(Theme, "youth-policy")])
    client.force_login(owner)
    return idea


def test_ideas_for_you_explain_the_fit_without_describing_ones_own_profile(client, reader):
    html = client.get(reverse("dashboard")).content.decode()
    section = html[html.index('class="panel matching-section"') :].split("</section>")[0]
    assert "Youth councils" in section
    assert "look for partners like" in section
    reasons = " ".join(part.split("</ul>")[0] for part in section.split('<ul class="reasons">')[1:])
    assert "the idea seeks partners from Lithuania" in reasons
    for own_profile in ("not verified yet", "complete", "a country you seek", "past project"):
        assert own_profile not in reasons, own_profile


def test_complementary_organisations_say_what_they_rank(client, organisation):
    OrganisationFactory(country="LT")
    html = client.get(organisation.get_absolute_url()).content.decode()
    assert "from other countries and sectors that share" not in html
    if "Complementary organisations" in html:
        assert "rank higher when they come from another country" in html
