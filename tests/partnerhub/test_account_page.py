"""The account page: name, language, e-mail preferences, data and deletion in one place."""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.messages import get_messages
from django.urls import reverse

from organisations.models import EmailFrequency, UserSettings
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PROFILE = reverse("account-profile")
PASSWORD = "a-long-Passphrase-42"
#: Session, user, their settings, unread notifications and acting organisation (header).
QUERIES = 5


def verified(email, *, name="", language="en"):
    user = UserFactory(email=email)
    user.set_password(PASSWORD)
    user.save()
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    if name:
        UserSettings.objects.create(user=user, display_name=name, language=language)
    return user


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(PROFILE)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert client.post(PROFILE, {"display_name": "X", "language": "en"}).status_code == 302
    assert not UserSettings.objects.exists()


def test_the_page_shows_ones_own_settings_and_links_every_part_of_the_account(client):
    anna = verified("anna@example.org", name="Anna Bērziņa")
    other = verified("other@example.org", name="Someone Else")
    client.force_login(anna)
    html = client.get(PROFILE).content.decode()
    assert 'value="Anna Bērziņa"' in html
    assert "Someone Else" not in html and other.email not in html
    for name in ("account_email", "account_change_password", "mfa_index", "account-data"):
        assert f'href="{reverse(name)}"' in html
    assert f'action="{reverse("account-data")}"' in html  # download straight from here
    assert f'href="{reverse("account-delete")}"' in html
    assert "Messages to your organisation" in html  # one choice per kind of event
    assert "Once a day" in html or "daily" in html.lower()


def test_the_header_links_to_the_account_page(client):
    client.force_login(verified("anna@example.org", name="Anna Bērziņa"))
    html = client.get(reverse("home")).content.decode()
    assert f'href="{PROFILE}"' in html


def test_saving_changes_only_ones_own_settings(client):
    anna = verified("anna@example.org", name="Anna Bērziņa")
    other = verified("other@example.org", name="Someone Else")
    client.force_login(anna)
    data = {"display_name": "Anna B.", "language": "lt"}
    data.update({f"group_{index}": EmailFrequency.DAILY for index in range(20)})
    response = client.post(PROFILE, data)
    assert response.status_code == 302
    assert response["Location"] == PROFILE
    assert UserSettings.objects.get(user=anna).display_name == "Anna B."
    assert UserSettings.objects.get(user=anna).language == "lt"
    assert UserSettings.objects.get(user=other).display_name == "Someone Else"
    assert response.cookies["django_language"].value == "lt"


def test_bad_input_is_explained_and_changes_nothing(client):
    anna = verified("anna@example.org", name="Anna Bērziņa")
    client.force_login(anna)
    response = client.post(PROFILE, {"display_name": "A" * 101, "language": "xx"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="error"' in html
    # The summary at the top links to both wrong fields.
    assert 'class="error-summary"' in html
    assert 'href="#id_display_name"' in html and 'href="#id_language"' in html
    assert UserSettings.objects.get(user=anna).display_name == "Anna Bērziņa"


def test_signing_in_greets_by_name_and_switches_to_ones_language(client):
    verified("anna.test@example.org", name="Anna Bērziņa", language="lv")
    response = client.post(
        reverse("account_login"), {"login": "anna.test@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    text = [str(message) for message in get_messages(response.wsgi_request)]
    assert any("Anna Bērziņa" in message for message in text), text
    assert not any("anna.test" in message for message in text)
    assert response.cookies["django_language"].value == "lv"
    html = client.get(reverse("dashboard")).content.decode()
    assert '<html lang="lv">' in html


def test_someone_without_a_name_is_named_by_their_address_not_a_username(client):
    verified("jonas@example.org")
    response = client.post(
        reverse("account_login"), {"login": "jonas@example.org", "password": PASSWORD}
    )
    text = [str(message) for message in get_messages(response.wsgi_request)]
    assert any("jonas@example.org" in message for message in text), text


@pytest.mark.parametrize("language", ["lv", "lt"])
def test_the_sign_up_page_is_translated_password_rules_included(client, language):
    client.cookies["django_language"] = language
    html = client.get(reverse("account_signup")).content.decode()
    for english in (
        "Your password must contain",
        "too similar to your other personal information",
        "commonly used password",
        "entirely numeric",
        "Already have an account",
        "Your name",
    ):
        assert english not in html, english
    assert "spiedied" not in html


def test_latvian_says_at_least_8_characters_in_the_plural(client):
    client.cookies["django_language"] = "lv"
    html = client.get(reverse("account_signup")).content.decode()
    assert "vismaz 8 rakstzīmēm" in html
    assert "8 rakstzīmei" not in html


def test_the_account_page_takes_a_fixed_number_of_queries(client, django_assert_num_queries):
    anna = verified("anna@example.org", name="Anna Bērziņa")
    client.force_login(anna)
    client.get(PROFILE)  # sessions and caches warm
    with django_assert_num_queries(QUERIES) as captured:
        response = client.get(PROFILE)
    assert response.status_code == 200, captured


def test_sign_up_asks_for_the_name_first(client):
    html = client.get(reverse("account_signup")).content.decode()
    assert html.index('name="display_name"') < html.index('name="email"')
    assert html.index('name="email"') < html.index('name="password1"')
