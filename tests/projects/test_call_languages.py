"""Calls in English, Latvian and Lithuanian: stored, imported, shown in the reader's language."""

import csv
import io

import pytest
from django.urls import reverse

from partnerhub.demo import DEMO_DIR
from projects.importing import CALL_COLUMNS, CALL_TRANSLATION_COLUMNS, import_calls
from projects.models import Call
from tests.factories import CallFactory, ProjectIdeaFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def call():
    return CallFactory(
        title="Youth exchanges",
        title_lv="Jauniešu apmaiņas",
        title_lt="",
        description="Meet young people from other countries.",
        description_lv="Satiec jauniešus no citām valstīm.",
    )


def page(client, url, language):
    client.cookies["django_language"] = language
    return client.get(url).content.decode()


@pytest.mark.parametrize(
    ("language", "title", "description"),
    [
        ("en", "Youth exchanges", "Meet young people from other countries."),
        ("lv", "Jauniešu apmaiņas", "Satiec jauniešus no citām valstīm."),
        # No Lithuanian text: the English one, never an empty heading.
        ("lt", "Youth exchanges", "Meet young people from other countries."),
    ],
)
def test_the_call_page_and_list_show_the_readers_language(
    client, call, language, title, description
):
    html = page(client, call.get_absolute_url(), language)
    assert f"<h1>{title}</h1>" in html
    assert description in html
    assert title in page(client, reverse("projects:call-list"), language)


def test_the_idea_page_names_its_call_in_the_readers_language(client, call):
    idea = ProjectIdeaFactory(call=call, programme=call.programme)
    html = page(client, idea.get_absolute_url(), "lv")
    assert "Jauniešu apmaiņas" in html
    assert "Youth exchanges" not in html
    # The idea list's call filter names the call in the reader's language too.
    html = page(client, reverse("projects:idea-list"), "lv")
    assert "Jauniešu apmaiņas" in html
    assert "Youth exchanges" not in html


def _csv(rows, columns):
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns)
    writer.writeheader()
    writer.writerows(rows)
    return io.StringIO(out.getvalue())


def test_importing_translations_and_an_english_only_file_keeps_them():
    with (DEMO_DIR / "calls.csv").open(encoding="utf-8") as stream:
        rows = list(csv.DictReader(stream))
    first = dict(rows[0])
    columns = list(rows[0])
    assert set(CALL_TRANSLATION_COLUMNS) <= set(columns)
    result = import_calls(_csv([first], columns))
    assert not result.rejected, result.errors
    call = Call.objects.get(code=first["code"])
    assert call.title_lv == first["title_lv"] and call.description_lt == first["description_lt"]
    english_only = {name: first[name] for name in CALL_COLUMNS}
    result = import_calls(_csv([english_only], CALL_COLUMNS))
    assert not result.rejected, result.errors
    call.refresh_from_db()
    assert call.title_lv == first["title_lv"]


def test_every_demo_call_carries_three_languages():
    with (DEMO_DIR / "calls.csv").open(encoding="utf-8") as stream:
        rows = list(csv.DictReader(stream))
    assert rows
    for row in rows:
        for name in ("title", "description", *CALL_TRANSLATION_COLUMNS):
            assert row[name].strip(), (row["code"], name)
        assert row["title_lv"] != row["title"] and row["title_lt"] != row["title"]


def test_staff_edit_the_translations_in_the_admin(client, staff, call):
    client.force_login(staff)
    html = client.get(reverse("admin:projects_call_change", args=[call.pk])).content.decode()
    for name in CALL_TRANSLATION_COLUMNS:
        assert f'name="{name}"' in html
