"""Relative dates ("updated 6 days ago") read correctly in Latvian and Lithuanian."""

import datetime

import pytest
from django.contrib.humanize.templatetags.humanize import naturaltime
from django.utils import timezone, translation
from django.utils.timesince import timesince

NOW = timezone.now()


def ago(days: float, language: str) -> str:
    with translation.override(language):
        return naturaltime(NOW - datetime.timedelta(days=days)).replace("\xa0", " ")


@pytest.mark.parametrize(
    ("days", "expected"),
    [
        (1, "pirms 1 dienas"),
        (2, "pirms 2 dienām"),
        (6, "pirms 6 dienām"),
        (9, "pirms 1 nedēļas, 2 dienām"),
        (21, "pirms 3 nedēļām"),
        (40, "pirms 1 mēneša, 1 nedēļas"),
        (95, "pirms 3 mēnešiem"),
        (400, "pirms 1 gada, 1 mēneša"),
        (800, "pirms 2 gadiem, 2 mēnešiem"),
    ],
)
def test_latvian(days, expected):
    assert ago(days, "lv") == expected


@pytest.mark.parametrize(
    ("days", "expected"),
    [
        (1, "prieš 1 dieną"),
        (2, "prieš 2 dienas"),
        (6, "prieš 6 dienas"),
        (9, "prieš 1 savaitę, 2 dienas"),
        (21, "prieš 3 savaites"),
        (40, "prieš 1 mėnesį, 1 savaitę"),
        (95, "prieš 3 mėnesius"),
        (335, "prieš 11 mėnesių"),
        (400, "prieš 1 metus, 1 mėnesį"),
    ],
)
def test_lithuanian(days, expected):
    assert ago(days, "lt") == expected


@pytest.mark.parametrize(
    ("language", "expected"),
    [("lv", "1 nedēļa, 2 dienas"), ("lt", "1 savaitė, 2 dienos"), ("en", "1 week, 2 days")],
)
def test_a_duration_without_ago(language, expected):
    with translation.override(language):
        text = timesince(NOW - datetime.timedelta(days=9), NOW)
    assert text.replace("\xa0", " ") == expected


@pytest.mark.django_db
def test_the_directory_card_says_when_in_the_visitors_language(client):
    from organisations.directory import directory_index
    from organisations.models import Organisation
    from tests.factories import OrganisationFactory

    directory_index.clear()
    organisation = OrganisationFactory()
    Organisation.objects.filter(pk=organisation.pk).update(
        updated_at=NOW - datetime.timedelta(days=6)
    )
    response = client.get("/organisations/", headers={"accept-language": "lt"})
    assert "prieš 6" in response.content.decode().replace("\xa0", " ")
    assert "days" not in response.content.decode().split("prieš 6")[1][:20]
    directory_index.clear()
