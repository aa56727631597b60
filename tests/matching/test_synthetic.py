"""generate_synthetic: deterministic, coherent, and written so matching and search can read it.

The command lives in the dev-only ``bench`` app (bench/synthetic.py): the test
and development settings install it, production settings do not.
"""

from collections import Counter
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from matching import services
from matching.features import load_records
from organisations.models import Organisation
from projects import search_index as idea_search
from projects.models import ProjectIdea

BALTIC_NORDIC = {"LV", "LT", "EE", "FI", "SE", "NO", "DK", "IS"}


def _snapshot():
    return [
        (o.name, o.country, o.kind, tuple(sorted(o.themes.values_list("code", flat=True))))
        for o in Organisation.objects.order_by("pk")
    ]


@pytest.mark.django_db
def test_the_same_seed_gives_the_same_data():
    call_command("generate_synthetic", organisations=60, ideas=10, seed=3, stdout=StringIO())
    first = _snapshot()
    ProjectIdea.objects.all().delete()
    Organisation.objects.all().delete()
    call_command("generate_synthetic", organisations=60, ideas=10, seed=3, stdout=StringIO())
    assert _snapshot() == first
    ProjectIdea.objects.all().delete()
    Organisation.objects.all().delete()
    call_command("generate_synthetic", organisations=60, ideas=10, seed=4, stdout=StringIO())
    assert _snapshot() != first


@pytest.mark.django_db
def test_profiles_are_plausible_and_lean_to_the_baltic_and_nordic_region():
    call_command("generate_synthetic", organisations=400, ideas=40, seed=1, stdout=StringIO())
    organisations = list(Organisation.objects.all())
    assert len(organisations) == 400 and ProjectIdea.objects.count() == 40
    countries = Counter(o.country.code for o in organisations)
    assert sum(countries[c] for c in BALTIC_NORDIC) > 0.6 * len(organisations)
    assert all(o.search_text == o.build_search_text() for o in organisations)
    assert len({o.slug for o in organisations}) == 400
    records, _inactive = load_records()
    assert sum(bool(r.themes) for r in records) == 400
    assert all(r.languages for r in records)
    assert sum("en" in r.languages for r in records) > 0.7 * len(records)
    schools = [r for r in records if r.kind == "school"]
    assert schools and all("school-education" in r.fields for r in schools)


@pytest.mark.django_db
def test_synthetic_ideas_get_suggestions():
    call_command("generate_synthetic", organisations=100, ideas=5, seed=2, stdout=StringIO())
    idea = ProjectIdea.objects.filter(status="open").select_related("lead", "call").first()
    suggestions = services.suggest_partners(idea=idea, limit=10)
    assert len(suggestions) == 10


@pytest.mark.django_db
def test_bulk_written_rows_are_searchable_as_if_saved_one_by_one():
    """The generator writes search documents itself (no save(), no refresh): they must match."""
    call_command("generate_synthetic", organisations=80, ideas=30, seed=6, stdout=StringIO())
    for organisation in Organisation.objects.all():
        assert organisation.search_text == organisation.build_search_text()
    for idea in ProjectIdea.objects.select_related("programme", "call"):
        # The labels line may list the same labels in another order (no order is set).
        expected = [sorted(line.split()) for line in idea_search.build(idea).split("\n")]
        assert [sorted(line.split()) for line in idea.search_text.split("\n")] == expected
    assert ProjectIdea.objects.filter(themes__isnull=False).distinct().count() > 10


def test_production_settings_do_not_install_the_benchmark_tools():
    from django.conf import settings

    from partnerhub.settings import base

    assert "bench" in settings.INSTALLED_APPS  # the tests use generate_synthetic
    assert "bench" not in base.INSTALLED_APPS
    prod = (Path(base.__file__).parent / "prod.py").read_text()
    assert "INSTALLED_APPS" not in prod  # prod adds no app to base's list


@pytest.mark.django_db
def test_multiply_copies_organisations_ideas_and_links_under_new_names():
    out = StringIO()
    call_command("generate_synthetic", organisations=30, ideas=12, seed=7, multiply=3, stdout=out)
    assert "Created 90 organisations" in out.getvalue() and "36 ideas" in out.getvalue()
    originals = list(Organisation.objects.order_by("pk")[:30])
    for original in originals[:5]:
        third = Organisation.objects.get(slug=f"{original.slug}-x3")
        assert third.name == f"{original.name} #3" and third.country == original.country
        assert set(third.themes.values_list("code", flat=True)) == set(
            original.themes.values_list("code", flat=True)
        )
    copied = ProjectIdea.objects.filter(slug__endswith="-x2")
    assert copied.count() == 12
    assert all(idea.lead.slug.endswith("-x2") for idea in copied.select_related("lead"))
    records, _inactive = load_records()
    assert len(records) == 90
    # A later organisation gets an id past the copies (PostgreSQL's sequence moved too).
    call_command("generate_synthetic", organisations=1, seed=8, stdout=StringIO())
    assert Organisation.objects.count() == 91


def test_multiply_must_be_at_least_one():
    with pytest.raises(CommandError, match="at least 1"):
        call_command("generate_synthetic", organisations=0, multiply=0, stdout=StringIO())
