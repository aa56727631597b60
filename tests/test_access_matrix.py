"""The access matrix: every URL route that takes an object, for every kind of person, GET and POST.

One row per route in ``MATRIX``: the expected status for anonymous, an outsider,
a viewer, an editor and an owner of the organisation the object belongs to,
staff, and a reviewer (staff in the Reviewers group). "login" means a redirect
to the sign-in page. After every refused request (login, 403, 404, 405) the
database must be exactly as before.

A route with an object that has no row makes ``test_every_route_with_an_object_has_a_row``
fail: add the route's row (and, if it needs one, an object in ``world``).
Account routes (one-time keys, allauth's own) and the admin (staff only, with
its own permissions) are outside this matrix.
"""

from __future__ import annotations

import hashlib

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from organisations.models import Membership, Notification, Role
from organisations.taxonomy import Programme
from projects import partnerships
from projects.track_records import past_project_add
from tests.conftest import verified_user, with_totp
from tests.factories import (
    CallFactory,
    InvitationFactory,
    MembershipFactory,
    OrganisationFactory,
    PartnershipApplicationFactory,
    ProjectIdeaFactory,
)

pytestmark = pytest.mark.django_db

WHO = ("anonymous", "outsider", "viewer", "editor", "owner", "staff", "reviewer")
REFUSED = {"login", 403, 404, 405}
EXCLUDED_PREFIXES = ("accounts/", "admin/")


def _row(**statuses):
    """Expand shorthand: `default=(GET, POST)`, then per-person overrides."""
    default = statuses.pop("default")
    return {who: statuses.get(who, default) for who in WHO}


# Reading a public object: everyone; signed-in only where the page needs an account.
PUBLIC_PAGE = _row(default=(200, 405))
# A page where editors and owners write; a viewer is refused with 403.
EDIT_PAGE = _row(
    default=(404, 404),
    anonymous=("login", "login"),
    viewer=(403, 403),
    editor=(200, 200),
    owner=(200, 200),
)

