"""Bad input: NUL bytes, oversized bodies, endless text, look-alike names, formula cells, uploads."""

import io
import re

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import models
from django.urls import reverse

from organisations.forms import OrganisationForm
from organisations.models import Organisation
from partnerhub.csvio import read_rows, write_rows
from partnerhub.validators import hidden_characters, normalise_name
from projects.forms import IdeaForm
from tests.factories import CallFactory, OrganisationFactory
from tests.organisations.test_views import form_data, image_file

pytestmark = pytest.mark.django_db

NUL_REQUESTS = [
    ("get", "/calls/%00/", None),
    ("get", "/ideas/new/?call=%00", None),
    ("get", "/organisations/?q=a%00b", None),
    ("get", "/organisations/%00/", None),
    ("post", "/organisations/switch/", {"organisation": "\x00"}),
    ("post", "/organisations/new/", {"name": "a\x00b"}),
]


@pytest.mark.parametrize(("method", "url", "data"), NUL_REQUESTS)
def test_nul_bytes_anywhere_are_a_400_never_a_500(client, owner, method, url, data):
    client.force_login(owner)
    response = getattr(client, method)(url, data) if data else getattr(client, method)(url)
    assert response.status_code == 400


def test_nul_bytes_in_a_cookie_or_header_are_a_400(client):
    client.cookies["sessionid"] = "abc\x00def"
    assert client.get("/").status_code == 400
    client.cookies.clear()
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="lv\x00").status_code == 400


def test_a_body_over_the_limit_is_refused_before_it_is_read(client, owner, settings):
    settings.MAX_REQUEST_BODY_BYTES = 1000
    client.force_login(owner)
    response = client.post(
        reverse("organisations:create"), {"description": "x" * 5000}, HTTP_HOST="testserver"
    )
    assert response.status_code == 413


def test_upload_limits_are_set():
    from django.conf import settings

    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE <= 2_621_440
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE <= 1024 * 1024
    assert settings.MAX_REQUEST_BODY_BYTES <= 5 * 1024 * 1024


def _free_text_fields():
    for app in ("organisations", "projects", "matching"):
        for model in apps.get_app_config(app).get_models():
            for field in model._meta.concrete_fields:
                if isinstance(field, models.CharField | models.TextField) and field.editable:
                    yield f"{model._meta.label}.{field.name}", field


@pytest.mark.parametrize(("label", "field"), list(_free_text_fields()), ids=lambda v: str(v))
def test_every_free_text_field_has_a_length_limit(label, field):
    assert field.max_length, f"{label} has no max_length"
    form_field = field.formfield()
    if form_field is not None and hasattr(form_field, "max_length"):
        assert form_field.max_length == field.max_length, label


def test_a_one_megabyte_description_is_refused_by_the_form(client, outsider):
    client.force_login(outsider)
    response = client.post(reverse("organisations:create"), form_data(description="x" * 1_000_000))
    assert response.status_code == 200
    assert "at most 5000 characters" in " ".join(response.context["form"].errors["description"])
    assert not Organisation.objects.filter(name=form_data()["name"]).exists()


LOOK_ALIKES = [
    "Jaunimo\u200b tiltai",  # zero-width space
    "\u202eiatlit ominuaJ",  # right-to-left override
    "Jaunimo\u2066 tiltai",  # left-to-right isolate
    "Jaunimo\ufeff tiltai",  # byte-order mark
    "Jaunimo\x07 tiltai",  # control character
    "Jaunimo\u00ad tiltai",  # soft hyphen
]


@pytest.mark.parametrize("name", LOOK_ALIKES)
def test_names_with_invisible_or_direction_characters_are_refused(name):
    form = OrganisationForm(data=form_data(name=name))
    assert not form.is_valid()
    assert "invisible or control characters" in form.errors["name"][0]
    assert hidden_characters(name)


@pytest.mark.parametrize("title", LOOK_ALIKES)
def test_idea_titles_with_invisible_characters_are_refused(title, owner, organisation):
    form = IdeaForm(
        data={"title": title, "lead": organisation.pk},
        user=owner,
        call=None,
        leads=[organisation],
    )
    assert not form.is_valid()
    assert "invisible or control characters" in form.errors["title"][0]


def test_names_are_stored_nfc_with_single_spaces():
    decomposed = "Lie\u0070a\u0304jas  jauniešu   centrs"  # "ā" as a + combining macron
    form = OrganisationForm(data=form_data(name=decomposed))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["name"] == "Liepājas jauniešu centrs"
    assert normalise_name(" Rīga ") == "Rīga"


def test_svg_logos_are_refused(client, outsider):
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    client.force_login(outsider)
    response = client.post(
        reverse("organisations:create"),
        form_data(logo=SimpleUploadedFile("logo.svg", svg, content_type="image/svg+xml")),
    )
    assert response.context["form"].errors["logo"]


def test_a_logo_is_stored_under_a_generated_name(client, outsider, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(outsider)
    client.post(
        reverse("organisations:create"),
        form_data(logo=image_file("PNG", name="Our logo (final) ünï.PNG")),
    )
    logo = Organisation.objects.get(name=form_data()["name"]).logo.name
    assert re.fullmatch(r"logos/[0-9a-f]{32}\.png", logo), logo


FORMULAS = ['=HYPERLINK("http://evil")', "+1+1", "-2+3", "@SUM(A1)"]


@pytest.mark.parametrize("cell", FORMULAS)
def test_csv_exports_neutralise_formula_cells_and_imports_restore_them(cell):
    out = io.StringIO()
    write_rows(out, ["name", "count"], [{"name": cell, "count": -3}])
    text = out.getvalue()
    assert f"'{cell[0]}" in text or f"\"'{cell[0]}" in text
    assert "\n-3\n" in text.replace("\r", "") or ",-3" in text, "numbers stay numbers"
    (_, row), *_ = list(read_rows(io.StringIO(text), ["name"]))
    assert row["name"] == cell


def test_the_organisation_export_command_neutralises_formulas():
    OrganisationFactory(name="=cmd|' /C calc'!A0", description="@SUM(1)")
    out = io.StringIO()
    call_command("export_organisations", stdout=out)
    assert "'=cmd" in out.getvalue()
    assert "'@SUM" in out.getvalue()


def test_the_call_detail_with_a_nul_code_on_any_database(client):
    CallFactory()
    assert client.get("/calls/%00/").status_code == 400


def test_a_logo_with_a_script_extension_is_refused(client, outsider):
    client.force_login(outsider)
    response = client.post(
        reverse("organisations:create"), form_data(logo=image_file("PNG", name="shell.php"))
    )
    assert response.context["form"].errors["logo"]
