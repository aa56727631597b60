"""CSV import and export of organisations, and their commands."""

import datetime
import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from organisations.importing import (
    COLUMNS,
    OPTIONAL_COLUMNS,
    export_organisations,
    import_organisations,
)
from organisations.models import Organisation
from partnerhub.csvio import CSVFormatError
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

DEMO = Path(settings.BASE_DIR) / "fixtures" / "demo" / "organisations.csv"
HEADER = ",".join(COLUMNS + OPTIONAL_COLUMNS)


def csv_text(*rows: str) -> io.StringIO:
    return io.StringIO("\n".join([HEADER, *rows]) + "\n")


GOOD = (
    'Biedrība "Zaļā Zemgale",association,LV,Jelgava,https://zala.example,info@zala.example,'
    "Vides biedrība.,youth-work;vide un daba,environment-climate,young-people,lv;en,some,E10123456"
)


def test_the_demo_file_imports_cleanly_and_a_second_import_changes_nothing():
    with DEMO.open(encoding="utf-8") as stream:
        first = import_organisations(stream)
    assert (first.created, first.updated, first.rejected) == (54, 0, 0), first.errors
    stamps = dict(Organisation.objects.values_list("pk", "updated_at"))
    with DEMO.open(encoding="utf-8") as stream:
        second = import_organisations(stream)
    assert second.summary() == "created 0, updated 0, rejected 0"
    assert dict(Organisation.objects.values_list("pk", "updated_at")) == stamps


def test_every_directory_filter_finds_something_in_the_demo_data(client):
    with DEMO.open(encoding="utf-8") as stream:
        import_organisations(stream)
    Organisation.objects.filter(pk=Organisation.objects.first().pk).update(is_verified=True)
    response = client.get("/organisations/")
    for facet in response.context["facets"]:
        if facet.name in ("has_ideas", "programme"):  # the file has no ideas, no programmes
            continue
        assert any(option.count for option in facet.options), facet.name
    for params in (
        {"country": "LT"},
        {"kind": "municipality"},
        {"sector": "education"},
        {"field": "youth-work"},
        {"theme": "migrant-integration"},
        {"target_group": "seniors"},
        {"language": "lt"},
        {"experience": "none"},
        {"verified": "yes"},
        {"q": "Liepaja"},
        {"q": "Klaipeda"},
    ):
        assert client.get("/organisations/", params).context["result_count"] > 0, params


def test_a_row_creates_an_organisation_with_codes_or_labels():
    result = import_organisations(csv_text(GOOD))
    assert result.summary() == "created 1, updated 0, rejected 0"
    organisation = Organisation.objects.get()
    assert organisation.slug == "biedriba-zala-zemgale"
    assert organisation.country.code == "LV"
    assert set(organisation.fields.values_list("code", flat=True)) == {
        "youth-work",
        "environment-nature",
    }
    assert set(organisation.languages.values_list("code", flat=True)) == {"lv", "en"}
    assert organisation.oid == "E10123456"


def test_kind_country_and_experience_may_be_labels():
    row = "Klubs,Social enterprise,Latvia,Rīga,,,,,,,,Experienced in international projects,"
    result = import_organisations(csv_text(row))
    assert result.created == 1, result.errors
    organisation = Organisation.objects.get()
    assert (organisation.kind, organisation.country.code, organisation.experience) == (
        "social-enterprise",
        "LV",
        "experienced",
    )


def test_importing_again_updates_by_name_and_country_and_only_when_changed():
    import_organisations(csv_text(GOOD))
    organisation = Organisation.objects.get()
    old = timezone.now() - datetime.timedelta(days=30)
    Organisation.objects.filter(pk=organisation.pk).update(updated_at=old)
    assert import_organisations(csv_text(GOOD)).summary() == "created 0, updated 0, rejected 0"
    organisation.refresh_from_db()
    assert organisation.updated_at == old
    changed = GOOD.replace(",Jelgava,", ",Dobele,")
    assert import_organisations(csv_text(changed)).summary() == "created 0, updated 1, rejected 0"
    organisation.refresh_from_db()
    assert organisation.city == "Dobele" and organisation.updated_at > old
    themes_changed = GOOD.replace(
        "environment-climate", "environment-climate;sport-physical-activity"
    )
    assert import_organisations(csv_text(themes_changed)).updated == 1
    assert Organisation.objects.count() == 1


