"""A conversation in the browser: contact a profile without an address, answer from the e-mail link."""

import re

import pytest
from django.core import mail

from organisations.models import Role, UserSettings
from tests.conftest import verified_user
from tests.factories import MembershipFactory, OrganisationFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery"  # tests.factories.UserFactory


def sign_in(page, live_server, email):
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(re.compile(r"/dashboard/"))


def sign_out(page):
    # By the form, not the word: signing in switches to the person's language (Rūta: lt).
    page.locator("header form[action$='/accounts/logout/'] button").click()
    page.wait_for_url(re.compile(r"/$"))


def test_contact_a_profile_and_answer_from_the_email(live_server, page, screenshot):
    riga = OrganisationFactory(name="Rīgas jauniešu biedrība", country="LV")
    anna = verified_user("anna@riga.example")
    MembershipFactory(user=anna, organisation=riga, role=Role.OWNER)
    UserSettings.objects.create(user=anna, display_name="Anna Bērziņa")
    kaunas = OrganisationFactory(name="Kauno jaunimo centras", country="LT", email="")
    ruta = verified_user("ruta@kaunas.example")
    MembershipFactory(user=ruta, organisation=kaunas, role=Role.OWNER)
    UserSettings.objects.create(user=ruta, display_name="Rūta", language="lt")

    sign_in(page, live_server, "anna@riga.example")
    page.goto(live_server.url + kaunas.get_absolute_url())
    assert "No contact details yet." in page.content()
    page.locator("main a.button", has_text="Contact this organisation").click()
    page.fill("input[name=subject]", "Volunteers in May")
    page.fill("textarea[name=body]", "Would you host ten volunteers in May?")
    screenshot("conversation-contact")
    page.locator("main button[type=submit]").click()
    page.wait_for_url(re.compile(r"/conversations/\d+/$"))
    assert "Would you host ten volunteers in May?" in page.content()
    sign_out(page)

    [email] = mail.outbox
    assert email.to == ["ruta@kaunas.example"]
    assert email.subject.startswith("[PartnerHub] Nauja žinutė iš Rīgas jauniešu biedrība")
    assert "anna@riga.example" not in email.body
    path = re.search(r"https?://[^/\s]+(/conversations/\d+/)", email.body).group(1)

    sign_in(page, live_server, "ruta@kaunas.example")
    assert page.locator("nav.main-nav .count-badge").inner_text().startswith("1")
    page.goto(live_server.url + path)
    thread = page.locator("ol.thread").inner_text()
    assert "Rīgas jauniešu biedrība" in thread and "Anna Bērziņa" in thread
    assert "anna@riga.example" not in page.locator("main").inner_html()
    page.fill("textarea[name=body]", "Yes, gladly. Let us talk about dates.")
    page.locator("main button[type=submit]").click()
    page.wait_for_url(re.compile(r"/conversations/\d+/#message-\d+$"))
    assert page.locator("nav.main-nav .count-badge").count() == 0  # read by opening the thread
    sign_out(page)

    sign_in(page, live_server, "anna@riga.example")
    conversations = page.locator("#conversations").inner_text()
    assert "Volunteers in May" in conversations and "1 unread" in conversations
    screenshot("conversation-dashboard")
    page.locator("#conversations a", has_text="Volunteers in May").click()
    assert "Yes, gladly. Let us talk about dates." in page.locator("ol.thread").inner_text()
    assert "Rūta" in page.locator("ol.thread").inner_text()
    page.goto(live_server.url + "/dashboard/")
    assert "1 unread" not in page.locator("#conversations").inner_text()