MATRIX: dict[str, dict[str, tuple]] = {
    # -- organisations -------------------------------------------------------------
    "organisations:detail": PUBLIC_PAGE,
    "organisations:update": EDIT_PAGE,
    "organisations:leave": _row(
        default=(405, 404),
        anonymous=(405, "login"),
        viewer=(405, 302),
        editor=(405, 302),
        owner=(405, 302),
    ),
    # Managing people is for owners only.
    "organisations:members": _row(
        default=(404, 404),
        anonymous=("login", "login"),
        viewer=(403, 403),
        editor=(403, 403),
        owner=(200, 200),
    ),
    "organisations:member-role": _row(
        default=(405, 404),
        anonymous=(405, "login"),
        viewer=(405, 403),
        editor=(405, 403),
        owner=(405, 302),
    ),
    "organisations:member-remove": _row(
        default=(405, 404),
        anonymous=(405, "login"),
        viewer=(405, 403),
        editor=(405, 403),
        owner=(405, 302),
    ),
    "organisations:invitation-revoke": _row(
        default=(405, 404),
        anonymous=(405, "login"),
        viewer=(405, 403),
        editor=(405, 403),
        owner=(405, 302),
    ),
    # The invitation is addressed to the outsider: only they may answer it.
    "organisations:invitation-accept": _row(
        default=(405, 404), anonymous=(405, "login"), outsider=(405, 302)
    ),
    "organisations:invitation-decline": _row(
        default=(405, 404), anonymous=(405, "login"), outsider=(405, 302)
    ),
    # -- ideas -----------------------------------------------------------------------
    "projects:idea-detail": PUBLIC_PAGE,
    "projects:idea-update": EDIT_PAGE,
    # Past projects on the profile (issue 12): editors and owners add and remove their own.
    "projects:past-projects": EDIT_PAGE,
    "projects:past-project-remove": _row(
        default=(405, 404),
        anonymous=(405, "login"),
        viewer=(405, 403),
        editor=(405, 302),
        owner=(405, 302),
    ),
    "projects:idea-status": _row(
        default=(405, 404),
        anonymous=("login", "login"),
        viewer=(405, 403),
        editor=(405, 302),
        owner=(405, 302),
    ),
    # Anyone who may act for an organisation opens the form (the lead itself is refused
    # by the form); a viewer and staff without an organisation may not.
    "projects:idea-apply": _row(
        default=(200, 200),
        anonymous=("login", "login"),
        viewer=(403, 403),
        staff=(403, 403),
        reviewer=(403, 403),
    ),
    "projects:idea-applications": _row(
        default=(404, 404),
        anonymous=("login", "login"),
        viewer=(200, 200),
        editor=(200, 200),
        owner=(200, 200),
    ),
    "projects:idea-submit": _row(
        default=(405, 404),
        anonymous=("login", "login"),
        viewer=(405, 403),
        editor=(405, 302),
        owner=(405, 302),
    ),
    "projects:call-detail": PUBLIC_PAGE,
    # -- applications (from the partner organisation to the idea) -------------------
    "projects:application-detail": _row(
        default=(404, 404),
        anonymous=("login", "login"),
        viewer=(200, 200),
        editor=(200, 200),
        owner=(200, 200),
    ),
    "projects:application-accept": _row(
        default=(405, 404),
        anonymous=("login", "login"),
        viewer=(405, 403),
        editor=(405, 302),
        owner=(405, 302),
    ),
    "projects:application-decline": _row(
        default=(405, 404),
        anonymous=("login", "login"),
        viewer=(405, 403),
        editor=(405, 302),
        owner=(405, 302),
    ),
    "projects:application-shortlist": _row(
        default=(405, 404),
        anonymous=("login", "login"),
        viewer=(405, 403),
        editor=(405, 302),
        owner=(405, 302),
    ),
    "projects:application-unshortlist": _row(
        default=(405, 404),
        anonymous=("login", "login"),
        viewer=(405, 403),
        editor=(405, 302),
        owner=(405, 302),
    ),
    # Only the applicant organisation withdraws: the lead's people are refused.
    "projects:application-withdraw": _row(
        default=(405, 404),
        anonymous=("login", "login"),
        viewer=(405, 403),
        editor=(405, 403),
        owner=(405, 403),
    ),
    # Only the lead's owners and editors remove an accepted partner (refused with a
    # message here: the matrix's application is still waiting for an answer).
    "projects:application-remove": _row(
        default=(405, 404),
        anonymous=("login", "login"),
        viewer=(405, 403),
        editor=(405, 302),
        owner=(405, 302),
    ),
    "projects:application-message": _row(
        default=(405, 404),
        anonymous=("login", "login"),
        viewer=(405, 403),
        editor=(405, 302),
        owner=(405, 302),
    ),
    # -- conversations, contact, notifications ---------------------------------------
    "projects:conversation-detail": _row(
        default=(404, 404),
        anonymous=("login", "login"),
        viewer=(200, 403),
        editor=(200, 200),
        owner=(200, 200),
    ),
    # Writing for an organisation: editors and owners of any organisation.
    "projects:organisation-contact": _row(
        default=(200, 200),
        anonymous=("login", "login"),
        viewer=(403, 403),
        staff=(403, 403),
        reviewer=(403, 403),
    ),
    "projects:organisation-invite": _row(
        default=(405, 403),
        anonymous=("login", "login"),
        editor=(405, 302),
        owner=(405, 302),
    ),
    "notification-open": _row(default=(404, 405), anonymous=("login", "login"), owner=(302, 405)),
    "notification-read": _row(default=(405, 404), anonymous=("login", "login"), owner=(405, 302)),
    # -- matching --------------------------------------------------------------------
    # Suggestions are for the lead's members only, staff included in "others".
    "matching:idea-partners": _row(
        default=(404, 404),
        anonymous=("login", "login"),
        viewer=(200, 200),
        editor=(200, 200),
        owner=(200, 200),
    ),
    "matching:invite": _row(
        default=(405, 404),
        anonymous=(405, "login"),
        viewer=(405, 403),
        editor=(405, 302),
        owner=(405, 302),
    ),
    "matching:dismiss": _row(
        default=(405, 404),
        anonymous=(405, "login"),
        viewer=(405, 403),
        editor=(405, 302),
        owner=(405, 302),
    ),
    "matching:undo-dismiss": _row(
        default=(405, 404),
        anonymous=(405, "login"),
        viewer=(405, 403),
        editor=(405, 302),
        owner=(405, 302),
    ),
}


def routes_with_an_object() -> list[str]:
    found = []

    def walk(resolver, namespace="", prefix=""):
        for entry in resolver.url_patterns:
            route = prefix + str(entry.pattern)
            if isinstance(entry, URLResolver):
                inner = namespace + (f"{entry.namespace}:" if entry.namespace else "")
                walk(entry, inner, route)
            elif (
                isinstance(entry, URLPattern)
                and entry.pattern.converters
                and not route.startswith(EXCLUDED_PREFIXES)
            ):
                found.append(f"{namespace}{entry.name}")

    walk(get_resolver())
    return found


def test_every_route_with_an_object_has_a_row():
    missing = sorted(set(routes_with_an_object()) - set(MATRIX))
    assert not missing, f"add rows to tests/test_access_matrix.py MATRIX for {missing}"
    assert not set(MATRIX) - set(routes_with_an_object()), "rows for routes that no longer exist"


def database_fingerprint() -> str:
    digest = hashlib.sha256()
    for label in ("organisations", "projects", "matching", "account", "auth"):
        for model in apps.get_app_config(label).get_models():
            rows = model._default_manager.order_by("pk").values_list()
            digest.update(f"{model._meta.label}:{list(rows)!r}".encode())
    return digest.hexdigest()


