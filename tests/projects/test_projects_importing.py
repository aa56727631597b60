import csv
import datetime
import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.utils import timezone

from organisations.models import Kind
from projects.importing import IDEA_COLUMNS, export_ideas, import_calls, import_ideas
from projects.models import Call, IdeaStatus, ProjectIdea
from tests.factories import CallFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
LATER = (TODAY + datetime.timedelta(days=60)).isoformat()
DEMO = Path(settings.BASE_DIR) / "fixtures" / "demo"


def csv_text(rows, columns=IDEA_COLUMNS) -> io.StringIO:
    stream = io.StringIO()
    writer = csv.DictWriter(stream, fieldnames=columns)
    writer.writeheader()
    for row in rows:
        writer.writerow({column: row.get(column, "") for column in columns})
    stream.seek(0)
    return stream


def idea_row(**overrides):
    row = {
        "title": "Volunteer centre for Daugavpils",
        "lead": "Daugavpils Youth Centre",
        "lead_country": "LV",
        "summary": "We want to learn how a volunteer centre works.",
        "goals": "A permanent volunteering system.",
        "themes": "volunteering-solidarity;inclusion-diversity",
        "target_groups": "young-people",
        "programme": "erasmus-plus",
        "call": "KA210-YOU-T",
        "countries_sought": "PL;LT",
        "kinds_sought": "foundation;association",
        "fields_sought": "youth-work",
        "partners_wanted": "2",
        "language": "en",
        "closes_on": LATER,
        "status": "open",
    }
    row.update(overrides)
    return row


@pytest.fixture
def lead(db):
    return OrganisationFactory(name="Daugavpils Youth Centre", country="LV", kind=Kind.ASSOCIATION)


@pytest.fixture
def call(db):
    return CallFactory(code="KA210-YOU-T", eligible_countries=["LV", "LT", "PL"])


def test_import_creates_an_idea_with_all_its_columns(lead, call):
    result = import_ideas(csv_text([idea_row()]))

    assert (result.created, result.updated, result.rejected) == (1, 0, 0)
    idea = ProjectIdea.objects.get()
    assert idea.lead == lead
    assert idea.call == call
    assert idea.slug == "volunteer-centre-for-daugavpils"
    assert idea.status == IdeaStatus.OPEN
    assert sorted(t.code for t in idea.themes.all()) == [
        "inclusion-diversity",
        "volunteering-solidarity",
    ]
    assert sorted(c.code for c in idea.countries_sought) == ["LT", "PL"]
    assert idea.kinds_sought == ["foundation", "association"]
    assert idea.language.code == "en"
    assert idea.partners_wanted == 2


def test_a_cell_may_hold_labels_in_any_site_language(lead, call):
    from organisations.taxonomy import Theme

    theme = Theme.objects.get(code="volunteering-solidarity")
    labels = [label for label in (theme.name_lv, theme.name_en) if label]
    result = import_ideas(csv_text([idea_row(themes=labels[0].upper(), kinds_sought="Foundation")]))

    assert result.created == 1, result.errors
    idea = ProjectIdea.objects.get()
    assert [t.code for t in idea.themes.all()] == ["volunteering-solidarity"]
    assert idea.kinds_sought == ["foundation"]


def test_importing_again_changes_nothing_and_keeps_updated_at(lead, call):
    import_ideas(csv_text([idea_row()]))
    before = ProjectIdea.objects.get().updated_at

    result = import_ideas(csv_text([idea_row()]))

    assert (result.created, result.updated, result.unchanged) == (0, 0, 1)
    assert result.summary() == "created 0, updated 0, rejected 0"
    assert ProjectIdea.objects.get().updated_at == before


def test_importing_a_changed_row_updates_the_idea_by_title_and_lead(lead, call):
    import_ideas(csv_text([idea_row()]))
    result = import_ideas(
        csv_text([idea_row(partners_wanted="3", themes="sport-physical-activity")])
    )

    assert (result.created, result.updated) == (0, 1)
    idea = ProjectIdea.objects.get()
    assert idea.partners_wanted == 3
    assert [t.code for t in idea.themes.all()] == ["sport-physical-activity"]


