"""Every e-mail allauth can send is the site's own: HTML and text, the reader's language, no host."""

import importlib
import re
from pathlib import Path

import allauth
import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from organisations.models import UserSettings
from partnerhub.account_mail import ACCOUNT_MAILS
from partnerhub.adapter import AccountAdapter
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-Passphrase-42"
FOREIGN_HOST = "127.0.0.1:8201"

ALLAUTH_TEMPLATES = Path(allauth.__file__).parent / "templates"
#: Every mail allauth has a template for, e.g. "account/email/password_reset_key".
ALLAUTH_MAILS = sorted(
    str(path.relative_to(ALLAUTH_TEMPLATES)).removesuffix("_subject.txt")
    for path in ALLAUTH_TEMPLATES.glob("*/email/*_subject.txt")
    if not str(path).startswith(str(ALLAUTH_TEMPLATES / "socialaccount"))
)

CONTEXT = {
    "activate_url": f"http://{FOREIGN_HOST}/accounts/confirm-email/KEY123/",
    "password_reset_url": f"http://{FOREIGN_HOST}/accounts/password/reset/key/1-set/",
    "signup_url": f"http://{FOREIGN_HOST}/accounts/signup/",
    "code": "ABC123",
    "from_email": "old@example.org",
    "to_email": "new@example.org",
    "deleted_email": "gone@example.org",
    "ip": "192.0.2.7",
    "user_agent": "Firefox",
    "timestamp": timezone.now(),
}

# A word of each language's greeting: the mail is in that language, not in English.
GREETING = {"en": "Hello", "lv": "Labdien", "lt": "Sveiki"}


def test_every_mail_allauth_can_send_has_the_sites_own_text():
    assert ALLAUTH_MAILS, "allauth's mail templates were not found"
    assert set(ALLAUTH_MAILS) <= set(ACCOUNT_MAILS)


@pytest.mark.parametrize("prefix", sorted(ACCOUNT_MAILS))
@pytest.mark.parametrize("language", ["en", "lv", "lt"])
def test_each_mail_in_each_language_is_branded_html_and_text_without_the_request_host(
    prefix, language, django_capture_on_commit_callbacks
):
    user = UserFactory(email="anna@example.org")
    UserSettings.objects.create(user=user, display_name="Anna Bērziņa", language=language)
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        AccountAdapter().send_mail(prefix, user.email, {**CONTEXT, "user": user})
    (message,) = mail.outbox
    html = {mimetype: body for body, mimetype in message.alternatives}["text/html"]
    for part in (message.subject, message.body, html):
        assert FOREIGN_HOST not in part
        assert "Hello from" not in part and "Thank you for using" not in part
    assert message.subject.startswith("[PartnerHub] ")
    assert "&quot;" not in message.subject and "&#" not in message.subject
    assert "\n" not in message.subject
    greeting = message.body.splitlines()[0]
    assert greeting.startswith(GREETING[language]) and "Anna Bērziņa" in greeting
    assert greeting in html
    assert "PartnerHub" in message.body and "PartnerHub" in html
    assert 'lang="' in html and "<a href=" in html
    spec = ACCOUNT_MAILS[prefix]
    if spec.link:
        link = CONTEXT[spec.link].replace(f"http://{FOREIGN_HOST}", "http://testserver")
        assert link in message.body and f'href="{link}"' in html
    elif spec.code:
        assert "ABC123" in message.body and "ABC123" in html
    if spec.notice:
        assert "192.0.2.7" in message.body and "Firefox" in html
    if language != "en":
        with translation.override("en"):
            english = str(spec.subject)
        assert message.subject != f"[PartnerHub] {english}", "the subject is not translated"


def test_signing_up_in_latvian_gets_the_verification_mail_in_latvian(committing_client):
    committing_client.cookies["django_language"] = "lv"
    response = committing_client.post(
        reverse("account_signup"),
        {
            "display_name": "Anna Bērziņa",
            "email": "anna@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
        HTTP_HOST="testserver",
    )
    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.body.splitlines()[0] == "Labdien, Anna Bērziņa!"
    assert re.search(r"http://testserver/accounts/confirm-email/\S+/", message.body)
    settings_row = UserSettings.objects.get(user__email="anna@example.org")
    assert (settings_row.display_name, settings_row.language) == ("Anna Bērziņa", "lv")


def test_a_password_reset_asked_in_english_reaches_a_lithuanian_reader_in_lithuanian(
    committing_client,
):
    user = UserFactory(email="ruta@example.org")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    UserSettings.objects.create(user=user, display_name="Rūta", language="lt")
    committing_client.post(reverse("account_reset_password"), {"email": user.email})
    (message,) = mail.outbox
    assert message.body.splitlines()[0] == "Sveiki, Rūta,"
    assert "/accounts/password/reset/key/" in message.body


def test_sign_up_asks_for_a_name_and_refuses_a_blank_one(committing_client):
    response = committing_client.post(
        reverse("account_signup"),
        {
            "display_name": "   ",
            "email": "x@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 200
    assert "Enter the name other organisations should see." in response.content.decode()
    assert not EmailAddress.objects.filter(email="x@example.org").exists()
    assert not mail.outbox


def test_the_display_name_migration_names_people_from_what_is_stored():
    migration = importlib.import_module("organisations.migrations.0009_display_names")

    class Person:
        def __init__(self, first="", last="", email="", username=""):
            self.first_name, self.last_name, self.email, self.username = (
                first,
                last,
                email,
                username,
            )

    assert migration.name_from(Person("Ilze", "Kalniņa", "x@y.lv")) == "Ilze Kalniņa"
    assert migration.name_from(Person(email="anna.berzina@example.org")) == "Anna Berzina"
    assert migration.name_from(Person(email="jonas_petrauskas@example.lt")) == "Jonas Petrauskas"


def test_the_request_host_never_reaches_a_link():
    from partnerhub.account_mail import on_site

    assert (
        on_site(f"http://{FOREIGN_HOST}/accounts/confirm-email/K/?next=/x/")
        == "http://testserver/accounts/confirm-email/K/?next=/x/"
    )
