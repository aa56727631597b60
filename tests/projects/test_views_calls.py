import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from organisations.taxonomy import Programme
from projects.models import IdeaStatus
from tests.factories import CallFactory, ProjectIdeaFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
LIST = reverse("projects:call-list")


def codes(response):
    return [call.code for call in response.context["object_list"]]


def test_list_shows_open_calls_by_deadline(client):
    CallFactory(code="LATER", deadline=TODAY + datetime.timedelta(days=90))
    CallFactory(code="SOONER", deadline=TODAY + datetime.timedelta(days=10))
    CallFactory(code="PAST", deadline=TODAY - datetime.timedelta(days=1))

    response = client.get(LIST)

    assert codes(response) == ["SOONER", "LATER"]
    assert "2 open calls" in response.content.decode()


def test_list_filters_by_programme_country_and_deadline(client):
    CallFactory(
        code="ERASMUS",
        eligible_countries=["LV", "LT"],
        deadline=TODAY + datetime.timedelta(days=10),
    )
    CallFactory(
        code="EEA",
        programme=Programme.objects.get(code="eea-norway-grants"),
        eligible_countries=["LV", "NO"],
        deadline=TODAY + datetime.timedelta(days=100),
    )
    CallFactory(code="ANY", eligible_countries=[], deadline=TODAY + datetime.timedelta(days=200))

    assert codes(client.get(LIST, {"programme": "eea-norway-grants"})) == ["EEA"]
    assert codes(client.get(LIST, {"country": "NO"})) == ["EEA", "ANY"]
    assert codes(client.get(LIST, {"country": "LT"})) == ["ERASMUS", "ANY"]
    assert codes(client.get(LIST, {"deadline_within": "30"})) == ["ERASMUS"]


def test_list_states_each_calls_rules_and_counts_its_open_ideas(client):
    call = CallFactory(min_organisations=3, min_countries=3)
    ProjectIdeaFactory(call=call)
    ProjectIdeaFactory(call=call, status=IdeaStatus.DRAFT)

    html = client.get(LIST).content.decode()

    assert "At least 3 organisations from 3 different countries" in html
    assert "1 open idea looking for partners" in html


@pytest.mark.parametrize(
    "params", [{"deadline_within": "abc"}, {"programme": "NOPE"}, {"country": "<b>"}, {"page": "x"}]
)
def test_malformed_filters_give_a_normal_page_with_a_notice(client, params):
    CallFactory(code="STILL")
    response = client.get(LIST, params)
    assert response.status_code == 200
    assert "were not understood and were ignored" in response.content.decode()
    assert codes(response) == ["STILL"]


def test_list_query_count_does_not_grow_with_calls(client, django_assert_max_num_queries):
    counts = []
    for n in (5, 45):
        for _ in range(n):
            ProjectIdeaFactory(call=CallFactory())
        client.get(LIST)  # the process's indexes take in the new rows (their own queries)
        with CaptureQueriesContext(connection) as queries:
            client.get(LIST)
        counts.append(len(queries))
    assert counts[0] == counts[1]
    with django_assert_max_num_queries(counts[0]):
        client.get(LIST)


def test_call_page_states_rules_and_lists_its_open_ideas(client, owner):
    call = CallFactory(
        code="EEA-T",
        required_countries=["NO", "IS", "LI"],
        required_group_label="a donor state (Norway, Iceland or Liechtenstein)",
        lump_sums="30000;60000",
    )
    ProjectIdeaFactory(call=call, title="Open idea")
    ProjectIdeaFactory(call=call, title="Draft idea", status=IdeaStatus.DRAFT)
    ProjectIdeaFactory(call=call, title="Closed idea", status=IdeaStatus.CLOSED)

    response = client.get(call.get_absolute_url())
    html = response.content.decode()

    assert response.status_code == 200
    assert "At least one organisation from a donor state (Norway, Iceland or Liechtenstein)" in html
    assert "Open idea" in html
    assert "Draft idea" not in html
    assert "Closed idea" not in html
    assert "lump sum of your choice: 30,000\u00a0EUR or 60,000\u00a0EUR" in html
    assert "Post an idea for this call" not in html

    client.force_login(owner)
    assert f"?call={call.code}" in client.get(call.get_absolute_url()).content.decode()


def test_unknown_call_is_404(client):
    assert client.get(reverse("projects:call-detail", kwargs={"code": "NOPE"})).status_code == 404
