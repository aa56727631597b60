"""From a suggestion to a staff-approved consortium, in the browser, as each person would.

(a) A lead posts an idea, invites a suggested partner, the partner accepts from
the link in the e-mail, a third organisation applies and is accepted, the lead
submits, a reviewer approves in the admin, and both sides see the outcome and
the notifications. (b) An application declined with a note, and a
conversation. (c) Journey (a) once in Latvian.
"""

import datetime
import re

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.contrib.auth.models import Group
from django.core import mail
from django.utils import timezone

from organisations.models import Role
from projects.models import ConsortiumReview, PartnershipApplication
from tests.conftest import verified_user
from tests.e2e.conftest import ARTIFACTS
from tests.factories import CallFactory, MembershipFactory, OrganisationFactory

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]

PASSWORD = "correct horse battery"  # the factories' password
THEMES = ["volunteering-solidarity", "inclusion-diversity", "non-formal-learning"]

TEXT = {
    "en": {
        "open": "Open for partners",
        "invite": "Invite",
        "add_message": "Add a message",
        "accept_invitation": "Accept the invitation",
        "apply": "Apply to join",
        "send_application": "Send the application",
        "accept": "Accept",
        "submit": "Submit for review",
        "approved": "Staff approved the consortium",
        "decline": "Decline",
        "declined": "declined the application",
        "kinds_help": "Leave empty if any kind is welcome",
        "from_past": "(from 1 past project)",
    },
    "lv": {
        "open": "Atvērt partneriem",
        "invite": "Uzaicināt",
        "accept_invitation": "Pieņemt uzaicinājumu",
        "apply": "Pieteikties dalībai",
        "send_application": "Nosūtīt pieteikumu",
        "accept": "Pieņemt",
        "submit": "Iesniegt izskatīšanai",
        "approved": "apstiprināja idejas",
        "decline": "Noraidīt",
        "declined": "noraidīja",
        "kinds_help": "Atstājiet tukšu, ja der jebkura veida organizācija",
        "from_past": "(pēc 1 iepriekšējā projekta)",
    },
}


@pytest.fixture
def world(reference_data):
    call = CallFactory(
        code="KA210-YOU-2027-E2E",
        title="Small-scale partnerships in youth",
        min_organisations=2,
        min_countries=2,
        deadline=timezone.localdate() + datetime.timedelta(days=120),
    )
    people = {}
    organisations = {}
    for key, name, country, email in [
        ("lead", "Daugavpils Youth Club", "LV", "lead@example.org"),
        ("partner", "Klaipėda Volunteers", "LT", "partner@example.org"),
        ("third", "Tartu Youth Hub", "EE", "third@example.org"),
    ]:
        organisation = OrganisationFactory(
            name=name, country=country, themes=THEMES, fields=["youth-work"]
        )
        person = verified_user(email)
        MembershipFactory(user=person, organisation=organisation, role=Role.OWNER)
        people[key], organisations[key] = person, organisation
    reviewer = verified_user("reviewer@example.org", is_staff=True)
    reviewer.groups.add(Group.objects.get(name="Reviewers"))
    secret = generate_totp_secret()
    TOTP.activate(reviewer, secret)
    assert Authenticator.objects.filter(user=reviewer).exists()
    return {"call": call, "people": people, "organisations": organisations, "secret": secret}


PHONE = {"width": 390, "height": 844}


