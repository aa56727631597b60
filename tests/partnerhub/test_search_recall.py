"""The recall table: what each query must find and must not find, in three languages.

Run on SQLite (the default) and on PostgreSQL (DATABASE_URL=postgres://…):
the same pages, the same fixture, the same expectations on both databases.
The fixture is written for this table; the demo data is not used.
"""

import pytest
from django.urls import reverse

from organisations.directory import directory_index
from tests.factories import OrganisationFactory, ProjectIdeaFactory

pytestmark = pytest.mark.django_db

ORGANISATIONS = {
    "klaipeda_municipality": {
        "name": "Klaipėdos rajono savivaldybė",
        "kind": "municipality",
        "country": "LT",
        "city": "Gargždai",
        "description": "Savivaldybė rūpinasi jaunimu ir bendruomenėmis Klaipėdos rajone.",
        "fields": ["local-government"],
        "themes": ["community-development"],
    },
    "klaipeda_youth": {
        "name": "Jaunimo centras „Švyturys“",
        "kind": "association",
        "country": "LT",
        "city": "Klaipėda",
        "description": "Atviras jaunimo centras: savanorystė ir neformalusis ugdymas jaunimui.",
        "fields": ["youth-work"],
        "themes": ["volunteering-solidarity"],
        "target_groups": ["young-people"],
    },
    "liepaja_volunteers": {
        "name": "Biedrība „Kurzemes brīvprātīgie“",
        "kind": "association",
        "country": "LV",
        "city": "Liepāja",
        "description": "Organizējam brīvprātīgo darbu Liepājā un apmācām jauniešus.",
        "themes": ["volunteering-solidarity"],
        "target_groups": ["young-people"],
    },
    "liepaja_municipality": {
        "name": "Liepājas valstspilsētas pašvaldība",
        "kind": "municipality",
        "country": "LV",
        "city": "Liepāja",
        "description": "Pašvaldība atbalsta jaunatnes iniciatīvas un kultūru.",
        "fields": ["local-government"],
    },
    "riga_school": {
        "name": "Rīgas 1. vidusskola",
        "kind": "school",
        "country": "LV",
        "city": "Rīga",
        "description": "A secondary school with an eco club.",
        "fields": ["school-education"],
        "themes": ["environment-climate"],
    },
    "oslo_youth": {
        "name": "Oslo Youth Network",
        "kind": "association",
        "country": "NO",
        "city": "Oslo",
        "description": "Youth workers organising youth exchanges across the Nordic countries.",
        "fields": ["youth-work"],
        "themes": ["youth-policy"],
    },
    "tartu_seniors": {
        "name": "Tartu Seniors' Club",
        "kind": "association",
        "country": "EE",
        "city": "Tartu",
        "description": "Afternoon activities for seniors: choir, chess and walks.",
        "target_groups": ["seniors"],
    },
}

# query → (must find, must not find)
DIRECTORY_TABLE = {
    "Klaipeda": ({"klaipeda_municipality", "klaipeda_youth"}, {"liepaja_volunteers"}),
    "Klaipėdos": ({"klaipeda_municipality", "klaipeda_youth"}, {"liepaja_municipality"}),
    "Liepāja volunteering": ({"liepaja_volunteers"}, {"liepaja_municipality", "klaipeda_youth"}),
    "Liepaja": ({"liepaja_volunteers", "liepaja_municipality"}, {"riga_school"}),
    "volunteering": ({"klaipeda_youth", "liepaja_volunteers"}, {"riga_school", "tartu_seniors"}),
    "brīvprātīgais darbs": ({"klaipeda_youth", "liepaja_volunteers"}, {"riga_school"}),
    "savanorystė": ({"klaipeda_youth", "liepaja_volunteers"}, {"oslo_youth"}),
    "municipality": (
        {"klaipeda_municipality", "liepaja_municipality"},
        {"klaipeda_youth", "riga_school"},
    ),
    "pašvaldība": ({"klaipeda_municipality", "liepaja_municipality"}, {"klaipeda_youth"}),
    "savivaldybė": ({"klaipeda_municipality", "liepaja_municipality"}, {"liepaja_volunteers"}),
    "youth": ({"klaipeda_youth", "oslo_youth"}, {"tartu_seniors", "riga_school"}),
    "jaunatne": ({"klaipeda_youth", "oslo_youth", "liepaja_municipality"}, {"tartu_seniors"}),
    "jaunimas": ({"klaipeda_youth", "oslo_youth", "klaipeda_municipality"}, {"riga_school"}),
    "jaunieši": ({"liepaja_volunteers", "klaipeda_youth"}, {"tartu_seniors"}),
    "school": ({"riga_school"}, {"oslo_youth"}),
    "skola": ({"riga_school"}, {"liepaja_volunteers"}),
    '"youth exchanges"': ({"oslo_youth"}, {"klaipeda_youth"}),
    '"exchanges youth"': (set(), {"oslo_youth"}),
    "eco club!": ({"riga_school"}, {"tartu_seniors"}),
    "seniors chess": ({"tartu_seniors"}, {"oslo_youth"}),
}

