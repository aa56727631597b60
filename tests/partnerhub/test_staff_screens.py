"""Staff screens: their own dashboard, the weights page, readable scores, filters of what is there."""

import datetime
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from organisations.models import Organisation
from projects.models import ConsortiumReview, ReviewStatus
from tests.factories import (
    CallFactory,
    OrganisationFactory,
    PartnershipApplicationFactory,
    ProjectIdeaFactory,
)

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("dashboard")


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(DASHBOARD)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_members_keep_their_own_dashboard_without_the_staff_queues(client, owner):
    client.force_login(owner)
    html = client.get(DASHBOARD).content.decode()
    assert "Staff dashboard" not in html
    assert "Organisations to verify" not in html
    assert f'href="{reverse("admin:index")}"' not in html


def test_staff_see_the_queues_the_newest_organisations_to_verify_and_the_admin(
    client, staff, django_assert_max_num_queries
):
    newest = OrganisationFactory(name="Jauniešu centrs Kurzeme", is_verified=False)
    OrganisationFactory(name="Verified already", is_verified=True)
    OrganisationFactory(name="Gone quiet", is_verified=False, is_active=False)
    hidden = ProjectIdeaFactory(hidden_at=timezone.now())
    ConsortiumReview.objects.create(idea=hidden, status=ReviewStatus.UNDER_REVIEW)
    client.force_login(staff)
    with django_assert_max_num_queries(12):
        response = client.get(DASHBOARD)
    html = response.content.decode()
    assert "Staff dashboard" in html
    assert "Register an organisation" not in html  # not the member dashboard
    assert f'href="{reverse("admin:index")}"' in html
    queues = {queue["label"]: queue["count"] for queue in response.context["queues"]}
    to_verify = Organisation.objects.filter(
        is_verified=False, is_active=True, hidden_at__isnull=True
    ).count()
    assert queues["Consortia awaiting review"] == 1
    assert queues["Organisations to verify"] == to_verify
    assert queues["Hidden project ideas"] == 1
    assert "Jauniešu centrs Kurzeme" in html
    assert "Verified already" not in html and "Gone quiet" not in html
    admin_url = reverse("admin:organisations_organisation_change", args=[newest.pk])
    assert f'href="{admin_url}"' in html
    # Each number opens the admin list of exactly those rows.
    for queue in response.context["queues"]:
        assert client.get(queue["url"]).status_code == 200


def test_the_header_offers_staff_the_admin(client, staff):
    client.force_login(staff)
    html = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("admin:index")}"' in html


def test_the_weights_page_says_where_the_weights_are_set(client, staff):
    client.force_login(staff)
    html = client.get(reverse("matching:weights")).content.decode()
    assert "MATCHING_WEIGHTS" in html
    assert "environment variable" in html
    assert "restarts the site" in html


def test_the_weights_come_from_the_environment(monkeypatch):
    import importlib

    import partnerhub.settings.base as base

    monkeypatch.setenv("MATCHING_WEIGHTS", json.dumps({"goals": 0.26, "trust": 0.0}))
    try:
        assert importlib.reload(base).MATCHING_WEIGHTS == {"goals": 0.26, "trust": 0.0}
    finally:
        monkeypatch.delenv("MATCHING_WEIGHTS")
        importlib.reload(base)


def test_scores_in_the_admin_are_readable_not_json(client, staff):
    application = PartnershipApplicationFactory(
        score=72,
        score_components={"goals": 80, "country": 100},
        score_reasons=["shares 3 of 4 themes: inclusion, volunteering, participation"],
    )
    client.force_login(staff)
    url = reverse("admin:projects_partnershipapplication_change", args=[application.pk])
    html = client.get(url).content.decode()
    assert "<meter" in html
    assert "<li>shares 3 of 4 themes: inclusion, volunteering, participation</li>" in html
    assert '{"goals"' not in html and "{&quot;goals" not in html


def test_the_country_filter_lists_only_countries_that_have_organisations(client, staff):
    OrganisationFactory(country="LV")
    OrganisationFactory(country="LT")
    client.force_login(staff)
    html = client.get(reverse("admin:organisations_organisation_changelist")).content.decode()
    assert "Latvia" in html and "Lithuania" in html
    assert "Antarctica" not in html and "Zimbabwe" not in html
    filtered = client.get(reverse("admin:organisations_organisation_changelist"), {"country": "LT"})
    assert list(filtered.context["cl"].queryset) == list(Organisation.objects.filter(country="LT"))


def test_the_calls_deadline_filter_looks_ahead(client, staff):
    today = timezone.localdate()
    soon = CallFactory(code="SOON-1", deadline=today + datetime.timedelta(days=10))
    later = CallFactory(code="LATER-1", deadline=today + datetime.timedelta(days=60))
    client.force_login(staff)
    url = reverse("admin:projects_call_changelist")
    html = client.get(url).content.decode()
    assert "Open, closing within 30 days" in html
    assert "Past 7 days" not in html
    shown = set(client.get(url, {"deadline": "30"}).context["cl"].queryset)
    assert soon in shown and later not in shown
    shown = set(client.get(url, {"deadline": "90"}).context["cl"].queryset)
    assert {soon, later} <= shown
