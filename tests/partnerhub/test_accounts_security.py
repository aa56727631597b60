"""Brute force and accounts: allauth's limits on a shared cache, admin login, MFA, enumeration."""

import os
import subprocess
import sys
import time
from unittest import mock

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import get_hasher
from django.contrib.messages import get_messages
from django.core import mail
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.test import Client, TestCase, override_settings
from django.urls import reverse

from partnerhub import checks
from partnerhub.settings import base as base_settings
from tests.conftest import verified_user, with_totp

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
# allauth's limits as production has them (the test settings switch them off).
LIMITS = override_settings(ACCOUNT_RATE_LIMITS=base_settings.ACCOUNT_RATE_LIMITS)


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def _staff_with_password():
    user = verified_user("boss@example.org", is_staff=True, is_superuser=True)
    user.set_password(PASSWORD)
    user.save()
    return user


def _login(client, email, password, ip="10.0.0.1"):
    return client.post(
        reverse("account_login"), {"login": email, "password": password}, REMOTE_ADDR=ip
    )


def _signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_admin_login_page_is_allauths(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@LIMITS
def test_forty_wrong_passwords_then_the_right_one_does_not_sign_staff_in(client):
    staff = _staff_with_password()
    for _ in range(40):
        _login(client, staff.email, "wrong password")
    response = _login(client, staff.email, PASSWORD)
    assert not _signed_in(client)
    assert response.status_code in (200, 429)


@LIMITS
def test_lock_out_is_per_address_and_source(client):
    staff = _staff_with_password()
    for _ in range(6):
        _login(client, staff.email, "wrong password", ip="203.0.113.9")
    _login(client, staff.email, PASSWORD, ip="203.0.113.9")
    assert not _signed_in(client), "the attacker's source is locked out"

    owner = Client()
    _login(owner, staff.email, PASSWORD, ip="198.51.100.7")
    assert _signed_in(owner), "the owner, elsewhere, still signs in"


def test_staff_without_mfa_are_sent_to_set_it_up_before_the_admin(client):
    staff = _staff_with_password()
    _login(client, staff.email, PASSWORD)
    assert _signed_in(client)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    # allauth asks for the password again before a second factor is added.
    activate = client.get(reverse("mfa_activate_totp"))
    assert activate.status_code == 302
    assert activate["Location"].startswith(reverse("account_reauthenticate"))

    with_totp(staff)
    assert client.get("/admin/").status_code == 200


def test_people_without_admin_access_are_not_asked_for_mfa(client, owner):
    client.force_login(owner)
    assert client.get(reverse("dashboard")).status_code == 200
    assert client.get(reverse("mfa_index")).status_code == 200


def test_staff_with_mfa_are_asked_for_the_code_at_sign_in(client):
    staff = with_totp(_staff_with_password())
    response = _login(client, staff.email, PASSWORD)
    assert not _signed_in(client)
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")


def _sign_up(email: str) -> dict:
    """One sign-up through the view, and the work it cost: what an attacker could time."""
    client = Client()
    hasher = type(get_hasher())
    before = len(mail.outbox)
    with (
        mock.patch.object(hasher, "encode", autospec=True, side_effect=hasher.encode) as hashes,
        TestCase.captureOnCommitCallbacks(execute=True) as callbacks,
    ):
        response = client.post(
            reverse("account_signup"),
            {"display_name": "Anna", "email": email, "password1": PASSWORD, "password2": PASSWORD},
            REMOTE_ADDR="10.9.9.9",
        )
    return {
        "status": response.status_code,
        "location": response["Location"],
        "messages": [
            str(message).replace(email, "<address>")
            for message in get_messages(response.wsgi_request)
        ],
        "password hashes": hashes.call_count,
        "tasks queued after commit": len(callbacks),
        "mails to the address": [m.to for m in mail.outbox[before:]],
    }


def test_sign_up_answers_alike_and_does_the_same_costly_work_for_known_and_unknown_addresses():
    # Before: the known address answered in 10 ms and a new one in 270 ms (its password
    # hash). Now both hash one password and queue one mail, whose sending (the slow part)
    # happens in the worker; what is left differs by a few inserts. Timing is measured in
    # bench/signup_timing.py (docs/security.md), not asserted here.
    verified_user("taken@example.org")
    known = _sign_up("taken@example.org")
    unknown = _sign_up("new@example.org")
    assert known["password hashes"] == unknown["password hashes"] == 1
    assert known["mails to the address"] == [["taken@example.org"]]
    assert unknown["mails to the address"] == [["new@example.org"]]
    assert known["tasks queued after commit"] == unknown["tasks queued after commit"]
    assert {k: v for k, v in known.items() if k != "mails to the address"} == {
        k: v for k, v in unknown.items() if k != "mails to the address"
    }
    assert known["location"] == reverse("account_email_verification_sent")


def test_sign_up_answers_no_sooner_for_a_new_address_than_for_a_registered_one():
    # What is left after equal work: a new account writes its rows (~10 ms more), which
    # an attacker averaging many sign-ups could time. Every sign-up POST now answers no
    # sooner than SIGNUP_ANSWER_SECONDS after it arrived, whatever it found.
    verified_user("taken@example.org")
    elapsed = {}
    with override_settings(SIGNUP_ANSWER_SECONDS=0.3):
        for label, email, password2 in (
            ("registered", "taken@example.org", PASSWORD),
            ("new", "new@example.org", PASSWORD),
            ("mistyped", "other@example.org", PASSWORD + "x"),
        ):
            started = time.monotonic()
            response = Client().post(
                reverse("account_signup"),
                {
                    "display_name": "Anna",
                    "email": email,
                    "password1": PASSWORD,
                    "password2": password2,
                },
            )
            elapsed[label] = time.monotonic() - started
            assert response.status_code == (200 if label == "mistyped" else 302)
        with mock.patch("partnerhub.pacing.time.sleep") as sleep:
            assert Client().get(reverse("account_signup")).status_code == 200
    assert min(elapsed.values()) >= 0.3, elapsed
    assert not sleep.called  # reading the form is not slowed down
    assert get_user_model().objects.filter(email="new@example.org").exists()


def test_production_never_counts_limits_per_process():
    with override_settings(
        CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}},
        REQUIRE_SHARED_CACHE=True,
    ):
        assert checks.cache_problem()
        with pytest.raises(ImproperlyConfigured):
            checks.require_shared_cache()
        assert [error.id for error in checks.shared_cache_check(None)] == ["partnerhub.E001"]
    with override_settings(CACHES={"default": settings.DATABASE_CACHE}):
        assert checks.cache_problem() is None