def test_export_then_import_changes_nothing(lead, call):
    other = OrganisationFactory(name="Kauno jaunimo centras", country="LT")
    import_ideas(
        csv_text(
            [
                idea_row(),
                idea_row(
                    title="Žaliosios mokyklos",
                    lead=other.name,
                    lead_country="LT",
                    call="",
                    programme="interreg",
                    status="draft",
                    language="lt",
                ),
                idea_row(title="Old exchange", status="closed", closes_on="2020-01-31"),
            ]
        )
    )
    stamps = dict(ProjectIdea.objects.values_list("pk", "updated_at"))
    exported = io.StringIO()

    assert export_ideas(ProjectIdea.objects.all(), exported) == 3
    exported.seek(0)
    assert exported.getvalue().splitlines()[0] == ",".join(IDEA_COLUMNS)
    result = import_ideas(exported)

    assert (result.created, result.updated, result.rejected, result.unchanged) == (0, 0, 0, 3)
    assert dict(ProjectIdea.objects.values_list("pk", "updated_at")) == stamps


def test_an_open_idea_that_closed_itself_survives_a_round_trip(lead, call):
    import_ideas(csv_text([idea_row()]))
    ProjectIdea.objects.update(closes_on=TODAY - datetime.timedelta(days=3))
    exported = io.StringIO()
    export_ideas(ProjectIdea.objects.all(), exported)
    exported.seek(0)

    result = import_ideas(exported)

    assert (result.unchanged, result.rejected) == (1, 0), result.errors


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"call": "NOPE-2027"}, "call: there is no call with the code NOPE-2027"),
        (
            {"closes_on": "2020-01-01"},
            "closes_on: The closing date for partner applications cannot be in the past",
        ),
        ({"closes_on": "31.12.2027"}, "closes_on: '31.12.2027' is not a date"),
        ({"partners_wanted": "-1"}, "partners_wanted: must be 0 or more"),
        ({"partners_wanted": "two"}, "partners_wanted: 'two' is not a whole number"),
        ({"lead": "Nobody"}, "lead: no organisation named 'Nobody'"),
        ({"themes": "inclusion-diversity;knitting"}, "themes: unknown value knitting"),
        ({"kinds_sought": "spaceship"}, "kinds_sought: unknown value spaceship"),
        ({"countries_sought": "Atlantis"}, "countries_sought: unknown country Atlantis"),
        ({"status": "published"}, "status: 'published' is not one of"),
        ({"programme": "interreg"}, "programme: The programme must be the call's programme."),
        ({"title": ""}, "title: required"),
    ],
)
def test_a_bad_row_is_reported_with_its_line_and_nothing_is_imported(lead, call, overrides, reason):
    result = import_ideas(csv_text([idea_row(title="A good idea"), idea_row(**overrides)]))

    assert result.aborted
    assert (result.created, result.rejected) == (0, 1)
    assert result.errors[0].line == 3
    assert reason in result.errors[0].message
    assert not ProjectIdea.objects.exists()


def test_a_call_that_excludes_the_lead_is_refused(lead):
    CallFactory(code="LT-ONLY", eligible_countries=["LT"])
    CallFactory(code="MUNI-ONLY", allowed_kinds=[Kind.MUNICIPALITY])

    result = import_ideas(
        csv_text([idea_row(call="LT-ONLY"), idea_row(title="Second", call="MUNI-ONLY")])
    )

    assert result.rejected == 2
    assert "which is not eligible for this call (LT-ONLY)" in result.errors[0].message
    assert "not an eligible kind" in result.errors[1].message


def test_a_past_closing_date_is_allowed_for_closed_and_archived_ideas(lead, call):
    result = import_ideas(
        csv_text(
            [
                idea_row(title="Closed one", status="closed", closes_on="2021-05-01"),
                idea_row(title="Archived one", status="archived", closes_on="2021-05-01"),
            ]
        )
    )
    assert (result.created, result.rejected) == (2, 0), result.errors


def test_skip_invalid_imports_the_good_rows(lead, call):
    result = import_ideas(
        csv_text([idea_row(), idea_row(title="Bad", call="NOPE")]), skip_invalid=True
    )
    assert (result.created, result.rejected, result.aborted) == (1, 1, False)
    assert ProjectIdea.objects.count() == 1


def test_the_same_idea_twice_in_a_file_is_refused(lead, call):
    result = import_ideas(csv_text([idea_row(), idea_row()]))
    assert result.rejected == 1
    assert "appears twice" in result.errors[0].message