def new_page(browser, language="en", viewport=None):
    context = browser.new_context(
        viewport=viewport or {"width": 1280, "height": 900},
        locale="lv-LV" if language == "lv" else "en-GB",
        extra_http_headers={"Accept-Language": language},
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def sign_in(page, live_server, email, next_path="/dashboard/"):
    page.goto(f"{live_server.url}/accounts/login/?next={next_path}")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()


def link_in_mail(to: str, path_pattern: str) -> str:
    for message in reversed(mail.outbox):
        if to in message.to:
            found = re.search(r"https?://[^/\s]+(" + path_pattern + ")", message.body)
            if found:
                return found.group(1)
    raise AssertionError(f"no mail to {to} with {path_pattern}")


def shot(page, name: str) -> None:
    """A full-page screenshot of one person's page, for a human to look at (test-results/)."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def totp_code(secret: str) -> str:
    counter = next(iter(yield_hotp_counters_from_time()))
    return format_hotp_value(hotp_value(secret, counter))


def post_idea(page, live_server, world, text, title) -> str:
    """Post an idea for the test call through the form and open it; returns its slug."""
    page.goto(f"{live_server.url}/ideas/new/?call={world['call'].code}")
    page.fill("input[name=title]", title)
    page.fill(
        "textarea[name=summary]",
        "Young volunteers from Latgale and Klaipėda learn from each other's centres.",
    )
    page.fill(
        "input[name=closes_on]", (timezone.localdate() + datetime.timedelta(days=40)).isoformat()
    )
    # The form asks which kinds of organisation the lead seeks (they drive complementarity).
    assert page.get_by_text(text["kinds_help"]).is_visible()
    kind = page.locator(
        f"label:has(input[name=kinds_sought][value={world['organisations']['partner'].kind}])"
    )
    kind.locator("input").check()
    kind_label = kind.inner_text().strip()
    page.locator("form.stacked button[type=submit]").last.click()
    page.wait_for_load_state()
    page.get_by_role("button", name=text["open"]).click()
    page.wait_for_load_state()
    assert kind_label in page.locator("dl.facts").last.inner_text()
    return page.url.removeprefix(live_server.url).strip("/").split("/")[-1]


def journey(browser, live_server, world, language):
    text = TEXT[language]
    people, organisations = world["people"], world["organisations"]
    title = "Volunteering bridges" if language == "en" else "Brīvprātīgo tilti"

    lead = new_page(browser, language)
    sign_in(lead, live_server, people["lead"].email)
    slug = post_idea(lead, live_server, world, text, title)

    # The lead invites a suggested partner, with a message.
    lead.goto(f"{live_server.url}/ideas/{slug}/partners/")
    card = lead.locator(".suggestion", has_text="Klaipėda Volunteers")
    card.locator("details summary").first.click()  # "Add a message"
    card.locator("textarea[name=note]").fill("We would love to work with you!")
    card.get_by_role("button", name=text["invite"]).click()
    lead.wait_for_load_state()
    shot(lead, f"journey-{language}-1-invited")

    # The partner follows the link in the e-mail and accepts.
    partner = new_page(browser, language)
    path = link_in_mail(people["partner"].email, r"/applications/\d+/")
    sign_in(partner, live_server, people["partner"].email, next_path=path)
    assert "We would love to work with you!" in partner.content()
    shot(partner, f"journey-{language}-2-invitation")
    partner.get_by_role("button", name=text["accept_invitation"]).click()
    partner.wait_for_load_state()
    assert PartnershipApplication.objects.get(organisation=organisations["partner"]).status == (
        "accepted"
    )

    # A third organisation applies; the lead accepts it.
    third = new_page(browser, language)
    sign_in(third, live_server, people["third"].email, next_path=f"/ideas/{slug}/")
    third.get_by_role("link", name=text["apply"]).click()
    third.fill("textarea[name=motivation]", "Our youth hub runs a mentoring programme in Tartu.")
    third.fill("input[name=proposed_role]", "Mentoring partner")
    third.locator("main form button[type=submit]").last.click()
    third.wait_for_load_state()

    lead.goto(f"{live_server.url}/ideas/{slug}/applications/")
    row = lead.locator("article, li, tr", has_text="Tartu Youth Hub").first
    row.get_by_role("button", name=text["accept"], exact=True).click()
    lead.wait_for_load_state()
    shot(lead, f"journey-{language}-3-triage")
    lead.get_by_role("button", name=text["submit"]).click()
    lead.wait_for_load_state()
    review = ConsortiumReview.objects.get(idea__slug=slug)
    assert review.status == "under-review"

    # A reviewer approves in the admin, with a note.
    reviewer = new_page(browser, "en")
    reviewer.goto(f"{live_server.url}/admin/login/?next=/admin/")
    reviewer.fill("input[name=login]", "reviewer@example.org")
    reviewer.fill("input[name=password]", PASSWORD)
    reviewer.locator("main button[type=submit]").click()
    reviewer.wait_for_load_state()
    # Staff sign in with a second factor: the code of their authenticator app.
    reviewer.fill("input[name=code]", totp_code(world["secret"]))
    reviewer.locator("main button[type=submit]").first.click()
    reviewer.wait_for_load_state()
    reviewer.goto(f"{live_server.url}/admin/projects/consortiumreview/{review.pk}/change/")
    reviewer.get_by_role("link", name="Approve").click()
    reviewer.fill("textarea[name=note]", "A balanced consortium: approved.")
    reviewer.locator(".submit-row input[type=submit]").click()
    reviewer.wait_for_load_state()
    shot(reviewer, f"journey-{language}-4-review")
    review.refresh_from_db()
    assert review.status == "approved"

    # Both sides see the outcome in their notifications.
    for page in (lead, partner):
        page.goto(f"{live_server.url}/notifications/")
        assert text["approved"] in page.content()
    shot(partner, f"journey-{language}-5-notifications")

    # The approved consortium is now part of the partner's track record, on its profile.
    partner.goto(live_server.url + organisations["partner"].get_absolute_url())
    record = partner.locator("section[aria-labelledby=track-record-title]").inner_text()
    assert title in record and "Daugavpils Youth Club" in record and "Tartu Youth Hub" in record
    assert text["from_past"] in partner.content()
    shot(partner, f"journey-{language}-6-track-record")
    for page in (lead, partner, third, reviewer):
        page.context.close()


def an_idea_and_an_application(browser, live_server, world, title, motivation, lead_viewport=None):
    """The lead posts an idea; Tartu Youth Hub applies to it. Returns (lead, third, slug)."""
    people = world["people"]
    lead = new_page(browser, viewport=lead_viewport)
    sign_in(lead, live_server, people["lead"].email)
    slug = post_idea(lead, live_server, world, TEXT["en"], title)
    third = new_page(browser)
    sign_in(third, live_server, people["third"].email, next_path=f"/ideas/{slug}/")
    third.get_by_role("link", name="Apply to join").click()
    third.fill("textarea[name=motivation]", motivation)
    third.locator("main form button[type=submit]").last.click()
    third.wait_for_load_state()
    return lead, third, slug


def test_journey_a_from_a_suggestion_to_an_approved_consortium(browser, live_server, world):
    journey(browser, live_server, world, "en")


def test_journey_c_the_same_in_latvian(browser, live_server, world):
    journey(browser, live_server, world, "lv")


def test_journey_b_an_application_declined_with_a_note_then_a_conversation(
    browser, live_server, world
):
    people, organisations = world["people"], world["organisations"]
    lead, third, slug = an_idea_and_an_application(
        browser,
        live_server,
        world,
        "Rural youth media lab",
        "We teach video journalism to rural teenagers.",
    )

    lead.goto(f"{live_server.url}/ideas/{slug}/applications/")
    card = lead.locator("article, li, tr", has_text="Tartu Youth Hub").first
    card.locator("summary", has_text="Decline").click()
    card.locator("textarea[name=note]").fill("We already have a media partner, sorry.")
    card.get_by_role("button", name="Decline", exact=True).click()
    lead.wait_for_load_state()
    application = PartnershipApplication.objects.get(organisation=organisations["third"])
    assert application.status == "declined"

    # The applicant reads the answer and the note, then asks the lead a question.
    third.goto(f"{live_server.url}/notifications/")
    assert "declined the application of Tartu Youth Hub" in third.content()
    assert "We already have a media partner, sorry." in third.content()
    third.goto(f"{live_server.url}/applications/{application.pk}/")
    assert "We already have a media partner, sorry." in third.content()
    third.locator("textarea[name=body]").fill("Understood. May we join your next idea?")
    third.locator("form", has=third.locator("textarea[name=body]")).locator(
        "button[type=submit]"
    ).click()
    third.wait_for_load_state()
    shot(third, "journey-b-thread")

    # The lead sees the message in the same thread, without the sender's address.
    path = link_in_mail(people["lead"].email, r"/conversations/\d+/")
    lead.goto(live_server.url + path)
    assert "May we join your next idea?" in lead.content()
    assert people["third"].email not in lead.content()
    for page in (lead, third):
        page.context.close()


def test_journey_d_the_lead_removes_a_partner_that_stopped_answering(browser, live_server, world):
    organisations = world["organisations"]
    # The lead answers from a phone.
    lead, third, slug = an_idea_and_an_application(
        browser,
        live_server,
        world,
        "Green youth exchanges",
        "We run eco-camps for teenagers.",
        lead_viewport=PHONE,
    )

    lead.goto(f"{live_server.url}/ideas/{slug}/applications/")
    card = lead.locator("article, li, tr", has_text="Tartu Youth Hub").first
    card.get_by_role("button", name="Accept", exact=True).click()
    lead.wait_for_load_state()
    assert "Tartu Youth Hub" in lead.locator("aside").inner_text()  # in the consortium

    # Weeks later the partner no longer answers: the lead takes it out, with a note.
    card = lead.locator("li.card", has_text="Tartu Youth Hub")
    card.locator("summary", has_text="Remove from the consortium").click()
    assert "leaves the consortium and is told" in card.inner_text()
    card.locator("textarea[name=note]").fill("We have not heard from you since March.")
    card.get_by_role("button", name="Remove", exact=True).click()
    lead.wait_for_load_state()
    assert "Tartu Youth Hub is no longer in the consortium" in lead.content()
    assert "Tartu Youth Hub" not in lead.locator("aside").inner_text()
    shot(lead, "journey-d-removed")
    application = PartnershipApplication.objects.get(organisation=organisations["third"])
    assert application.status == "declined"

    # The partner is told, reads the note, and sees the step in the application's history.
    third.goto(f"{live_server.url}/notifications/")
    assert "removed Tartu Youth Hub from the consortium" in third.content()
    assert "We have not heard from you since March." in third.content()
    third.goto(f"{live_server.url}/applications/{application.pk}/")
    assert "We have not heard from you since March." in third.content()
    for page in (lead, third):
        page.context.close()
