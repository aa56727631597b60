"""The change log: every writer is seen by another process on its next call.

A "process" here is a fresh cache instance (its own snapshot and log
position) reading through the test's connection, while the writes happen in
another thread with its own database connection and commit there. Every
profile is a day old first, far outside any overlap window, so nothing is
seen thanks to a recent timestamp.
"""

import datetime
import threading

import pytest
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from matching.cache import FeatureCache
from matching.need_cache import NeedCache
from organisations import services as organisation_services
from organisations.models import Language, Organisation, Theme
from partnerhub import changes
from projects.models import ProjectIdea
from tests.factories import (
    OrganisationFactory,
    PartnershipApplicationFactory,
    ProjectIdeaFactory,
    UserFactory,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]

TODAY = timezone.localdate()
A_DAY_AGO = timezone.now() - datetime.timedelta(days=1)


def elsewhere(action):
    """Run ``action`` in another thread, on its own connection, committed there."""
    failures = []

    def run():
        try:
            with transaction.atomic():
                action()
        except Exception as error:  # re-raised in the test
            failures.append(error)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=30)
    if failures:
        raise failures[0]


@pytest.fixture
def profiles(reference_data):
    organisations = [
        OrganisationFactory(themes=["inclusion-diversity"], country=country)
        for country in ("LV", "LT", "EE", "PL")
    ]
    Organisation.objects.update(updated_at=A_DAY_AGO)
    return organisations


def fresh_cache() -> FeatureCache:
    cache = FeatureCache()
    cache.warm()
    return cache


def test_verification_is_seen(profiles):
    cache = fresh_cache()
    organisation = profiles[0]
    assert not cache.record(organisation.pk).verified
    staff = UserFactory(is_staff=True)

    elsewhere(
        lambda: organisation_services.organisation_verify(organisation=organisation, by=staff)
    )

    assert cache.record(organisation.pk).verified
    assert cache.last_load.kind == "incremental"

    elsewhere(
        lambda: organisation_services.organisation_unverify(organisation=organisation, by=staff)
    )
    assert not cache.record(organisation.pk).verified


def test_a_change_of_relations_only_is_seen(profiles):
    cache = fresh_cache()
    organisation = profiles[1]
    elsewhere(lambda: organisation.themes.set(Theme.objects.filter(code="environment-climate")))
    assert cache.record(organisation.pk).themes == ("environment-climate",)


def test_deactivation_and_a_bulk_update_are_seen(profiles):
    cache = fresh_cache()
    first, second = profiles[0], profiles[1]
    elsewhere(lambda: Organisation.objects.filter(pk=first.pk).update(is_active=False))
    assert cache.record(first.pk) is None
    elsewhere(lambda: Organisation.objects.filter(pk=second.pk).update(city="Daugavpils"))
    assert cache.record(second.pk).city == "Daugavpils"


def test_a_deleted_organisation_is_dropped_without_a_rebuild(profiles):
    cache = fresh_cache()
    gone = profiles[2]
    elsewhere(lambda: Organisation.objects.filter(pk=gone.pk).delete())
    assert cache.record(gone.pk) is None
    assert len(cache) == 3
    assert cache.last_load.kind == "incremental"


def test_a_renamed_or_deleted_term_rebuilds(profiles):
    cache = fresh_cache()
    elsewhere(lambda: Theme.objects.filter(code="inclusion-diversity").update(name_en="Inclusion"))
    cache.warm()
    assert cache.last_load.kind == "full"

    term = Theme.objects.create(code="a-new-theme", name_en="A new theme")
    profiles[3].themes.add(term)
    cache.warm()
    elsewhere(lambda: Theme.objects.filter(pk=term.pk).delete())
    assert "a-new-theme" not in cache.record(profiles[3].pk).themes


def test_deleting_a_language_is_seen_by_the_ideas_cache(profiles):
    language = Language.objects.create(code="xx", name_en="Test language")
    idea = ProjectIdeaFactory(lead=profiles[0], language=language)
    ProjectIdea.objects.update(updated_at=A_DAY_AGO)
    ideas = NeedCache()
    ideas.warm(TODAY)
    assert ideas._entries[idea.pk].need.language == "xx"

    elsewhere(lambda: Language.objects.filter(pk=language.pk).delete())

    ideas.warm(TODAY)
    assert ideas._entries[idea.pk].need.language in ("", None)


