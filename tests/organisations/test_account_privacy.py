"""GDPR: a person downloads their data and deletes their account; nothing is orphaned."""

import json

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.db.models import ProtectedError
from django.urls import reverse

from organisations.accounts import account_delete
from organisations.models import Invitation, Membership, Organisation, Role
from tests.conftest import verified_user
from tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db
User = get_user_model()
PASSWORD = "a long enough password 42"


def _with_password(user):
    user.set_password(PASSWORD)
    user.save()
    return user


@pytest.mark.parametrize("url", ["/accounts/data/", "/accounts/delete/"])
def test_anonymous_is_sent_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_a_signed_in_user_downloads_all_their_data_as_json(client, owner, organisation):
    Invitation.objects.create(organisation=OrganisationFactory(), email=owner.email)
    client.force_login(owner)
    assert client.get(reverse("account-data")).status_code == 200
    response = client.post(reverse("account-data"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["account"]["email"] == owner.email
    assert "password" not in data["account"]
    memberships = data["related"]["organisations.membership.user"]
    assert memberships[0]["organisation_id"] == organisation.pk
    assert data["related"]["account.emailaddress.user"][0]["email"] == owner.email
    assert data["invitations_to_you"][0]["email"] == owner.email
    assert owner.password not in response.content.decode()


def test_the_export_leaves_out_second_factor_secrets(client, staff):
    client.force_login(staff)
    data = json.loads(client.post(reverse("account-data")).content)
    authenticators = data["related"]["mfa.authenticator.user"]
    assert authenticators and all("data" not in row for row in authenticators)


def test_deleting_the_account_removes_personal_data(client, organisation, owner):
    # Another owner stays, so the organisation keeps going.
    other = verified_user("second-owner@example.org")
    MembershipFactory(user=other, organisation=organisation, role=Role.OWNER)
    Invitation.objects.create(organisation=OrganisationFactory(), email=owner.email)
    _with_password(owner)
    client.force_login(owner)
    response = client.post(reverse("account-delete"), {"password": PASSWORD})
    assert response.status_code == 302
    assert not User.objects.filter(email=owner.email).exists()
    assert not EmailAddress.objects.filter(email=owner.email).exists()
    assert not Invitation.objects.filter(email=owner.email).exists()
    assert not Membership.objects.filter(user_id=owner.pk).exists()
    assert Organisation.objects.get(pk=organisation.pk).is_active
    assert "_auth_user_id" not in client.session


def test_deleting_needs_the_password(client, owner):
    _with_password(owner)
    client.force_login(owner)
    response = client.post(reverse("account-delete"), {"password": "wrong"})
    assert response.status_code == 400
    assert User.objects.filter(pk=owner.pk).exists()


def test_the_last_owner_of_an_organisation_with_members_cannot_delete(
    client, organisation, owner, member
):
    _with_password(owner)
    client.force_login(owner)
    page = client.get(reverse("account-delete"))
    assert organisation.name in page.content.decode()
    response = client.post(reverse("account-delete"), {"password": PASSWORD})
    assert response.status_code == 400
    assert User.objects.filter(pk=owner.pk).exists()
    with pytest.raises(Exception, match="last owner"):
        account_delete(user=owner, by=owner)


def test_the_only_member_deleting_deactivates_the_organisation(organisation, owner):
    emptied = account_delete(user=owner, by=owner)
    assert [o.pk for o in emptied] == [organisation.pk]
    organisation.refresh_from_db()
    assert not organisation.is_active
    assert not organisation.memberships.exists()
    assert organisation not in Organisation.objects.active()


def test_staff_deleting_a_user_in_the_admin_goes_through_the_same_rules(
    client, staff, organisation, owner, member
):
    client.force_login(staff)
    url = reverse("admin:auth_user_delete", args=[owner.pk])
    assert client.get(url).status_code == 403, "the last owner with members cannot be deleted"
    lone = verified_user("lone@example.org")
    alone = OrganisationFactory()
    MembershipFactory(user=lone, organisation=alone, role=Role.OWNER)
    response = client.post(
        reverse("admin:auth_user_delete", args=[lone.pk]), {"post": "yes"}, follow=True
    )
    assert response.status_code == 200
    assert not User.objects.filter(pk=lone.pk).exists()
    alone.refresh_from_db()
    assert not alone.is_active, "never an active organisation with no members"


def test_organisations_are_deactivated_in_the_admin_never_deleted(client, staff, organisation):
    client.force_login(staff)
    assert (
        client.get(
            reverse("admin:organisations_organisation_delete", args=[organisation.pk])
        ).status_code
        == 403
    )
    client.post(
        reverse("admin:organisations_organisation_changelist"),
        {"action": "deactivate", "_selected_action": [organisation.pk]},
    )
    organisation.refresh_from_db()
    assert not organisation.is_active


def test_the_database_protects_an_organisation_with_members(organisation, owner):
    with pytest.raises(ProtectedError):
        organisation.delete()


def test_the_admin_keeps_the_last_owner(client, staff, organisation, owner, member):
    client.force_login(staff)
    mine = Membership.objects.get(user=owner, organisation=organisation)
    assert (
        client.get(reverse("admin:organisations_membership_delete", args=[mine.pk])).status_code
        == 403
    )
    response = client.post(
        reverse("admin:organisations_membership_change", args=[mine.pk]),
        {"organisation": organisation.pk, "user": owner.pk, "role": Role.VIEWER},
    )
    assert response.status_code == 200
    assert "at least one owner" in response.content.decode()
    mine.refresh_from_db()
    assert mine.role == Role.OWNER


def test_the_admin_inline_keeps_an_owner(client, staff, organisation, owner, member):
    client.force_login(staff)
    url = reverse("admin:organisations_organisation_change", args=[organisation.pk])
    page = client.get(url)
    form = page.context["adminform"].form
    data = {
        key: value
        for key, value in form.initial.items()
        if key != "logo" and value is not None and not isinstance(value, list | tuple)
    }
    memberships = list(organisation.memberships.order_by("pk"))
    data.update(
        {
            "name": organisation.name,
            "slug": organisation.slug,
            "kind": organisation.kind,
            "country": organisation.country.code,
            "city": organisation.city,
            "experience": organisation.experience,
            "memberships-TOTAL_FORMS": len(memberships),
            "memberships-INITIAL_FORMS": len(memberships),
            "invitations-TOTAL_FORMS": 0,
            "invitations-INITIAL_FORMS": 0,
        }
    )
    for index, membership in enumerate(memberships):
        data[f"memberships-{index}-id"] = membership.pk
        data[f"memberships-{index}-organisation"] = organisation.pk
        data[f"memberships-{index}-user"] = membership.user_id
        data[f"memberships-{index}-role"] = Role.VIEWER
    response = client.post(url, data)
    assert response.status_code == 200
    assert "at least one owner" in response.content.decode()
    assert organisation.memberships.filter(role=Role.OWNER).exists()
