"""The track record as people see it: on the profile and in the directory filter, in en and lv."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from organisations.models import Organisation
from organisations.taxonomy import Programme
from projects.models import (
    ParticipationRole,
    PastParticipation,
    PastProject,
    PastProjectSource,
    ProjectIdea,
)
from tests.factories import OrganisationFactory, ProjectIdeaFactory, term

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"
DIRECTORY = reverse("organisations:list")


def import_erasmus() -> None:
    call_command(
        "import_past_projects",
        "--format",
        "erasmus",
        str(DATA / "erasmus_results_good.csv"),
        stdout=StringIO(),
    )


@pytest.fixture
def imported():
    import_erasmus()
    return Organisation.objects.get(name="Biedrība Jauniešu Māja")


def page(client, url, language="en") -> str:
    with translation.override(language):
        return client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()


def test_the_profile_sums_up_projects_programmes_partners_and_their_countries(client, imported):
    html = page(client, imported.get_absolute_url())

    assert "Erasmus+: 2 projects since 2021" in html
    assert "<dt>Partners</dt><dd>3 organisations</dd>" in html
    assert "<dt>Partners' countries</dt><dd>Estonia, Lithuania</dd>" in html
    assert "Rural youth media lab</a></strong> — Erasmus+, KA210-YOU, 2022, coordinator" in html
    # The project links to its card on the Erasmus+ results platform.
    assert 'href="https://erasmus-plus.ec.europa.eu/projects/search/details/2022-1-LV02' in html


def test_the_profile_names_the_countries_and_the_counts_in_latvian(client, imported):
    html = page(client, imported.get_absolute_url(), "lv")

    assert "Erasmus+: 2 projekti kopš 2021" in html
    assert "3 organizācijas" in html
    assert "Igaunija, Lietuva" in html


def test_experience_on_the_profile_comes_from_the_track_record(client, imported):
    # Declared "none", but two past projects say otherwise (as matching reads it).
    assert imported.experience == "none"
    html = page(client, imported.get_absolute_url())
    assert "Some international projects" in html and "(from 2 past projects)" in html
    assert "No international experience yet" not in html
    assert "(pēc 2 iepriekšējiem projektiem)" in page(client, imported.get_absolute_url(), "lv")

    # Without past projects the declared level stands.
    newcomer = OrganisationFactory(experience="experienced")
    html = page(client, newcomer.get_absolute_url())
    assert "Experienced in international projects" in html
    assert "(from " not in html


def add_projects(organisation, n):
    erasmus = term(Programme, "erasmus-plus")
    for i in range(n):
        project = PastProject.objects.create(
            programme=erasmus,
            year=2020 + i,
            title=f"Project {organisation.pk}-{i}",
            source=PastProjectSource.IMPORT,
            reference=f"{organisation.pk}-{i}",
        )
        PastParticipation.objects.create(
            past_project=project, organisation=organisation, role=ParticipationRole.COORDINATOR
        )
        for partner in OrganisationFactory.create_batch(2):
            PastParticipation.objects.create(
                past_project=project, organisation=partner, role=ParticipationRole.PARTNER
            )


def test_the_profile_reads_the_track_record_in_a_constant_number_of_queries(client):
    counts = []
    for n in (1, 6):
        organisation = OrganisationFactory()
        add_projects(organisation, n)
        client.get(organisation.get_absolute_url())  # warm the process-wide indexes
        with CaptureQueriesContext(connection) as queries:
            response = client.get(organisation.get_absolute_url())
        assert response.status_code == 200
        assert response.content.decode().count("Project ") >= n
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_experience_filter_says_what_it_filters_by(client, imported):
    html = page(client, f"{DIRECTORY}?experience_in=european-solidarity-corps")

    # Only the informal group has a European Solidarity Corps project.
    assert "Jauniešu grupa Zaļā Daugava" in html
    assert "Biedrība Jauniešu Māja" not in html
    assert "experience in European Solidarity Corps" in html
    html = page(client, f"{DIRECTORY}?experience_in=european-solidarity-corps", "lv")
    assert "pieredze programmā Eiropas Solidaritātes korpuss" in html

    # The programme filter (declared programmes) keeps its plain chip.
    html = page(client, f"{DIRECTORY}?programme=erasmus-plus")
    assert "experience in Erasmus+" not in html


def test_a_long_track_record_shows_the_ten_most_recent_and_folds_the_rest(client):
    organisation = OrganisationFactory()
    add_projects(organisation, 12)  # years 2020 … 2031
    html = page(client, organisation.get_absolute_url())

    recent, _, earlier = html.partition('<details class="earlier-projects">')
    assert all(f"Project {organisation.pk}-{i}<" in recent for i in range(2, 12))
    assert "<summary>2 earlier projects</summary>" in earlier
    assert all(f"Project {organisation.pk}-{i}<" in earlier for i in (0, 1))
    assert "<summary>2 agrāki projekti</summary>" in page(
        client, organisation.get_absolute_url(), "lv"
    )


def test_the_experience_filter_follows_new_and_changed_past_projects(client):
    url = f"{DIRECTORY}?experience_in=european-solidarity-corps"
    assert "Jauniešu grupa Zaļā Daugava" not in page(client, url)  # the index is built

    import_erasmus()
    assert "Jauniešu grupa Zaļā Daugava" in page(client, url)

    # Filed under another programme by staff: the filter follows.
    project = PastProject.objects.get(reference="2022-2-LV02-ESC30-SOL-000067890")
    project.programme = term(Programme, "erasmus-plus")
    project.save()
    assert "Jauniešu grupa Zaļā Daugava" not in page(client, url)
    assert "Jauniešu grupa Zaļā Daugava" in page(client, f"{DIRECTORY}?experience_in=erasmus-plus")


def test_the_directory_reads_past_projects_from_its_index_not_per_request(client, imported):
    page(client, DIRECTORY)  # builds the index
    with CaptureQueriesContext(connection) as queries:
        html = page(client, f"{DIRECTORY}?experience_in=erasmus-plus")
    assert "Biedrība Jauniešu Māja" in html
    assert not [q for q in queries.captured_queries if "pastparticipation" in q["sql"].lower()]


def test_a_consortium_formed_on_partnerhub_links_to_its_idea_when_anyone_may_read_it(client):
    organisation = OrganisationFactory()
    erasmus = term(Programme, "erasmus-plus")
    for status in ("open", "draft"):
        idea = ProjectIdeaFactory(lead=organisation, status=status, title=f"Idea {status}")
        project = PastProject.objects.create(
            programme=erasmus,
            year=2026,
            title=idea.title,
            source=PastProjectSource.PARTNERHUB,
            reference=str(idea.pk),
            idea=idea,
        )
        PastParticipation.objects.create(
            past_project=project, organisation=organisation, role=ParticipationRole.COORDINATOR
        )
    html = page(client, organisation.get_absolute_url())

    opened = ProjectIdea.objects.get(title="Idea open")
    assert f'<a href="{opened.get_absolute_url()}">Idea open</a>' in html
    # A draft's page is its organisation's alone: no link for visitors.
    assert "<strong>Idea draft</strong>" in html


def test_directory_cards_say_in_which_programmes_an_organisation_has_past_projects(
    client, imported
):
    html = page(client, f"{DIRECTORY}?experience_in=erasmus-plus")
    card = html[html.index("Biedrība Jauniešu Māja") :]
    card = card[: card.index("</li>")]
    assert "Past projects: Erasmus+" in card
    assert "Iepriekšējie projekti: Erasmus+" in page(client, DIRECTORY, "lv")
    # The informal group's only project is a European Solidarity Corps one.
    html = page(client, DIRECTORY)
    card = html[html.index("Jauniešu grupa Zaļā Daugava") :]
    assert "Past projects: European Solidarity Corps<" in card[: card.index("</li>")]
