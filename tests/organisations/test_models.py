"""Organisation, membership and invitation models and their querysets."""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError

from organisations.models import Invitation, Organisation, Role
from organisations.services import slug_base, unique_slug
from partnerhub import search
from tests.factories import InvitationFactory, MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_search_columns_are_lower_case_without_diacritics():
    organisation = OrganisationFactory(
        name="Liepājas Jauniešu Māja", city="Liepāja", description="Ūdens"
    )
    assert organisation.search_name == "liepajas jauniesu maja"
    # The document: stems of the name, the labels of kind and taxonomies, city and text.
    name, labels, body = organisation.search_text.split("\n")
    assert name.split() == search.stems("Liepaja jauniesu maja")
    assert search.stem("Liepāja") in body.split()
    assert search.stem("udens") in body.split()


def test_taxonomy_labels_are_matched_from_the_codes_not_stored_in_the_document(client):
    organisation = OrganisationFactory(kind="municipality", themes=["volunteering-solidarity"])
    assert organisation.search_text.split("\n")[1] == ""
    for word in ("municipality", "pašvaldība", "savivaldybė", "volunteering", "savanorystė"):
        response = client.get("/organisations/", {"q": word})
        assert [o.pk for o in response.context["organisation_list"]] == [organisation.pk], word


@pytest.mark.parametrize("oid", ["E1234567", "E123456789", "e12345678", "X12345678", "E1234567A"])
def test_an_invalid_oid_is_rejected(oid):
    organisation = OrganisationFactory.build(oid=oid, slug="x")
    with pytest.raises(ValidationError) as error:
        organisation.full_clean()
    assert "oid" in error.value.message_dict


def test_a_valid_oid_is_accepted():
    OrganisationFactory.build(oid="E10123456", slug="x").full_clean()


def test_sector_follows_kind():
    assert OrganisationFactory.build(kind="municipality").sector == "public"
    assert OrganisationFactory.build(kind="school").get_sector_display() == "Education"


def test_inactive_profiles_are_visible_only_to_members_and_staff(
    owner, organisation, outsider, staff
):
    organisation.is_active = False
    organisation.save()
    other = OrganisationFactory()

    assert other in Organisation.objects.visible_to(AnonymousUser())
    assert organisation not in Organisation.objects.visible_to(AnonymousUser())
    assert organisation not in Organisation.objects.visible_to(outsider)
    assert organisation in Organisation.objects.visible_to(owner)
    assert organisation in Organisation.objects.visible_to(staff)


def test_visible_to_returns_each_organisation_once(owner, editor, member, organisation):
    # Three members: a join would repeat the row.
    assert list(Organisation.objects.visible_to(owner)).count(organisation) == 1


def test_editable_by_owners_and_editors_only(owner, editor, member, organisation):
    assert organisation in Organisation.objects.editable_by(owner)
    assert organisation in Organisation.objects.editable_by(editor)
    assert organisation not in Organisation.objects.editable_by(member)


def test_one_membership_per_user_and_organisation(owner, organisation):
    with pytest.raises(ValidationError):
        MembershipFactory.build(
            user=owner, organisation=organisation, role=Role.VIEWER
        ).validate_constraints()


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Liepājas Jauniešu centrs", "liepajas-jauniesu-centrs"),
        ("Asociacija „Jaunimo tiltai“", "asociacija-jaunimo-tiltai"),
        ("Łódź Youth", "lodz-youth"),
        ("!!!", "organisation"),
    ],
)
def test_slugs_are_ascii_without_diacritics(name, slug):
    assert slug_base(name) == slug


def test_slugs_get_a_number_on_clashes():
    OrganisationFactory(name="Zaļā Zemgale", slug="zala-zemgale")
    OrganisationFactory(name="Zala Zemgale", slug="zala-zemgale-2", country="LT")
    assert unique_slug("Zaļā  Zemgale") == "zala-zemgale-3"


def test_slugs_never_shadow_directory_paths():
    assert unique_slug("New") == "new-2"
    assert unique_slug("Invitations") == "invitations-2"


def test_pending_invitations_for_a_users_verified_addresses_only():
    user = UserFactory(email="anna@example.org")
    EmailAddress.objects.create(user=user, email="anna@example.org", verified=True, primary=True)
    EmailAddress.objects.create(user=user, email="anna@unverified.example", verified=False)
    mine = InvitationFactory(email="anna@example.org")
    InvitationFactory(email="anna@unverified.example")
    InvitationFactory(email="someone@example.org")
    answered = InvitationFactory(email="anna@example.org")
    answered.accepted_at = answered.created_at
    answered.save()
    assert list(Invitation.objects.pending().for_user(user)) == [mine]


def test_only_one_pending_invitation_per_address_and_organisation(organisation):
    InvitationFactory(organisation=organisation, email="a@example.org")
    with pytest.raises(ValidationError):
        InvitationFactory.build(organisation=organisation, email="a@example.org").full_clean()
