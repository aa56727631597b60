"""A newcomer's first visit: sign up, verify the e-mail, sign in, read the site in Latvian."""

import re

import pytest
from django.core import mail

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

EMAIL = "coordinator@example.org"
PASSWORD = "Daugavpils-2027-youth"


def test_sign_up_verify_sign_in_and_switch_to_latvian(live_server, page, screenshot):
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Sign up").first.click()

    page.fill("input[name=display_name]", "Anna Bērziņa")
    page.fill("input[name=email]", EMAIL)
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    screenshot("signup")
    page.locator("form.form-signup button[type=submit]").click()
    page.wait_for_url(re.compile(r"/accounts/confirm-email/"))
    assert "Verify Your Email Address" in page.content()

    assert len(mail.outbox) == 1
    # Links in mail name the site from settings (SITE_URL), not the test server's address.
    path = re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+/)", mail.outbox[0].body)
    page.goto(live_server.url + path.group(1))
    page.locator("main button[type=submit]").click()
    page.wait_for_url(re.compile(r"/dashboard/"))
    assert page.locator("h1").inner_text() == "Dashboard"

    page.locator("header button", has_text="Sign out").click()
    page.wait_for_url(re.compile(r"/$"))
    page.get_by_role("link", name="Sign in").first.click()
    page.fill("input[name=login]", EMAIL)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(re.compile(r"/dashboard/"))
    assert EMAIL in page.locator("header").inner_text()
    assert "Anna Bērziņa" in page.locator(".messages").inner_text()

    # Choosing a language changes it at once (site.js): no separate button to press.
    assert not page.locator(".language-switcher button").is_visible()
    with page.expect_navigation():
        page.select_option("#language-select", "lv")
    assert page.locator("html").get_attribute("lang") == "lv"
    nav = page.locator("nav.main-nav").inner_text()
    assert "Organizācijas" in nav
    assert "Projektu idejas" in nav
    screenshot("dashboard-lv")