BAD_ROWS = [
    ("X,nonsense,LV,Rīga,,,,,,,,,", "kind"),
    ("X,association,XX,Rīga,,,,,,,,,", "country"),
    ("X,association,LV,Rīga,,not-an-email,,,,,,,", "email"),
    ("X,association,LV,Rīga,,,,,no-such-theme,,,,", "no-such-theme"),
    ("X,association,LV,Rīga,,,,,,,,,E123", "oid"),
    (",association,LV,Rīga,,,,,,,,,", "name"),
    ("X,association,LV,,,,,,,,,,", "city"),
    ("X,association,LV,Rīga,,,,,,,,sometimes,", "experience"),
]


@pytest.mark.parametrize(("row", "reason"), BAD_ROWS)
def test_a_bad_row_is_reported_with_its_line_and_nothing_is_imported(row, reason):
    result = import_organisations(csv_text(GOOD, row))
    assert result.aborted
    assert result.summary() == "created 0, updated 0, rejected 1"
    assert result.errors[0].line == 3
    assert reason in str(result.errors[0])
    assert not Organisation.objects.exists()


def test_skip_invalid_imports_the_good_rows():
    result = import_organisations(csv_text(GOOD, BAD_ROWS[0][0]), skip_invalid=True)
    assert result.summary() == "created 1, updated 0, rejected 1"


def test_duplicates_within_the_file_are_rejected():
    result = import_organisations(csv_text(GOOD, GOOD.replace("Jelgava", "Dobele")))
    assert result.rejected == 1 and "line 2" in result.errors[0].message


def test_an_oid_used_by_another_organisation_is_rejected():
    OrganisationFactory(oid="E10123456")
    result = import_organisations(csv_text(GOOD))
    assert result.rejected == 1 and "oid" in result.errors[0].message.lower()


def test_missing_columns_are_a_format_error():
    with pytest.raises(CSVFormatError, match="missing columns"):
        import_organisations(io.StringIO("name,kind\nX,association\n"))


def test_export_imports_back_unchanged():
    with DEMO.open(encoding="utf-8") as stream:
        import_organisations(stream)
    out = io.StringIO()
    assert export_organisations(Organisation.objects.all(), out) == 54
    exported = out.getvalue()
    assert exported.splitlines()[0] == HEADER
    assert (
        import_organisations(io.StringIO(exported)).summary() == "created 0, updated 0, rejected 0"
    )
    # And into an empty database it recreates the same profiles.
    Organisation.objects.all().delete()
    assert import_organisations(io.StringIO(exported)).created == 54
    again = io.StringIO()
    export_organisations(Organisation.objects.all(), again)
    assert again.getvalue() == exported


def test_import_command_prints_the_summary(tmp_path, capsys):
    path = tmp_path / "orgs.csv"
    path.write_text(csv_text(GOOD).getvalue(), encoding="utf-8")
    call_command("import_organisations", str(path))
    assert capsys.readouterr().out.strip().splitlines()[-1] == "created 1, updated 0, rejected 0"


def test_import_command_fails_when_rows_are_rejected(tmp_path, capsys):
    path = tmp_path / "orgs.csv"
    path.write_text(csv_text(GOOD, BAD_ROWS[0][0]).getvalue(), encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import_organisations", str(path))
    captured = capsys.readouterr()
    assert "line 3: kind" in captured.err
    assert captured.out.strip().splitlines()[-1] == "created 0, updated 0, rejected 1"
    assert not Organisation.objects.exists()
    call_command("import_organisations", str(path), "--skip-invalid")
    assert Organisation.objects.count() == 1


def test_import_command_reports_a_missing_file():
    with pytest.raises(CommandError, match="cannot read"):
        call_command("import_organisations", "/nonexistent/orgs.csv")


def test_export_command_writes_stdout_or_a_file(tmp_path, capsys):
    OrganisationFactory(name="Ąžuolo šaknys", country="LT", themes=["sport-physical-activity"])
    call_command("export_organisations")
    out = capsys.readouterr().out
    assert out.startswith(HEADER) and "Ąžuolo šaknys" in out and "sport-physical-activity" in out
    path = tmp_path / "export.csv"
    call_command("export_organisations", "--output", str(path))
    assert path.read_text(encoding="utf-8") == out


def test_a_region_column_sets_the_region_and_is_checked_against_the_country():
    header = ",".join(COLUMNS + OPTIONAL_COLUMNS)
    good = "Kurzemes biedrība,association,LV,Kuldīga,,,,,,,,,,LV003"
    wrong = "Lietuvos draugija,association,LT,Vilnius,,,,,,,,,,LV003"
    result = import_organisations(io.StringIO(f"{header}\n{good}\n{wrong}\n"), skip_invalid=True)
    assert result.created == 1
    assert "region" in result.errors[0].message
    assert Organisation.objects.get(name="Kurzemes biedrība").region == "LV003"
