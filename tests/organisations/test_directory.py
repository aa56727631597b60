"""The partner directory: search, filters, facets, sort, pages and bad input."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from organisations.directory import directory_index
from organisations.models import Organisation
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_index():
    # The facet index lives as long as the process; tests roll their rows back.
    directory_index.clear()
    yield
    directory_index.clear()


URL = reverse("organisations:list")


def names(response) -> list[str]:
    return [organisation.name for organisation in response.context["organisation_list"]]


@pytest.fixture
def baltic(db):
    return {
        "liepaja": OrganisationFactory(
            name="Liepājas Jauniešu māja",
            city="Liepāja",
            country="LV",
            kind="public-institution",
            description="Jauniešu centrs pie jūras.",
            themes=["volunteering-solidarity"],
            fields=["youth-work"],
            target_groups=["young-people"],
            languages=["lv", "en"],
            experience="experienced",
            is_verified=True,
        ),
        "klaipeda": OrganisationFactory(
            name="Jaunimo centras",
            city="Klaipėda",
            country="LT",
            kind="association",
            description="Atviras jaunimo centras Klaipėdoje.",
            themes=["inclusion-diversity", "volunteering-solidarity"],
            fields=["youth-work", "sport"],
            target_groups=["young-people-fewer-opportunities"],
            languages=["lt"],
            experience="none",
        ),
        "school": OrganisationFactory(
            name="Valdemārpils vidusskola",
            city="Valdemārpils",
            country="LV",
            kind="school",
            description="A secondary school near the sea, interested in Liepaja partners.",
            themes=["environment-climate"],
            fields=["school-education"],
            languages=["lv"],
            experience="some",
        ),
        "oslo": OrganisationFactory(
            name="Tøyen Nabolagsgruppe",
            city="Oslo",
            country="NO",
            kind="informal-group",
            description="Neighbours organising.",
            themes=["community-development"],
            languages=["nb", "en"],
            experience="some",
        ),
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Liepāja", {"liepaja", "school"}),
        ("Liepaja", {"liepaja", "school"}),
        ("LIEPAJA", {"liepaja", "school"}),
        ("Klaipėda", {"klaipeda"}),
        ("Klaipeda", {"klaipeda"}),
        ("klaipedoje", {"klaipeda"}),
        ("Toyen", {"oslo"}),
        ("Tøyen", {"oslo"}),
        # Every word must match; "Jaunieši" is also the Latvian label of the
        # Klaipėda centre's target group (young people with fewer opportunities).
        ("jauniešu centrs", {"liepaja", "klaipeda"}),
        ("jauniešu māja", {"liepaja"}),
        ("jauniesu oslo", set()),
    ],
)
def test_search_ignores_diacritics_and_case(client, baltic, query, expected):
    response = client.get(URL, {"q": query})
    assert set(names(response)) == {baltic[key].name for key in expected}


def test_relevance_puts_name_matches_first(client, baltic):
    # The school mentions Liepaja in its description only, and is the fresher profile.
    Organisation.objects.filter(pk=baltic["liepaja"].pk).update(
        updated_at=timezone.now() - datetime.timedelta(days=300)
    )
    assert names(client.get(URL, {"q": "liepaja"})) == [
        baltic["liepaja"].name,
        baltic["school"].name,
    ]
    assert names(client.get(URL, {"q": "liepaja", "sort": "updated"})) == [
        baltic["school"].name,
        baltic["liepaja"].name,
    ]


def test_sort_by_name_ignores_diacritics(client, baltic):
    assert names(client.get(URL, {"sort": "name"})) == [
        "Jaunimo centras",
        "Liepājas Jauniešu māja",
        "Tøyen Nabolagsgruppe",
        "Valdemārpils vidusskola",
    ]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"country": ["LV"]}, {"liepaja", "school"}),
        ({"country": ["LV", "LT"]}, {"liepaja", "school", "klaipeda"}),
        ({"country": ["lt"]}, {"klaipeda"}),
        ({"kind": ["school", "association"]}, {"school", "klaipeda"}),
        ({"sector": ["public"]}, {"liepaja"}),
        ({"sector": ["ngo"]}, {"klaipeda", "oslo"}),
        ({"field": ["youth-work"]}, {"liepaja", "klaipeda"}),
        ({"theme": ["inclusion-diversity", "environment-climate"]}, {"klaipeda", "school"}),
        ({"theme": ["volunteering-solidarity"], "country": ["LT"]}, {"klaipeda"}),
        ({"target_group": ["young-people"]}, {"liepaja"}),
        ({"language": ["en"]}, {"liepaja", "oslo"}),
        ({"language": ["en"], "theme": ["community-development"]}, {"oslo"}),
        ({"experience": ["some"]}, {"school", "oslo"}),
        ({"verified": ["yes"]}, {"liepaja"}),
        ({"verified": ["no"]}, {"klaipeda", "school", "oslo"}),
        ({"q": "centr", "country": ["LT"]}, {"klaipeda"}),
    ],
)
def test_filters_any_of_within_and_across(client, baltic, params, expected):
    response = client.get(URL, params)
    assert set(names(response)) == {baltic[key].name for key in expected}
    assert response.context["result_count"] == len(expected)


def test_an_organisation_matching_two_values_is_listed_once(client, baltic):
    response = client.get(URL, {"theme": ["inclusion-diversity", "volunteering-solidarity"]})
    assert sorted(names(response)) == sorted([baltic["klaipeda"].name, baltic["liepaja"].name])


def test_inactive_organisations_are_not_listed(client, baltic):
    Organisation.objects.filter(pk=baltic["oslo"].pk).update(is_active=False)
    assert baltic["oslo"].name not in names(client.get(URL))


def facet(response, name) -> dict[str, tuple[int, bool]]:
    for item in response.context["facets"]:
        if item.name == name:
            return {option.value: (option.count, option.selected) for option in item.options}
    raise AssertionError(name)


def test_facet_counts_are_computed_over_the_other_filters(client, baltic):
    response = client.get(URL, {"country": "LV", "theme": "volunteering-solidarity"})
    # Countries: counted over the theme filter only, so ticking LT would add 1.
    assert facet(response, "country") == {"LT": (1, False), "LV": (1, True)}
    # Themes: counted over Latvian organisations only.
    themes = facet(response, "theme")
    assert themes["volunteering-solidarity"] == (1, True)
    assert themes["environment-climate"] == (1, False)
    assert themes["inclusion-diversity"] == (0, False)
    assert facet(response, "sector")["public"] == (1, False)
    assert facet(response, "verified") == {"yes": (1, False), "no": (0, False)}
    html = response.content.decode()
    assert 'class="facet-count"' in html
    assert 'name="theme" value="volunteering-solidarity" checked' in html


def test_the_plain_directory_counts_are_shared_until_something_changes(client, baltic, owner):
    first = facet(client.get(URL), "country")
    again = facet(client.get(URL), "country")
    assert again == first  # counted once for every anonymous visitor
    OrganisationFactory(country="LT")
    assert facet(client.get(URL), "country")["LT"][0] == first["LT"][0] + 1
    client.force_login(owner)  # members may see more (their own hidden profile): counted apart
    assert facet(client.get(URL), "country")["LT"][0] == first["LT"][0] + 1


@pytest.mark.parametrize(
    ("params", "ignored"),
    [
        ({"country": "XX"}, "XX"),
        ({"theme": "<script>alert(1)</script>"}, "&lt;script&gt;"),
        ({"field": "no-such-field"}, "no-such-field"),
        ({"sort": "bogus"}, "bogus"),
        ({"verified": "maybe"}, "maybe"),
        ({"page": "abc"}, "abc"),
        ({"page": "999"}, "999"),
        ({"page": "-1"}, "-1"),
    ],
)
def test_bad_values_give_a_normal_page_and_a_notice(client, baltic, params, ignored):
    response = client.get(URL, params)
    assert response.status_code == 200
    html = response.content.decode()
    assert ignored in html
    assert "<script>alert" not in html
    assert 'class="notice"' in html
    assert len(names(response)) == 4  # the bad value is ignored, the rest of the search stands


def test_a_bad_value_does_not_drop_the_good_ones(client, baltic):
    response = client.get(URL, {"country": ["XX", "LT"], "theme": "bogus"})
    assert names(response) == [baltic["klaipeda"].name]
    assert len(response.context["notices"]) == 2


def test_pages_keep_the_filters(client):
    for number in range(25):
        OrganisationFactory(country="LT", name=f"Org {number:02}")
    OrganisationFactory(country="LV")
    response = client.get(URL, {"country": "LT", "sort": "name"})
    assert response.context["result_count"] == 25
    assert len(names(response)) == 20
    html = response.content.decode()
    assert "?country=LT&amp;sort=name&amp;page=2" in html
    second = client.get(URL, {"country": "LT", "sort": "name", "page": 2})
    assert names(second) == [f"Org {n}" for n in range(20, 25)]
    last = client.get(URL, {"country": "LT", "sort": "name", "page": 7})
    assert names(last) == names(second)


def test_empty_results_say_so(client, baltic):
    response = client.get(URL, {"q": "nothing matches this"})
    assert response.status_code == 200
    assert "No organisation matches this search." in response.content.decode()


def count_queries(client, params) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, params)
    assert response.status_code == 200
    return len(queries)


FULL_SEARCH = {
    "q": "youth",
    "country": ["LV", "LT"],
    "theme": ["inclusion-diversity", "volunteering-solidarity"],
    "field": "youth-work",
    "language": "en",
    "sort": "relevance",
}


@pytest.mark.parametrize("params", [{}, FULL_SEARCH])
def test_the_directory_loads_in_a_constant_number_of_queries(
    client, outsider, params, django_assert_max_num_queries
):
    client.force_login(outsider)

    def make(n):
        for _ in range(n):
            OrganisationFactory(
                description="youth",
                themes=["inclusion-diversity", "volunteering-solidarity"],
                fields=["youth-work"],
                languages=["en", "lv"],
                target_groups=["young-people"],
            )

    make(5)
    directory_index.current()  # the facet index is the process's; its upkeep is tested below
    few = count_queries(client, params)
    make(45)
    directory_index.current()
    many = count_queries(client, {**params, "page": 2} if params else {"page": 2})
    assert few == many
    with django_assert_max_num_queries(few):
        client.get(URL, params)
    # Session, user and the header's own queries; 5 vocabularies, the index stamp,
    # the user's memberships, the text search, the page and its themes.
    assert few <= 15


def test_the_facet_index_loads_in_a_constant_number_of_queries():
    def build_queries(n):
        OrganisationFactory.create_batch(n, themes=["inclusion-diversity"], languages=["en"])
        directory_index.clear()
        with CaptureQueriesContext(connection) as queries:
            directory_index.current()
        return len(queries)

    assert build_queries(3) == build_queries(30)
    changed = Organisation.objects.first()
    changed.description = "Now also about climate."
    changed.save()
    with CaptureQueriesContext(connection) as refresh:
        columns, _vocabulary = directory_index.current()
    assert len(refresh) <= 10
    assert len(columns.ids) == 33
