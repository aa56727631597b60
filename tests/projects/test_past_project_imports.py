"""Past projects from the files the EU publishes: the Erasmus+ project results export and CORDIS.

The files in data/ are small, hand-written, in the publishers' real layouts
(column names, `;` and quoting of CORDIS, the Erasmus+ partner columns).
"""

import csv
import zipfile
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from organisations.models import Organisation
from projects.models import PastParticipation, PastProject
from projects.track_record_formats import import_layout
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"
CORDIS = DATA / "cordis"


def run(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_past_projects", *map(str, args), stdout=out, stderr=err)
    return out.getvalue().strip(), err.getvalue()


def fails(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError) as error:
        call_command("import_past_projects", *map(str, args), stdout=out, stderr=err)
    return str(error.value), err.getvalue()


def snapshot() -> tuple[int, int, int]:
    return (
        PastProject.objects.count(),
        PastParticipation.objects.count(),
        Organisation.objects.count(),
    )


def members(project: PastProject) -> dict[str, str]:
    return {p.organisation.name: p.role for p in project.participations.all()}


# --- Erasmus+ project results ----------------------------------------------------------------


def test_erasmus_export_imports_projects_partners_and_our_codes():
    # An organisation already on PartnerHub is found by name and country, not created again.
    existing = OrganisationFactory(name="Klaipėdos jaunimo centras", country="LT", kind="other")

    out, _ = run("--format", "erasmus", DATA / "erasmus_results_good.csv")

    assert out == "created 3, updated 0, rejected 0"
    small = PastProject.objects.get(reference="2022-1-LV02-KA210-YOU-000045678")
    assert (small.programme.code, small.action, small.year, small.title) == (
        "erasmus-plus",
        "KA210-YOU",
        2022,
        "Rural youth media lab",
    )
    assert small.link == (
        "https://erasmus-plus.ec.europa.eu/projects/search/details/2022-1-LV02-KA210-YOU-000045678"
    )
    # "Inclusion of marginalised young people; Creativity, arts and culture; Youth participation"
    assert {t.code for t in small.themes.all()} == {
        "inclusion-diversity",
        "culture-heritage",
        "participation-democracy",
    }
    assert members(small) == {
        "Biedrība Jauniešu Māja": "coordinator",
        "Klaipėdos jaunimo centras": "partner",
    }
    assert Organisation.objects.filter(name="Klaipėdos jaunimo centras").get() == existing

    # The coordinator of one project is a partner in another; each organisation is created once.
    green = PastProject.objects.get(reference="2021-1-LT02-KA220-YOU-000012345")
    assert members(green) == {
        "Kauno jaunimo organizacijų asociacija": "coordinator",
        "Biedrība Jauniešu Māja": "partner",
        "Tartu Noorsootöö Kolledž": "partner",
    }
    assert {t.code for t in green.themes.all()} == {
        "environment-climate",
        "community-development",
        "youth-policy",
    }
    created = {
        o.name: (o.country.code, o.city, o.kind)
        for o in Organisation.objects.exclude(pk=existing.pk)
    }
    assert created == {
        "Biedrība Jauniešu Māja": ("LV", "Rēzekne", "association"),
        "Kauno jaunimo organizacijų asociacija": ("LT", "Kaunas", "association"),
        "Tartu Noorsootöö Kolledž": ("EE", "Tartu", "university"),
        # No address in the export: the region names the town.
        "Jauniešu grupa Zaļā Daugava": ("LV", "Daugavpils", "informal-group"),
    }

    solidarity = PastProject.objects.get(reference="2022-2-LV02-ESC30-SOL-000067890")
    assert (solidarity.programme.code, solidarity.action) == (
        "european-solidarity-corps",
        "ESC30-SOL",
    )
    assert {t.code for t in solidarity.themes.all()} == {
        "environment-climate",
        "volunteering-solidarity",
    }

    before = snapshot()
    assert run("--format", "erasmus", DATA / "erasmus_results_good.csv")[0] == (
        "created 0, updated 0, rejected 0"
    )
    assert snapshot() == before


def test_erasmus_reimport_of_a_changed_export_updates_the_project(tmp_path):
    run("--format", "erasmus", DATA / "erasmus_results_good.csv")
    text = (DATA / "erasmus_results_good.csv").read_text(encoding="utf-8-sig")
    changed = tmp_path / "export.csv"
    changed.write_text(text.replace("Rural youth media lab", "Rural youth film lab"), "utf-8")

    assert run("--format", "erasmus", changed)[0] == "created 0, updated 1, rejected 0"
    assert PastProject.objects.get(reference="2022-1-LV02-KA210-YOU-000045678").title == (
        "Rural youth film lab"
    )


def test_erasmus_bad_export_imports_nothing_and_names_the_real_columns():
    message, err = fails("--format", "erasmus", DATA / "erasmus_results_bad.csv")

    assert "nothing imported" in message
    assert "line 2: Programme: unknown programme “Creative Europe”" in err
    # One line per project: its problems are told together, once.
    assert (
        "line 3: Call year: not a year “20x2”; Partner 2 country: unknown country “Atlantis”\n"
        in err
    )
    # The good project of the file waits for the file to be fixed.
    assert snapshot() == (0, 0, 0)


def test_erasmus_export_without_its_columns_is_refused(tmp_path):
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("Project Identifier,Project Title\nX,Y\n", encoding="utf-8")
    message, _ = fails("--format", "erasmus", wrong)
    assert "missing columns: Programme, Coordinating organisation name" in message
    assert not PastProject.objects.exists()


def test_erasmus_exports_of_several_call_years_import_together(tmp_path):
    lines = (DATA / "erasmus_results_good.csv").read_text(encoding="utf-8-sig").splitlines()
    header, *rows = lines
    first, second = tmp_path / "2021.csv", tmp_path / "2022.csv"
    first.write_text("\n".join([header, rows[1]]) + "\n", encoding="utf-8")
    second.write_text("\n".join([header, rows[0], rows[2]]) + "\n", encoding="utf-8")

    assert run("--format", "erasmus", first, second)[0] == "created 3, updated 0, rejected 0"
    assert Organisation.objects.filter(name="Biedrība Jauniešu Māja").count() == 1


# --- CORDIS ----------------------------------------------------------------------------------


def test_cordis_project_and_organisation_files_import_with_our_codes():
    out, _ = run("--format", "cordis", CORDIS / "organization.csv", CORDIS / "project.csv")

    # The third project has none of its organisations in the file: it is left out.
    assert out == "created 2, updated 0, rejected 0"
    h2020 = PastProject.objects.get(reference="CORDIS-870123")
    assert (h2020.programme.code, h2020.action, h2020.year, h2020.title) == (
        "other",
        "Horizon 2020 RIA",
        2020,
        "YOUTHVOICE: Young people's voice in local democracy around the Baltic Sea",
    )
    assert h2020.link == "https://cordis.europa.eu/project/id/870123"
    assert [t.code for t in h2020.themes.all()] == ["inclusion-diversity"]  # H2020-EU.3.6.
    assert members(h2020) == {
        "BALTIJAS JAUNATNES PETIJUMU INSTITUTS": "coordinator",
        "VILNIAUS JAUNIMO ORGANIZACIJU SAJUNGA": "partner",
        "ETAIREIA KOINONIKON EREVNON AE": "partner",
    }
    greek = Organisation.objects.get(name="ETAIREIA KOINONIKON EREVNON AE")
    assert (greek.country.code, greek.city, greek.kind) == ("GR", "Athina", "company")
    assert Organisation.objects.get(name="BALTIJAS JAUNATNES PETIJUMU INSTITUTS").kind == "other"

    horizon = PastProject.objects.get(reference="CORDIS-101094567")
    assert (horizon.action, horizon.year) == ("Horizon Europe CSA", 2023)
    assert [t.code for t in horizon.themes.all()] == ["culture-heritage"]  # HORIZON.2.2
    # An associated partner is a partner; the Vilnius union is the same organisation as above.
    assert members(horizon) == {
        "TALLINNA LINNAVALITSUS": "coordinator",
        "VILNIAUS JAUNIMO ORGANIZACIJU SAJUNGA": "partner",
        "Tartu Linnamuuseum": "partner",
    }
    assert Organisation.objects.get(name="TALLINNA LINNAVALITSUS").kind == "public-institution"
    assert Organisation.objects.filter(name="VILNIAUS JAUNIMO ORGANIZACIJU SAJUNGA").count() == 1

    before = snapshot()
    again, _ = run("--format", "cordis", CORDIS / "project.csv", CORDIS / "organization.csv")
    assert again == "created 0, updated 0, rejected 0"
    assert snapshot() == before


def test_cordis_zip_as_downloaded(tmp_path):
    archive = tmp_path / "cordis-h2020projects-csv.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.write(CORDIS / "project.csv", "csv/project.csv")
        zipped.write(CORDIS / "organization.csv", "csv/organization.csv")
        zipped.writestr("csv/euroSciVoc.csv", "projectID;euroSciVocCode\n870123;/23/39\n")

    assert run("--format", "cordis", archive)[0] == "created 2, updated 0, rejected 0"


def test_cordis_bad_organisation_file_imports_nothing_and_says_where():
    message, err = fails(
        "--format", "cordis", CORDIS / "project.csv", CORDIS / "organization_bad.csv"
    )

    assert "nothing imported" in message
    assert "organization_bad.csv, line 3: projectID: project “999999” is not in project.csv" in err
    assert "organization_bad.csv, line 4: country: unknown country “XX”" in err
    assert snapshot() == (0, 0, 0)


def test_cordis_needs_both_files():
    message, _ = fails("--format", "cordis", CORDIS / "project.csv")
    assert "CORDIS needs both project.csv and organization.csv" in message
    message, _ = fails(
        "--format", "cordis", CORDIS / "project.csv", DATA / "past_projects_good.csv"
    )
    assert "neither a CORDIS project.csv nor an organization.csv" in message


def test_cordis_skip_invalid_imports_the_projects_without_bad_rows():
    files = [
        (path.name, path.open(encoding="utf-8"))
        for path in (
            CORDIS / "project.csv",
            CORDIS / "organization_bad.csv",
        )
    ]
    try:
        result = import_layout("cordis", files, skip_invalid=True)
    finally:
        for _, stream in files:
            stream.close()
    # Line 4 (a bad country) belongs to YOUTHVOICE, which is left out whole.
    assert (result.created, result.rejected) == (0, 2)
    assert not PastProject.objects.exists()


# --- The plain CSV stays as it was ------------------------------------------------------------


def test_the_default_format_reads_one_file_in_its_columns():
    OrganisationFactory(name="Liepāja Youth Centre", country="LV")
    assert run(DATA / "past_projects_good.csv")[0] == "created 2, updated 0, rejected 0"
    assert run("--format", "csv", DATA / "past_projects_good.csv")[0] == (
        "created 0, updated 0, rejected 0"
    )
    message, _ = fails(DATA / "past_projects_good.csv", DATA / "past_projects_good.csv")
    assert "--format csv reads one file" in message
    message, _ = fails("--format", "csv", DATA / "erasmus_results_good.csv")
    assert "missing columns: project_id" in message


def test_the_default_format_takes_an_optional_link(tmp_path):
    OrganisationFactory(name="Liepāja Youth Centre", country="LV")
    lines = (DATA / "past_projects_good.csv").read_text(encoding="utf-8").splitlines()
    with_link = [lines[0] + ",link"] + [
        line + ",https://example.org/civic-lab" if "Civic lab" in line else line + ","
        for line in lines[1:]
    ]
    linked = tmp_path / "linked.csv"
    linked.write_text("\n".join(with_link) + "\n", encoding="utf-8")

    assert run(linked)[0] == "created 2, updated 0, rejected 0"
    links = dict(PastProject.objects.values_list("title", "link"))
    assert links["Civic lab"] == "https://example.org/civic-lab"
    assert set(links.values()) == {"", "https://example.org/civic-lab"}
    # Without the column, links stay as they are.
    assert run(DATA / "past_projects_good.csv")[0] == "created 0, updated 0, rejected 0"
    assert PastProject.objects.get(title="Civic lab").link == "https://example.org/civic-lab"


def test_erasmus_countries_may_be_english_names_or_the_eus_codes(tmp_path):
    text = (DATA / "erasmus_results_good.csv").read_text(encoding="utf-8-sig")
    header, first = text.splitlines()[:2]
    named = first.replace(",LV,jauniesumaja.lv,", ",Latvia,jauniesumaja.lv,").replace(
        ",Klaipėdos apskritis,LT,", ",Klaipėdos apskritis,EL,"
    )
    export = tmp_path / "export.csv"
    export.write_text(f"{header}\n{named}\n", encoding="utf-8")

    assert run("--format", "erasmus", export)[0] == "created 1, updated 0, rejected 0"
    countries = dict(Organisation.objects.values_list("name", "country"))
    assert countries == {"Biedrība Jauniešu Māja": "LV", "Klaipėdos jaunimo centras": "GR"}


def test_erasmus_partner_listed_twice_counts_once(tmp_path):
    with (DATA / "erasmus_results_good.csv").open(encoding="utf-8-sig", newline="") as stream:
        reader = csv.DictReader(stream)
        header, row = reader.fieldnames, next(reader)
    # Partner 2 repeats Partner 1, as exports sometimes do.
    for part in ("name", "organisation type", "address", "region", "country"):
        row[f"Partner 2 {part}"] = row[f"Partner 1 {part}"]
    export = tmp_path / "export.csv"
    with export.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, header)
        writer.writeheader()
        writer.writerow(row)

    assert run("--format", "erasmus", export)[0] == "created 1, updated 0, rejected 0"
    assert members(PastProject.objects.get()) == {
        "Biedrība Jauniešu Māja": "coordinator",
        "Klaipėdos jaunimo centras": "partner",
    }