def test_an_accepted_partner_moves_the_ideas_consortium(profiles):
    idea = ProjectIdeaFactory(lead=profiles[0])
    application = PartnershipApplicationFactory(idea=idea, organisation=profiles[1])
    ideas = NeedCache()
    ideas.warm(TODAY)
    members_before = ideas._entries[idea.pk].need.member_countries

    elsewhere(lambda: type(application).objects.filter(pk=application.pk).update(status="accepted"))

    ideas.warm(TODAY)
    assert ideas._entries[idea.pk].need.member_countries != members_before


@pytest.mark.skipif(connection.vendor != "postgresql", reason="ids commit out of order only there")
def test_a_transaction_that_commits_late_is_seen(profiles):
    cache = fresh_cache()
    slow, quick = profiles[0], profiles[1]
    written, release = threading.Event(), threading.Event()
    failures = []

    def late_writer():
        try:
            with transaction.atomic():
                Organisation.objects.filter(pk=slow.pk).update(city="Late")
                written.set()
                release.wait(timeout=20)
        except Exception as error:
            failures.append(error)
        finally:
            connections.close_all()

    thread = threading.Thread(target=late_writer)
    thread.start()
    written.wait(timeout=20)
    elsewhere(lambda: Organisation.objects.filter(pk=quick.pk).update(city="Quick"))

    assert cache.record(quick.pk).city == "Quick"  # the later id is read; the earlier one is a gap
    assert cache.record(slow.pk).city != "Late"
    release.set()
    thread.join(timeout=20)
    assert not failures

    assert cache.record(slow.pk).city == "Late"


def test_a_compacted_log_costs_each_poll_one_range_not_hundreds_of_ids(profiles):
    # After a bulk load (or a prune) the ids just below the newest are gone for good, and
    # a new reader waits for each as a possible late commit. Before, every poll listed
    # them one by one: 999 parameters, 4 ms on PostgreSQL, twice per profile page.
    changes.compact_log()
    cache = fresh_cache()
    elsewhere(lambda: Organisation.objects.filter(pk=profiles[1].pk).update(city="Seen"))
    with CaptureQueriesContext(connection) as queries:
        assert cache.record(profiles[1].pk).city == "Seen"
    polls = [q["sql"] for q in queries if "partnerhub_change" in q["sql"]]
    assert len(polls) == 1
    assert polls[0].count(" OR id BETWEEN ") <= 2 and len(polls[0]) < 300, polls[0]


def test_runs_of_gaps():
    assert changes._runs({9, 3, 5, 4}) == [(3, 5), (9, 9)]
    assert changes._runs(set()) == []


def test_the_log_is_written_by_the_database_not_by_python(profiles):
    with connection.cursor() as cursor:
        cursor.execute("SELECT MAX(id) FROM partnerhub_change")
        (before,) = cursor.fetchone()
        cursor.execute(
            "UPDATE organisations_organisation SET city = 'Raw' WHERE id = %s", [profiles[0].pk]
        )
        cursor.execute("SELECT kind, object_id FROM partnerhub_change WHERE id > %s", [before or 0])
        assert cursor.fetchall() == [(changes.ORGANISATION, profiles[0].pk)]


def test_a_rebuild_runs_in_the_background_while_requests_use_the_old_snapshot(
    profiles, settings, monkeypatch
):
    settings.MATCHING_REBUILD_IN_BACKGROUND = True
    cache = fresh_cache()
    assert len(cache) == 4
    building, release = threading.Event(), threading.Event()
    real_build = FeatureCache.build

    def slow_build(self, context=None):
        building.set()
        release.wait(timeout=20)
        return real_build(self, context)

    monkeypatch.setattr(FeatureCache, "build", slow_build)
    OrganisationFactory()  # a fifth profile, and then a renamed term: everything is rebuilt
    Theme.objects.filter(code="inclusion-diversity").update(name_en="Inclusion")

    assert cache.warm() == 4  # answered at once from the previous snapshot
    assert building.wait(timeout=20)
    assert cache.warm() == 4  # still building: no second rebuild, no waiting
    release.set()
    cache._rebuilding.join(timeout=20)

    assert cache.warm() == 5
    assert cache.last_load.kind == "full"


def test_a_failed_background_rebuild_is_logged_and_the_old_snapshot_serves(
    profiles, settings, monkeypatch, caplog
):
    settings.MATCHING_REBUILD_IN_BACKGROUND = True
    cache = fresh_cache()

    def broken_build(self, context=None):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(FeatureCache, "build", broken_build)
    Theme.objects.filter(code="inclusion-diversity").update(name_en="Inclusion")
    assert cache.warm() == 4
    cache._rebuilding.join(timeout=20)
    assert "background rebuild of FeatureCache failed" in caplog.text
    assert cache.record(profiles[0].pk) is not None