@pytest.fixture
def world(organisation, owner, editor, member, outsider, staff):
    partner = OrganisationFactory(name="Partner organisation")
    partner_owner = verified_user("partner-owner@example.org")
    MembershipFactory(user=partner_owner, organisation=partner, role=Role.OWNER)
    reviewer = with_totp(verified_user("reviewer@example.org", is_staff=True))
    reviewer.groups.add(Group.objects.get(name="Reviewers"))
    idea = ProjectIdeaFactory(lead=organisation)
    application = PartnershipApplicationFactory(idea=idea, organisation=partner)
    conversation = partnerships.conversation_start(
        sender=partner,
        recipient=organisation,
        by=partner_owner,
        subject="Volunteering exchange",
        body="Would you host ten volunteers in May?",
    )
    notification = Notification.objects.filter(recipient=owner).first()
    invitation_to_outsider = InvitationFactory(organisation=organisation, email=outsider.email)
    pending = InvitationFactory(organisation=organisation, email="someone@example.org")
    call = CallFactory()
    past_project = past_project_add(
        organisation=organisation,
        role="partner",
        programme=Programme.objects.get(code="erasmus-plus"),
        year=2022,
        title="Volunteers on the border",
    )
    people = {
        "outsider": outsider,
        "viewer": member,
        "editor": editor,
        "owner": owner,
        "staff": staff,
        "reviewer": reviewer,
    }
    kwargs = {
        "organisations:detail": {"slug": organisation.slug},
        "organisations:update": {"slug": organisation.slug},
        "organisations:leave": {"slug": organisation.slug},
        "organisations:members": {"slug": organisation.slug},
        "organisations:member-role": {
            "slug": organisation.slug,
            "pk": Membership.objects.get(user=member, organisation=organisation).pk,
        },
        "organisations:member-remove": {
            "slug": organisation.slug,
            "pk": Membership.objects.get(user=member, organisation=organisation).pk,
        },
        "organisations:invitation-revoke": {"slug": organisation.slug, "pk": pending.pk},
        "organisations:invitation-accept": {"pk": invitation_to_outsider.pk},
        "organisations:invitation-decline": {"pk": invitation_to_outsider.pk},
        "projects:idea-detail": {"slug": idea.slug},
        "projects:idea-update": {"slug": idea.slug},
        "projects:idea-status": {"slug": idea.slug},
        "projects:idea-apply": {"slug": idea.slug},
        "projects:idea-applications": {"slug": idea.slug},
        "projects:idea-submit": {"slug": idea.slug},
        "projects:call-detail": {"code": call.code},
        "projects:past-projects": {"slug": organisation.slug},
        "projects:past-project-remove": {"slug": organisation.slug, "pk": past_project.pk},
        "projects:application-detail": {"pk": application.pk},
        "projects:application-accept": {"pk": application.pk},
        "projects:application-decline": {"pk": application.pk},
        "projects:application-shortlist": {"pk": application.pk},
        "projects:application-unshortlist": {"pk": application.pk},
        "projects:application-withdraw": {"pk": application.pk},
        "projects:application-remove": {"pk": application.pk},
        "projects:application-message": {"pk": application.pk},
        "projects:conversation-detail": {"pk": conversation.pk},
        "projects:organisation-contact": {"slug": partner.slug},
        "projects:organisation-invite": {"slug": partner.slug},
        "notification-open": {"pk": notification.pk},
        "notification-read": {"pk": notification.pk},
        "matching:idea-partners": {"slug": idea.slug},
        "matching:invite": {"slug": idea.slug, "organisation": partner.slug},
        "matching:dismiss": {"slug": idea.slug, "organisation": partner.slug},
        "matching:undo-dismiss": {"slug": idea.slug, "organisation": partner.slug},
    }
    return {"people": people, "kwargs": kwargs}


def observed(response) -> object:
    if response.status_code == 302 and reverse("account_login") in response["Location"]:
        return "login"
    return response.status_code


@pytest.mark.parametrize("route", sorted(MATRIX))
def test_access(route, world):
    url = reverse(route, kwargs=world["kwargs"][route])
    mismatches = []
    for who in WHO:
        expected_get, expected_post = MATRIX[route][who]
        for method, expected in (("get", expected_get), ("post", expected_post)):
            client = Client()
            if who != "anonymous":
                client.force_login(world["people"][who])
            before = database_fingerprint()
            status = observed(getattr(client, method)(url))
            if status != expected:
                mismatches.append(f"{who} {method.upper()} {url}: {status}, expected {expected}")
            if status in REFUSED and database_fingerprint() != before:
                mismatches.append(f"{who} {method.upper()} {url}: refused but changed the database")
    assert not mismatches, "\n".join(mismatches)


@pytest.mark.parametrize("route", ["matching:dismiss", "matching:undo-dismiss"])
def test_dismissing_an_unlisted_organisation_reveals_nothing(client, owner, organisation, route):
    from django.utils import timezone

    idea = ProjectIdeaFactory(lead=organisation)
    hidden = OrganisationFactory(name="Secret Unlisted Foundation", hidden_at=timezone.now())
    client.force_login(owner)
    response = client.post(
        reverse(route, kwargs={"slug": idea.slug, "organisation": hidden.slug}), follow=True
    )
    assert response.status_code == 404
    assert "Secret Unlisted Foundation" not in response.content.decode()
