"""Accounts: e-mail sign-up, mandatory verification, sign-in, password reset."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-Passphrase-42"


@pytest.fixture
def client(committing_client):
    """Account mail is queued on commit: each POST runs its on-commit hooks."""
    return committing_client


def sign_up(client, email="new@example.org", name="Anna Bērziņa"):
    return client.post(
        reverse("account_signup"),
        {"display_name": name, "email": email, "password1": PASSWORD, "password2": PASSWORD},
    )


def confirmation_link(message) -> str:
    return re.search(r"https?://[^/\s]+(/accounts/confirm-email/[^\s]+/)", message.body).group(1)


def test_signup_page_uses_the_site_frame(client):
    html = client.get(reverse("account_signup")).content.decode()
    assert "site.css" in html
    assert 'name="email"' in html
    assert 'name="username"' not in html


def test_signup_sends_a_verification_email_and_does_not_sign_in(client):
    response = sign_up(client)
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "new@example.org" in mail.outbox[0].to
    assert not EmailAddress.objects.get(email="new@example.org").verified
    assert client.get(reverse("dashboard")).status_code == 302


def test_unverified_user_cannot_sign_in(client):
    sign_up(client)
    client.logout()
    response = client.post(
        reverse("account_login"), {"login": "new@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session


def test_confirming_the_email_signs_the_user_in(client):
    sign_up(client)
    link = confirmation_link(mail.outbox[0])
    response = client.post(link)
    assert response.status_code == 302
    assert EmailAddress.objects.get(email="new@example.org").verified
    assert client.get(reverse("dashboard")).status_code == 200


def test_signup_with_bad_input_shows_errors_and_keeps_the_email(client):
    response = client.post(
        reverse("account_signup"),
        {"email": "kept@example.org", "password1": PASSWORD, "password2": "different"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="error"' in html
    assert 'value="kept@example.org"' in html
    assert not get_user_model().objects.filter(email="kept@example.org").exists()


def test_password_reset_sends_mail_to_known_address(client, owner):
    response = client.post(reverse("account_reset_password"), {"email": owner.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "/accounts/password/reset/key/" in mail.outbox[0].body


def test_account_mail_names_the_site_from_settings_not_the_request_host(client):
    sign_up(client)
    message = mail.outbox[0]
    assert message.subject.startswith("[PartnerHub] ")
    assert "testserver" not in message.subject
    assert message.body.startswith("Hello Anna Bērziņa,")
    assert "The PartnerHub team" in message.body
    assert "Hello from" not in message.body


def test_signup_answers_normally_while_the_mail_server_is_down(client, settings, caplog):
    settings.EMAIL_BACKEND = "tests.partnerhub.broken_mail.EmailBackend"
    response = sign_up(client)
    assert response.status_code == 302
    assert EmailAddress.objects.filter(email="new@example.org").exists()
    assert "mail: giving up" in caplog.text or "mail: attempt 1 failed" in caplog.text


def test_sign_out(client, owner):
    client.force_login(owner)
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_email_change_page_is_available_to_signed_in_users(client, owner):
    client.force_login(owner)
    response = client.get(reverse("account_email"))
    assert response.status_code == 200
    assert owner.email in response.content.decode()
