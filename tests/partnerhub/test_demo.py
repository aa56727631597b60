"""`load_demo_data`: the demo a newcomer sees after `make run`."""

import io

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.management import call_command

from organisations.models import Membership, Organisation, Role
from partnerhub.demo import DEMO_PASSWORD
from projects.models import Call, ProjectIdea

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("load_demo_data", stdout=io.StringIO())


def test_demo_has_organisations_across_countries(demo):
    assert Organisation.objects.count() >= 40
    assert Organisation.objects.values("country").distinct().count() >= 8


def test_demo_includes_the_real_partnerships_from_the_seed_articles(demo):
    daugavpils = Organisation.objects.get(name__startswith="Daugavpils pilsētas dome")
    idea = ProjectIdea.objects.filter(lead=daugavpils).first()
    assert idea is not None
    assert "PL" in [country.code for country in idea.countries_sought]
    assert Organisation.objects.filter(name="Fundacja Centrum Aktywności Twórczej").exists()
    assert Organisation.objects.filter(name__icontains="Intelekta parks").exists()
    assert Organisation.objects.filter(country="NO").count() >= 3


def test_demo_has_ideas_and_calls(demo):
    assert ProjectIdea.objects.open().count() >= 25
    assert Call.objects.open().count() >= 8
    assert {call.programme.code for call in Call.objects.select_related("programme")} >= {
        "erasmus-plus",
        "european-solidarity-corps",
        "eea-norway-grants",
        "interreg",
    }


def test_demo_users_can_sign_in_with_the_documented_password(demo, client):
    user = get_user_model().objects.get(email="ilze@demo.partnerhub.example")
    assert user.check_password(DEMO_PASSWORD)
    assert EmailAddress.objects.get(user=user).verified
    assert Membership.objects.filter(user=user, role=Role.OWNER).exists()
    staff = get_user_model().objects.get(email="staff@demo.partnerhub.example")
    assert staff.is_staff
    assert staff.has_perm("organisations.change_organisation")


def test_loading_twice_changes_nothing(demo):
    counts = (
        Organisation.objects.count(),
        ProjectIdea.objects.count(),
        Call.objects.count(),
        get_user_model().objects.count(),
        Membership.objects.count(),
    )
    stamps = list(Organisation.objects.order_by("pk").values_list("updated_at", flat=True))
    call_command("load_demo_data", stdout=io.StringIO())
    assert counts == (
        Organisation.objects.count(),
        ProjectIdea.objects.count(),
        Call.objects.count(),
        get_user_model().objects.count(),
        Membership.objects.count(),
    )
    assert stamps == list(Organisation.objects.order_by("pk").values_list("updated_at", flat=True))


def test_demo_profiles_have_varied_believable_ages(demo):
    from django.utils import timezone

    ages = {
        (timezone.now() - stamp).days
        for stamp in Organisation.objects.values_list("updated_at", flat=True)
    }
    assert len(ages) > 20
    assert max(ages) <= 700
