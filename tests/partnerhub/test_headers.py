"""Every named URL answers with the security headers, the admin included."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.factories import ProjectIdeaFactory

pytestmark = pytest.mark.django_db

REQUIRED_DIRECTIVES = {
    "default-src": "'self'",
    "script-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "frame-ancestors": "'none'",
}
# Answered before any middleware for the load balancer: JSON, no page to protect.
NOT_PAGES = {"healthz"}


def named_routes(resolver=None, namespace=""):
    """(name, converters by keyword) for every named route, namespaces included."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}{entry.namespace}:"
            yield from named_routes(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", dict(entry.pattern.converters)


def sample_kwargs(converters, objects) -> dict:
    """A value for each URL keyword: a real object where one fits, else a plausible one."""
    values = {}
    for key, converter in converters.items():
        kind = type(converter).__name__
        if key in objects:
            values[key] = objects[key]
        elif kind == "IntConverter":
            values[key] = 1
        elif kind == "UUIDConverter":
            values[key] = "00000000-0000-0000-0000-000000000000"
        else:
            values[key] = "x"
    return values


def every_url(objects) -> list[str]:
    urls = set()
    for name, converters in named_routes():
        if name in NOT_PAGES:
            continue
        kwargs = sample_kwargs(converters, objects)
        if name.startswith("admin:") and "object_id" in kwargs:
            kwargs["object_id"] = "1"  # admin object ids are numbers here
        try:
            urls.add(reverse(name, kwargs=kwargs))
        except Exception:  # noqa: BLE001, S112 - routes with regex groups we cannot fill
            continue
    return sorted(urls)


def csp_directives(header: str) -> dict[str, str]:
    parts = [part.strip() for part in header.split(";") if part.strip()]
    return {part.split()[0]: " ".join(part.split()[1:]) for part in parts}


def assert_secure_headers(url, response):
    assert response.status_code < 500, url
    header = response.get("Content-Security-Policy", "")
    assert header, f"{url} has no Content-Security-Policy"
    assert "unsafe-inline" not in header and "unsafe-eval" not in header, url
    directives = csp_directives(header)
    for directive, value in REQUIRED_DIRECTIVES.items():
        assert directives.get(directive) == value, (url, directive, header)
    assert response["X-Content-Type-Options"] == "nosniff", url
    assert response["X-Frame-Options"] == "DENY", url
    assert response.get("Referrer-Policy"), url


@pytest.fixture
def objects(owner, organisation):
    idea = ProjectIdeaFactory(lead=organisation)
    return {"slug": idea.slug, "organisation": organisation.slug, "code": "x"}


def test_the_walk_covers_the_site_and_the_admin(objects):
    urls = every_url(objects)
    assert len(urls) > 40
    assert any(url.startswith("/admin/") for url in urls)
    assert "/accounts/login/" in urls


@pytest.mark.parametrize("who", ["anonymous", "owner", "staff"])
def test_every_named_url_sends_the_security_headers(client, objects, owner, staff, who):
    if who != "anonymous":
        client.force_login({"owner": owner, "staff": staff}[who])
    for url in every_url(objects):
        assert_secure_headers(url, client.get(url))


def test_the_500_page_keeps_its_inline_style_through_a_nonce(rf):
    from partnerhub.views import server_error

    request = rf.get("/")
    request.csp_nonce = "abc123"
    response = server_error(request)
    assert b'<style nonce="abc123">' in response.content


def test_templates_have_no_inline_scripts_or_style_attributes():
    from pathlib import Path

    from django.conf import settings

    offenders = []
    for path in Path(settings.BASE_DIR, "templates").rglob("*.html"):
        if "email" in path.parts:
            continue  # e-mail bodies are read in mail clients, not under the site's CSP
        text = path.read_text(encoding="utf-8")
        if " style=" in text or "<script>" in text or "<style>" in text:
            offenders.append(str(path))
    assert offenders == []


def test_the_home_page_counts_no_idea_of_an_unlisted_organisation(client):
    from django.utils import timezone

    from tests.factories import OrganisationFactory

    listed = OrganisationFactory()
    hidden = OrganisationFactory(hidden_at=timezone.now())
    inactive = OrganisationFactory(is_active=False)
    for lead in (listed, hidden, inactive):
        ProjectIdeaFactory(lead=lead, status="open")
    assert client.get("/").context["idea_count"] == 1
