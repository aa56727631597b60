"""Staff tools: organisations, members and vocabularies in the admin."""

import pytest
from django.contrib import admin
from django.urls import reverse

from organisations.models import Invitation, Membership, Organisation
from organisations.taxonomy import FieldOfActivity, Language, Theme
from tests.factories import InvitationFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "model", [Organisation, Membership, Invitation, Theme, FieldOfActivity, Language]
)
def test_every_model_admin_declares_how_to_find_things(model):
    model_admin = admin.site._registry[model]
    assert model_admin.list_display and model_admin.list_filter and model_admin.search_fields
    assert model_admin.list_select_related is not None or model_admin.autocomplete_fields


def test_staff_search_and_filter_organisations(client, staff, owner, organisation):
    OrganisationFactory(name="Klaipėdos jaunimo centras", country="LT")
    client.force_login(staff)
    url = reverse("admin:organisations_organisation_changelist")
    response = client.get(url, {"q": "klaipedos"})  # search_text: diacritics optional
    assert response.status_code == 200
    assert "Klaipėdos jaunimo centras" in response.content.decode()
    assert organisation.name not in response.content.decode()
    assert client.get(url, {"country": "LT", "is_verified__exact": "0"}).status_code == 200


def test_change_page_shows_members_and_invitations(client, staff, owner, organisation):
    InvitationFactory(organisation=organisation, email="pending@example.org")
    client.force_login(staff)
    response = client.get(
        reverse("admin:organisations_organisation_change", args=[organisation.pk])
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "owner@example.org" in html and "pending@example.org" in html


def test_verify_action_records_who_and_when(client, staff, organisation):
    client.force_login(staff)
    url = reverse("admin:organisations_organisation_changelist")
    client.post(url, {"action": "verify", "_selected_action": [organisation.pk]})
    organisation.refresh_from_db()
    assert (
        organisation.is_verified and organisation.verified_by == staff and organisation.verified_at
    )
    client.post(url, {"action": "unverify", "_selected_action": [organisation.pk]})
    organisation.refresh_from_db()
    assert not organisation.is_verified


def test_non_staff_cannot_use_the_admin(client, owner):
    client.force_login(owner)
    response = client.get(reverse("admin:organisations_organisation_changelist"))
    assert response.status_code == 302


@pytest.mark.parametrize(
    "name", ["theme", "fieldofactivity", "targetgroup", "programme", "language", "activity"]
)
def test_vocabularies_are_searchable(client, staff, name):
    client.force_login(staff)
    response = client.get(
        reverse(f"admin:organisations_{name}_changelist"), {"q": "e", "missing": "lt"}
    )
    assert response.status_code == 200


def test_term_codes_cannot_be_changed(client, staff):
    client.force_login(staff)
    theme = Theme.objects.get(code="sport-physical-activity")
    response = client.get(reverse("admin:organisations_theme_change", args=[theme.pk]))
    assert 'name="code"' not in response.content.decode()
