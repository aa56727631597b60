"""Any query string on either list page gives a normal page: never a 500, never an FTS error."""

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from organisations.directory import directory_index
from tests.factories import OrganisationFactory, ProjectIdeaFactory

pytestmark = pytest.mark.django_db

NASTY = [
    '"',
    '""',
    "*",
    "NEAR(a b)",
    "a OR b",
    "NOT",
    "-x",
    "^x",
    "col:x",
    "a AND",
    "' OR 1=1 --",
    "\x00",
    "%",
    "_",
    "\\",
    "(((",
    "Liepāja „jaunimo",
    "Москва Łódź 東京",
    "x" * 1000,
]
PARAMETERS = [
    "q",
    "sort",
    "country",
    "theme",
    "programme",
    "has_ideas",
    "verified",
    "page",
    "status",
    "kind",
    "closing_within",
]

queries = st.one_of(st.text(max_size=1000), st.sampled_from(NASTY))
params = st.dictionaries(
    st.sampled_from(PARAMETERS),
    st.one_of(queries, st.lists(queries, max_size=3)),
    max_size=4,
)


@pytest.fixture
def some_data(db):
    directory_index.clear()
    lead = OrganisationFactory(name="Liepājas Jauniešu māja", themes=["volunteering-solidarity"])
    OrganisationFactory(name="Klaipėdos jaunimo centras", country="LT")
    ProjectIdeaFactory(lead=lead, themes=["inclusion-diversity"])
    yield
    directory_index.clear()


def _get(client, url, data):
    response = client.get(url, data)
    # The security middleware turns away NUL bytes with a 400 and a message, before any view.
    values = [v for value in data.values() for v in (value if isinstance(value, list) else [value])]
    expected = 400 if any("\x00" in value for value in values) else 200
    assert response.status_code == expected, (data, response.status_code)
    return response


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=params)
def test_the_directory_answers_any_query_string(client, some_data, data):
    _get(client, reverse("organisations:list"), data)


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=params)
def test_the_idea_list_answers_any_query_string(client, some_data, data):
    _get(client, reverse("projects:idea-list"), data)


@pytest.mark.parametrize("q", NASTY)
def test_nasty_queries_on_both_lists(client, some_data, q):
    for url in (reverse("organisations:list"), reverse("projects:idea-list")):
        _get(client, url, {"q": q})
