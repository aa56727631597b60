"""Forms as a user meets them (issue 14): one error summary at the top linking to each field,
a plain word when an uploaded file must be chosen again, required marks that match the intro."""

import re

import pytest
from django.urls import reverse

from organisations.models import Experience, Organisation
from tests.organisations.test_views import form_data, image_file

pytestmark = pytest.mark.django_db


def summary_of(html: str) -> str:
    match = re.search(r'<div class="error-summary".*?</div>', html, re.S)
    assert match, "no error summary on the page"
    return match.group(0)


def test_the_error_summary_comes_first_and_links_to_each_wrong_field(client, outsider):
    client.force_login(outsider)
    before = Organisation.objects.count()
    response = client.post(
        reverse("organisations:create"), form_data(name="", email="not-an-address", oid="E1")
    )
    html = response.content.decode()
    summary = summary_of(html)
    # Above the first field of the form, not near the bottom beside the field.
    assert html.index('class="error-summary"') < html.index('name="name"')
    links = re.findall(r'<a href="#(id_\w+)">', summary)
    assert links == ["id_name", "id_oid", "id_email"]
    for target in links:
        assert f'id="{target}"' in html
    assert "This field is required." in summary
    assert Organisation.objects.count() == before


def test_a_form_without_errors_has_no_summary(client, outsider):
    client.force_login(outsider)
    html = client.get(reverse("organisations:create")).content.decode()
    assert "error-summary" not in html


def test_allauth_forms_get_the_same_summary(client):
    response = client.post(
        reverse("account_signup"),
        {"email": "not-an-address", "password1": "x", "password2": "y"},
    )
    summary = summary_of(response.content.decode())
    assert '<a href="#id_email">' in summary


def test_a_logo_chosen_before_a_failed_submit_must_be_chosen_again_and_says_so(client, outsider):
    client.force_login(outsider)
    before = Organisation.objects.count()
    response = client.post(reverse("organisations:create"), form_data(name="", logo=image_file()))
    html = response.content.decode()
    assert "choose it again before sending" in html
    assert Organisation.objects.count() == before
    # No such word when no file was chosen.
    response = client.post(reverse("organisations:create"), form_data(name=""))
    assert "choose it again" not in response.content.decode()


def test_only_the_fields_the_intro_names_are_marked_required(client, outsider):
    client.force_login(outsider)
    html = client.get(reverse("organisations:create")).content.decode()
    assert "Only the name, kind, country and city are required" in html
    required = re.findall(
        r'<div class="field[^"]*field-required[^"]*">\s*<label for="id_(\w+)"', html
    )
    assert required == ["name", "kind", "country", "city"]


def test_an_organisation_registers_without_saying_its_experience(client, outsider):
    client.force_login(outsider)
    data = form_data()
    del data["experience"]
    response = client.post(reverse("organisations:create"), data)
    assert response.status_code == 302
    organisation = Organisation.objects.get(name="Jauniešu centrs Ventspils")
    assert organisation.experience == Experience.NONE