@pytest.mark.parametrize(
    ("redis_url", "backend"),
    [
        ("", "django.core.cache.backends.db.DatabaseCache"),
        ("redis://127.0.0.1:6379/0", "partnerhub.cache.FallbackRedisCache"),
    ],
)
def test_production_settings_pick_a_shared_cache(redis_url, backend):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "partnerhub.settings.prod",
        "SECRET_KEY": "x" * 60,
        "REDIS_URL": redis_url,
    }
    code = "import django; django.setup(); from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == backend


@pytest.mark.parametrize(
    "caches",
    [
        {"default": settings.DATABASE_CACHE},
        # Migrated under settings without a database cache (dev, or REDIS_URL set):
        # production's fallback must still find its table when Redis goes down.
        {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}},
    ],
)
def test_migrate_creates_the_database_cache_table(caches):
    from django.db import connection

    from partnerhub.apps import create_cache_tables

    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS partnerhub_cache")
    with override_settings(CACHES=caches):
        create_cache_tables(using="default")
    assert "partnerhub_cache" in connection.introspection.table_names()


# Redis on a port where nothing listens: refused at once, as when Redis is down.
REDIS_DOWN = {
    "default": {
        "BACKEND": "partnerhub.cache.FallbackRedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "FALLBACK": "fallback",
        "RETRY_AFTER": 5,
        "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
    },
    "fallback": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "partnerhub_cache",
    },
}


@pytest.fixture
def redis_down():
    with override_settings(
        CACHES=REDIS_DOWN, ACCOUNT_RATE_LIMITS=base_settings.ACCOUNT_RATE_LIMITS
    ):
        call_command("createcachetable", verbosity=0)
        yield


def test_redis_down_degrades_limits_to_the_database_and_never_answers_500(redis_down):
    staff = _staff_with_password()
    client = Client()
    for _ in range(6):
        response = _login(client, staff.email, "wrong password")
        assert response.status_code < 500
    _login(client, staff.email, PASSWORD)
    assert not _signed_in(client), "the limit held, counted in the database cache"

    reset = Client().post(reverse("account_reset_password"), {"email": staff.email})
    assert reset.status_code == 302

    health = Client().get("/healthz")
    assert health.status_code == 200
    assert health.json()["cache"] == "degraded"


def test_healthz_answers_plain_http_for_any_host_and_reports_each_part():
    with override_settings(SECURE_SSL_REDIRECT=True):
        client = Client()
        assert client.get("/", HTTP_HOST="testserver").status_code == 301
        response = client.get("/healthz", HTTP_HOST="10.1.2.3")
    assert response.status_code == 200
    body = response.json()
    assert body["database"] == "ok"
    assert body["cache"] == "ok"
    assert body["queue"]["status"] == "ok"
