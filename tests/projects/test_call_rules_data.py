"""The call rules as data: the calls CSV columns, the call's own validation, and regions."""

import io
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from organisations.forms import OrganisationForm
from organisations.models import Kind
from organisations.regions import region_choices, region_country, region_within
from projects.importing import CALL_COLUMNS, import_calls
from projects.models import Call
from tests.factories import CallFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

DEMO_CALLS = Path(__file__).resolve().parents[2] / "fixtures" / "demo" / "calls.csv"


def test_the_demo_calls_carry_the_programme_rules():
    result = import_calls(io.StringIO(DEMO_CALLS.read_text(encoding="utf-8")))
    assert result.rejected == 0 and result.created == 10
    ka220 = Call.objects.get(code="KA220-YOU-2027-R1")
    assert (ka220.min_months, ka220.max_months) == (12, 36)
    assert ka220.rules.lump_sums == (120_000, 250_000, 400_000)
    esc51 = Call.objects.get(code="ESC51-VOL-2027-R1")
    assert {"UA", "GE", "AL"} <= esc51.rules.partner_only_countries
    assert not Call.objects.get(code="ESC30-SOL-2027-R2").partners_allowed
    assert not Call.objects.get(code="LEADER-LV-2027").partners_allowed
    acf = Call.objects.get(code="EEA-ACF-LV-BIL-2027")
    assert acf.rules.applicant_countries == frozenset({"LV"})
    assert Kind.MUNICIPALITY not in acf.applicant_kinds
    interreg = Call.objects.get(code="INTERREG-LATLIT-2027")
    assert interreg.rules.required_each == frozenset({"LV", "LT"})
    assert "LV006" not in interreg.eligible_regions  # Rīga is outside the programme area
    assert {"LV003", "LV005", "LV009", "LT023"} <= set(interreg.eligible_regions)
    # Importing the same file again changes nothing.
    again = import_calls(io.StringIO(DEMO_CALLS.read_text(encoding="utf-8")))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 10)


def _csv(rows, columns) -> io.StringIO:
    lines = [",".join(columns)] + [",".join(row.get(c, "") for c in columns) for row in rows]
    return io.StringIO("\n".join(lines) + "\n")


ROW = {
    "code": "T-1",
    "programme": "interreg",
    "title": "Test call",
    "deadline": "2030-01-01",
    "min_organisations": "2",
    "min_countries": "2",
    "eligible_countries": "LV;LT",
}


def test_an_older_file_without_the_new_columns_still_imports():
    result = import_calls(_csv([ROW], CALL_COLUMNS))
    assert result.created == 1
    call = Call.objects.get(code="T-1")
    assert call.partners_allowed and call.min_months is None and call.eligible_regions == []


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"eligible_regions": "LV999"}, "eligible_regions: unknown NUTS region LV999"),
        ({"partners_allowed": "maybe"}, "partners_allowed: 'maybe' is not yes or no"),
        ({"min_months": "24", "max_months": "6"}, "call_min_months_lte_max"),
        ({"applicant_countries": "EE"}, "EE must also be among the eligible countries"),
        ({"partners_allowed": "no"}, "needs a minimum of 1 organisation from 1 country"),
    ],
)
def test_bad_call_rules_are_refused_with_a_reason(extra, message):
    columns = [*CALL_COLUMNS, *extra]
    result = import_calls(_csv([{**ROW, **extra}], columns))
    assert result.rejected == 1
    assert message in result.errors[0].message


def test_lump_sums_must_be_amounts():
    call = CallFactory.build(code="T-2", lump_sums="30000;lots")
    with pytest.raises(ValidationError, match="whole amounts"):
        call.full_clean(exclude=["programme"])


def test_regions_are_data_per_country():
    assert ("LV003", "Kurzeme") in region_choices("LV")
    assert region_choices("lt")[0][0].startswith("LT")
    assert region_choices("XX") == ()
    assert region_country("EL301") == "GR"
    assert region_within("LV003", {"LV00"}) and not region_within("", {"LV00"})


def test_an_organisation_chooses_a_region_of_its_own_country():
    organisation = OrganisationFactory(country="LV")
    organisation.region = "LT023"
    with pytest.raises(ValidationError, match="own country"):
        organisation.full_clean()
    organisation.region = "LV003"
    organisation.full_clean()


def test_the_profile_form_offers_regions_grouped_by_country():
    choices = OrganisationForm().fields["region"].choices
    groups = dict(choice for choice in choices if isinstance(choice[1], list))
    assert ("LV003", "Kurzeme") in groups["Latvia"]
    assert ("LT023", "Klaipėdos apskritis") in groups["Lithuania"]


def test_an_existing_profile_is_offered_its_own_countrys_regions():
    organisation = OrganisationFactory(country="LT")
    choices = OrganisationForm(instance=organisation).fields["region"].choices
    assert ("LT023", "Klaipėdos apskritis") in choices
    assert all(not code.startswith("LV") for code, _name in choices)
