"""Past projects: from approved consortia, the profile page and the CSV import; the track record."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from organisations.models import Organisation, Role
from organisations.taxonomy import Programme, Theme
from projects import partnerships
from projects.models import PastParticipation, PastProject, ReviewStatus
from projects.track_records import import_past_projects, past_project_add, track_record
from tests.conftest import verified_user
from tests.factories import (
    CallFactory,
    MembershipFactory,
    OrganisationFactory,
    ProjectIdeaFactory,
    term,
)
from tests.projects.test_partnerships import apply

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"


def run_import(name) -> str:
    out = StringIO()
    call_command("import_past_projects", str(DATA / name), stdout=out, stderr=StringIO())
    return out.getvalue().strip()


# --- Approved consortia ------------------------------------------------------------------


@pytest.fixture
def idea(db):
    lead = OrganisationFactory(name="Liepāja Youth Centre", country="LV")
    MembershipFactory(user=verified_user("lead@example.org"), organisation=lead, role=Role.OWNER)
    call = CallFactory(min_organisations=2, min_countries=2)
    return ProjectIdeaFactory(lead=lead, call=call, title="Volunteers across the border")


@pytest.fixture
def partner(db):
    return OrganisationFactory(name="Klaipėda Volunteers", country="LT")


@pytest.fixture
def submitted(idea, partner):
    partner_owner = verified_user("partner@example.org")
    MembershipFactory(user=partner_owner, organisation=partner, role=Role.OWNER)
    lead_owner = idea.lead.memberships.get().user
    application = apply(idea, partner, partner_owner)
    partnerships.application_accept(application=application, by=lead_owner)
    return partnerships.consortium_submit(idea=idea, by=lead_owner)


def test_an_approved_consortium_becomes_a_past_project(submitted, staff, idea, partner):
    partnerships.review_decide(
        review=submitted, decision=ReviewStatus.APPROVED, by=staff, note="A strong consortium."
    )
    project = PastProject.objects.get(idea=idea)
    assert (project.title, project.programme.code, project.action) == (
        "Volunteers across the border",
        "erasmus-plus",
        idea.call.code,
    )
    roles = dict(project.participations.values_list("organisation_id", "role"))
    assert roles == {idea.lead_id: "coordinator", partner.pk: "partner"}


def test_a_rejected_consortium_is_no_past_project(submitted, staff, idea):
    partnerships.review_decide(
        review=submitted, decision=ReviewStatus.REJECTED, by=staff, note="Too weak."
    )
    assert not PastProject.objects.exists()


# --- CSV import ----------------------------------------------------------------------------


def test_import_creates_projects_and_missing_organisations_and_reimport_changes_nothing():
    lead = OrganisationFactory(name="Liepāja Youth Centre", country="LV")
    assert run_import("past_projects_good.csv") == "created 2, updated 0, rejected 0"
    project = PastProject.objects.get(reference="2021-1-LV02-KA210-YOU-000011")
    assert project.programme.code == "erasmus-plus"
    assert {t.code for t in project.themes.all()} == {
        "volunteering-solidarity",
        "inclusion-diversity",
    }
    assert project.participations.get(role="coordinator").organisation == lead
    # Klaipėda Volunteers (LT) and Tartu Noortekeskus (EE) were created once each.
    assert Organisation.objects.filter(name="Klaipėda Volunteers", country="LT").count() == 1
    assert Organisation.objects.get(name="Tartu Noortekeskus").kind == "public-institution"
    counts = (Organisation.objects.count(), PastParticipation.objects.count())
    assert run_import("past_projects_good.csv") == "created 0, updated 0, rejected 0"
    assert (Organisation.objects.count(), PastParticipation.objects.count()) == counts


def test_reimport_with_a_changed_title_updates_the_project(tmp_path):
    text = (DATA / "past_projects_good.csv").read_text(encoding="utf-8")
    run_import("past_projects_good.csv")
    changed = tmp_path / "changed.csv"
    changed.write_text(text.replace("Civic lab", "Civic laboratory"), encoding="utf-8")
    assert run_import(changed) == "created 0, updated 1, rejected 0"
    assert PastProject.objects.filter(title="Civic laboratory").count() == 1


def test_a_bad_file_imports_nothing_and_says_why():
    err = StringIO()
    before = Organisation.objects.count()
    with pytest.raises(CommandError, match="nothing imported"):
        call_command(
            "import_past_projects",
            str(DATA / "past_projects_bad.csv"),
            stdout=StringIO(),
            stderr=err,
        )
    messages = err.getvalue()
    assert "line 3: role: “leader” is neither coordinator nor partner" in messages
    assert "programme: unknown programme “horizon-europe”" in messages
    assert "year: not a year “20x1”" in messages
    assert "themes: unknown “space-travel”" in messages
    assert "org_country: unknown country “XX”" in messages
    assert "line 5: year: differs from line 2 of the same project" in messages
    assert not PastProject.objects.exists()
    assert Organisation.objects.count() == before


def test_skip_invalid_leaves_out_whole_projects_with_a_bad_row():
    with (DATA / "past_projects_bad.csv").open(encoding="utf-8") as stream:
        result = import_past_projects(stream, skip_invalid=True)
    assert (result.created, result.rejected) == (0, 3)
    assert not PastProject.objects.exists()
    assert not Organisation.objects.filter(name="New Youth Club").exists()


# --- Track record and the profile ----------------------------------------------------------


def test_track_record_counts_programmes_partners_and_countries():
    run_import("past_projects_good.csv")
    klaipeda = Organisation.objects.get(name="Klaipėda Volunteers")
    record = track_record(klaipeda)
    assert len(record.projects) == 2
    assert {(p.code, n, year) for p, n, year in record.programmes} == {
        ("eea-norway-grants", 1, 2022),
        ("erasmus-plus", 1, 2021),
    }
    assert [o.name for o in record.partners] == ["Liepāja Youth Centre", "Tartu Noortekeskus"]
    assert record.countries == ["EE", "LV"]


def test_the_profile_shows_the_track_record(client):
    run_import("past_projects_good.csv")
    klaipeda = Organisation.objects.get(name="Klaipėda Volunteers")
    page = client.get(klaipeda.get_absolute_url()).content.decode()
    assert "Track record" in page
    assert "Volunteers on the border" in page and "Civic lab" in page
    assert "Tartu Noortekeskus" in page


def url(organisation) -> str:
    return reverse("projects:past-projects", kwargs={"slug": organisation.slug})


FORM = {
    "title": "Digital youth work lab",
    "programme": "",
    "action": "KA210-YOU",
    "year": "2023",
    "summary": "Youth workers try digital tools.",
    "link": "",
    "role": "coordinator",
}


def form_data():
    data = dict(FORM, programme=str(term(Programme, "erasmus-plus").pk))
    data["themes"] = [str(term(Theme, "digital-transformation").pk)]
    return data


def test_past_projects_page_anonymous_is_sent_to_login(client, organisation):
    response = client.get(url(organisation))
    assert response.status_code == 302 and "login" in response["Location"]


def test_past_projects_page_outsider_gets_404(client, organisation, outsider):
    client.force_login(outsider)
    assert client.get(url(organisation)).status_code == 404
    assert client.post(url(organisation), form_data()).status_code == 404
    assert not PastProject.objects.exists()


def test_past_projects_page_viewer_gets_403(client, organisation, member):
    client.force_login(member)
    assert client.get(url(organisation)).status_code == 403
    assert client.post(url(organisation), form_data()).status_code == 403
    assert not PastProject.objects.exists()


def test_owner_adds_and_removes_a_past_project(client, organisation, owner):
    client.force_login(owner)
    assert client.get(url(organisation)).status_code == 200
    response = client.post(url(organisation), form_data())
    assert response.status_code == 302
    project = PastProject.objects.get()
    assert (project.source, project.year, project.programme.code) == (
        "profile",
        2023,
        "erasmus-plus",
    )
    assert project.participations.get().organisation == organisation
    assert "Digital youth work lab" in client.get(organisation.get_absolute_url()).content.decode()
    remove = reverse(
        "projects:past-project-remove", kwargs={"slug": organisation.slug, "pk": project.pk}
    )
    assert client.post(remove).status_code == 302
    assert not PastProject.objects.exists()


def test_a_bad_year_is_a_form_error_not_a_500(client, organisation, owner):
    client.force_login(owner)
    response = client.post(url(organisation), dict(form_data(), year="1200"))
    assert response.status_code == 200
    assert not PastProject.objects.exists()


def test_an_imported_project_cannot_be_removed_from_the_profile(client, owner, organisation):
    run_import("past_projects_good.csv")
    project = PastProject.objects.get(reference="ACF-2022-07")
    PastParticipation.objects.create(
        past_project=project, organisation=organisation, role="partner"
    )
    client.force_login(owner)
    remove = reverse(
        "projects:past-project-remove", kwargs={"slug": organisation.slug, "pk": project.pk}
    )
    client.post(remove)
    assert PastProject.objects.filter(pk=project.pk).exists()


def test_the_directory_filters_by_experience_in_a_programme(client):
    run_import("past_projects_good.csv")
    lead = Organisation.objects.get(name="Liepāja Youth Centre")
    page = client.get(reverse("organisations:list") + "?experience_in=eea-norway-grants")
    names = [o.name for o in page.context["page_obj"].object_list]
    assert sorted(names) == ["Klaipėda Volunteers", "Tartu Noortekeskus"]
    assert lead.name not in names


def test_past_project_add_checks_the_role(organisation):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        past_project_add(
            organisation=organisation,
            role="sponsor",
            programme=term(Programme, "erasmus-plus"),
            year=2020,
            title="x",
        )
