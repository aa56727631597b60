"""The three users every view is tested with: an owner, a member with the viewer role, an outsider."""

import pytest
from allauth.account.models import EmailAddress

from organisations.models import Role
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory


def verified_user(email: str, **kwargs):
    user = UserFactory(email=email, **kwargs)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


@pytest.fixture
def organisation(db):
    return OrganisationFactory()


@pytest.fixture
def owner(organisation):
    user = verified_user("owner@example.org")
    MembershipFactory(user=user, organisation=organisation, role=Role.OWNER)
    return user


@pytest.fixture
def editor(organisation):
    user = verified_user("editor@example.org")
    MembershipFactory(user=user, organisation=organisation, role=Role.EDITOR)
    return user


@pytest.fixture
def member(organisation):
    """A member of `organisation` with the viewer role: reads, never writes."""
    user = verified_user("viewer@example.org")
    MembershipFactory(user=user, organisation=organisation, role=Role.VIEWER)
    return user


@pytest.fixture
def outsider(db):
    """A verified user who belongs to another organisation, not to `organisation`."""
    user = verified_user("outsider@example.org")
    MembershipFactory(user=user, role=Role.OWNER)
    return user


def with_totp(user):
    """Give `user` an authenticator app (TOTP), as staff must have before the admin opens."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    TOTP.activate(user, generate_totp_secret())
    return user


@pytest.fixture
def staff(db):
    return with_totp(verified_user("staff@example.org", is_staff=True, is_superuser=True))


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: rate-limit counters must not leak between tests."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language.

    A request in Latvian leaves its thread in Latvian (LocaleMiddleware activates,
    nothing deactivates), so a test that built choices outside a request read the
    country names of whichever test ran before it.
    """
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _empty_directory_index():
    """Each test starts with empty search indexes (organisations/directory.py, projects/idea_index.py).

    The index lives as long as the process and trusts the change log's ids,
    which SQLite hands out again after a test's rollback.
    """
    from organisations.directory import directory_index
    from projects.idea_index import idea_index

    directory_index.clear()
    idea_index.clear()
    yield
    directory_index.clear()
    idea_index.clear()


@pytest.fixture(autouse=True)
def _no_cache_rebuild_left_running():
    """A background cache rebuild started by a test ends before the test's database does.

    Otherwise its connection may still read while the test database is flushed
    ("database table is locked") or run after database access is closed.
    """
    import threading

    yield
    for thread in threading.enumerate():
        if thread.name == "cache-rebuild":
            thread.join(timeout=30)


@pytest.fixture
def reference_data(transactional_db):
    """The reference data migrations load (taxonomies, the Reviewers group), for transactional tests.

    A transactional test starts from whatever the previous one left: after a flush
    only what post_migrate recreates (content types, permissions) is there. Loading
    the rest here, rather than with ``serialized_rollback``, keeps transactional
    tests independent of their order.
    """
    import importlib
    import io

    from django.apps import apps as django_apps
    from django.core.management import call_command

    from organisations.models import Theme

    if not Theme.objects.exists():
        call_command("load_taxonomies", stdout=io.StringIO())
    reviewers = importlib.import_module("projects.migrations.0003_reviewers_group")
    reviewers.create_group(django_apps, None)
    importlib.import_module("projects.migrations.0010_reviewers_read_ideas").grant(
        django_apps, None
    )
