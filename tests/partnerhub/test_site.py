"""The shell of the site: home, health check, error pages, languages."""

import pytest
from django.test import override_settings
from django.urls import reverse

from tests.factories import OrganisationFactory, ProjectIdeaFactory

pytestmark = pytest.mark.django_db


def test_home_says_what_the_site_is_for(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Find the right partners for your European project" in html
    assert 'href="/organisations/"' in html
    assert 'href="/ideas/"' in html
    assert 'href="/calls/"' in html
    assert reverse("account_signup") in html


def test_home_lists_recent_open_ideas_but_not_drafts(client):
    ProjectIdeaFactory(title="Rural youth theatre exchange")
    ProjectIdeaFactory(title="Secret draft", status="draft")
    html = client.get("/").content.decode()
    assert "Rural youth theatre exchange" in html
    assert "Secret draft" not in html


def test_home_counts_organisations_and_countries(client):
    OrganisationFactory(country="LV")
    OrganisationFactory(country="LT")
    OrganisationFactory(country="LT", is_active=False)
    response = client.get("/")
    assert response.context["organisation_count"] == 2
    assert response.context["country_count"] == 2


def test_healthz_checks_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["database"], body["cache"]) == ("ok", "ok", "ok")
    assert body["queue"]["status"] == "ok"
    assert "no-cache" in response["Cache-Control"]


def test_healthz_reports_a_broken_database(client, monkeypatch):
    from django.db import connection

    def broken(*args, **kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr(connection, "cursor", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"


def test_unknown_url_gets_the_sites_own_404_page(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html
    assert "PartnerHub" in html


def test_unknown_url_404_page_is_translated(client):
    client.cookies["django_language"] = "lv"
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert 'lang="lv"' in response.content.decode()
    assert "Lapa nav atrasta" in response.content.decode()


@override_settings(DEBUG=False)
def test_server_error_gets_the_sites_own_500_page(client):
    client.raise_request_exception = False
    # Route "/" through a view that fails, as a bug in production would.
    with override_settings(ROOT_URLCONF="tests.partnerhub.failing_urls"):
        response = client.get("/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong" in html
    # The error page must not depend on static files, which may be what broke.
    assert "/static/" not in html


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "Organisations"), ("lv", "Organizācijas"), ("lt", "Organizacijos")],
)
def test_language_switcher_changes_the_page_language(client, language, expected):
    response = client.post(
        reverse("set_language"), {"language": language, "next": "/"}, follow=True
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert f'lang="{language}"' in html
    assert expected in html


def test_every_page_offers_the_three_languages(client):
    html = client.get("/").content.decode()
    for code in ("en", "lv", "lt"):
        assert f'<option value="{code}"' in html


def test_dashboard_requires_sign_in(client):
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_dashboard_lists_the_users_organisations(client, owner, organisation):
    client.force_login(owner)
    response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    assert organisation.name in response.content.decode()


def test_stylesheet_is_served_locally(client):
    html = client.get("/").content.decode()
    assert "/static/partnerhub/site.css" in html
    assert "https://" not in html.split("<body")[0], "no CDN or external font in <head>"


def test_dashboard_switches_between_the_users_organisations(client, owner, organisation):
    from organisations.models import Role
    from tests.factories import MembershipFactory

    other = OrganisationFactory(name="Aaa Second Association")
    MembershipFactory(user=owner, organisation=other, role=Role.VIEWER)
    client.force_login(owner)
    html = client.get(reverse("dashboard")).content.decode()
    assert "Act for this organisation" in html
    assert f'value="{organisation.slug}"' in html

    response = client.post(
        reverse("organisations:switch"), {"organisation": organisation.slug, "next": "/dashboard/"}
    )
    assert response["Location"] == "/dashboard/"
    html = client.get(reverse("dashboard")).content.decode()
    assert (
        f'<span class="acting-as" title="You are acting for this organisation">{organisation.name}'
        in html
    )


def test_dashboard_offers_posting_an_idea_only_to_editors(client, owner, member):
    client.force_login(owner)
    assert "Post a project idea" in client.get(reverse("dashboard")).content.decode()
    client.force_login(member)
    assert "Post a project idea" not in client.get(reverse("dashboard")).content.decode()
