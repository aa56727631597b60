"""Every named page of the site, with real demo objects in its URL, for the browser checks.

The list is read from the URL configuration, so a new page is checked without anyone adding
it here; a route with a parameter nobody can fill fails loudly (add it to ``_ARGUMENTS``).
Django's admin is not part of the site's own pages; actions that only answer POST, files to
download and JSON endpoints are left out by name below.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver, reverse

DEMO_PASSWORD = "partnerhub-demo"  # noqa: S105 - the demo accounts' documented password
DEMO_USER = "ilze@demo.partnerhub.example"  # owner of a lead organisation with applications

# Not pages: POST-only actions, downloads, JSON, the language form's target.
NOT_PAGES = {
    "healthz",
    "set_language",
    "account-data",
    "notifications-read-all",
    "notification-read",
    "notification-open",  # marks read, then redirects to the page it is about
    "mfa_download_recovery_codes",
    "organisations:switch",
    "organisations:leave",
    "organisations:member-role",
    "organisations:member-remove",
    "organisations:invitation-accept",
    "organisations:invitation-decline",
    "organisations:invitation-revoke",
    "projects:past-project-remove",
    "projects:idea-status",
    "projects:idea-submit",
    "projects:application-accept",
    "projects:application-decline",
    "projects:application-shortlist",
    "projects:application-unshortlist",
    "projects:application-withdraw",
    "projects:application-remove",
    "projects:application-message",
    "projects:organisation-invite",
    "matching:invite",
    "matching:dismiss",
    "matching:undo-dismiss",
    # Only with an authenticator app set up (allauth answers 404 otherwise); no demo account has one.
    "mfa_deactivate_totp",
    "mfa_view_recovery_codes",
    # One-time links from e-mails: a made-up key shows allauth's "bad link" page, checked once.
    "account_reset_password_from_key",
}

#: The list pages: their first result must be on a phone's first screen.
LIST_PAGES = ["organisations:list", "projects:idea-list", "projects:call-list"]


@dataclass(frozen=True)
class Page:
    name: str
    path: str


def _named_routes(patterns=None, namespace: str | None = None):
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.app_name == "admin" or pattern.namespace == "admin":
                continue
            yield from _named_routes(pattern.url_patterns, pattern.namespace or namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            yield name, pattern


def load_demo() -> None:
    call_command("load_demo_data", "--i-know-this-is-not-production", verbosity=0)


def _arguments(signed_in: bool) -> dict[str, dict]:
    """URL arguments per route, from the demo data (loaded by ``load_demo``)."""
    from organisations.models import Organisation
    from projects.models import Call, Conversation, PartnershipApplication, ProjectIdea

    own = Organisation.objects.get(memberships__user__email=DEMO_USER)
    other = Organisation.objects.exclude(pk=own.pk).order_by("name").first()
    idea = ProjectIdea.objects.filter(lead=own).order_by("pk").first() if signed_in else None
    public_idea = ProjectIdea.objects.open().order_by("pk").first()
    application = (
        PartnershipApplication.objects.filter(idea__lead=own).order_by("pk").first()
        if signed_in
        else PartnershipApplication.objects.order_by("pk").first()
    )
    conversation = Conversation.objects.order_by("pk").first()
    call = Call.objects.order_by("deadline", "code").first()
    organisation = own if signed_in else other
    idea_slug = (idea or public_idea).slug
    by_parameter = {"code": {"code": call.code}, "slug": {"slug": organisation.slug}}
    return {
        "by_parameter": by_parameter,
        "projects:idea-detail": {"slug": public_idea.slug},
        "projects:idea-update": {"slug": idea_slug},
        "projects:idea-apply": {"slug": public_idea.slug},
        "projects:idea-applications": {"slug": idea_slug},
        "matching:idea-partners": {"slug": idea_slug},
        "projects:application-detail": {"pk": application.pk},
        "projects:conversation-detail": {"pk": conversation.pk if conversation else 0},
        "projects:organisation-contact": {"slug": other.slug},
        "projects:organisation-invite": {"slug": other.slug},
        "organisations:detail-other": {"slug": other.slug},
        "account_confirm_email": {"key": "not-a-real-key"},
    }


def site_pages(*, signed_in: bool) -> list[Page]:
    """The site's pages with demo objects filled in, in URL order, each once."""
    arguments = _arguments(signed_in)
    pages: list[Page] = []
    for name, pattern in _named_routes():
        if name in NOT_PAGES:
            continue
        parameters = list(pattern.pattern.regex.groupindex)
        if not parameters:
            kwargs = {}
        elif name in arguments:
            kwargs = arguments[name]
        elif len(parameters) == 1 and parameters[0] in arguments["by_parameter"]:
            kwargs = arguments["by_parameter"][parameters[0]]
        else:
            raise AssertionError(f"no demo object for {name} ({parameters}): add it to _arguments")
        pages.append(Page(name, reverse(name, kwargs=kwargs)))
    # The profile of an organisation one is not a member of (no edit links, contact form).
    other = arguments["organisations:detail-other"]
    pages.append(
        Page("organisations:detail (other)", reverse("organisations:detail", kwargs=other))
    )
    return pages


def sign_in(page, base_url: str) -> None:
    page.goto(base_url + reverse("account_login"))
    page.fill("input[name=login]", DEMO_USER)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def prepare(page, base_url: str, *, signed_in: bool) -> list[Page]:
    """Load the demo, sign the browser in (or not), and return the pages to visit."""
    load_demo()
    if signed_in:
        sign_in(page, base_url)
    return site_pages(signed_in=signed_in)