def test_import_ideas_command_prints_the_summary_last(lead, call, tmp_path):
    path = tmp_path / "ideas.csv"
    path.write_text(csv_text([idea_row()]).getvalue(), encoding="utf-8")
    out = io.StringIO()

    call_command("import_ideas", str(path), stdout=out)
    call_command("import_ideas", str(path), stdout=out)

    assert out.getvalue().splitlines() == [
        "created 1, updated 0, rejected 0",
        "created 0, updated 0, rejected 0",
    ]


def test_import_ideas_command_fails_when_rows_are_rejected(lead, call, tmp_path):
    path = tmp_path / "ideas.csv"
    path.write_text(csv_text([idea_row(), idea_row(title="x", call="NOPE")]).getvalue())
    out, err = io.StringIO(), io.StringIO()

    with pytest.raises(CommandError):
        call_command("import_ideas", str(path), stdout=out, stderr=err)

    assert out.getvalue().splitlines()[-1] == "created 0, updated 0, rejected 1"
    assert "line 3: call: there is no call with the code NOPE" in err.getvalue()
    assert not ProjectIdea.objects.exists()

    call_command("import_ideas", str(path), "--skip-invalid", stdout=out, stderr=err)
    assert out.getvalue().splitlines()[-1] == "created 1, updated 0, rejected 1"


def test_import_ideas_command_reports_missing_columns(tmp_path):
    path = tmp_path / "ideas.csv"
    path.write_text("title,lead\nA,B\n")
    with pytest.raises(CommandError, match="missing columns"):
        call_command("import_ideas", str(path), stdout=io.StringIO())


def test_export_ideas_command_writes_a_file(lead, call, tmp_path):
    import_ideas(csv_text([idea_row()]))
    path = tmp_path / "out.csv"
    call_command("export_ideas", "--output", str(path), stderr=io.StringIO())
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    assert rows[0]["title"] == "Volunteer centre for Daugavpils"
    assert rows[0]["call"] == "KA210-YOU-T"


def test_import_demo_calls_twice():
    with (DEMO / "calls.csv").open(encoding="utf-8") as stream:
        first = import_calls(stream)
    with (DEMO / "calls.csv").open(encoding="utf-8") as stream:
        second = import_calls(stream)

    assert (first.created, first.rejected) == (10, 0), first.errors
    assert (second.created, second.updated, second.unchanged) == (0, 0, 10)
    eea = Call.objects.get(code="EEA-ACF-LV-BIL-2027")
    assert {c.code for c in eea.required_countries} == {"NO", "IS", "LI"}
    assert eea.programme.code == "eea-norway-grants"


def test_import_calls_refuses_a_new_call_with_a_past_deadline_and_unknown_values():
    columns = [
        "code",
        "programme",
        "title",
        "description",
        "deadline",
        "link",
        "min_organisations",
        "min_countries",
        "eligible_countries",
        "required_countries",
        "required_group_label",
        "allowed_kinds",
        "budget_min",
        "budget_max",
        "lump_sums",
    ]
    good = {"code": "NEW-1", "programme": "erasmus-plus", "title": "New", "deadline": LATER}
    result = import_calls(
        csv_text(
            [
                good,
                {**good, "code": "OLD-1", "deadline": "2020-01-01"},
                {**good, "code": "BAD-1", "programme": "lottery"},
                {**good, "code": "BAD-2", "min_organisations": "0"},
            ],
            columns,
        )
    )
    assert result.aborted
    assert [e.line for e in result.errors] == [3, 4, 5]
    assert "deadline in the past" in result.errors[0].message
    assert "programme: unknown value lottery" in result.errors[1].message
    assert not Call.objects.exists()


def test_demo_ideas_import_cleanly_after_the_demo_organisations():
    importing = pytest.importorskip("organisations.importing")
    for name, importer in (
        ("calls", import_calls),
        ("organisations", importing.import_organisations),
        ("ideas", import_ideas),
    ):
        with (DEMO / f"{name}.csv").open(encoding="utf-8") as stream:
            result = importer(stream)
        assert not result.errors, (name, result.errors[:5])

    assert ProjectIdea.objects.count() == 49
    with (DEMO / "ideas.csv").open(encoding="utf-8") as stream:
        again = import_ideas(stream)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 49)