IDEAS = {
    "klaipeda_exchange": {
        "lead": "klaipeda_youth",
        "title": "Jaunimo mainai Klaipėdoje",
        "summary": "Young people from Klaipėda and Liepāja meet for a week of volunteering.",
        "goals": "Daugiau jaunimo savanoriauja.",
        "themes": ["volunteering-solidarity"],
    },
    "green_schoolyards": {
        "lead": "riga_school",
        "title": "Green schoolyards",
        "summary": "Pupils plant trees around three schools.",
        "goals": "",
        "themes": ["environment-climate"],
    },
}

IDEA_TABLE = {
    "Klaipeda": ({"klaipeda_exchange"}, {"green_schoolyards"}),
    "Liepaja": ({"klaipeda_exchange"}, {"green_schoolyards"}),
    "volunteering": ({"klaipeda_exchange"}, {"green_schoolyards"}),
    "savanorystė": ({"klaipeda_exchange"}, {"green_schoolyards"}),
    "klimats": ({"green_schoolyards"}, {"klaipeda_exchange"}),
    "aplinka": ({"green_schoolyards"}, {"klaipeda_exchange"}),
    "climate": ({"green_schoolyards"}, {"klaipeda_exchange"}),
    "tree": ({"green_schoolyards"}, {"klaipeda_exchange"}),
}


@pytest.fixture
def recall_data(db):
    directory_index.clear()
    organisations = {key: OrganisationFactory(**values) for key, values in ORGANISATIONS.items()}
    ideas = {
        key: ProjectIdeaFactory(**{**values, "lead": organisations[values["lead"]]})
        for key, values in IDEAS.items()
    }
    yield organisations, ideas
    directory_index.clear()


@pytest.mark.parametrize("query", list(DIRECTORY_TABLE))
def test_directory_recall(client, recall_data, query):
    organisations, _ideas = recall_data
    must, must_not = DIRECTORY_TABLE[query]
    response = client.get(reverse("organisations:list"), {"q": query})
    assert response.status_code == 200
    found = {organisation.name for organisation in response.context["organisation_list"]}
    assert {organisations[key].name for key in must} <= found
    assert not found & {organisations[key].name for key in must_not}


@pytest.mark.parametrize("query", list(IDEA_TABLE))
def test_idea_recall(client, recall_data, query):
    _organisations, ideas = recall_data
    must, must_not = IDEA_TABLE[query]
    response = client.get(reverse("projects:idea-list"), {"q": query})
    assert response.status_code == 200
    found = {idea.title for idea in response.context["object_list"]}
    assert {ideas[key].title for key in must} <= found
    assert not found & {ideas[key].title for key in must_not}


def test_the_name_ranks_above_the_taxonomy_above_the_description(client, recall_data):
    organisations, _ideas = recall_data
    # "youth" is in Oslo's name, in the Klaipėda centre's taxonomy labels only.
    response = client.get(reverse("organisations:list"), {"q": "youth"})
    names = [organisation.name for organisation in response.context["organisation_list"]]
    assert names.index(organisations["oslo_youth"].name) < names.index(
        organisations["klaipeda_youth"].name
    )
