"""Profile pages: who sees what, who may register and edit, and what the form refuses."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from PIL import Image

from organisations.models import Membership, Organisation, Role
from partnerhub import search
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def image_file(fmt="PNG", size=(40, 40), name="logo.png", pad=0) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, "navy").save(buffer, format=fmt)
    return SimpleUploadedFile(
        name, buffer.getvalue() + b"\0" * pad, content_type=f"image/{fmt.lower()}"
    )


def form_data(**changes) -> dict:
    data = {
        "name": "Jauniešu centrs Ventspils",
        "kind": "public-institution",
        "country": "LV",
        "city": "Ventspils",
        "description": "A youth centre.",
        "experience": "some",
        "themes": ["inclusion-diversity"],
        "oid": "",
        "website": "",
        "email": "",
    }
    data.update(changes)
    # The form posts term primary keys; tests speak in codes.
    from organisations.taxonomy import Theme

    data["themes"] = list(
        Theme.objects.filter(code__in=data["themes"]).values_list("pk", flat=True)
    )
    return data


# -- profile page -------------------------------------------------------------


def test_profile_is_public_and_shows_the_profile(client):
    organisation = OrganisationFactory(
        name="Biedrība Zaļā Zemgale",
        city="Jelgava",
        themes=["environment-climate"],
        fields=["youth-work"],
        languages=["lv", "en"],
        oid="E10123456",
        website="https://zala.example",
    )
    response = client.get(organisation.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    for text in (
        "Biedrība Zaļā Zemgale",
        "Jelgava",
        "Latvia",
        "Environment",
        "Youth work",
        "E10123456",
        "zala.example",
        "profile updated",
    ):
        assert text in html


def test_contact_email_only_for_signed_in_users(client, outsider):
    organisation = OrganisationFactory(email="hello@zala.example")
    assert "hello@zala.example" not in client.get(organisation.get_absolute_url()).content.decode()
    client.force_login(outsider)
    assert "hello@zala.example" in client.get(organisation.get_absolute_url()).content.decode()


def test_members_see_edit_link_and_completeness_others_do_not(
    client, organisation, owner, member, outsider
):
    edit_url = reverse("organisations:update", args=[organisation.slug])
    url = organisation.get_absolute_url()
    assert edit_url not in client.get(url).content.decode()
    client.force_login(outsider)
    response = client.get(url)
    assert edit_url not in response.content.decode()
    assert "completeness" not in response.context
    client.force_login(member)
    response = client.get(url)
    assert edit_url not in response.content.decode()  # viewers cannot edit
    assert "a public contact e-mail" in response.content.decode()  # but see what is missing
    client.force_login(owner)
    response = client.get(url)
    assert edit_url in response.content.decode()
    assert response.context["completeness"].percent < 100


def test_inactive_profile_is_404_for_outsiders(client, organisation, outsider):
    organisation.is_active = False
    organisation.save()
    client.force_login(outsider)
    assert client.get(organisation.get_absolute_url()).status_code == 404


# -- register -----------------------------------------------------------------


def test_register_requires_sign_in(client):
    response = client.get(reverse("organisations:create"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_register_requires_a_verified_email(client):
    user = UserFactory(email="new@example.org")  # no verified EmailAddress
    client.force_login(user)
    response = client.post(reverse("organisations:create"), form_data())
    assert response.status_code == 200
    assert "account/verified_email_required.html" in [t.name for t in response.templates]
    assert not Organisation.objects.filter(name="Jauniešu centrs Ventspils").exists()


def test_a_verified_user_registers_and_becomes_owner(client, outsider):
    client.force_login(outsider)
    response = client.post(
        reverse("organisations:create"), form_data(website="www.ventspils.example")
    )
    organisation = Organisation.objects.get(name="Jauniešu centrs Ventspils")
    assert response.status_code == 302
    assert response["Location"] == organisation.get_absolute_url()
    assert organisation.slug == "jauniesu-centrs-ventspils"
    assert organisation.website == "https://www.ventspils.example"
    assert Membership.objects.get(organisation=organisation, user=outsider).role == Role.OWNER
    assert client.session["current_organisation"] == organisation.pk


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"oid": "E123"}, "oid", "letter E followed by 8 digits"),
        ({"email": "not-an-address"}, "email", "valid email"),
        ({"website": "http://"}, "website", "valid URL"),
        ({"name": ""}, "name", "required"),
    ],
)
def test_the_form_says_what_is_wrong_next_to_the_field(client, outsider, changes, field, message):
    client.force_login(outsider)
    response = client.post(reverse("organisations:create"), form_data(**changes))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert 'class="error"' in response.content.decode()


def test_an_oid_already_used_is_refused(client, outsider):
    OrganisationFactory(oid="E10123456")
    client.force_login(outsider)
    response = client.post(reverse("organisations:create"), form_data(oid="e10123456"))
    assert "already uses" in response.context["form"].errors["oid"][0]


@override_settings(LOGO_MAX_BYTES=2000)
def test_an_oversized_logo_is_refused(client, outsider):
    client.force_login(outsider)
    data = form_data(logo=image_file(pad=5000))
    response = client.post(reverse("organisations:create"), data)
    assert "at most" in response.context["form"].errors["logo"][0]


def test_a_logo_must_be_png_jpeg_or_webp(client, outsider):
    client.force_login(outsider)
    response = client.post(
        reverse("organisations:create"), form_data(logo=image_file("GIF", name="logo.gif"))
    )
    assert "PNG, JPEG or WebP" in response.context["form"].errors["logo"][0]
    response = client.post(
        reverse("organisations:create"),
        form_data(logo=SimpleUploadedFile("logo.png", b"not an image", content_type="image/png")),
    )
    assert response.context["form"].errors["logo"]


def test_a_valid_logo_is_saved(client, outsider, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(outsider)
    client.post(
        reverse("organisations:create"), form_data(logo=image_file("WEBP", name="logo.webp"))
    )
    assert Organisation.objects.get(name="Jauniešu centrs Ventspils").logo.name.startswith("logos/")


# -- edit: the permission matrix ---------------------------------------------


def test_edit_anonymous_is_sent_to_sign_in(client, organisation):
    response = client.get(reverse("organisations:update", args=[organisation.slug]))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_edit_outsider_gets_404(client, organisation, outsider):
    client.force_login(outsider)
    assert client.get(reverse("organisations:update", args=[organisation.slug])).status_code == 404
    assert (
        client.post(
            reverse("organisations:update", args=[organisation.slug]), form_data()
        ).status_code
        == 404
    )


def test_edit_viewer_gets_403(client, organisation, member):
    client.force_login(member)
    assert client.get(reverse("organisations:update", args=[organisation.slug])).status_code == 403
    assert (
        client.post(
            reverse("organisations:update", args=[organisation.slug]), form_data()
        ).status_code
        == 403
    )


@pytest.mark.parametrize("who", ["editor", "owner"])
def test_editors_and_owners_save_the_profile(client, organisation, request, who):
    client.force_login(request.getfixturevalue(who))
    url = reverse("organisations:update", args=[organisation.slug])
    assert client.get(url).status_code == 200
    response = client.post(url, form_data(name=organisation.name, city="Cēsis", oid="E10999999"))
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert (organisation.city, organisation.oid) == ("Cēsis", "E10999999")
    assert search.stem("Cēsis") in organisation.search_text.split()  # the search document
