"""Audit log (who, when, never a secret), the gunicorn warm-up fault, demo data never in production."""

import io
import logging
import re
from types import SimpleNamespace

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import OperationalError
from django.test import Client, override_settings
from django.urls import reverse

from organisations.models import Organisation
from tests.conftest import verified_user
from tests.factories import ProjectIdeaFactory

pytestmark = pytest.mark.django_db

SECRET = "Sup3r-secret-Passw0rd!"


@pytest.fixture
def every_log(caplog):
    caplog.set_level(logging.DEBUG)
    return caplog


def _all_text(caplog) -> str:
    return "\n".join(
        f"{record.getMessage()} {record.args!r} {getattr(record, 'exc_text', '') or ''}"
        for record in caplog.records
    )


def test_sign_ins_failures_refusals_and_admin_actions_are_logged_without_secrets(
    every_log, organisation, outsider, staff, django_capture_on_commit_callbacks
):
    person = verified_user("person@example.org")
    person.set_password(SECRET)
    person.save()
    client = Client()
    client.post(
        reverse("account_login"),
        {"login": person.email, "password": "wrong-" + SECRET},
        REMOTE_ADDR="192.0.2.1",
    )
    # A password typed into the address field is not logged either.
    client.post(reverse("account_login"), {"login": SECRET, "password": SECRET})
    client.post(
        reverse("account_login"),
        {"login": person.email, "password": SECRET},
        REMOTE_ADDR="192.0.2.1",
    )
    client.post(reverse("account_logout"))

    # A password reset: its key is in the mail and in the link, never in the log.
    with django_capture_on_commit_callbacks(execute=True):
        Client().post(reverse("account_reset_password"), {"email": person.email})
    link = re.search(r"https?://\S+/key/\S+", mail.outbox[-1].body).group(0)
    path = "/" + link.split("/", 3)[3]
    Client().get(path)

    # Refused access to an object: an outsider edits another organisation's idea.
    idea = ProjectIdeaFactory(lead=organisation)
    outsider_client = Client()
    outsider_client.force_login(outsider)
    outsider_client.get(reverse("projects:idea-update", args=[idea.slug]))

    # An admin action.
    admin = Client()
    admin.force_login(staff)
    admin.post(
        reverse("admin:organisations_organisation_changelist"),
        {"action": "verify", "_selected_action": [organisation.pk]},
    )
    admin.post(
        reverse("admin:organisations_organisation_change", args=[organisation.pk]) + "x/",
        {},
    )

    text = _all_text(every_log)
    assert f"failed sign-in: login={person.email} ip=192.0.2.1" in text
    assert f"sign-in: user={person.pk} ip=192.0.2.1" in text
    assert f"sign-out: user={person.pk}" in text
    assert f"access refused: user={outsider.pk}" in text and idea.slug in text
    assert f"admin request: user={staff.pk}" in text
    assert SECRET not in text
    key = link.rstrip("/").rsplit("/", 1)[-1]
    assert key not in text
    assert "/key/[redacted]" in text or "key" not in text


def test_admin_changes_are_logged_with_who(every_log, staff, organisation):
    admin = Client()
    admin.force_login(staff)
    admin.post(
        reverse("admin:organisations_membership_add"),
        {"organisation": organisation.pk, "user": staff.pk, "role": "owner"},
    )
    assert f"admin addition: user={staff.pk} membership" in _all_text(every_log)


def test_a_failed_matching_warm_up_is_logged_and_the_worker_serves(monkeypatch, every_log):
    from matching import warmup
    from partnerhub import gunicorn

    def database_down():
        raise OperationalError("could not connect to server")

    monkeypatch.setattr(warmup, "warm_caches", database_down)
    logged = []
    worker = SimpleNamespace(
        log=SimpleNamespace(
            exception=lambda message, *args: logged.append(("exception", message)),
            info=lambda message, *args: logged.append(("info", message)),
            warning=lambda message, *args: logged.append(("warning", message)),
        )
    )
    gunicorn.post_worker_init(worker)  # must not raise: gunicorn would stop the site
    assert logged[0][0] == "exception"
    assert "build on first use" in logged[0][1]


def test_the_caches_build_lazily_on_the_first_request_after_a_failed_warm_up(
    client, owner, organisation
):
    from matching.cache import features

    idea = ProjectIdeaFactory(lead=organisation)
    features.forget()
    assert not features.is_built()
    client.force_login(owner)
    response = client.get(reverse("matching:idea-partners", args=[idea.slug]))
    assert response.status_code == 200
    assert features.is_built()


def test_what_is_typed_in_the_address_field_is_logged_only_if_it_is_an_address():
    from partnerhub.audit import safe_login

    assert safe_login("Person@Example.org") == "person@example.org"
    assert safe_login(SECRET) == "[not an e-mail address]"


def test_demo_data_is_refused_outside_debug():
    with pytest.raises(CommandError, match="load_taxonomies"):
        call_command("load_demo_data", stdout=io.StringIO())
    assert not Organisation.objects.exists()


@override_settings(DEBUG=True)
def test_demo_data_loads_with_debug_on():
    call_command("load_demo_data", stdout=io.StringIO())
    assert Organisation.objects.exists()


def test_load_taxonomies_refreshes_reference_data_and_creates_no_user():
    from django.contrib.auth import get_user_model

    from organisations.models import Theme

    Theme.objects.filter(code="inclusion-diversity").update(name_en="stale")
    out = io.StringIO()
    call_command("load_taxonomies", stdout=out)
    assert "taxonomy terms:" in out.getvalue()
    assert Theme.objects.get(code="inclusion-diversity").name_en != "stale"
    assert not get_user_model().objects.exists()
