"""Starting and rebuilding the matching caches never takes the site down or makes a visitor wait.

- gunicorn with ``preload_app`` builds both caches once in the master (``on_starting``)
  and freezes them for copy-on-write sharing; a failure there is logged and the
  master carries on (each worker then builds its own);
- after a failed warm-up the first request builds lazily: the partner page and
  the dashboard's "ideas for you" (the needs cache);
- while a rebuild runs, pages are answered from the previous snapshot, for both
  caches (the failed warm-up in a worker is tests/partnerhub/test_audit_and_faults.py).
"""

import gc
import threading
from types import SimpleNamespace

import pytest
from django.db import OperationalError, connections
from django.urls import reverse

from matching.cache import FeatureCache, features
from matching.need_cache import NeedCache, open_ideas
from organisations.models import Theme
from partnerhub import gunicorn
from tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    ProjectIdeaFactory,
    UserFactory,
)


def _server():
    logged = []
    log = SimpleNamespace(
        exception=lambda message, *args: logged.append(("exception", message % args)),
        info=lambda message, *args: logged.append(("info", message % args)),
        warning=lambda message, *args: logged.append(("warning", message % args)),
    )
    return SimpleNamespace(log=log), logged


@pytest.fixture
def frozen_afterwards():
    yield
    gc.unfreeze()  # the test process is no gunicorn master


@pytest.mark.django_db
@pytest.mark.usefixtures("frozen_afterwards")
def test_the_master_builds_both_caches_once_before_forking(monkeypatch):
    monkeypatch.setattr(gunicorn, "preload_app", True)
    closed = []
    monkeypatch.setattr(connections, "close_all", lambda: closed.append(True))
    OrganisationFactory.create_batch(2)
    ProjectIdeaFactory()  # its lead is a third organisation
    features.forget()
    open_ideas.forget()
    server, logged = _server()

    gunicorn.on_starting(server)

    assert features.is_built() and len(features) == 3
    assert open_ideas.is_built() and len(open_ideas) == 1
    assert logged == [
        ("info", "matching caches built once for all workers: 3 organisations, 1 open ideas"),
        ("info", "search indexes built once for all workers: 3 organisations, 1 ideas"),
    ]
    assert gc.get_freeze_count() > 0  # no later collection writes to their pages
    assert closed  # never a connection shared with the forked workers


@pytest.mark.django_db
@pytest.mark.usefixtures("frozen_afterwards")
def test_a_failed_build_in_the_master_is_logged_and_the_workers_build_their_own(monkeypatch):
    from matching import warmup

    def database_down():
        raise OperationalError("could not connect to server")

    monkeypatch.setattr(gunicorn, "preload_app", True)
    monkeypatch.setattr(warmup, "warm_caches", database_down)
    features.forget()
    server, logged = _server()

    gunicorn.on_starting(server)  # must not raise: the master would not start

    assert logged[0][0] == "exception"
    assert "each worker builds its own" in logged[0][1]
    assert not features.is_built()


@pytest.mark.django_db
def test_without_preload_the_master_builds_nothing(monkeypatch):
    monkeypatch.setattr(gunicorn, "preload_app", False)
    OrganisationFactory()
    features.forget()
    server, logged = _server()
    gunicorn.on_starting(server)
    assert not features.is_built() and logged == []


@pytest.mark.django_db
def test_the_needs_cache_builds_lazily_on_the_first_dashboard_after_a_failed_warm_up(client):
    mine = OrganisationFactory(themes=["inclusion-diversity"])
    user = UserFactory()
    MembershipFactory(user=user, organisation=mine)
    theirs = ProjectIdeaFactory(themes=["inclusion-diversity"], title="Open doors for all")
    open_ideas.forget()
    client.force_login(user)

    response = client.get(reverse("dashboard"))

    assert response.status_code == 200
    assert open_ideas.is_built()
    assert theirs.title in response.content.decode()


def _blocked(monkeypatch, cache_class):
    """Make ``cache_class.build`` wait until released; returns (building, release)."""
    building, release = threading.Event(), threading.Event()
    real_build = cache_class.build

    def slow_build(self, context=None):
        building.set()
        release.wait(timeout=30)
        return real_build(self, context)

    monkeypatch.setattr(cache_class, "build", slow_build)
    return building, release


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference_data")
def test_pages_are_answered_from_the_previous_snapshot_while_both_caches_rebuild(
    client, settings, monkeypatch
):
    settings.MATCHING_REBUILD_IN_BACKGROUND = True
    mine = OrganisationFactory(themes=["inclusion-diversity"], name="Riga Youth Hub")
    user = UserFactory()
    MembershipFactory(user=user, organisation=mine)
    idea = ProjectIdeaFactory(lead=mine, themes=["inclusion-diversity"])
    partner = OrganisationFactory(themes=["inclusion-diversity"], name="Kaunas Open Doors")
    theirs = ProjectIdeaFactory(themes=["inclusion-diversity"], title="Open doors for all")
    features.clear()
    open_ideas.clear()
    client.force_login(user)
    partners_page = reverse("matching:idea-partners", args=[idea.slug])
    assert partner.name in client.get(partners_page).content.decode()  # built in the request
    assert theirs.title in client.get(reverse("dashboard")).content.decode()

    features_building, release_features = _blocked(monkeypatch, FeatureCache)
    ideas_building, release_ideas = _blocked(monkeypatch, NeedCache)
    try:
        newcomer = OrganisationFactory(themes=["inclusion-diversity"], name="Tartu Newcomers")
        # A renamed term: only a full rebuild will do, for both caches.
        Theme.objects.filter(code="inclusion-diversity").update(name_en="Inclusion")

        response = client.get(partners_page)
        assert response.status_code == 200
        assert partner.name in response.content.decode()  # the previous snapshot
        assert newcomer.name not in response.content.decode()
        assert features_building.wait(timeout=30)
        response = client.get(reverse("dashboard"))
        assert response.status_code == 200
        assert theirs.title in response.content.decode()
        assert ideas_building.wait(timeout=30)
        # Both builds are still held back: the pages above were answered without them.
        assert features._rebuilding.is_alive() and open_ideas._rebuilding.is_alive()
    finally:
        release_features.set()
        release_ideas.set()
    features._rebuilding.join(timeout=30)
    open_ideas._rebuilding.join(timeout=30)

    assert newcomer.name in client.get(partners_page).content.decode()  # the new snapshot
    assert features.last_load.kind == "full" and open_ideas.last_load.kind == "full"
    features.clear()
    open_ideas.clear()
